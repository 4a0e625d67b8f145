// Tests of the pre-commit hook (hook.h): its text, installing it beside
// another tool's hook, removing it, and what plain `git commit` does with it.
#include "evrepo/hook.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::GitTest;
using testing::ReadAll;
using testing::ShellQuote;

const std::string kCase = "case-studies/greenway-wave-1.md";
const std::string kForeign = "#!/bin/sh\necho 'lint-staged' >&2\n";

std::string ExpectedScript(const std::string& evrepo_quoted,
                           const std::string& corpus_quoted) {
  return "#!/bin/sh\n"
         "# evrepo pre-commit hook: refuses commits of invalid evidence "
         "documents.\n"
         "# Written by 'evrepo hook install'; 'evrepo hook uninstall' removes "
         "it.\n"
         "hooks=$(dirname \"$0\")\n"
         "if [ -x \"$hooks/pre-commit.local\" ]; then\n"
         "  \"$hooks/pre-commit.local\" \"$@\" || exit $?\n"
         "fi\n"
         "evrepo=" +
         evrepo_quoted +
         "\n"
         "if [ ! -x \"$evrepo\" ]; then\n"
         "  evrepo=$(command -v evrepo) || {\n"
         "    echo 'evrepo: error: cannot find evrepo to check the commit' "
         ">&2\n"
         "    exit 1\n"
         "  }\n"
         "fi\n"
         "# git runs hooks at the top of the working tree.\n"
         "exec \"$evrepo\" -C " +
         corpus_quoted + " check --staged\n";
}

class HookTest : public GitTest {
 protected:
  fs::path Hooks() const { return top() / ".git/hooks"; }
  void WriteExecutable(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
    fs::permissions(p, fs::perms::owner_all, fs::perm_options::add);
  }
  // A stand-in for evrepo that logs "PWD ARGS" and exits with the number
  // in tmp()/exit (0 when absent).
  fs::path FakeEvrepo(const fs::path& where) {
    std::string log = (tmp() / "log").string();
    std::string exit_file = (tmp() / "exit").string();
    WriteExecutable(where, "#!/bin/sh\necho \"$PWD $*\" >> " + ShellQuote(log) +
                               "\nexit $(cat " + ShellQuote(exit_file) +
                               " 2>/dev/null || echo 0)\n");
    return where;
  }
  std::string Log() const { return ReadAll(tmp() / "log"); }
  // `git commit` of a change to the case study, hooks run; its status.
  int GitCommitWithHooks() {
    Edit(kCase, "stage: start-up", "stage: growing");
    Git("add -A");
    return testing::GitStatus(top(), "commit -q -m 'With hooks'");
  }
};

TEST_F(HookTest, ScriptForACorpusAtTheTop) {
  MakeCorpus();
  EXPECT_EQ(HookScript(repo(), "/usr/local/bin/evrepo"),
            ExpectedScript("'/usr/local/bin/evrepo'", "'.'"));
}

TEST_F(HookTest, ScriptForACorpusInASubdirectoryQuotesForTheShell) {
  MakeCorpus("it's evidence");
  EXPECT_EQ(
      HookScript(repo(), "/opt/o'brien/bin/evrepo"),
      ExpectedScript("'/opt/o'\\''brien/bin/evrepo'", "'it'\\''s evidence'"));
}

TEST_F(HookTest, InstallWritesAnExecutableHook) {
  MakeCorpus("evidence");
  auto r = InstallHook(repo(), "/usr/bin/evrepo");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->hook, Hooks() / "pre-commit");
  EXPECT_EQ(r->chained, fs::path());
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(ReadAll(r->hook), HookScript(repo(), "/usr/bin/evrepo"));
  EXPECT_EQ(fs::status(r->hook).permissions(),
            fs::perms::owner_all | fs::perms::group_read |
                fs::perms::group_exec | fs::perms::others_read |
                fs::perms::others_exec);
}

TEST_F(HookTest, InstallIsIdempotentAndRewritesOurOwnHook) {
  MakeCorpus();
  ASSERT_TRUE(InstallHook(repo(), "/usr/bin/evrepo"));
  auto again = InstallHook(repo(), "/usr/bin/evrepo");
  ASSERT_TRUE(again) << again.status().message();
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->chained, fs::path());
  EXPECT_FALSE(fs::exists(Hooks() / "pre-commit.local"));
  auto moved = InstallHook(repo(), "/opt/evrepo/bin/evrepo");
  ASSERT_TRUE(moved) << moved.status().message();
  EXPECT_TRUE(moved->changed);
  EXPECT_EQ(ReadAll(Hooks() / "pre-commit"),
            HookScript(repo(), "/opt/evrepo/bin/evrepo"));
  EXPECT_FALSE(fs::exists(Hooks() / "pre-commit.local"));
}

TEST_F(HookTest, InstallChainsAForeignHook) {
  MakeCorpus();
  WriteExecutable(Hooks() / "pre-commit", kForeign);
  auto r = InstallHook(repo(), "/usr/bin/evrepo");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->chained, Hooks() / "pre-commit.local");
  EXPECT_EQ(ReadAll(Hooks() / "pre-commit.local"), kForeign);
  EXPECT_EQ(ReadAll(Hooks() / "pre-commit"),
            HookScript(repo(), "/usr/bin/evrepo"));
  auto again = InstallHook(repo(), "/usr/bin/evrepo");
  ASSERT_TRUE(again) << again.status().message();
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->chained, Hooks() / "pre-commit.local");
  EXPECT_EQ(ReadAll(Hooks() / "pre-commit.local"), kForeign);
}

TEST_F(HookTest, InstallRefusesWhenAForeignHookAndPreCommitLocalExist) {
  MakeCorpus();
  WriteExecutable(Hooks() / "pre-commit", kForeign);
  WriteExecutable(Hooks() / "pre-commit.local", "#!/bin/sh\nexit 0\n");
  auto r = InstallHook(repo(), "/usr/bin/evrepo");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
  EXPECT_EQ(r.status().message(), "'" + (Hooks() / "pre-commit").string() +
                                      "' is another tool's hook, and '" +
                                      (Hooks() / "pre-commit.local").string() +
                                      "' exists too");
  EXPECT_EQ(ReadAll(Hooks() / "pre-commit"), kForeign);
  EXPECT_EQ(ReadAll(Hooks() / "pre-commit.local"), "#!/bin/sh\nexit 0\n");
}

TEST_F(HookTest, UninstallPutsTheChainedHookBack) {
  MakeCorpus();
  WriteExecutable(Hooks() / "pre-commit", kForeign);
  ASSERT_TRUE(InstallHook(repo(), "/usr/bin/evrepo"));
  auto r = UninstallHook(repo());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->hook, Hooks() / "pre-commit");
  EXPECT_EQ(r->chained, Hooks() / "pre-commit.local");
  EXPECT_EQ(ReadAll(Hooks() / "pre-commit"), kForeign);
  EXPECT_FALSE(fs::exists(Hooks() / "pre-commit.local"));
}

TEST_F(HookTest, UninstallRemovesOurHookOnlyOurs) {
  MakeCorpus();
  ASSERT_TRUE(InstallHook(repo(), "/usr/bin/evrepo"));
  auto r = UninstallHook(repo());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->chained, fs::path());
  EXPECT_FALSE(fs::exists(Hooks() / "pre-commit"));
  auto again = UninstallHook(repo());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(
      again.status().message(),
      "no evrepo pre-commit hook is installed in '" + Hooks().string() + "'");
  // A foreign hook is never touched.
  WriteExecutable(Hooks() / "pre-commit", kForeign);
  auto foreign = UninstallHook(repo());
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(ReadAll(Hooks() / "pre-commit"), kForeign);
}

TEST_F(HookTest, InstallFollowsCoreHooksPath) {
  MakeCorpus();
  Git("config core.hooksPath shared/hooks");
  auto r = InstallHook(repo(), "/usr/bin/evrepo");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->hook, top() / "shared/hooks/pre-commit");
  EXPECT_TRUE(fs::is_regular_file(top() / "shared/hooks/pre-commit"));
  EXPECT_FALSE(fs::exists(Hooks() / "pre-commit"));
}

TEST_F(HookTest, GitCommitRunsCheckStagedOnTheCorpusFromTheTop) {
  MakeCorpus("evidence");
  ASSERT_TRUE(InstallHook(repo(), FakeEvrepo(tmp() / "bin/evrepo")));
  std::string head = Git("rev-parse HEAD");
  ASSERT_EQ(GitCommitWithHooks(), 0);
  EXPECT_EQ(Log(), top().string() + " -C evidence check --staged\n");
  EXPECT_NE(Git("rev-parse HEAD"), head);

  std::ofstream(tmp() / "exit") << "1\n";
  Edit(kCase, "stage: growing", "stage: established");
  Git("add -A");
  EXPECT_NE(testing::GitStatus(top(), "commit -q -m 'Refused'"), 0);
  EXPECT_EQ(Git("log -1 --format=%s"), "With hooks");
}

TEST_F(HookTest, ChainedHookRunsFirstAndCanStopTheCommit) {
  MakeCorpus();
  std::string log = (tmp() / "log").string();
  WriteExecutable(Hooks() / "pre-commit", "#!/bin/sh\necho local >> " +
                                              ShellQuote(log) +
                                              "\nexit \"${LOCAL_EXIT:-0}\"\n");
  ASSERT_TRUE(InstallHook(repo(), FakeEvrepo(tmp() / "bin/evrepo")));
  ASSERT_EQ(GitCommitWithHooks(), 0);
  EXPECT_EQ(Log(), "local\n" + top().string() + " -C . check --staged\n");

  fs::remove(tmp() / "log");
  Edit(kCase, "stage: growing", "stage: established");
  Git("add -A");
  testing::ScopedEnv env;
  env.Set("LOCAL_EXIT", "3");
  EXPECT_NE(testing::GitStatus(top(), "commit -q -m 'Refused'"), 0);
  EXPECT_EQ(Log(), "local\n");  // evrepo did not run
  EXPECT_EQ(Git("log -1 --format=%s"), "With hooks");
}

TEST_F(HookTest, HookFallsBackToEvrepoOnThePath) {
  MakeCorpus();
  FakeEvrepo(tmp() / "bin/evrepo");
  ASSERT_TRUE(InstallHook(repo(), tmp() / "gone/evrepo"));
  testing::ScopedEnv env;
  env.Set("PATH", (tmp() / "bin").string() + ":" + std::getenv("PATH"));
  ASSERT_EQ(GitCommitWithHooks(), 0);
  EXPECT_EQ(Log(), top().string() + " -C . check --staged\n");
}

}  // namespace
}  // namespace evrepo
