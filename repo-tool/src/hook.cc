// Installing and removing the pre-commit hook.
#include "evrepo/hook.h"

#include <fstream>
#include <sstream>

#include "evrepo/fsutil.h"

namespace evrepo {

namespace fs = std::filesystem;

namespace {

constexpr char kMarker[] = "# evrepo pre-commit hook";

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool IsOurs(const fs::path& hook) {
  std::ifstream in(hook);
  std::string line;
  for (int i = 0; i < 3 && std::getline(in, line); ++i) {
    if (line.rfind(kMarker, 0) == 0) return true;
  }
  return false;
}

Status WriteHook(const fs::path& path, const std::string& text) {
  if (Status s = WriteFileAtomic(path, text); !s.ok()) return s;
  std::error_code ec;
  fs::permissions(path,
                  fs::perms::owner_all | fs::perms::group_read |
                      fs::perms::group_exec | fs::perms::others_read |
                      fs::perms::others_exec,
                  ec);
  if (ec) {
    return Status::Io("cannot make '" + path.string() +
                      "' executable: " + ec.message());
  }
  return Status::Ok();
}

}  // namespace

std::string HookScript(const Repository& repo, const fs::path& evrepo) {
  std::string corpus = repo.prefix().empty()
                           ? "."
                           : repo.prefix().substr(0, repo.prefix().size() - 1);
  std::ostringstream s;
  s << "#!/bin/sh\n"
    << kMarker << ": refuses commits of invalid evidence documents.\n"
    << "# Written by 'evrepo hook install'; 'evrepo hook uninstall' removes "
       "it.\n"
    << "hooks=$(dirname \"$0\")\n"
    << "if [ -x \"$hooks/pre-commit.local\" ]; then\n"
    << "  \"$hooks/pre-commit.local\" \"$@\" || exit $?\n"
    << "fi\n"
    << "evrepo=" << ShellQuote(evrepo.string()) << "\n"
    << "if [ ! -x \"$evrepo\" ]; then\n"
    << "  evrepo=$(command -v evrepo) || {\n"
    << "    echo 'evrepo: error: cannot find evrepo to check the commit' >&2\n"
    << "    exit 1\n"
    << "  }\n"
    << "fi\n"
    << "# git runs hooks at the top of the working tree.\n"
    << "exec \"$evrepo\" -C " << ShellQuote(corpus) << " check --staged\n";
  return s.str();
}

Result<HookResult> InstallHook(const Repository& repo, const fs::path& evrepo) {
  auto dir = repo.HooksDir();
  if (!dir) return dir.status();
  HookResult r;
  r.hook = *dir / "pre-commit";
  fs::path local = *dir / "pre-commit.local";
  std::error_code ec;
  fs::create_directories(*dir, ec);
  if (ec) {
    return Status::Io("cannot create '" + dir->string() + "': " + ec.message());
  }
  std::string text = HookScript(repo, evrepo);
  bool exists = fs::exists(fs::symlink_status(r.hook, ec));
  bool ours = exists && IsOurs(r.hook);
  if (exists && !ours) {
    if (fs::exists(fs::symlink_status(local, ec))) {
      return Status::Conflict("'" + r.hook.string() +
                              "' is another tool's hook, and '" +
                              local.string() + "' exists too")
          .WithHint(
              "merge them by hand into pre-commit.local, remove pre-commit, "
              "and run 'evrepo hook install' again");
    }
    fs::rename(r.hook, local, ec);
    if (ec) {
      return Status::Io("cannot move '" + r.hook.string() +
                        "' aside: " + ec.message());
    }
    r.chained = local;
  } else if (fs::exists(fs::symlink_status(local, ec))) {
    r.chained = local;
  }
  if (ours) {
    std::ifstream in(r.hook);
    std::ostringstream old;
    old << in.rdbuf();
    if (old.str() == text) return r;  // already installed as asked
  }
  if (Status s = WriteHook(r.hook, text); !s.ok()) return s;
  r.changed = true;
  return r;
}

Result<HookResult> UninstallHook(const Repository& repo) {
  auto dir = repo.HooksDir();
  if (!dir) return dir.status();
  HookResult r;
  r.hook = *dir / "pre-commit";
  fs::path local = *dir / "pre-commit.local";
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(r.hook, ec)) || !IsOurs(r.hook)) {
    return Status::NotFound("no evrepo pre-commit hook is installed in '" +
                            dir->string() + "'");
  }
  if (fs::exists(fs::symlink_status(local, ec))) {
    fs::rename(local, r.hook, ec);
    r.chained = local;
  } else {
    fs::remove(r.hook, ec);
  }
  if (ec) {
    return Status::Io("cannot remove '" + r.hook.string() +
                      "': " + ec.message());
  }
  r.changed = true;
  return r;
}

}  // namespace evrepo
