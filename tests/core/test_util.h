// Helpers for the core unit tests: temporary directories and the schemas.
#ifndef EVREPO_TESTS_CORE_TEST_UTIL_H_
#define EVREPO_TESTS_CORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "evrepo/corpus.h"
#include "evrepo/git.h"
#include "evrepo/schema.h"

namespace evrepo::testing {

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `content` to `rel` (parent directories created).
  void Write(const std::string& rel, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

// The whole content of a file ("" when it cannot be read).
std::string ReadAll(const std::filesystem::path& path);

// The project's schemas/ (the built-in schema set), loaded once.
const Schema& ProjectSchema();

// --- Git tests -------------------------------------------------------------
//
// The Git tests use real repositories made with the `git` command (for
// setting up situations and inspecting results) and evrepo's API (for what
// is tested).  The whole test binary runs with HOME and XDG_CONFIG_HOME
// pointing at an empty directory, so the user's Git configuration never
// leaks in: libgit2 reads them only once, when it is first initialised.

// `s` quoted for the shell.
std::string ShellQuote(const std::string& s);

// Runs `command` with /bin/sh; returns its standard output and sets
// `*status` (when given) to its exit status.  Standard error is passed
// through.
std::string RunShell(const std::string& command, int* status = nullptr);

// Runs `git -C DIR ARGS` (ARGS as written for the shell) and returns its
// standard output with one trailing newline removed; a failure of git
// fails the test.
std::string Git(const std::filesystem::path& dir, const std::string& args);

// The exit status of `git -C DIR ARGS` (output discarded).
int GitStatus(const std::filesystem::path& dir, const std::string& args);

// Copies tests/fixtures/NAME into `dest` (created).
void CopyFixture(const std::string& name, const std::filesystem::path& dest);

// Sets or unsets environment variables, restoring them when destroyed.
class ScopedEnv {
 public:
  ScopedEnv() = default;
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

  void Set(const std::string& name, const std::string& value);
  void Unset(const std::string& name);

 private:
  void Remember(const std::string& name);
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// The environment of one Git test: HOME in a fresh directory,
// GIT_CONFIG_NOSYSTEM=1, no GIT_DIR/GIT_INDEX_FILE/... from outside, git's
// fsync off (core.fsync=none, through GIT_CONFIG_COUNT), and a
// fixed identity and date for both author and committer:
//   Sarah Lindqvist <sarah@example.org>, 2007-01-31T10:00:00+00:00.
class GitSandbox {
 public:
  static constexpr char kName[] = "Sarah Lindqvist";
  static constexpr char kEmail[] = "sarah@example.org";
  static constexpr char kDate[] = "2007-01-31T10:00:00+00:00";
  static constexpr std::int64_t kTime = 1170237600;  // kDate

  GitSandbox();

  // Sets GIT_AUTHOR_DATE and GIT_COMMITTER_DATE.
  void SetDate(const std::string& date);
  ScopedEnv& env() { return env_; }

 private:
  TempDir home_;
  ScopedEnv env_;
};

// A workspace for Git tests: a sandbox, a temporary directory, and a corpus
// (a copy of a fixture) in a Git repository on branch main.  GitTest is the
// fixture; a suite that shares one workspace among its tests can hold one
// itself.  What MakeCorpus and MakeRemote make is kept, by the identity and
// dates in the environment, and copied when asked for again: the same
// commands with the same identity and dates make the same commits.
class GitWorkspace {
 public:
  // Copies fixture `fixture` to top()/`sub` and runs `git init -b main` in
  // top(); with `commit`, adds everything and commits it ("Import the
  // corpus") with the git command.
  void MakeCorpus(const std::string& sub = "", bool commit = true,
                  const std::string& fixture = "basic");

  const std::filesystem::path& top() const { return top_; }
  const std::filesystem::path& root() const { return root_; }
  const std::filesystem::path& tmp() const { return dir_.path(); }

  // The corpus and repository at root(), opened on first use.
  Corpus& corpus();
  Repository& repo();
  // Opens the repository again (a fresh libgit2 handle).
  Repository& ReopenRepo();

  // git -C top() ARGS.
  std::string Git(const std::string& args) const {
    return testing::Git(top_, args);
  }
  // Corpus-relative file access.
  void Write(const std::string& rel, const std::string& content) const;
  std::string Read(const std::string& rel) const;
  // Replaces the only occurrence of `from` in corpus file `rel` by `to`.
  void Edit(const std::string& rel, const std::string& from,
            const std::string& to) const;
  // Stages everything and commits with the git command; returns the id.
  std::string GitCommitAll(const std::string& message);

  // MakeCorpus(), then a bare repository tmp()/remote.git that top()'s
  // `origin` names; with `push`, main is pushed there and cloned into
  // tmp()/south (remote_ and south_).
  void MakeRemote(bool push = true);

  GitSandbox sandbox_;
  TempDir dir_;
  std::filesystem::path top_, root_;
  std::filesystem::path remote_, south_;
  std::optional<Corpus> corpus_;
  std::optional<Repository> repo_;
};

class GitTest : public ::testing::Test, public GitWorkspace {};

// A fixture document: a valid case study with the given id and stage.
std::string CaseStudyText(const std::string& id,
                          const std::string& stage = "start-up",
                          const std::string& extra = "");

}  // namespace evrepo::testing

#endif  // EVREPO_TESTS_CORE_TEST_UTIL_H_
