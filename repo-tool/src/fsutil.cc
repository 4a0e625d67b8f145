// Atomic and exclusive file creation with POSIX calls.
#include "evrepo/fsutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace evrepo {

namespace fs = std::filesystem;

namespace {

// Writes `content` to a fresh temporary file in `dir`; returns its path.
Result<std::string> WriteTemp(const fs::path& target, std::string_view content,
                              bool flush = true) {
  std::string tmpl =
      (target.parent_path() / ("." + target.filename().string() + ".XXXXXX"))
          .string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    return Status::Io("cannot create a file in '" +
                      target.parent_path().string() +
                      "': " + std::strerror(errno));
  }
  if (!WriteAll(fd, content)) {
    int err = errno;
    close(fd);
    unlink(tmpl.c_str());
    return Status::Io("cannot write '" + target.string() +
                      "': " + std::strerror(err));
  }
  fchmod(fd, 0644);
  if ((flush && fsync(fd) != 0) || close(fd) != 0) {
    int err = errno;
    unlink(tmpl.c_str());
    return Status::Io("cannot write '" + target.string() +
                      "': " + std::strerror(err));
  }
  return tmpl;
}

}  // namespace

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool ReadAllAt(int fd, char* buffer, std::size_t n, off_t offset) {
  while (n > 0) {
    ssize_t got = pread(fd, buffer, n, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    buffer += got;
    n -= static_cast<std::size_t>(got);
    offset += got;
  }
  return true;
}

bool ReadWhole(int fd, char* buffer, std::size_t n) {
  char extra;
  return ReadAllAt(fd, buffer, n, 0) &&
         pread(fd, &extra, 1, static_cast<off_t>(n)) == 0;
}

Status WriteFileAtomic(const fs::path& path, std::string_view content,
                       bool flush) {
  auto tmp = WriteTemp(path, content, flush);
  if (!tmp) return tmp.status();
  if (rename(tmp->c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp->c_str());
    return Status::Io("cannot write '" + path.string() +
                      "': " + std::strerror(err));
  }
  return Status::Ok();
}

Result<std::string> ReadFileLimited(const fs::path& path, std::size_t limit,
                                    const std::string& shown) {
  // POSIX calls rather than an ifstream, whose buffer and stream set-up
  // cost every command more than the read.  O_NONBLOCK: a FIFO put where
  // a file should be must not hang the read.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    return Status::Io("cannot read '" + shown + "': " + std::strerror(errno));
  }
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat st;
  if (fstat(fd, &st) != 0) {
    return Status::Io("cannot read '" + shown + "': " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::Io(
        "cannot read '" + shown + "': " +
        (S_ISDIR(st.st_mode) ? std::strerror(EISDIR) : "not a regular file"));
  }
  auto too_large = [&] {
    return Status::Invalid("'" + shown + "' is larger than " +
                           std::to_string(limit) + " bytes");
  };
  if (static_cast<std::uintmax_t>(st.st_size) > limit) return too_large();
  // Read to the end, which a file still being written may have moved.  A
  // regular file gives less than was asked only at its end, so a file
  // that has not grown takes one read.
  std::string out(static_cast<std::size_t>(st.st_size) + 1, '\0');
  std::size_t have = 0;
  for (;;) {
    if (have == out.size()) {
      if (have > limit) return too_large();
      out.resize(std::min(have * 2, limit + 1));
    }
    std::size_t want = out.size() - have;
    ssize_t n = read(fd, out.data() + have, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status::Io("cannot read '" + shown + "': " + std::strerror(errno));
    }
    have += static_cast<std::size_t>(n);
    if (static_cast<std::size_t>(n) < want) break;
  }
  if (have > limit) return too_large();
  out.resize(have);
  return out;
}

Status CreateFileExclusive(const fs::path& path, std::string_view content) {
  auto tmp = WriteTemp(path, content);
  if (!tmp) return tmp.status();
  int rc = link(tmp->c_str(), path.c_str());
  int err = errno;
  unlink(tmp->c_str());
  if (rc != 0) {
    if (err == EEXIST) {
      return Status::Conflict("'" + path.string() + "' already exists");
    }
    return Status::Io("cannot create '" + path.string() +
                      "': " + std::strerror(err));
  }
  return Status::Ok();
}

}  // namespace evrepo
