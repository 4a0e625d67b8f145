// Tests of the libgit2 layer (git.h): discovery, reading commits, trees and
// the index, identities, committing, and exchanging commits with a remote.
// Situations are set up with the git command; what is tested goes through
// evrepo::Repository only.
#include "evrepo/git.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::GitSandbox;
using testing::GitTest;
using testing::ReadAll;
using testing::ScopedEnv;
using testing::ShellQuote;

using Strings = std::vector<std::string>;

const std::string kCase = "case-studies/greenway-wave-1.md";
const std::string kPolicy = "policy-responses/joint-note-response-2006.md";
const std::string kToolkit = "toolkits/finding-small-contracts.md";

std::vector<std::string> Paths(const std::vector<TreeFile>& files) {
  std::vector<std::string> out;
  for (const TreeFile& f : files) out.push_back(f.path);
  return out;
}

// --- Discover ---------------------------------------------------------------

class GitDiscover : public GitTest {};

TEST_F(GitDiscover, CorpusAtTopHasEmptyPrefix) {
  MakeCorpus();
  auto r = Repository::Discover(root());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->prefix(), "");
  EXPECT_EQ(r->workdir(), top());
}

TEST_F(GitDiscover, CorpusInSubdirectoryHasPrefixWithSlash) {
  MakeCorpus("archive/evidence");
  auto r = Repository::Discover(root());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->prefix(), "archive/evidence/");
  EXPECT_EQ(r->workdir(), top());
  auto slash = Repository::Discover(root().string() + "/");
  ASSERT_TRUE(slash) << slash.status().message();
  EXPECT_EQ(slash->prefix(), "archive/evidence/");
}

TEST_F(GitDiscover, NoRepositoryIsNotFound) {
  fs::path plain = tmp() / "plain";
  testing::CopyFixture("basic", plain);
  auto r = Repository::Discover(plain);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(r.status().message(), "the corpus at '" + plain.string() +
                                      "' is not in a Git repository");
  EXPECT_EQ(r.status().hint(),
            "run 'git init' there, or 'evrepo init' for a new corpus");
}

TEST_F(GitDiscover, BareRepositoryIsInvalid) {
  fs::path bare = fs::canonical(tmp()) / "bare.git";
  testing::Git(tmp(), "init -q --bare -b main bare.git");
  auto r = Repository::Discover(bare);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(r.status().message(), "the Git repository at '" + bare.string() +
                                      "/' is bare: a corpus needs a working "
                                      "tree");
}

TEST_F(GitDiscover, HooksDirIsGitDirHooksOrCoreHooksPath) {
  MakeCorpus("evidence");
  auto dir = repo().HooksDir();
  ASSERT_TRUE(dir) << dir.status().message();
  EXPECT_EQ(fs::path(*dir).lexically_normal(), top() / ".git" / "hooks");
  Git("config core.hooksPath shared/hooks");  // relative to the top
  auto shared = ReopenRepo().HooksDir();
  ASSERT_TRUE(shared) << shared.status().message();
  EXPECT_EQ(*shared, top() / "shared/hooks");
}

// --- HEAD, branches, revisions ----------------------------------------------

class GitRevisions : public GitTest {};

TEST_F(GitRevisions, UnbornBranchHasNoHeadButABranchName) {
  MakeCorpus("", /*commit=*/false);
  auto head = repo().Head();
  ASSERT_TRUE(head) << head.status().message();
  EXPECT_EQ(*head, std::nullopt);
  auto branch = repo().CurrentBranch();
  ASSERT_TRUE(branch) << branch.status().message();
  EXPECT_EQ(*branch, "main");
  auto resolved = repo().ResolveCommit("HEAD");
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(resolved.status().message(), "there are no commits yet");
}

TEST_F(GitRevisions, HeadAndBranchFollowGitAndDetachedHeadHasNoBranch) {
  MakeCorpus();
  std::string head = Git("rev-parse HEAD");
  EXPECT_EQ(repo().Head().value(), head);
  Git("switch -q -c feature");
  EXPECT_EQ(repo().CurrentBranch().value(), "feature");
  Git("switch -q --detach");
  EXPECT_EQ(repo().Head().value(), head);
  auto branch = repo().CurrentBranch();
  ASSERT_FALSE(branch);
  EXPECT_EQ(branch.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(branch.status().message(), "HEAD is detached (not on a branch)");
  EXPECT_EQ(branch.status().hint(),
            "switch to a branch first, e.g. 'git switch main'");
}

TEST_F(GitRevisions, ResolveCommitUnderstandsGitRevisions) {
  MakeCorpus();
  std::string first = Git("rev-parse HEAD");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string second = GitCommitAll("Growing");
  Git("tag -a -m 'Release' v1 HEAD~1");
  EXPECT_EQ(repo().ResolveCommit("HEAD").value(), second);
  EXPECT_EQ(repo().ResolveCommit("HEAD~1").value(), first);
  EXPECT_EQ(repo().ResolveCommit("main").value(), second);
  EXPECT_EQ(repo().ResolveCommit("v1").value(), first);  // tag peeled
  EXPECT_EQ(repo().ResolveCommit(first.substr(0, 8)).value(), first);
}

TEST_F(GitRevisions, ResolveCommitRefusesUnknownAndNonCommits) {
  MakeCorpus();
  auto unknown = repo().ResolveCommit("nowhere");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(unknown.status().message(), "unknown revision 'nowhere'");
  EXPECT_EQ(unknown.status().hint(),
            "give a commit id, a branch, a tag, or a date (YYYY-MM-DD)");
  auto blob = repo().ResolveCommit("HEAD:evrepo.yml");
  ASSERT_FALSE(blob);
  EXPECT_EQ(blob.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(blob.status().message(),
            "'HEAD:evrepo.yml' does not name a commit");
}

TEST_F(GitRevisions, CommitAsOfPicksTheLastCommitOnOrBeforeTheDay) {
  sandbox_.SetDate("2007-01-10T10:00:00+00:00");
  MakeCorpus();
  std::string jan = Git("rev-parse HEAD");
  sandbox_.SetDate("2007-02-10T10:00:00+00:00");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string feb = GitCommitAll("February");
  sandbox_.SetDate("2007-03-10T10:00:00+00:00");
  Edit(kCase, "stage: growing", "stage: established");
  std::string mar = GitCommitAll("March");

  EXPECT_EQ(repo().CommitAsOf("2007-02-09", mar).value(), jan);
  EXPECT_EQ(repo().CommitAsOf("2007-02-10", mar).value(), feb);
  EXPECT_EQ(repo().CommitAsOf("2007-03-09", mar).value(), feb);
  EXPECT_EQ(repo().CommitAsOf("2099-01-01", mar).value(), mar);
  EXPECT_EQ(repo().CommitAsOf("2007-02-20", feb).value(), feb);
  auto early = repo().CommitAsOf("2007-01-09", mar);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(early.status().message(), "no commit on or before 2007-01-09");
  EXPECT_EQ(early.status().hint(),
            "the history starts later; see 'evrepo log'");
}

TEST_F(GitRevisions, CommitAsOfUsesTheCommittersOwnTimeZone) {
  sandbox_.SetDate("2007-02-01T10:00:00+00:00");
  MakeCorpus();
  std::string base = Git("rev-parse HEAD");
  // 23:30 in New York on the 10th is already the 11th in UTC.
  sandbox_.SetDate("2007-02-10T23:30:00-05:00");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string late = GitCommitAll("Late on the 10th");
  // 00:30 in Paris on the 12th is still the 11th in UTC.
  sandbox_.SetDate("2007-02-12T00:30:00+01:00");
  Edit(kCase, "stage: growing", "stage: established");
  std::string early = GitCommitAll("Early on the 12th");

  EXPECT_EQ(repo().CommitAsOf("2007-02-10", early).value(), late);
  EXPECT_EQ(repo().CommitAsOf("2007-02-11", early).value(), late);
  EXPECT_EQ(repo().CommitAsOf("2007-02-09", early).value(), base);
  EXPECT_EQ(repo().CommitAsOf("2007-02-12", early).value(), early);
}

TEST_F(GitRevisions, CommitAsOfFollowsTheFirstParentOnly) {
  sandbox_.SetDate("2007-01-01T10:00:00+00:00");
  MakeCorpus();
  Git("switch -q -c side");
  sandbox_.SetDate("2007-03-01T10:00:00+00:00");
  Edit(kToolkit, "status: draft", "status: final");
  std::string side = GitCommitAll("Side");
  Git("switch -q main");
  sandbox_.SetDate("2007-02-01T10:00:00+00:00");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string feb = GitCommitAll("February on main");
  sandbox_.SetDate("2007-04-01T10:00:00+00:00");
  Git("merge -q --no-edit side");
  std::string merge = Git("rev-parse HEAD");

  EXPECT_EQ(repo().CommitAsOf("2007-03-15", merge).value(), feb);
  EXPECT_EQ(repo().CommitAsOf("2007-04-01", merge).value(), merge);
}

// --- Commits, walks, trees
// ----------------------------------------------------

class GitHistory : public GitTest {};

TEST_F(GitHistory, ReadCommitGivesEveryField) {
  MakeCorpus();
  std::string first = Git("rev-parse HEAD");
  sandbox_.env().Set("GIT_AUTHOR_NAME", "Ruth Baptiste");
  sandbox_.env().Set("GIT_AUTHOR_EMAIL", "ruth@example.org");
  sandbox_.env().Set("GIT_AUTHOR_DATE", "2007-01-31T16:30:00+01:00");
  sandbox_.env().Set("GIT_COMMITTER_DATE", "2007-02-01T09:00:00-05:00");
  Edit(kCase, "stage: start-up", "stage: growing");
  Git("add -A");
  Git("commit -q -m 'Final version' -m 'After partner review.'");
  std::string id = Git("rev-parse HEAD");

  auto info = repo().ReadCommit(id);
  ASSERT_TRUE(info) << info.status().message();
  EXPECT_EQ(info->id, id);
  EXPECT_EQ(info->short_id, id.substr(0, 7));
  EXPECT_EQ(info->author.name, "Ruth Baptiste");
  EXPECT_EQ(info->author.email, "ruth@example.org");
  EXPECT_EQ(info->author.time, 1170257400);
  EXPECT_EQ(info->author.offset, 60);
  EXPECT_EQ(info->committer.name, "Sarah Lindqvist");
  EXPECT_EQ(info->committer.email, "sarah@example.org");
  EXPECT_EQ(info->committer.time, 1170338400);
  EXPECT_EQ(info->committer.offset, -300);
  EXPECT_EQ(info->message, "Final version\n\nAfter partner review.\n");
  EXPECT_EQ(info->summary, "Final version");
  EXPECT_EQ(info->parents, Strings{first});
}

TEST_F(GitHistory, ReadCommitRefusesAMalformedId) {
  MakeCorpus();
  auto info = repo().ReadCommit("1234");
  ASSERT_FALSE(info);
  EXPECT_EQ(info.status().code(), Status::Code::kUsage);
  EXPECT_EQ(info.status().message(), "bad commit id '1234'");
}

TEST_F(GitHistory, WalkListsChildrenBeforeParents) {
  MakeCorpus();
  std::string root_commit = Git("rev-parse HEAD");
  Git("switch -q -c side");
  sandbox_.SetDate("2007-02-01T10:00:00+00:00");
  Edit(kToolkit, "status: draft", "status: final");
  std::string side = GitCommitAll("Side");
  Git("switch -q main");
  sandbox_.SetDate("2007-03-01T10:00:00+00:00");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string main2 = GitCommitAll("Main");
  sandbox_.SetDate("2007-04-01T10:00:00+00:00");
  Git("merge -q --no-edit side");
  std::string merge = Git("rev-parse HEAD");

  auto walk = repo().Walk(merge);
  ASSERT_TRUE(walk) << walk.status().message();
  EXPECT_EQ(*walk, (Strings{merge, main2, side, root_commit}));
  EXPECT_EQ(repo().Walk(side).value(), (Strings{side, root_commit}));
}

TEST_F(GitHistory, CorpusTreeIsEqualForEqualCorpusContent) {
  MakeCorpus("evidence", /*commit=*/false);
  fs::rename(root(), top() / "later");
  std::ofstream(top() / "NOTES.txt") << "notes\n";
  std::string outside_only = GitCommitAll("Notes only");
  fs::rename(top() / "later", root());
  std::string with_corpus = GitCommitAll("Import the corpus");
  std::ofstream(top() / "NOTES.txt") << "more notes\n";
  std::string notes_again = GitCommitAll("More notes");

  EXPECT_EQ(repo().CorpusTree(outside_only).value(), "");
  std::string tree = repo().CorpusTree(with_corpus).value();
  EXPECT_EQ(tree, Git("rev-parse HEAD:evidence"));
  EXPECT_EQ(repo().CorpusTree(notes_again).value(), tree);
  EXPECT_EQ(repo().ListCommit(outside_only).value().size(), 0u);
}

TEST_F(GitHistory, ListCommitGivesCorpusFilesSortedWithBlobsAndModes) {
  MakeCorpus("evidence", /*commit=*/false);
  std::ofstream(top() / "outside.md") << "# Outside\n";
  Write("tools/run.sh", "#!/bin/sh\n");
  fs::permissions(root() / "tools/run.sh", fs::perms::owner_exec,
                  fs::perm_options::add);
  fs::create_symlink("case-studies/greenway-wave-1.md", root() / "link.md");
  std::string head = GitCommitAll("Import");

  auto files = repo().ListCommit(head);
  ASSERT_TRUE(files) << files.status().message();
  EXPECT_EQ(Paths(*files), (Strings{"README.md", kCase, "evrepo.yml", kPolicy,
                                    kToolkit, "tools/run.sh"}));
  EXPECT_EQ((*files)[1].blob, Git("rev-parse HEAD:evidence/" + kCase));
  EXPECT_FALSE((*files)[1].executable);
  EXPECT_TRUE((*files)[5].executable);
  EXPECT_EQ((*files)[5].stage, 0);
}

TEST_F(GitHistory, DiffReportsAddModifyDeleteAndRenamesAsDeleteAndAdd) {
  MakeCorpus("evidence");
  std::string first = Git("rev-parse HEAD");
  std::string old_case = Git("rev-parse HEAD:evidence/" + kCase);
  std::string old_policy = Git("rev-parse HEAD:evidence/" + kPolicy);
  std::string old_toolkit = Git("rev-parse HEAD:evidence/" + kToolkit);
  Edit(kCase, "stage: start-up", "stage: growing");
  fs::rename(root() / kPolicy, root() / "policy-responses/renamed.md");
  fs::remove(root() / kToolkit);
  std::ofstream(top() / "outside.md") << "# Outside\n";
  std::string second = GitCommitAll("Change");

  auto diff = repo().Diff(first, second);
  ASSERT_TRUE(diff) << diff.status().message();
  ASSERT_EQ(diff->size(), 4u);
  using K = TreeChange::Kind;
  EXPECT_EQ((*diff)[0].kind, K::kModified);
  EXPECT_EQ((*diff)[0].path, kCase);
  EXPECT_EQ((*diff)[0].old_blob, old_case);
  EXPECT_EQ((*diff)[0].new_blob, Git("rev-parse HEAD:evidence/" + kCase));
  EXPECT_EQ((*diff)[1].kind, K::kDeleted);
  EXPECT_EQ((*diff)[1].path, kPolicy);
  EXPECT_EQ((*diff)[1].old_blob, old_policy);
  EXPECT_EQ((*diff)[1].new_blob, "");
  EXPECT_EQ((*diff)[2].kind, K::kAdded);
  EXPECT_EQ((*diff)[2].path, "policy-responses/renamed.md");
  EXPECT_EQ((*diff)[2].old_blob, "");
  EXPECT_EQ((*diff)[2].new_blob, old_policy);
  EXPECT_EQ((*diff)[3].kind, K::kDeleted);
  EXPECT_EQ((*diff)[3].path, kToolkit);
  EXPECT_EQ((*diff)[3].old_blob, old_toolkit);

  // From nothing (the empty tree), everything is added.
  auto all = repo().Diff(std::nullopt, first);
  ASSERT_TRUE(all) << all.status().message();
  Strings paths;
  for (const TreeChange& c : *all) {
    EXPECT_EQ(c.kind, K::kAdded) << c.path;
    paths.push_back(c.path);
  }
  EXPECT_EQ(paths,
            (Strings{"README.md", kCase, "evrepo.yml", kPolicy, kToolkit}));
}

TEST_F(GitHistory, DiffFollowsGitsTreeOrderAndSkipsWhatIsNotAFile) {
  MakeCorpus("evidence", /*commit=*/false);
  Write("notes", "a file that becomes a folder\n");
  Write("deep.md", "sorts between 'deep' and 'deep/'\n");
  Write("deep/a/b/c.md", "# C\n");
  Write("gone/g1.md", "# G1\n");
  Write("gone/sub/g2.md", "# G2\n");
  Write("link.md", "# Becomes a symbolic link\n");
  Write("tools/run.sh", "#!/bin/sh\n");
  std::string first = GitCommitAll("First");
  std::string run_blob = Git("rev-parse HEAD:evidence/tools/run.sh");
  fs::remove(root() / "notes");
  Write("notes/n.md", "# N\n");
  Write("deep/a/b/c.md", "# C, changed\n");
  fs::remove(root() / "deep.md");
  fs::remove_all(root() / "gone");
  fs::remove(root() / "link.md");
  fs::create_symlink("notes/n.md", root() / "link.md");
  Write("new/sub/n1.md", "# N1\n");
  fs::permissions(root() / "tools/run.sh", fs::perms::owner_exec,
                  fs::perm_options::add);
  std::string second = GitCommitAll("Second");

  auto diff = repo().Diff(first, second);
  ASSERT_TRUE(diff) << diff.status().message();
  using K = TreeChange::Kind;
  std::vector<std::pair<K, std::string>> got;
  for (const TreeChange& c : *diff) got.emplace_back(c.kind, c.path);
  EXPECT_EQ(got, (std::vector<std::pair<K, std::string>>{
                     {K::kDeleted, "deep.md"},
                     {K::kModified, "deep/a/b/c.md"},
                     {K::kDeleted, "gone/g1.md"},
                     {K::kDeleted, "gone/sub/g2.md"},
                     {K::kDeleted, "link.md"},  // now a symbolic link
                     {K::kAdded, "new/sub/n1.md"},
                     {K::kDeleted, "notes"},
                     {K::kAdded, "notes/n.md"},
                     {K::kModified, "tools/run.sh"},  // the mode alone
                 }));
  EXPECT_EQ(diff->back().old_blob, run_blob);
  EXPECT_EQ(diff->back().new_blob, run_blob);
  // Git agrees on which files changed.
  EXPECT_EQ(
      Git("diff --no-renames --name-only " + first + " " + second +
          " -- evidence | sed 's,^evidence/,,' | LC_ALL=C sort | paste -sd ' ' "
          "-"),
      "deep.md deep/a/b/c.md gone/g1.md gone/sub/g2.md link.md new/sub/n1.md "
      "notes notes/n.md tools/run.sh");
  EXPECT_EQ(repo().Diff(second, second).value().size(), 0u);
}

// --- Kept trees (TreeCache) -------------------------------------------------

// The ids of the trees kept in `dir`.
Strings KeptTrees(const fs::path& dir) {
  Strings out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The ids of the trees at and below evidence/ in `commit`.
Strings TreesOf(const testing::GitWorkspace& w, const std::string& commit) {
  std::string listed = w.Git("rev-parse " + commit + ":evidence") + "\n" +
                       w.Git("ls-tree -r -t " + commit +
                             ":evidence | awk '$2==\"tree\"{print $3}'");
  Strings out;
  std::istringstream in(listed);
  for (std::string id; in >> id;) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

using Changes = std::vector<std::pair<TreeChange::Kind, std::string>>;
Changes KindsAndPaths(const std::vector<TreeChange>& diff) {
  Changes out;
  for (const TreeChange& c : diff) out.emplace_back(c.kind, c.path);
  return out;
}

TEST_F(GitHistory, KeptTreesAreTheOldSideOfTheNextDiff) {
  MakeCorpus("evidence");
  Write("deep/a/b/c.md", "# C\n");
  std::string first = GitCommitAll("Deep");
  Edit(kCase, "stage: start-up", "stage: growing");
  Write("deep/a/b/c.md", "# C, changed\n");
  std::string second = GitCommitAll("Change");

  TreeCache cache(tmp() / "trees");
  ASSERT_TRUE(repo().KeepTrees(first, &cache).ok());
  EXPECT_EQ(KeptTrees(tmp() / "trees"), TreesOf(*this, first));

  auto plain = repo().Diff(first, second);
  ASSERT_TRUE(plain) << plain.status().message();
  auto cached = repo().Diff(first, second, &cache);
  ASSERT_TRUE(cached) << cached.status().message();
  EXPECT_EQ(KindsAndPaths(*cached), KindsAndPaths(*plain));
  EXPECT_EQ(KindsAndPaths(*cached),
            (Changes{{TreeChange::Kind::kModified, kCase},
                     {TreeChange::Kind::kModified, "deep/a/b/c.md"}}));
  // Saved, the new side's trees join the old; once forgotten, the old
  // side's are gone: what is kept is the second commit's trees.
  cache.Save();
  cache.Forget();
  EXPECT_EQ(KeptTrees(tmp() / "trees"), TreesOf(*this, second));

  // The cache is read: a tree kept under the old id answers for it.
  std::string old_case_studies =
      Git("rev-parse " + first + ":evidence/case-studies");
  std::string new_case_studies =
      Git("rev-parse " + second + ":evidence/case-studies");
  TreeCache other(tmp() / "other");
  other.Keep(old_case_studies, "");  // an empty folder
  other.Save();
  auto fake = repo().Diff(first, second, &other);
  ASSERT_TRUE(fake) << fake.status().message();
  EXPECT_EQ(fake->front().kind, TreeChange::Kind::kAdded);
  EXPECT_EQ(fake->front().path, kCase);  // modified, as it seems added
}

TEST_F(GitHistory, AKeptTreeThatDoesNotCheckIsReadAgain) {
  MakeCorpus("evidence");
  std::string first = Git("rev-parse HEAD");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string second = GitCommitAll("Change");
  std::string tree = Git("rev-parse " + first + ":evidence/case-studies");
  fs::path file = tmp() / "trees" / tree;

  TreeCache cache(tmp() / "trees");
  ASSERT_TRUE(repo().KeepTrees(first, &cache).ok());
  auto kept = cache.Find(tree);
  ASSERT_TRUE(kept);
  std::string whole = ReadAll(file);
  EXPECT_EQ(whole.substr(0, kept->size()), *kept);

  auto damaged = [&](const std::string& content) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
    EXPECT_FALSE(cache.Find(tree)) << content.size() << " bytes";
    auto diff = repo().Diff(first, second, &cache);
    ASSERT_TRUE(diff) << diff.status().message();
    EXPECT_EQ(KindsAndPaths(*diff),
              (Changes{{TreeChange::Kind::kModified, kCase}}));
  };
  std::string flipped = whole;
  flipped[flipped.size() / 3] ^= 0x20;
  damaged(flipped);                            // a byte changed
  damaged(whole.substr(0, whole.size() - 1));  // cut short
  damaged(whole.substr(0, whole.size() / 2));  // cut in half
  damaged("");                                 // emptied
  damaged(whole + "x");                        // something after
  damaged(std::string(whole.size(), '\0'));    // never written
}

TEST_F(GitHistory, DiffsWithKeptTreesAgreeWithGitCommitAfterCommit) {
  MakeCorpus("evidence", /*commit=*/false);
  std::mt19937 rng(1127);
  for (int i = 0; i < 300; ++i)
    Write("notes/n" + std::to_string(i) + ".md",
          "# N" + std::to_string(i) + "\n");
  std::string previous = GitCommitAll("Notes");
  TreeCache cache(tmp() / "trees");
  ASSERT_TRUE(repo().KeepTrees(previous, &cache).ok());
  for (int round = 0; round < 8; ++round) {
    for (int k = 0; k < 1 + static_cast<int>(rng() % 3); ++k) {
      std::string rel = "notes/n" + std::to_string(rng() % 330) + ".md";
      if (rng() % 4 == 0) {
        fs::remove(root() / rel);
      } else {
        Write(rel, "# Round " + std::to_string(round) + "\n");
      }
    }
    std::string next = GitCommitAll("Round " + std::to_string(round));
    auto diff = repo().Diff(previous, next, &cache);
    ASSERT_TRUE(diff) << diff.status().message();
    cache.Save();
    cache.Forget();
    Strings paths;
    for (const TreeChange& c : *diff) paths.push_back(c.path);
    std::string git =
        Git("diff --no-renames --name-only " + previous + " " + next +
            " -- evidence | sed 's,^evidence/,,' | "
            "LC_ALL=C sort");
    std::string ours;
    for (const std::string& p : paths) ours += (ours.empty() ? "" : "\n") + p;
    EXPECT_EQ(ours, git) << "round " << round;
    EXPECT_EQ(KeptTrees(tmp() / "trees"), TreesOf(*this, next));
    previous = next;
  }
}

// --- Blobs, the index, filters, ignore rules
// ----------------------------------

class GitObjects : public GitTest {};

TEST_F(GitObjects, ReadBlobHonoursTheLimit) {
  MakeCorpus();
  std::string blob = Git("rev-parse HEAD:evrepo.yml");
  std::string text = Read("evrepo.yml");
  ASSERT_EQ(text.size(), 43u);
  EXPECT_EQ(repo().ReadBlob(blob, 43).value(), text);
  auto over = repo().ReadBlob(blob, 42);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(over.status().message(), "43 bytes, over the limit of 42");
  auto bad = repo().ReadBlob("not-an-id", 100);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().code(), Status::Code::kUsage);
  EXPECT_EQ(bad.status().message(), "bad blob id 'not-an-id'");
}

TEST_F(GitObjects, HashBlobMatchesGit) {
  MakeCorpus();
  EXPECT_EQ(repo().HashBlob("hello\n").value(),
            "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(repo().HashBlob("").value(),
            "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  EXPECT_EQ(repo().HashBlob(Read(kCase)).value(),
            Git("rev-parse HEAD:" + kCase));
}

TEST_F(GitObjects, CleanContentAppliesAutocrlfAndAttributes) {
  MakeCorpus("evidence");
  Write(".gitattributes", "*.md text\n*.bin binary\n");
  auto& r = repo();
  EXPECT_EQ(r.CleanContent("notes/a.md", "a\r\nb\r\n").value(), "a\nb\n");
  EXPECT_EQ(r.CleanContent("data.bin", "a\r\nb\r\n").value(), "a\r\nb\r\n");
  // Without attributes or core.autocrlf nothing changes...
  EXPECT_EQ(r.CleanContent("notes/a.txt", "a\r\nb\r\n").value(), "a\r\nb\r\n");
  // ...with core.autocrlf every text file is normalised.
  Git("config core.autocrlf true");
  EXPECT_EQ(ReopenRepo().CleanContent("notes/a.txt", "a\r\nb\r\n").value(),
            "a\nb\n");
}

TEST_F(GitObjects, IsIgnoredAppliesGitignoreRulesToCorpusPaths) {
  MakeCorpus("evidence");
  std::ofstream(top() / ".gitignore") << "*.tmp\nevidence/private/\n";
  Write(".gitignore", "drafts/\n");
  EXPECT_TRUE(repo().IsIgnored("notes.tmp"));
  EXPECT_TRUE(repo().IsIgnored("private/a.md"));
  EXPECT_TRUE(repo().IsIgnored("drafts/a.md"));
  EXPECT_TRUE(repo().IsIgnored("drafts/"));
  EXPECT_FALSE(repo().IsIgnored(kCase));
  EXPECT_FALSE(repo().IsIgnored("notes/private/a.md"));
}

TEST_F(GitObjects, ListIndexGivesStagedCorpusFiles) {
  MakeCorpus("evidence");
  Write("case-studies/new.md", testing::CaseStudyText("new"));
  std::ofstream(top() / "outside.md") << "# Outside\n";
  Git("add -A");
  auto files = repo().ListIndex();
  ASSERT_TRUE(files) << files.status().message();
  EXPECT_EQ(Paths(*files), (Strings{"README.md", kCase, "case-studies/new.md",
                                    "evrepo.yml", kPolicy, kToolkit}));
  EXPECT_EQ((*files)[2].blob, Git("rev-parse :evidence/case-studies/new.md"));
  EXPECT_EQ((*files)[2].stage, 0);
}

TEST_F(GitObjects, ListIndexReadsGitIndexFileRelativeToTheTop) {
  MakeCorpus();
  // An index of its own, as `git commit` gives a hook, holding a new file
  // the repository's index does not.
  fs::copy_file(top() / ".git/index", top() / ".git/other-index");
  Write("case-studies/new.md", testing::CaseStudyText("new"));
  testing::RunShell("cd " + ShellQuote(top().string()) +
                    " && GIT_INDEX_FILE=.git/other-index git add "
                    "case-studies/new.md");
  ScopedEnv env;
  env.Set("GIT_INDEX_FILE", ".git/other-index");
  auto files = repo().ListIndex();
  ASSERT_TRUE(files) << files.status().message();
  EXPECT_EQ(Paths(*files), (Strings{"README.md", kCase, "case-studies/new.md",
                                    "evrepo.yml", kPolicy, kToolkit}));
  env.Unset("GIT_INDEX_FILE");
  EXPECT_EQ(repo().ListIndex().value().size(), 5u);
}

// --- Blobs from the working tree (PreferWorktree) ---------------------------

class GitWorktreeReads : public GitTest {
 protected:
  // A committed corpus whose index has fresh stat data for every file, as
  // after `git status`.  The files were copied from a template, so the
  // index is refreshed; first a pause, so that the index is written later
  // than the files (entries as new as the index are never trusted).
  void SetUp() override {
    MakeCorpus();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    Git("update-index -q --really-refresh");
    blob_ = Git("rev-parse HEAD:" + kCase);
    text_ = Read(kCase);
  }
  // The case study's blob read with PreferWorktree; `from_tree` is whether
  // it came from the working tree.
  std::string ReadCase(bool* from_tree, std::size_t limit = 1 << 20) {
    Repository& r = ReopenRepo();
    r.PreferWorktree();
    long before = Repository::WorktreeReads();
    auto got = r.ReadBlob(blob_, limit);
    *from_tree = Repository::WorktreeReads() > before;
    return got ? *got : "error: " + got.status().message();
  }
  void SetMtime(const std::string& rel, struct timespec when) {
    struct timespec times[2] = {when, when};
    ASSERT_EQ(utimensat(AT_FDCWD, (root() / rel).c_str(), times, 0), 0);
  }
  std::string blob_, text_;
};

TEST_F(GitWorktreeReads, ACleanFileIsReadFromTheWorkingTree) {
  bool from_tree = false;
  EXPECT_EQ(ReadCase(&from_tree), text_);
  EXPECT_TRUE(from_tree);
  // Not without PreferWorktree.
  long before = Repository::WorktreeReads();
  EXPECT_EQ(ReopenRepo().ReadBlob(blob_, 1 << 20).value(), text_);
  EXPECT_EQ(Repository::WorktreeReads(), before);
}

TEST_F(GitWorktreeReads, AnEditedFileIsReadFromTheObjects) {
  struct stat st;
  ASSERT_EQ(stat((root() / kCase).c_str(), &st), 0);
  Edit(kCase, "stage: start-up", "stage: Start-up");  // the same size
  bool from_tree = true;
  EXPECT_EQ(ReadCase(&from_tree), text_);
  EXPECT_FALSE(from_tree);
  // Even with its old modification time back: the change time differs.
  SetMtime(kCase, st.st_mtim);
  EXPECT_EQ(ReadCase(&from_tree), text_);
  EXPECT_FALSE(from_tree);
}

TEST_F(GitWorktreeReads, ARacilyCleanEntryIsReadFromTheObjects) {
  // Staged with a modification time later than the index's own: Git could
  // not have told a later edit within that time from no edit at all.
  Edit(kCase, "stage: start-up", "stage: growing");
  SetMtime(kCase, {std::time(nullptr) + 3600, 0});
  Git("add " + kCase);
  blob_ = Git("rev-parse :" + kCase);
  text_ = Read(kCase);
  bool from_tree = true;
  EXPECT_EQ(ReadCase(&from_tree), text_);
  EXPECT_FALSE(from_tree);
}

TEST_F(GitWorktreeReads, AFileBehindAFilterIsReadFromTheObjects) {
  // With the text attribute, Git stores the file with LF line endings
  // whatever the working tree holds: its bytes are not the blob's.
  Write(".gitattributes", "*.md text\n");
  bool from_tree = true;
  EXPECT_EQ(ReadCase(&from_tree), text_);
  EXPECT_FALSE(from_tree);
}

TEST_F(GitWorktreeReads, AnAssumedUnchangedEntryIsReadFromTheObjects) {
  Git("update-index --assume-unchanged " + kCase);
  bool from_tree = true;
  EXPECT_EQ(ReadCase(&from_tree), text_);
  EXPECT_FALSE(from_tree);
}

TEST_F(GitWorktreeReads, ASymlinkIsNotFollowed) {
  fs::path file = root() / kCase;
  fs::rename(file, root() / "moved.md");
  fs::create_symlink(root() / "moved.md", file);
  bool from_tree = true;
  EXPECT_EQ(ReadCase(&from_tree), text_);
  EXPECT_FALSE(from_tree);
}

TEST_F(GitWorktreeReads, TheLimitStillHolds) {
  bool from_tree = true;
  EXPECT_EQ(ReadCase(&from_tree, text_.size() - 1),
            "error: " + std::to_string(text_.size()) +
                " bytes, over the limit of " +
                std::to_string(text_.size() - 1));
  EXPECT_FALSE(from_tree);
}

class GitMergeState : public GitTest {
 protected:
  // Two branches change the case study's stage; `git merge side` leaves
  // the conflict.
  void Conflict() {
    MakeCorpus();
    Git("switch -q -c side");
    Edit(kCase, "stage: start-up", "stage: established");
    side_ = GitCommitAll("Side: established");
    Git("switch -q main");
    Edit(kCase, "stage: start-up", "stage: growing");
    ours_ = GitCommitAll("Main: growing");
    EXPECT_NE(testing::GitStatus(top(), "merge -q side"), 0);
  }
  std::string ours_, side_;
};

TEST_F(GitMergeState, ListIndexShowsEachSideOfAConflict) {
  Conflict();
  auto files = repo().ListIndex();
  ASSERT_TRUE(files) << files.status().message();
  std::vector<std::pair<std::string, int>> got;
  for (const TreeFile& f : *files) got.emplace_back(f.path, f.stage);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, int>>{{"README.md", 0},
                                                           {kCase, 1},
                                                           {kCase, 2},
                                                           {kCase, 3},
                                                           {"evrepo.yml", 0},
                                                           {kPolicy, 0},
                                                           {kToolkit, 0}}));
  EXPECT_EQ((*files)[2].blob, Git("rev-parse " + ours_ + ":" + kCase));
  EXPECT_EQ((*files)[3].blob, Git("rev-parse " + side_ + ":" + kCase));
  EXPECT_TRUE(repo().IsMerging());
  EXPECT_EQ(repo().ConflictedPaths().value(), Strings{kCase});
}

TEST_F(GitMergeState, CommitRefusesWhileConflictsRemain) {
  Conflict();
  auto c = repo().Commit({}, "Merge side");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().code(), Status::Code::kConflict);
  EXPECT_EQ(c.status().message(),
            "the merge still has unresolved files: " + kCase);
  EXPECT_EQ(Git("rev-parse HEAD"), ours_);
  EXPECT_TRUE(repo().IsMerging());
  EXPECT_EQ(Git("status --porcelain"), "UU " + kCase);
}

TEST_F(GitMergeState, CommitWithTheResolutionConcludesTheMerge) {
  Conflict();
  std::string resolved = Git("show " + ours_ + ":" + kCase) + "\n";
  auto c = repo().Commit({{kCase, resolved}}, "Merge side, keep growing");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_FALSE(repo().IsMerging());
  EXPECT_FALSE(fs::exists(top() / ".git/MERGE_HEAD"));
  auto info = repo().ReadCommit(*c);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->parents, (Strings{ours_, side_}));
  EXPECT_EQ(Git("show HEAD:" + kCase) + "\n", resolved);
  EXPECT_EQ(Git("ls-files -u"), "");
  EXPECT_EQ(repo().ConflictedPaths().value(), Strings{});
}

TEST_F(GitMergeState, CommitConcludesACleanMergeWithItsWholeIndex) {
  MakeCorpus();
  Git("switch -q -c side");
  Edit(kToolkit, "status: draft", "status: final");
  std::string side = GitCommitAll("Side");
  Git("switch -q main");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string ours = GitCommitAll("Main");
  Git("merge -q --no-commit --no-ff side");
  ASSERT_TRUE(repo().IsMerging());
  auto c = repo().Commit({}, "Merge side");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(repo().ReadCommit(*c).value().parents, (Strings{ours, side}));
  EXPECT_EQ(Git("rev-parse HEAD:" + kToolkit),
            Git("rev-parse " + side + ":" + kToolkit));
  EXPECT_EQ(Git("rev-parse HEAD:" + kCase),
            Git("rev-parse " + ours + ":" + kCase));
  EXPECT_FALSE(repo().IsMerging());
  EXPECT_EQ(Git("status --porcelain"), "");
  EXPECT_EQ(Git("log -g -1 --format=%gs refs/heads/main"),
            "commit (merge): Merge side");
}

// --- Identity -------------------------------------------------------------

class GitIdentity : public GitTest {};

TEST_F(GitIdentity, AuthorAndCommitterComeFromTheirOwnVariables) {
  MakeCorpus();
  sandbox_.env().Set("GIT_COMMITTER_NAME", "Build Robot");
  sandbox_.env().Set("GIT_COMMITTER_EMAIL", "robot@example.org");
  sandbox_.env().Set("GIT_COMMITTER_DATE", "@1170237600 +0100");
  auto author = repo().Author();
  ASSERT_TRUE(author) << author.status().message();
  EXPECT_EQ(author->name, "Sarah Lindqvist");
  EXPECT_EQ(author->email, "sarah@example.org");
  EXPECT_EQ(author->time, GitSandbox::kTime);
  EXPECT_EQ(author->offset, 0);
  auto committer = repo().Committer();
  ASSERT_TRUE(committer) << committer.status().message();
  EXPECT_EQ(committer->name, "Build Robot");
  EXPECT_EQ(committer->email, "robot@example.org");
  EXPECT_EQ(committer->time, 1170237600);
  EXPECT_EQ(committer->offset, 60);
}

TEST_F(GitIdentity, ConfigurationGivesTheIdentityTheVariablesOverride) {
  MakeCorpus();
  Git("config user.name 'Config Name'");
  Git("config user.email config@example.org");
  sandbox_.env().Unset("GIT_AUTHOR_NAME");
  sandbox_.env().Unset("GIT_AUTHOR_EMAIL");
  auto author = repo().Author();
  ASSERT_TRUE(author) << author.status().message();
  EXPECT_EQ(author->name, "Config Name");
  EXPECT_EQ(author->email, "config@example.org");
  auto committer = repo().Committer();
  ASSERT_TRUE(committer);
  EXPECT_EQ(committer->name, "Sarah Lindqvist");
  EXPECT_EQ(committer->email, "sarah@example.org");
}

TEST_F(GitIdentity, MissingNameOrEmailIsInvalidWithAHint) {
  MakeCorpus();
  sandbox_.env().Unset("GIT_AUTHOR_NAME");
  auto author = repo().Author();
  ASSERT_FALSE(author);
  EXPECT_EQ(author.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(author.status().message(),
            "no Git identity to commit with: user.name is not set");
  EXPECT_EQ(author.status().hint(),
            "tell Git who you are: git config --global user.name \"Your "
            "Name\" and git config --global user.email you@example.org");
  sandbox_.env().Unset("GIT_COMMITTER_EMAIL");
  auto committer = repo().Committer();
  ASSERT_FALSE(committer);
  EXPECT_EQ(committer.status().message(),
            "no Git identity to commit with: user.email is not set");
}

TEST_F(GitIdentity, DatesParseAsGitParsesThemOrAreInvalid) {
  MakeCorpus();
  struct Case {
    std::string date;
    std::int64_t time;
    int offset;
  };
  for (const Case& c : std::vector<Case>{
           {"@1170237600", 1170237600, 0},
           {"@1170237600 +0100", 1170237600, 60},
           {"1170237600 -0500", 1170237600, -300},
           {"2007-01-31T10:00:00+00:00", 1170237600, 0},
           {"2007-01-31T10:00:00Z", 1170237600, 0},
           {"2007-01-31T16:30:00+01:00", 1170257400, 60},
           {"2007-01-31 16:30:00 +0100", 1170257400, 60},
           {"2007-01-31T05:00-05:00", 1170237600, -300},
           {"2007-01-31T15:30:00+05:30", 1170237600, 330},
       }) {
    sandbox_.env().Set("GIT_AUTHOR_DATE", c.date);
    auto author = repo().Author();
    ASSERT_TRUE(author) << c.date << ": " << author.status().message();
    EXPECT_EQ(author->time, c.time) << c.date;
    EXPECT_EQ(author->offset, c.offset) << c.date;
  }
  sandbox_.env().Set("GIT_COMMITTER_DATE", "next tuesday");
  auto committer = repo().Committer();
  ASSERT_FALSE(committer);
  EXPECT_EQ(committer.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(committer.status().message(),
            "GIT_COMMITTER_DATE is not a date: 'next tuesday'");
  EXPECT_EQ(committer.status().hint(),
            "use ISO 8601, e.g. 2007-01-31T10:00:00+00:00");
}

// git also takes RFC 2822 dates and a bare epoch (git-commit(1), DATE
// FORMATS; `git var GIT_AUTHOR_IDENT` shows the values below).
TEST_F(GitIdentity, Rfc2822AndBareEpochDatesParseAsInGit) {
  MakeCorpus();
  struct Case {
    std::string date;
    std::int64_t time;
    int offset;
  };
  for (const Case& c : std::vector<Case>{
           {"Wed, 31 Jan 2007 16:30:00 +0100", 1170257400, 60},
           {"1170237600", 1170237600, 0},
       }) {
    sandbox_.env().Set("GIT_AUTHOR_DATE", c.date);
    auto author = repo().Author();
    ASSERT_TRUE(author) << c.date << ": " << author.status().message();
    EXPECT_EQ(author->time, c.time) << c.date;
    EXPECT_EQ(author->offset, c.offset) << c.date;
  }
}

TEST_F(GitIdentity, DateWithoutZoneIsLocalTime) {
  MakeCorpus();
  ScopedEnv env;
  env.Set("TZ", "XST-2");  // two hours east of UTC, no tzdata needed
  tzset();
  sandbox_.env().Set("GIT_AUTHOR_DATE", "2007-01-31T12:00:00");
  auto author = repo().Author();
  env.Unset("TZ");
  tzset();
  ASSERT_TRUE(author) << author.status().message();
  EXPECT_EQ(author->time, GitSandbox::kTime);
  EXPECT_EQ(author->offset, 120);
}

TEST_F(GitIdentity, WithoutADateTheTimeIsNow) {
  MakeCorpus();
  sandbox_.env().Unset("GIT_AUTHOR_DATE");
  std::int64_t before = std::time(nullptr);
  auto author = repo().Author();
  std::int64_t after = std::time(nullptr);
  ASSERT_TRUE(author) << author.status().message();
  EXPECT_GE(author->time, before);
  EXPECT_LE(author->time, after);
}

// --- Commit -----------------------------------------------------------------

class GitCommit : public GitTest {};

TEST_F(GitCommit, FirstCommitOnAnUnbornBranch) {
  MakeCorpus("evidence", /*commit=*/false);
  auto c = repo().Commit(
      {{"evrepo.yml", Read("evrepo.yml")}, {kCase, Read(kCase)}}, "Import");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(Git("rev-parse main"), *c);
  EXPECT_EQ(repo().Head().value(), *c);
  auto info = repo().ReadCommit(*c);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->parents, Strings{});
  EXPECT_EQ(info->message, "Import");
  EXPECT_EQ(Git("ls-tree -r --name-only HEAD"),
            "evidence/case-studies/greenway-wave-1.md\nevidence/evrepo.yml");
  EXPECT_EQ(Git("log -g -1 --format=%gs refs/heads/main"),
            "commit (initial): Import");
}

TEST_F(GitCommit, CommitsOnHeadWithTheIdentityAndMovesTheBranch) {
  MakeCorpus();
  std::string parent = Git("rev-parse HEAD");
  Edit(kCase, "stage: start-up", "stage: growing");
  auto c = repo().Commit({{kCase, Read(kCase)}}, "Growing\n\nMore.\n");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(Git("rev-parse HEAD"), *c);
  EXPECT_EQ(Git("log -1 --format=%P%n%an%n%ae%n%at%n%cn%n%ce%n%ct%n%B HEAD"),
            parent +
                "\nSarah Lindqvist\nsarah@example.org\n1170237600\n"
                "Sarah Lindqvist\nsarah@example.org\n1170237600\n"
                "Growing\n\nMore.\n");
  EXPECT_EQ(Git("show HEAD:" + kCase) + "\n", Read(kCase));
  EXPECT_EQ(Git("diff --stat HEAD~1 HEAD --name-only"), kCase);
  EXPECT_EQ(Git("log -g -1 --format=%gs refs/heads/main"), "commit: Growing");
}

TEST_F(GitCommit, UpdatesTheIndexSoTheWorkingTreeIsClean) {
  MakeCorpus("evidence");
  Edit(kCase, "stage: start-up", "stage: growing");
  Write("case-studies/new.md", testing::CaseStudyText("new"));
  auto c = repo().Commit({{kCase, Read(kCase)},
                          {"case-studies/new.md", Read("case-studies/new.md")}},
                         "Two files");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(Git("status --porcelain"), "");
  EXPECT_EQ(Git("rev-parse :evidence/case-studies/new.md"),
            Git("rev-parse HEAD:evidence/case-studies/new.md"));
}

TEST_F(GitCommit, LeavesOtherStagedChangesStagedAndUncommitted) {
  MakeCorpus();
  Edit(kToolkit, "status: draft", "status: final");
  Git("add " + kToolkit);
  std::string staged_toolkit = Git("rev-parse :" + kToolkit);
  std::string committed_toolkit = Git("rev-parse HEAD:" + kToolkit);
  Edit(kCase, "stage: start-up", "stage: growing");
  auto c = repo().Commit({{kCase, Read(kCase)}}, "Only the case study");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(Git("rev-parse HEAD:" + kToolkit), committed_toolkit);
  EXPECT_EQ(Git("rev-parse :" + kToolkit), staged_toolkit);
  EXPECT_EQ(Git("status --porcelain"), "M  " + kToolkit);
}

TEST_F(GitCommit, NeverTouchesTheWorkingTree) {
  MakeCorpus();
  std::string on_disk = Read(kCase);
  std::string committed = on_disk;
  committed.replace(committed.find("stage: start-up"), 15, "stage: growing");
  auto c = repo().Commit({{kCase, committed}}, "Not what is on disk");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(Read(kCase), on_disk);
  EXPECT_EQ(Git("show HEAD:" + kCase) + "\n", committed);
  EXPECT_EQ(Git("status --porcelain"), " M " + kCase);
}

// Git trusts an index entry's stat data only when the entry is older than
// the index file, in whole seconds (racy-git): a file changed in the same
// second as it was staged is compared by content.  Rewriting the index must
// keep that protection for the files it does not write, as git itself does
// by smudging such entries.  Timestamps are pinned to make the race
// deterministic; core.trustctime is off because a ctime cannot be pinned.
TEST_F(GitCommit, KeepsGitsRacyCleanProtectionForOtherFiles) {
  MakeCorpus();
  Git("config core.trustctime false");
  std::string toolkit = ShellQuote((root() / kToolkit).string());
  std::string index = ShellQuote((top() / ".git/index").string());
  auto touch = [](const std::string& when, const std::string& file) {
    int status = 0;
    testing::RunShell("touch -d '" + when + "' " + file, &status);
    ASSERT_EQ(status, 0);
  };
  // The toolkit staged at 00:00:00.1; the index written at 00:00:00.5.
  touch("2020-01-01 00:00:00.100000000 UTC", toolkit);
  Git("update-index --refresh");
  touch("2020-01-01 00:00:00.500000000 UTC", index);
  // The same second, the toolkit changes without changing size.
  Edit(kToolkit, "status: draft", "status: final");
  touch("2020-01-01 00:00:00.900000000 UTC", toolkit);
  ASSERT_EQ(Git("--no-optional-locks status --porcelain"), " M " + kToolkit);

  Edit(kCase, "stage: start-up", "stage: growing");
  auto c = repo().Commit({{kCase, Read(kCase)}}, "Growing");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(Git("--no-optional-locks status --porcelain"), " M " + kToolkit);
  EXPECT_EQ(Git("diff --name-only"), kToolkit);
}

TEST_F(GitCommit, DeletesAndSetsTheExecutableBit) {
  MakeCorpus("evidence");
  fs::remove(root() / kToolkit);
  Write("tools/run.sh", "#!/bin/sh\n");
  fs::permissions(root() / "tools/run.sh", fs::perms::owner_exec,
                  fs::perm_options::add);
  auto c = repo().Commit({{kToolkit, std::nullopt},
                          {"tools/run.sh", std::string("#!/bin/sh\n"), true}},
                         "Delete, add a script");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(Git("ls-tree HEAD evidence/tools/run.sh"),
            "100755 blob " + Git("rev-parse HEAD:evidence/tools/run.sh") +
                "\tevidence/tools/run.sh");
  EXPECT_EQ(Git("ls-tree -r --name-only HEAD evidence/toolkits"), "");
  EXPECT_EQ(Git("status --porcelain"), "");
}

TEST_F(GitCommit, RefusesADetachedHeadOrNoIdentityChangingNothing) {
  MakeCorpus();
  std::string head = Git("rev-parse HEAD");
  Git("switch -q --detach");
  auto c = repo().Commit({{"new.md", std::string("# New\n")}}, "Detached");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(c.status().message(), "HEAD is detached (not on a branch)");
  EXPECT_EQ(Git("rev-parse HEAD"), head);
  EXPECT_EQ(Git("status --porcelain"), "");

  Git("switch -q main");
  sandbox_.env().Unset("GIT_AUTHOR_EMAIL");
  auto anonymous = repo().Commit({{"new.md", std::string("# New\n")}}, "Who");
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(anonymous.status().message(),
            "no Git identity to commit with: user.email is not set");
  EXPECT_EQ(Git("rev-parse HEAD"), head);
  EXPECT_EQ(Git("status --porcelain"), "");
}

TEST_F(GitCommit, NothingToCommitWhenTheFilesMatchHead) {
  MakeCorpus();
  std::string head = Git("rev-parse HEAD");
  for (const std::vector<FileWrite>& writes :
       {std::vector<FileWrite>{{kCase, Read(kCase)}},
        std::vector<FileWrite>{}}) {
    auto c = repo().Commit(writes, "Nothing");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.status().code(), Status::Code::kInvalid);
    EXPECT_EQ(c.status().message(), "nothing to commit: the files match HEAD");
  }
  EXPECT_EQ(Git("rev-parse HEAD"), head);
}

// --- Remotes
// ------------------------------------------------------------------

class GitRemote : public GitTest {
 protected:
  // MakeRemote(): top() is "north", with the corpus committed and pushed
  // to a bare remote; south_ is a clone of the remote.
  // Commits a change of `from` to `to` in `file` in the clone at `dir`.
  std::string CommitIn(const fs::path& dir, const std::string& file,
                       const std::string& from, const std::string& to) {
    std::string text = ReadAll(dir / file);
    std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos);
    text.replace(at, from.size(), to);
    std::ofstream(dir / file, std::ios::binary | std::ios::trunc) << text;
    testing::Git(dir, "commit -q -a -m " + ShellQuote(from + " -> " + to));
    return testing::Git(dir, "rev-parse HEAD");
  }
};

TEST_F(GitRemote, UpstreamDefaultsToOriginOrTheOnlyRemote) {
  MakeCorpus();
  EXPECT_EQ(repo().Remotes().value(), Strings{});
  auto none = repo().Upstream();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(none.status().message(),
            "the repository has no remote to sync with");
  EXPECT_EQ(none.status().hint(), "add one: git remote add origin URL");
  Git("remote add usb /media/usb/remote.git");
  EXPECT_EQ(repo().Upstream().value(),
            (std::pair<std::string, std::string>{"usb", "main"}));
  Git("remote add web https://evidence.invalid/remote.git");
  auto several = repo().Upstream();
  ASSERT_FALSE(several);
  EXPECT_EQ(several.status().code(), Status::Code::kUsage);
  EXPECT_EQ(several.status().message(),
            "several remotes and no upstream for 'main': name the remote");
  Git("remote add origin /srv/remote.git");
  EXPECT_EQ(repo().Remotes().value(), (Strings{"origin", "usb", "web"}));
  EXPECT_EQ(repo().Upstream().value(),
            (std::pair<std::string, std::string>{"origin", "main"}));
}

TEST_F(GitRemote, SetUpstreamIsRecordedAndThenUsed) {
  MakeCorpus();
  Git("remote add origin /srv/remote.git");
  Git("remote add usb /media/usb/remote.git");
  ASSERT_TRUE(repo().SetUpstream("usb", "trunk").ok());
  EXPECT_EQ(Git("config branch.main.remote"), "usb");
  EXPECT_EQ(Git("config branch.main.merge"), "refs/heads/trunk");
  EXPECT_EQ(ReopenRepo().Upstream().value(),
            (std::pair<std::string, std::string>{"usb", "trunk"}));
}

TEST_F(GitRemote, FetchGivesTheRemoteTipOrNothing) {
  MakeRemote();
  std::string theirs = CommitIn(south_, kCase, "start-up", "growing");
  testing::Git(south_, "push -q origin main");
  auto tip = repo().Fetch("origin", "main");
  ASSERT_TRUE(tip) << tip.status().message();
  EXPECT_EQ(*tip, std::optional<ObjectId>(theirs));
  EXPECT_EQ(Git("rev-parse origin/main"), theirs);
  auto none = repo().Fetch("origin", "no-such-branch");
  ASSERT_TRUE(none) << none.status().message();
  EXPECT_EQ(*none, std::nullopt);
  auto unknown = repo().Fetch("nowhere", "main");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(unknown.status().message(), "no remote 'nowhere'");
}

TEST_F(GitRemote, FetchFromAMissingPathSaysSo) {
  MakeCorpus();
  std::string gone = (tmp() / "usb-stick/remote.git").string();
  Git("remote add usb " + ShellQuote(gone));
  auto tip = repo().Fetch("usb", "main");
  ASSERT_FALSE(tip);
  EXPECT_EQ(tip.status().code(), Status::Code::kIo);
  EXPECT_EQ(tip.status().message(), "cannot fetch from 'usb' (" + gone +
                                        "): there is no repository at '" +
                                        gone + "'");
  EXPECT_EQ(tip.status().hint(),
            "is the drive or share mounted? nothing was changed");
}

TEST_F(GitRemote, MergeFastForwardsAndUpdatesTheWorkingTree) {
  MakeRemote();
  std::string ours = Git("rev-parse HEAD");
  std::string theirs = CommitIn(south_, kCase, "start-up", "growing");
  auto south = Repository::Discover(south_);
  ASSERT_TRUE(south);
  auto none = south->Merge(ours);
  ASSERT_TRUE(none) << none.status().message();
  EXPECT_EQ(*none, MergeResult::kUpToDate);

  testing::Git(south_, "push -q origin main");
  ASSERT_TRUE(repo().Fetch("origin", "main"));
  auto merged = repo().Merge(theirs, "origin/main");
  ASSERT_TRUE(merged) << merged.status().message();
  EXPECT_EQ(*merged, MergeResult::kFastForward);
  EXPECT_EQ(Git("rev-parse main"), theirs);
  EXPECT_EQ(ReadAll(root() / kCase), ReadAll(south_ / kCase));
  EXPECT_EQ(Git("status --porcelain"), "");
  EXPECT_FALSE(repo().IsMerging());
}

TEST_F(GitRemote, MergeOfDivergedBranchesIsStagedForACommit) {
  MakeRemote();
  std::string theirs =
      CommitIn(south_, kToolkit, "status: draft", "status: final");
  testing::Git(south_, "push -q origin main");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string ours = GitCommitAll("Growing");
  ASSERT_TRUE(repo().Fetch("origin", "main"));
  auto merged = repo().Merge(theirs, "origin/main");
  ASSERT_TRUE(merged) << merged.status().message();
  EXPECT_EQ(*merged, MergeResult::kMerged);
  EXPECT_TRUE(repo().IsMerging());
  EXPECT_EQ(Git("rev-parse HEAD"), ours);
  EXPECT_EQ(Git("rev-parse MERGE_HEAD"), theirs);
  EXPECT_EQ(ReadAll(root() / kToolkit), ReadAll(south_ / kToolkit));
  EXPECT_EQ(Git("status --porcelain"), "M  " + kToolkit);
  EXPECT_EQ(repo().ConflictedPaths().value(), Strings{});
}

TEST_F(GitRemote, MergeConflictsAreWrittenWithTheirLabel) {
  MakeRemote();
  std::string theirs =
      CommitIn(south_, kCase, "stage: start-up", "stage: established");
  testing::Git(south_, "push -q origin main");
  Edit(kCase, "stage: start-up", "stage: growing");
  GitCommitAll("Growing");
  ASSERT_TRUE(repo().Fetch("origin", "main"));
  auto merged = repo().Merge(theirs, "origin/main");
  ASSERT_TRUE(merged) << merged.status().message();
  EXPECT_EQ(*merged, MergeResult::kConflicts);
  EXPECT_TRUE(repo().IsMerging());
  EXPECT_EQ(repo().ConflictedPaths().value(), Strings{kCase});
  std::string text = ReadAll(root() / kCase);
  EXPECT_NE(text.find("<<<<<<< HEAD\nstage: growing\n=======\n"
                      "stage: established\n>>>>>>> origin/main\n"),
            std::string::npos)
      << text;
}

TEST_F(GitRemote, MergeOfDivergedBranchesRefusesToOverwriteLocalChanges) {
  MakeRemote();
  std::string theirs =
      CommitIn(south_, kToolkit, "status: draft", "status: final");
  testing::Git(south_, "push -q origin main");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string ours = GitCommitAll("Growing");
  Edit(kToolkit, "Start with", "Begin with");  // not committed
  std::string local = Read(kToolkit);
  ASSERT_TRUE(repo().Fetch("origin", "main"));
  auto merged = repo().Merge(theirs, "origin/main");
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.status().code(), Status::Code::kConflict);
  EXPECT_EQ(merged.status().message(),
            "local changes would be overwritten: '" + kToolkit + "'");
  EXPECT_EQ(Read(kToolkit), local);
  EXPECT_EQ(Git("rev-parse HEAD"), ours);
  EXPECT_FALSE(repo().IsMerging());
  EXPECT_FALSE(fs::exists(top() / ".git/MERGE_HEAD"));
}

TEST_F(GitRemote, PushUpdatesTheRemoteAndIsRefusedWhenItMovedOn) {
  MakeRemote();
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string ours = GitCommitAll("Growing");
  ASSERT_TRUE(repo().Push("origin", "main").ok());
  EXPECT_EQ(testing::Git(remote_, "rev-parse main"), ours);

  CommitIn(south_, kToolkit, "status: draft", "status: final");
  testing::Git(south_, "pull -q --no-rebase origin main");
  testing::Git(south_, "push -q origin main");
  Edit(kPolicy, "status: final", "status: draft");
  std::string mine = GitCommitAll("Draft again");
  Status s = repo().Push("origin", "main");
  EXPECT_EQ(s.code(), Status::Code::kConflict);
  EXPECT_EQ(s.message(), "the remote 'origin' moved on since the fetch");
  EXPECT_EQ(s.hint(), "run 'evrepo sync' again to merge its new commits");
  EXPECT_NE(testing::Git(remote_, "rev-parse main"), mine);
}

TEST_F(GitRemote, AheadBehindCountsCommitsOnEachSide) {
  MakeRemote();
  std::string theirs =
      CommitIn(south_, kToolkit, "status: draft", "status: final");
  Edit(kCase, "stage: start-up", "stage: growing");
  GitCommitAll("One");
  Edit(kCase, "stage: growing", "stage: established");
  std::string ours = GitCommitAll("Two");
  testing::Git(south_, "push -q origin main");
  ASSERT_TRUE(repo().Fetch("origin", "main"));
  EXPECT_EQ(repo().AheadBehind(ours, theirs).value(),
            (std::pair<std::size_t, std::size_t>{2, 1}));
  EXPECT_EQ(repo().AheadBehind(theirs, ours).value(),
            (std::pair<std::size_t, std::size_t>{1, 2}));
  EXPECT_EQ(repo().AheadBehind(ours, ours).value(),
            (std::pair<std::size_t, std::size_t>{0, 0}));
}

}  // namespace
}  // namespace evrepo
