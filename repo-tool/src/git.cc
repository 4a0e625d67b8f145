// libgit2 wrapper.  libgit2 is initialised once per process; every handle is
// owned by a unique_ptr.  git_error_last() may return NULL (libgit2 1.5), so
// messages go through LastError().
#include "evrepo/git.h"

#include <git2.h>

#include <memory>
#include <mutex>

namespace evrepo {

namespace fs = std::filesystem;

namespace {

void EnsureInit() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

std::string LastError() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

struct RepoDeleter {
  void operator()(git_repository* r) const { git_repository_free(r); }
};
using RepoPtr = std::unique_ptr<git_repository, RepoDeleter>;

}  // namespace

std::optional<fs::path> FindGitWorkdir(const fs::path& dir) {
  EnsureInit();
  git_buf buf = GIT_BUF_INIT;
  int rc = git_repository_discover(&buf, dir.c_str(), 0, nullptr);
  if (rc != 0) {
    git_buf_dispose(&buf);
    return std::nullopt;
  }
  git_repository* raw = nullptr;
  rc = git_repository_open(&raw, buf.ptr);
  git_buf_dispose(&buf);
  if (rc != 0) return std::nullopt;
  RepoPtr repo(raw);
  const char* workdir = git_repository_workdir(repo.get());
  if (!workdir) return std::nullopt;  // a bare repository has no work tree
  fs::path p = fs::path(workdir).lexically_normal();
  return p.has_filename() ? p : p.parent_path();
}

Status InitGitRepository(const fs::path& dir) {
  EnsureInit();
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  opts.flags = GIT_REPOSITORY_INIT_MKPATH;
  opts.initial_head = "main";
  git_repository* raw = nullptr;
  if (git_repository_init_ext(&raw, dir.c_str(), &opts) != 0) {
    return Status::Io("cannot create a Git repository in '" + dir.string() +
                      "': " + LastError());
  }
  RepoPtr repo(raw);
  return Status::Ok();
}

}  // namespace evrepo
