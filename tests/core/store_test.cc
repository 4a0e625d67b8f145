// Tests of reading documents from commits and from the index (store.h).
#include "evrepo/store.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::GitTest;
using testing::ScopedEnv;

using Strings = std::vector<std::string>;

const std::string kCase = "case-studies/greenway-wave-1.md";
const std::string kPolicy = "policy-responses/joint-note-response-2006.md";
const std::string kToolkit = "toolkits/finding-small-contracts.md";

Strings PathsOf(const std::vector<Document>& docs) {
  Strings out;
  for (const Document& d : docs) out.push_back(d.path);
  return out;
}

class StoreTest : public GitTest {};

TEST_F(StoreTest, ListCommitDocumentsKeepsOnlyDocumentPaths) {
  MakeCorpus("evidence", /*commit=*/false);
  Write(".drafts/hidden.md", "# Hidden\n");
  Write("notes/meeting.md", "# Meeting\n");
  Write("images/chart.png", "PNG");
  std::string head = GitCommitAll("Import");
  auto files = ListCommitDocuments(corpus(), repo(), head);
  ASSERT_TRUE(files) << files.status().message();
  Strings paths;
  for (const TreeFile& f : *files) paths.push_back(f.path);
  EXPECT_EQ(paths, (Strings{kCase, "notes/meeting.md", kPolicy, kToolkit}));
  EXPECT_EQ((*files)[0].blob, Git("rev-parse HEAD:evidence/" + kCase));
}

TEST_F(StoreTest, ReadCommitDocumentsParsesAsTheWorkingTreeWould) {
  MakeCorpus("evidence");
  auto docs = ReadCommitDocuments(corpus(), repo(), Git("rev-parse HEAD"));
  ASSERT_TRUE(docs) << docs.status().message();
  ASSERT_EQ(PathsOf(*docs), (Strings{kCase, kPolicy, kToolkit}));
  for (const Document& d : *docs) {
    auto disk = corpus().ReadWorkingTree(d.path);
    ASSERT_TRUE(disk) << d.path;
    EXPECT_EQ(d.body, disk->body) << d.path;
    EXPECT_EQ(d.body_line, disk->body_line) << d.path;
    EXPECT_EQ(d.has_front_matter, disk->has_front_matter) << d.path;
    EXPECT_EQ(d.fields.size(), disk->fields.size()) << d.path;
    EXPECT_EQ(d.diagnostics, disk->diagnostics) << d.path;
  }
  EXPECT_EQ((*docs)[0].Scalar("stage"), "start-up");
  EXPECT_EQ((*docs)[0].Find("stage")->value.pos.line, 13);
}

TEST_F(StoreTest, ReadCommitDocumentsReadsThatCommitNotTheWorkingTree) {
  MakeCorpus();
  std::string first = Git("rev-parse HEAD");
  Edit(kCase, "stage: start-up", "stage: growing");
  fs::remove(root() / kToolkit);
  GitCommitAll("Growing, no toolkit");
  Edit(kCase, "stage: growing", "stage: established");  // not committed

  auto old_docs = ReadCommitDocuments(corpus(), repo(), first);
  ASSERT_TRUE(old_docs) << old_docs.status().message();
  EXPECT_EQ(PathsOf(*old_docs), (Strings{kCase, kPolicy, kToolkit}));
  EXPECT_EQ((*old_docs)[0].Scalar("stage"), "start-up");
  auto new_docs = ReadCommitDocuments(corpus(), repo(), Git("rev-parse HEAD"));
  ASSERT_TRUE(new_docs) << new_docs.status().message();
  EXPECT_EQ(PathsOf(*new_docs), (Strings{kCase, kPolicy}));
  EXPECT_EQ((*new_docs)[0].Scalar("stage"), "growing");
}

TEST_F(StoreTest, OverSizeBlobBecomesAFileSizeDiagnostic) {
  MakeCorpus();
  Write("notes/big.md", std::string(kMaxDocumentBytes + 1, 'x'));
  GitCommitAll("A big file");
  std::string blob = Git("rev-parse HEAD:notes/big.md");
  auto doc = ReadBlobDocument(repo(), "notes/big.md", blob);
  ASSERT_TRUE(doc) << doc.status().message();
  EXPECT_EQ(doc->path, "notes/big.md");
  EXPECT_EQ(doc->diagnostics,
            (std::vector<Diagnostic>{{"notes/big.md", 0, 0, Severity::kError,
                                      "file-size",
                                      "document is 4194305 bytes, over the "
                                      "limit of 4194304",
                                      ""}}));
  // Exactly what the working tree gives for the same file.
  auto disk = corpus().ReadWorkingTree("notes/big.md");
  ASSERT_TRUE(disk);
  EXPECT_EQ(doc->diagnostics, disk->diagnostics);

  // One byte less is at the limit, and parsed.
  std::string text = "# Big\n";
  text += std::string(kMaxDocumentBytes - text.size(), 'x');
  Write("notes/big.md", text);
  GitCommitAll("A file at the limit");
  auto at_limit = ReadBlobDocument(repo(), "notes/big.md",
                                   Git("rev-parse HEAD:notes/big.md"));
  ASSERT_TRUE(at_limit) << at_limit.status().message();
  EXPECT_EQ(at_limit->diagnostics, std::vector<Diagnostic>{});
  EXPECT_EQ(at_limit->body.size(), kMaxDocumentBytes);
}

TEST_F(StoreTest, UnreadableBlobIsAFailure) {
  MakeCorpus();
  auto doc = ReadBlobDocument(repo(), "notes/gone.md",
                              "0123456789012345678901234567890123456789");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.status().code(), Status::Code::kIo);
}

TEST_F(StoreTest, ReadStagedDocumentsReadsTheIndex) {
  MakeCorpus("evidence");
  Edit(kCase, "stage: start-up", "stage: growing");
  Write("case-studies/new.md", testing::CaseStudyText("new"));
  Git("add -A");
  Git("rm -q --cached evidence/" + kToolkit);
  Edit(kCase, "stage: growing", "stage: established");  // not staged

  auto docs = ReadStagedDocuments(corpus(), repo());
  ASSERT_TRUE(docs) << docs.status().message();
  EXPECT_EQ(PathsOf(*docs), (Strings{kCase, "case-studies/new.md", kPolicy}));
  EXPECT_EQ((*docs)[0].Scalar("stage"), "growing");
  EXPECT_EQ((*docs)[1].Scalar("id"), "new");
}

TEST_F(StoreTest, ReadStagedDocumentsHonoursGitIndexFile) {
  MakeCorpus();
  fs::copy_file(top() / ".git/index", top() / ".git/hook-index");
  Edit(kCase, "stage: start-up", "stage: growing");
  testing::RunShell("cd " + testing::ShellQuote(top().string()) +
                    " && GIT_INDEX_FILE=.git/hook-index git add " + kCase);
  ScopedEnv env;
  env.Set("GIT_INDEX_FILE", (top() / ".git/hook-index").string());
  auto docs = ReadStagedDocuments(corpus(), repo());
  ASSERT_TRUE(docs) << docs.status().message();
  ASSERT_EQ(docs->size(), 3u);
  EXPECT_EQ((*docs)[0].Scalar("stage"), "growing");
  env.Unset("GIT_INDEX_FILE");
  auto plain = ReadStagedDocuments(corpus(), repo());
  ASSERT_TRUE(plain);
  EXPECT_EQ((*plain)[0].Scalar("stage"), "start-up");
}

TEST_F(StoreTest, UnresolvedPathBecomesOneUnmergedStandIn) {
  MakeCorpus();
  Git("switch -q -c side");
  Edit(kCase, "stage: start-up", "stage: established");
  Edit(kToolkit, "status: draft", "status: final");
  GitCommitAll("Side");
  Git("switch -q main");
  Edit(kCase, "stage: start-up", "stage: growing");
  Edit(kToolkit, "status: draft", "status: withdrawn");
  GitCommitAll("Main");
  ASSERT_NE(testing::GitStatus(top(), "merge -q side"), 0);

  auto docs = ReadStagedDocuments(corpus(), repo());
  ASSERT_TRUE(docs) << docs.status().message();
  ASSERT_EQ(PathsOf(*docs), (Strings{kCase, kPolicy, kToolkit}));
  for (int i : {0, 2}) {
    const Document& d = (*docs)[i];
    EXPECT_EQ(d.diagnostics,
              (std::vector<Diagnostic>{
                  {d.path, 0, 0, Severity::kError, "unmerged",
                   "unresolved merge conflict",
                   "edit the file to combine both versions, then stage it"}}));
    EXPECT_TRUE(d.fields.empty());
  }
  EXPECT_EQ((*docs)[1].Scalar("status"), "final");
}

TEST_F(StoreTest, ResolveRevisionTakesCommitIshAndDates) {
  sandbox_.SetDate("2007-01-10T10:00:00+00:00");
  MakeCorpus();
  std::string jan = Git("rev-parse HEAD");
  sandbox_.SetDate("2007-02-10T10:00:00+00:00");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string feb = GitCommitAll("February");

  EXPECT_EQ(ResolveRevision(repo(), "HEAD").value(), feb);
  EXPECT_EQ(ResolveRevision(repo(), "HEAD~1").value(), jan);
  EXPECT_EQ(ResolveRevision(repo(), "2007-01-31").value(), jan);
  EXPECT_EQ(ResolveRevision(repo(), "2007-02-10").value(), feb);
  auto early = ResolveRevision(repo(), "2007-01-09");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.status().message(), "no commit on or before 2007-01-09");
  // Not a calendar day: taken as a revision, which names nothing.
  auto bad = ResolveRevision(repo(), "2007-02-30");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(bad.status().message(), "unknown revision '2007-02-30'");
}

TEST_F(StoreTest, ResolveRevisionOfADateNeedsACommit) {
  MakeCorpus("", /*commit=*/false);
  auto r = ResolveRevision(repo(), "2007-01-31");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(r.status().message(), "there are no commits yet");
}

}  // namespace
}  // namespace evrepo
