// Tests of the corpus's history (history.h): log of the corpus and of one
// document followed by id, metadata comparisons and their summaries, and
// past versions.
#include "evrepo/history.h"

#include <gtest/gtest.h>

#include <fstream>

#include "evrepo/document.h"
#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::GitTest;

using Strings = std::vector<std::string>;

const std::string kCase = "case-studies/greenway-wave-1.md";
const std::string kArchived = "archive/greenway-wave-1.md";
const std::string kPolicy = "policy-responses/joint-note-response-2006.md";
const std::string kToolkit = "toolkits/finding-small-contracts.md";

// --- CompareFields, SummariseChange, FormatValue
// ------------------------------

Document Parse(const std::string& front_matter, const std::string& body = "") {
  return ParseDocument("a.md", "---\n" + front_matter + "---\n" + body);
}

TEST(HistoryCompareFields, ScalarAndListChangesInTheNewerFieldOrder) {
  Document before = Parse(
      "id: a\nstatus: draft\ntags: [x, y]\nstage: start-up\nregion: north\n");
  Document after = Parse(
      "id: a\nstage: growing\ntags: [y, z, w]\nstatus: final\n"
      "wave: 2\n");
  std::vector<FieldChange> c = CompareFields(before, after);
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0].field, "stage");
  EXPECT_FALSE(c[0].list);
  EXPECT_EQ(c[0].before, "start-up");
  EXPECT_EQ(c[0].after, "growing");
  EXPECT_EQ(c[1].field, "tags");
  EXPECT_TRUE(c[1].list);
  EXPECT_EQ(c[1].added, (Strings{"z", "w"}));
  EXPECT_EQ(c[1].removed, Strings{"x"});
  EXPECT_EQ(c[2].field, "status");
  EXPECT_EQ(c[3].field, "wave");
  EXPECT_EQ(c[3].before, "");
  EXPECT_EQ(c[3].after, "2");
  EXPECT_EQ(c[4].field, "region");  // removed: after the newer fields
  EXPECT_EQ(c[4].before, "north");
  EXPECT_EQ(c[4].after, "");
}

TEST(HistoryCompareFields, ReorderedListShowsBeforeAndAfter) {
  std::vector<FieldChange> c =
      CompareFields(Parse("tags: [a, b]\n"), Parse("tags: [b, a]\n"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_FALSE(c[0].list);
  EXPECT_EQ(c[0].before, "[a, b]");
  EXPECT_EQ(c[0].after, "[b, a]");
  EXPECT_TRUE(c[0].added.empty());
  EXPECT_TRUE(c[0].removed.empty());
}

TEST(HistoryCompareFields, UnchangedAndEquivalentValuesAreNotChanges) {
  EXPECT_TRUE(CompareFields(Parse("id: a\ntags: [x]\nwave: 1\n"),
                            Parse("wave: 1\nid: a\ntags: [x]\n"))
                  .empty());
  // A scalar becoming a one-item list holds the same items.
  EXPECT_TRUE(CompareFields(Parse("tags: x\n"), Parse("tags: [x]\n")).empty());
}

TEST(HistoryFormatValue, FlowStyleOnOneLine) {
  Document d = Parse(
      "a: plain\nb: [x, y]\nc: {k: v, l: [1, 2]}\nd:\ne: [[p, q], {r: s}]\n");
  EXPECT_EQ(FormatValue(d.Find("a")->value), "plain");
  EXPECT_EQ(FormatValue(d.Find("b")->value), "[x, y]");
  EXPECT_EQ(FormatValue(d.Find("c")->value), "{k: v, l: [1, 2]}");
  EXPECT_EQ(FormatValue(d.Find("d")->value), "");
  EXPECT_EQ(FormatValue(d.Find("e")->value), "[[p, q], {r: s}]");
}

FieldChange Scalar(const std::string& field, const std::string& before,
                   const std::string& after) {
  FieldChange f;
  f.field = field;
  f.before = before;
  f.after = after;
  return f;
}

FieldChange List(const std::string& field, const Strings& added,
                 const Strings& removed) {
  FieldChange f;
  f.field = field;
  f.list = true;
  f.added = added;
  f.removed = removed;
  return f;
}

TEST(HistorySummariseChange, FieldsThenBody) {
  DocumentChange c;
  c.fields = {Scalar("status", "draft", "final"),
              List("tags", {"social-value", "grants"}, {"procurement"}),
              Scalar("region", "", "north-east"),
              Scalar("sector", "recycling", "")};
  c.body_changed = true;
  EXPECT_EQ(SummariseChange(c),
            "status: draft → final; tags: +social-value +grants -procurement; "
            "region: (none) → north-east; sector: recycling → (none); "
            "body changed");
  EXPECT_EQ(SummariseChange(DocumentChange{}), "");
  DocumentChange body;
  body.body_changed = true;
  EXPECT_EQ(SummariseChange(body), "body changed");
}

TEST(HistorySummariseChange, LongAndMultiLineValuesAreNamedOnly) {
  std::string forty(40, 'a'), forty_one(41, 'b');
  DocumentChange c;
  c.fields = {Scalar("summary", forty, forty + "!"),
              Scalar("note", "", forty_one), Scalar("abstract", forty_one, ""),
              Scalar("title", "short", forty),
              Scalar("address", "a", "line one\nline two")};
  EXPECT_EQ(SummariseChange(c),
            "summary changed; note added; abstract removed; title: short → " +
                forty + "; address changed");
}

// --- Log and Show
// -------------------------------------------------------------

// The history of the transcript in tests/cli/git-history.md, each commit on
// its own day:
//   c1 2006-11-01 Import the corpus
//   c2 2006-12-01 Reopen wave 1 for review          (status final → draft)
//   c3 2007-01-31 Final version after partner review (Ruth Baptiste)
//   c4 2007-03-01 Archive wave 1   (moved to archive/, policy link fixed)
//   c5 2007-04-02 Say more in the toolkit's summary
//   c6 2007-05-01 Withdraw the toolkit (deleted, link in wave 1 removed)
class HistoryTest : public ::testing::Test {
 protected:
  struct History : testing::GitWorkspace {
    void Build() {
      sandbox_.SetDate("2006-11-01T10:00:00Z");
      MakeCorpus();
      c[1] = Git("rev-parse HEAD");
      sandbox_.SetDate("2006-12-01T10:00:00Z");
      Edit(kCase, "status: final", "status: draft");
      c[2] = GitCommitAll("Reopen wave 1 for review");
      sandbox_.SetDate("2007-01-31T16:30:00+01:00");
      sandbox_.env().Set("GIT_AUTHOR_NAME", "Ruth Baptiste");
      Edit(kCase, "status: draft", "status: final");
      Edit(kCase, "small-contracts]", "small-contracts, social-value]");
      Edit(kCase, "stage: start-up", "stage: growing");
      c[3] = GitCommitAll("Final version after partner review");
      sandbox_.env().Set("GIT_AUTHOR_NAME", testing::GitSandbox::kName);
      sandbox_.SetDate("2007-03-01T10:00:00Z");
      fs::create_directories(root() / "archive");
      fs::rename(root() / kCase, root() / kArchived);
      Edit(kPolicy, "../case-studies/greenway-wave-1.md",
           "../archive/greenway-wave-1.md");
      c[4] = GitCommitAll("Archive wave 1");
      sandbox_.SetDate("2007-04-02T10:00:00Z");
      Edit(kToolkit,
           "summary: Where small public contracts are advertised and how to "
           "find them.",
           "summary: Where small public contracts are advertised, how to "
           "find them, and what to ask.");
      c[5] = GitCommitAll("Say more in the toolkit's summary");
      sandbox_.SetDate("2007-05-01T10:00:00Z");
      fs::remove(root() / kToolkit);
      Edit(kArchived, "[toolkit](../toolkits/finding-small-contracts.md)",
           "toolkit");
      c[6] = GitCommitAll("Withdraw the toolkit");
    }
    std::string c[7];
  };

  // The history is built once: every test only reads it.
  static void SetUpTestSuite() {
    history_ = new History;
    history_->Build();
  }
  static void TearDownTestSuite() {
    delete history_;
    history_ = nullptr;
  }

  static Corpus& corpus() { return history_->corpus(); }
  static Repository& repo() { return history_->repo(); }
  static std::string Read(const std::string& rel) {
    return history_->Read(rel);
  }
  static std::string Git(const std::string& args) {
    return history_->Git(args);
  }
  static const std::string& c(int i) { return history_->c[i]; }

  Result<std::vector<LogEntry>> RunLog(const std::string& target,
                                       int max_count = -1,
                                       const std::string& from = "HEAD") {
    LogOptions options;
    options.target = target;
    options.max_count = max_count;
    options.from = from;
    return Log(corpus(), repo(), options);
  }

  // "SUMMARY: KIND PATH [<- OLD] | SUMMARY OF THE CHANGE" for each change.
  static Strings Describe(const std::vector<LogEntry>& log) {
    Strings out;
    for (const LogEntry& e : log) {
      for (const DocumentChange& c : e.changes) {
        const char* kind = c.kind == DocumentChange::Kind::kAdded     ? "A"
                           : c.kind == DocumentChange::Kind::kDeleted ? "D"
                           : c.kind == DocumentChange::Kind::kRenamed ? "R"
                                                                      : "M";
        std::string line = e.commit.summary + ": " + kind + " " + c.path;
        if (!c.old_path.empty()) line += " <- " + c.old_path;
        std::string summary = SummariseChange(c);
        if (!summary.empty()) line += " | " + summary;
        out.push_back(line);
      }
      if (e.changes.empty()) out.push_back(e.commit.summary + ": (none)");
    }
    return out;
  }

  static History* history_;
};

HistoryTest::History* HistoryTest::history_ = nullptr;

TEST_F(HistoryTest, CorpusLogListsEveryChangeNewestFirst) {
  auto log = RunLog("");
  ASSERT_TRUE(log) << log.status().message();
  ASSERT_EQ(log->size(), 6u);
  EXPECT_EQ((*log)[0].commit.id, c(6));
  EXPECT_EQ((*log)[5].commit.id, c(1));
  EXPECT_EQ((*log)[3].commit.author.name, "Ruth Baptiste");
  EXPECT_EQ(
      Describe(*log),
      (Strings{
          "Withdraw the toolkit: M " + kArchived + " | body changed",
          "Withdraw the toolkit: D " + kToolkit,
          "Say more in the toolkit's summary: M " + kToolkit +
              " | summary changed",
          "Archive wave 1: R " + kArchived + " <- " + kCase,
          "Archive wave 1: M " + kPolicy + " | body changed",
          "Final version after partner review: M " + kCase +
              " | tags: +social-value; status: draft → final; stage: "
              "start-up → growing",
          "Reopen wave 1 for review: M " + kCase + " | status: final → draft",
          "Import the corpus: A README.md",
          "Import the corpus: A " + kCase,
          "Import the corpus: A evrepo.yml",
          "Import the corpus: A " + kPolicy,
          "Import the corpus: A " + kToolkit,
      }));
}

TEST_F(HistoryTest, ChangesCarryIdAndTitle) {
  auto log = RunLog("");
  ASSERT_TRUE(log) << log.status().message();
  const DocumentChange& deleted = (*log)[0].changes[1];
  EXPECT_EQ(deleted.kind, DocumentChange::Kind::kDeleted);
  EXPECT_EQ(deleted.id, "finding-small-contracts");
  EXPECT_EQ(deleted.title, "Finding small contracts");
  const DocumentChange& renamed = (*log)[2].changes[0];
  EXPECT_EQ(renamed.id, "greenway-wave-1");
  EXPECT_EQ(renamed.title, "Greenway Recycling: wave 1");
  EXPECT_TRUE(renamed.fields.empty());
  EXPECT_FALSE(renamed.body_changed);
  const DocumentChange& readme = (*log)[5].changes[0];
  EXPECT_EQ(readme.path, "README.md");
  EXPECT_EQ(readme.id, "");
}

TEST_F(HistoryTest, CorpusLogHonoursMaxCountAndFrom) {
  auto one = RunLog("", 1);
  ASSERT_TRUE(one) << one.status().message();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].commit.id, c(6));
  auto older = RunLog("", 2, "HEAD~2");
  ASSERT_TRUE(older) << older.status().message();
  ASSERT_EQ(older->size(), 2u);
  EXPECT_EQ((*older)[0].commit.id, c(4));
  EXPECT_EQ((*older)[1].commit.id, c(3));
  auto dated = RunLog("", -1, "2007-02-15");
  ASSERT_TRUE(dated) << dated.status().message();
  ASSERT_EQ(dated->size(), 3u);
  EXPECT_EQ((*dated)[0].commit.id, c(3));
}

TEST_F(HistoryTest, DocumentLogFollowsTheIdAcrossTheMove) {
  auto log = RunLog("greenway-wave-1");
  ASSERT_TRUE(log) << log.status().message();
  EXPECT_EQ(
      Describe(*log),
      (Strings{
          "Withdraw the toolkit: M " + kArchived + " | body changed",
          "Archive wave 1: R " + kArchived + " <- " + kCase,
          "Final version after partner review: M " + kCase +
              " | tags: +social-value; status: draft → final; stage: "
              "start-up → growing",
          "Reopen wave 1 for review: M " + kCase + " | status: final → draft",
          "Import the corpus: A " + kCase,
      }));
}

TEST_F(HistoryTest, DocumentLogByOldOrNewPathIsTheSame) {
  auto by_id = RunLog("greenway-wave-1");
  ASSERT_TRUE(by_id);
  for (const std::string& path : {kCase, kArchived}) {
    auto by_path = RunLog(path);
    ASSERT_TRUE(by_path) << path << ": " << by_path.status().message();
    EXPECT_EQ(Describe(*by_path), Describe(*by_id)) << path;
  }
}

TEST_F(HistoryTest, DocumentLogOfADeletedDocument) {
  auto log = RunLog("finding-small-contracts");
  ASSERT_TRUE(log) << log.status().message();
  EXPECT_EQ(Describe(*log), (Strings{"Withdraw the toolkit: D " + kToolkit,
                                     "Say more in the toolkit's summary: M " +
                                         kToolkit + " | summary changed",
                                     "Import the corpus: A " + kToolkit}));
  EXPECT_EQ((*log)[0].changes[0].title, "Finding small contracts");
}

TEST_F(HistoryTest, DocumentLogHonoursMaxCountAndFrom) {
  auto log = RunLog("greenway-wave-1", 2);
  ASSERT_TRUE(log) << log.status().message();
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].commit.id, c(6));
  EXPECT_EQ((*log)[1].commit.id, c(4));
  auto old = RunLog("greenway-wave-1", -1, "HEAD~3");
  ASSERT_TRUE(old) << old.status().message();
  ASSERT_EQ(old->size(), 3u);
  EXPECT_EQ((*old)[0].commit.id, c(3));
}

// `evrepo log DOCUMENT -n 0`: nothing to list, like the corpus log, but the
// document exists.
TEST_F(HistoryTest, MaxCountZeroListsNothingButFindsTheDocument) {
  auto corpus_log = RunLog("", 0);
  ASSERT_TRUE(corpus_log) << corpus_log.status().message();
  EXPECT_TRUE(corpus_log->empty());
  auto document_log = RunLog("greenway-wave-1", 0);
  ASSERT_TRUE(document_log) << document_log.status().message();
  EXPECT_TRUE(document_log->empty());
}

TEST_F(HistoryTest, DocumentLogOfNothingIsNotFound) {
  auto id = RunLog("no-such-document");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(id.status().message(),
            "no document 'no-such-document' in the history");
  EXPECT_EQ(id.status().hint(),
            "'evrepo check --summary' lists what the corpus holds");
  auto path = RunLog("notes/nowhere.md");
  ASSERT_FALSE(path);
  EXPECT_EQ(path.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(path.status().message(),
            "'notes/nowhere.md' is in no commit of the history");
  EXPECT_EQ(path.status().hint(),
            "commit it first: evrepo add notes/nowhere.md -m MESSAGE");
}

TEST_F(HistoryTest, ShowByIdAtHead) {
  auto v = Show(corpus(), repo(), "greenway-wave-1");
  ASSERT_TRUE(v) << v.status().message();
  EXPECT_EQ(v->commit, c(6));
  EXPECT_EQ(v->path, kArchived);
  EXPECT_EQ(v->bytes, Read(kArchived));
  EXPECT_EQ(v->document.id, "greenway-wave-1");
  EXPECT_EQ(v->document.type, "case-study");
  EXPECT_EQ(v->document.title, "Greenway Recycling: wave 1");
  EXPECT_EQ(v->document.Scalar("stage"), "growing");
}

TEST_F(HistoryTest, ShowAtACommitIshOrADate) {
  auto old = Show(corpus(), repo(), "greenway-wave-1@HEAD~4");
  ASSERT_TRUE(old) << old.status().message();
  EXPECT_EQ(old->commit, c(2));
  EXPECT_EQ(old->path, kCase);
  EXPECT_EQ(old->document.Scalar("status"), "draft");
  EXPECT_EQ(old->bytes, Git("show " + c(2) + ":" + kCase) + "\n");

  auto dated = Show(corpus(), repo(), "greenway-wave-1@2006-12-15");
  ASSERT_TRUE(dated) << dated.status().message();
  EXPECT_EQ(dated->commit, c(2));
  // 16:30 in Paris on the 31st: that day, in the committer's zone.
  auto same_day = Show(corpus(), repo(), "greenway-wave-1@2007-01-31");
  ASSERT_TRUE(same_day) << same_day.status().message();
  EXPECT_EQ(same_day->commit, c(3));
  EXPECT_EQ(same_day->document.Scalar("status"), "final");

  auto by_path = Show(corpus(), repo(), kToolkit + "@" + c(5).substr(0, 9));
  ASSERT_TRUE(by_path) << by_path.status().message();
  EXPECT_EQ(by_path->commit, c(5));
  EXPECT_EQ(by_path->document.id, "finding-small-contracts");
  EXPECT_EQ(by_path->document.Scalar("summary"),
            "Where small public contracts are advertised, how to find them, "
            "and what to ask.");
}

TEST_F(HistoryTest, ShowOfAMissingDocumentHints) {
  std::string head = c(6).substr(0, 7);
  auto gone = Show(corpus(), repo(), "finding-small-contracts");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(gone.status().message(),
            "no document 'finding-small-contracts' at HEAD (" + head + ")");
  EXPECT_EQ(gone.status().hint(),
            "'evrepo log finding-small-contracts' shows when it existed");

  auto typo = Show(corpus(), repo(), "greenwy-wave-1");
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.status().message(),
            "no document 'greenwy-wave-1' at HEAD (" + head + ")");
  EXPECT_EQ(typo.status().hint(), "did you mean 'greenway-wave-1'?");

  auto moved = Show(corpus(), repo(), kArchived + "@HEAD~3");
  ASSERT_FALSE(moved);
  EXPECT_EQ(
      moved.status().message(),
      "no document '" + kArchived + "' at HEAD~3 (" + c(3).substr(0, 7) + ")");
  EXPECT_EQ(moved.status().hint(),
            "'evrepo log " + kArchived + "' shows when it existed");
}

TEST_F(HistoryTest, ShowRefusesBadSpecs) {
  auto early = Show(corpus(), repo(), "greenway-wave-1@2006-10-01");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(early.status().message(), "no commit on or before 2006-10-01");
  auto unknown = Show(corpus(), repo(), "greenway-wave-1@nowhere");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().message(), "unknown revision 'nowhere'");
  auto no_rev = Show(corpus(), repo(), "greenway-wave-1@");
  ASSERT_FALSE(no_rev);
  EXPECT_EQ(no_rev.status().code(), Status::Code::kUsage);
  EXPECT_EQ(no_rev.status().message(), "'greenway-wave-1@' names no revision");
  auto no_name = Show(corpus(), repo(), "@HEAD");
  ASSERT_FALSE(no_name);
  EXPECT_EQ(no_name.status().code(), Status::Code::kUsage);
  EXPECT_EQ(no_name.status().message(), "'@HEAD' names no document");
}

// --- Histories with branches, unrelated commits and restored documents ------

class HistoryBranches : public GitTest {
 protected:
  Result<std::vector<LogEntry>> RunLog(const std::string& target) {
    LogOptions options;
    options.target = target;
    return Log(corpus(), repo(), options);
  }
};

TEST_F(HistoryBranches, CommitsOutsideTheCorpusAreNotListed) {
  MakeCorpus("evidence");
  std::ofstream(top() / "NOTES.txt") << "notes\n";
  GitCommitAll("Notes outside the corpus");
  auto log = RunLog("");
  ASSERT_TRUE(log) << log.status().message();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].commit.summary, "Import the corpus");
  EXPECT_EQ((*log)[0].changes.size(), 5u);
}

TEST_F(HistoryBranches, MergesAreListedOnlyWhenTheyChangeSomething) {
  sandbox_.SetDate("2007-01-01T10:00:00Z");
  MakeCorpus();
  Git("switch -q -c side");
  sandbox_.SetDate("2007-02-01T10:00:00Z");
  Edit(kToolkit, "status: draft", "status: final");
  GitCommitAll("Side: toolkit final");
  Git("switch -q main");
  sandbox_.SetDate("2007-03-01T10:00:00Z");
  Edit(kCase, "stage: start-up", "stage: growing");
  GitCommitAll("Main: growing");
  sandbox_.SetDate("2007-04-01T10:00:00Z");
  Git("merge -q --no-edit side");  // differs from both parents
  Git("switch -q -c side2");
  sandbox_.SetDate("2007-05-01T10:00:00Z");
  Edit(kPolicy, "status: final", "status: draft");
  GitCommitAll("Side 2: policy draft");
  Git("switch -q main");
  sandbox_.SetDate("2007-06-01T10:00:00Z");
  Git("merge -q --no-ff --no-edit side2");  // the same as side2

  auto log = RunLog("");
  ASSERT_TRUE(log) << log.status().message();
  Strings summaries;
  for (const LogEntry& e : *log) summaries.push_back(e.commit.summary);
  EXPECT_EQ(summaries, (Strings{"Side 2: policy draft", "Merge branch 'side'",
                                "Main: growing", "Side: toolkit final",
                                "Import the corpus"}));
  // The merge's changes are against its first parent.
  ASSERT_EQ((*log)[1].changes.size(), 1u);
  EXPECT_EQ((*log)[1].changes[0].path, kToolkit);

  auto toolkit = RunLog("finding-small-contracts");
  ASSERT_TRUE(toolkit) << toolkit.status().message();
  summaries.clear();
  for (const LogEntry& e : *toolkit) summaries.push_back(e.commit.summary);
  EXPECT_EQ(summaries, (Strings{"Side: toolkit final", "Import the corpus"}));
}

TEST_F(HistoryBranches, MovedAndChangedInOneCommit) {
  MakeCorpus();
  fs::create_directories(root() / "archive");
  fs::rename(root() / kCase, root() / kArchived);
  Edit(kArchived, "stage: start-up", "stage: growing");
  Edit(kPolicy, "../case-studies/greenway-wave-1.md",
       "../archive/greenway-wave-1.md");
  GitCommitAll("Archive and update wave 1");
  auto log = RunLog("greenway-wave-1");
  ASSERT_TRUE(log) << log.status().message();
  ASSERT_EQ(log->size(), 2u);
  const DocumentChange& c = (*log)[0].changes.at(0);
  EXPECT_EQ(c.kind, DocumentChange::Kind::kRenamed);
  EXPECT_EQ(c.path, kArchived);
  EXPECT_EQ(c.old_path, kCase);
  EXPECT_EQ(SummariseChange(c), "stage: start-up → growing");
  EXPECT_EQ((*log)[1].changes.at(0).kind, DocumentChange::Kind::kAdded);
}

TEST_F(HistoryBranches, RestoredDocumentKeepsItsEarlierHistory) {
  sandbox_.SetDate("2007-01-01T10:00:00Z");
  MakeCorpus();
  sandbox_.SetDate("2007-02-01T10:00:00Z");
  std::string text = Read(kPolicy);
  fs::remove(root() / kPolicy);
  Edit(kCase, "related: [joint-note-response-2006]\n", "");
  Edit(kCase, "[response](doc:joint-note-response-2006#summary)", "response");
  GitCommitAll("Withdraw the response");
  sandbox_.SetDate("2007-03-01T10:00:00Z");
  Write(kPolicy, text);
  GitCommitAll("Restore the response");

  auto log = RunLog("joint-note-response-2006");
  ASSERT_TRUE(log) << log.status().message();
  Strings summaries;
  for (const LogEntry& e : *log) summaries.push_back(e.commit.summary);
  EXPECT_EQ(summaries, (Strings{"Restore the response", "Withdraw the response",
                                "Import the corpus"}));
}

}  // namespace
}  // namespace evrepo
