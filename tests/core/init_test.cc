// Tests of `init`: making a directory a corpus without touching what is
// already there.
#include "evrepo/init.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "evrepo/corpus.h"
#include "evrepo/git.h"
#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

using testing::ReadAll;

const std::vector<std::string> kTypeFolders = {
    "case-studies", "policy-responses", "research",
    "submissions",  "toolkits",         "training"};

TEST(InitCorpus, CreatesConfigFoldersIgnoreAndRepository) {
  TempDir dir;
  fs::path root = dir.path() / "evidence";
  auto r = InitCorpus(root);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(fs::equivalent(r->root, root));
  EXPECT_TRUE(fs::is_regular_file(root / "evrepo.yml"));
  for (const std::string& folder : kTypeFolders) {
    EXPECT_TRUE(fs::is_directory(root / folder)) << folder;
  }
  EXPECT_EQ(ReadAll(root / ".gitignore"),
            "# derived data of evrepo (index, caches)\n.evrepo/\n");
  EXPECT_TRUE(fs::is_directory(root / ".git"));
  EXPECT_TRUE(r->created_git);
  EXPECT_TRUE(fs::equivalent(r->git_workdir, root));
  EXPECT_EQ(r->adopted_markdown, 0u);
  EXPECT_EQ(r->created, (std::vector<std::string>{
                            ".gitignore", "case-studies/", "evrepo.yml",
                            "policy-responses/", "research/", "submissions/",
                            "toolkits/", "training/"}));
}

TEST(InitCorpus, RepositoryStartsOnMain) {
  TempDir dir;
  ASSERT_TRUE(InitCorpus(dir.path()));
  EXPECT_EQ(ReadAll(dir.path() / ".git" / "HEAD"), "ref: refs/heads/main\n");
}

TEST(InitCorpus, ConfigNamesTheDirectoryAndOpens) {
  TempDir dir;
  fs::path root = dir.path() / "evidence";
  ASSERT_TRUE(InitCorpus(root));
  auto c = Corpus::Open(root);
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(c->config().name, "evidence");
  EXPECT_EQ(c->config().schemas, "");
  EXPECT_EQ(c->config().exclude, std::vector<std::string>{"README.md"});
  auto found = Corpus::FindRoot(root / "case-studies");
  ASSERT_TRUE(found);
  EXPECT_TRUE(fs::equivalent(*found, root));
}

TEST(InitCorpus, DirectoryNameWithQuotesIsEscapedInConfig) {
  TempDir dir;
  fs::path root = dir.path() / "say \"hi\" \\ there";
  ASSERT_TRUE(InitCorpus(root));
  auto c = Corpus::Open(root);
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(c->config().name, "say \"hi\" \\ there");
}

TEST(InitCorpus, SecondInitIsRefused) {
  TempDir dir;
  ASSERT_TRUE(InitCorpus(dir.path()));
  std::string config = ReadAll(dir.path() / "evrepo.yml");
  auto again = InitCorpus(dir.path());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.status().code(), Status::Code::kConflict);
  fs::path canonical = fs::canonical(dir.path());
  EXPECT_EQ(again.status().message(),
            "'" + (canonical / "evrepo.yml").string() +
                "' already exists: this is already a corpus");
  EXPECT_EQ(ReadAll(dir.path() / "evrepo.yml"), config);
}

TEST(InitCorpus, InsideAnExistingRepositoryMakesNoNewOne) {
  TempDir dir;
  ASSERT_TRUE(InitGitRepository(dir.path()).ok());
  fs::path root = dir.path() / "site" / "evidence";
  auto r = InitCorpus(root);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_FALSE(r->created_git);
  EXPECT_FALSE(fs::exists(root / ".git"));
  EXPECT_TRUE(fs::equivalent(r->git_workdir, dir.path()));
  EXPECT_TRUE(fs::is_regular_file(root / "evrepo.yml"));
  EXPECT_TRUE(fs::is_regular_file(root / ".gitignore"));
}

TEST(InitCorpus, NeverModifiesExistingMarkdown) {
  TempDir dir;
  const std::string page = "# Wiki page\n\nSome text.\n";
  const std::string typed = "---\ntype: case-study\n---\n# Half done\n";
  const std::string readme = "# About\n";
  dir.Write("wiki/page.md", page);
  dir.Write("case-studies/half-done.md", typed);
  dir.Write("README.md", readme);
  dir.Write(".hidden/x.md", "x");
  auto r = InitCorpus(dir.path());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(ReadAll(dir.path() / "wiki" / "page.md"), page);
  EXPECT_EQ(ReadAll(dir.path() / "case-studies" / "half-done.md"), typed);
  EXPECT_EQ(ReadAll(dir.path() / "README.md"), readme);
  EXPECT_EQ(r->adopted_markdown, 2u);
  // The existing type folder was not created.
  EXPECT_EQ(std::count(r->created.begin(), r->created.end(), "case-studies/"),
            0);
}

// The count reported as adopted is the number of documents that
// `check` will then see in the new corpus.
TEST(InitCorpus, AdoptedCountMatchesDocumentsOfTheNewCorpus) {
  TempDir dir;
  dir.Write("README.md", "# About\n");
  dir.Write("wiki/README.md", "# Wiki\n");
  dir.Write("wiki/page.md", "# Page\n");
  auto r = InitCorpus(dir.path());
  ASSERT_TRUE(r) << r.status().message();
  auto c = Corpus::Open(dir.path());
  ASSERT_TRUE(c);
  auto docs = c->ListWorkingTree();
  ASSERT_TRUE(docs);
  EXPECT_EQ(*docs,
            (std::vector<std::string>{"wiki/README.md", "wiki/page.md"}));
  EXPECT_EQ(r->adopted_markdown, docs->size());
}

TEST(InitCorpus, AppendsToExistingGitignore) {
  TempDir dir;
  dir.Write(".gitignore", "build/");
  ASSERT_TRUE(InitCorpus(dir.path()));
  EXPECT_EQ(ReadAll(dir.path() / ".gitignore"),
            "build/\n# derived data of evrepo (index, caches)\n.evrepo/\n");
}

TEST(InitCorpus, LeavesGitignoreThatAlreadyIgnoresDerivedData) {
  TempDir dir;
  dir.Write(".gitignore", "build/\n.evrepo/\n");
  auto r = InitCorpus(dir.path());
  ASSERT_TRUE(r);
  EXPECT_EQ(ReadAll(dir.path() / ".gitignore"), "build/\n.evrepo/\n");
  EXPECT_EQ(std::count(r->created.begin(), r->created.end(), ".gitignore"), 0);
}

TEST(InitCorpus, ResultIsACorpusThatChecksClean) {
  TempDir dir;
  ASSERT_TRUE(InitCorpus(dir.path()));
  auto c = Corpus::Open(dir.path());
  ASSERT_TRUE(c);
  auto list = c->ListWorkingTree();
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
}

}  // namespace
}  // namespace evrepo
