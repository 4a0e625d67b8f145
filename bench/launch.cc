// launch: runs one command and reports its wall time and peak memory.
//
//   launch ERRFILE COMMAND [ARG...]
//
// prints "SECONDS MAXRSS_KB EXIT_CODE" on standard output.  The command
// reads /dev/null, writes its output to /dev/null and its errors to ERRFILE.
//
// The clock covers fork to reap, as in run.py before, but the fork is this
// small process's, not Python's: forking the harness (tens of megabytes of
// interpreter) added about 1.5 ms to every run of every tool, which for
// commands of a few milliseconds is most of the difference between them.
// A fork child's peak resident set also counts the pages it held before
// exec; this process holds about a megabyte.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace {

double Now() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: launch ERRFILE COMMAND [ARG...]\n");
    return 2;
  }
  int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
  int err = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (in < 0 || out < 0 || err < 0) {
    std::fprintf(stderr, "launch: cannot open '%s': %s\n", argv[1],
                 std::strerror(errno));
    return 2;
  }
  double start = Now();
  pid_t pid = fork();
  if (pid < 0) {
    std::fprintf(stderr, "launch: fork: %s\n", std::strerror(errno));
    return 2;
  }
  if (pid == 0) {
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execvp(argv[2], argv + 2);
    dprintf(2, "launch: cannot run '%s': %s\n", argv[2], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  while (wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      std::fprintf(stderr, "launch: wait4: %s\n", std::strerror(errno));
      return 2;
    }
  }
  double seconds = Now() - start;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  std::printf("%.9f %ld %d\n", seconds, ru.ru_maxrss, code);
  return 0;
}
