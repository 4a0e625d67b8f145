// Tests of UpdateIndex and IndexedCommit (index.h) on a temporary Git
// repository: rebuilds, incremental updates, revisions, fingerprints and
// synonyms.
#include "evrepo/index/index.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "fields.h"
#include "index_test_util.h"
#include "storage.h"

namespace evrepo::index {
namespace {

namespace fs = std::filesystem;
using index_testing::CaseStudy;
using index_testing::Ids;
using index_testing::kCaseStudyPath;
using index_testing::kToolkitPath;
using index_testing::Strings;

const char kBluebell[] = "case-studies/bluebell-wave-1.md";

class UpdateIndexTest : public index_testing::IndexRepoTest {
 protected:
  // Indexes and checks it worked; returns the report.
  IndexReport MustIndex(const std::string& rev = "HEAD", bool rebuild = false) {
    auto r = Index(rev, rebuild);
    EXPECT_TRUE(r) << r.status().message();
    return r ? *r : IndexReport();
  }
  std::string Counts(const IndexReport& r) {
    return "added " + std::to_string(r.added) + ", updated " +
           std::to_string(r.updated) + ", removed " +
           std::to_string(r.removed) + ", documents " +
           std::to_string(r.documents);
  }
  // Commits a fourth document, kBluebell.
  ObjectId AddBluebell() {
    Write(kBluebell, CaseStudy("bluebell-wave-1", "Bluebell Catering: wave 1",
                               "2006-05-02", "Bluebell cooks pies.\n"));
    return Commit({kBluebell}, "Bluebell");
  }
  // What IndexIsCurrent says of the index and the first commit.
  bool CurrentWithImport() {
    auto c = IndexIsCurrent(corpus(), import_);
    EXPECT_TRUE(c) << c.status().message();
    return c && *c;
  }
  std::optional<ObjectId> Indexed() {
    auto c = IndexedCommit(corpus());
    EXPECT_TRUE(c) << c.status().message();
    return c ? *c : std::nullopt;
  }
};

TEST_F(UpdateIndexTest, IndexDirIsDotEvrepoInTheCorpus) {
  EXPECT_EQ(IndexDir(corpus()), root() / ".evrepo");
}

TEST_F(UpdateIndexTest, NoIndexYet) {
  EXPECT_EQ(Indexed(), std::nullopt);
  EXPECT_FALSE(fs::exists(root() / ".evrepo"));
}

TEST_F(UpdateIndexTest, FirstRunBuildsFromScratch) {
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  IndexOptions o;
  o.progress = [&](std::size_t done, std::size_t total) {
    progress.emplace_back(done, total);
  };
  auto r = UpdateIndex(corpus(), repo(), o);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->rebuilt);
  EXPECT_FALSE(r->up_to_date);
  EXPECT_EQ(r->commit, import_);
  EXPECT_EQ(r->previous, "");
  EXPECT_EQ(Counts(*r), "added 3, updated 0, removed 0, documents 3");
  EXPECT_EQ(progress,
            (std::vector<std::pair<std::size_t, std::size_t>>{{3, 3}}));
  EXPECT_EQ(Indexed(), import_);
  EXPECT_EQ(testing::ReadAll(root() / ".evrepo/current"), "auto db-1\n");
  EXPECT_TRUE(fs::is_directory(root() / ".evrepo/db-1"));
}

TEST_F(UpdateIndexTest, SecondRunIsUpToDate) {
  MustIndex();
  IndexReport r = MustIndex();
  EXPECT_TRUE(r.up_to_date);
  EXPECT_FALSE(r.rebuilt);
  EXPECT_EQ(r.commit, import_);
  EXPECT_EQ(r.previous, import_);
  EXPECT_EQ(Counts(r), "added 0, updated 0, removed 0, documents 3");
}

TEST_F(UpdateIndexTest, AddedDocumentIsIndexedIncrementally) {
  MustIndex();
  Write("case-studies/bluebell-wave-1.md",
        CaseStudy("bluebell-wave-1", "Bluebell Catering: wave 1", "2006-05-02",
                  "Bluebell cooks zeppelin-shaped pies.\n"));
  ObjectId c2 = Commit({"case-studies/bluebell-wave-1.md"}, "Bluebell");
  IndexReport r = MustIndex();
  EXPECT_FALSE(r.rebuilt);
  EXPECT_FALSE(r.up_to_date);
  EXPECT_EQ(r.previous, import_);
  EXPECT_EQ(r.commit, c2);
  EXPECT_EQ(Counts(r), "added 1, updated 0, removed 0, documents 4");
  EXPECT_EQ(Indexed(), c2);
  EXPECT_EQ(Ids(Find("pies")), Strings{"bluebell-wave-1"});
  // Still the same database: no rebuild.
  EXPECT_EQ(testing::ReadAll(root() / ".evrepo/current"), "auto db-1\n");
}

TEST_F(UpdateIndexTest, ModifiedDocumentIsReplaced) {
  MustIndex();
  std::string text = Read(kToolkitPath);
  text.replace(text.find("forward plan"), 12, "zeppelin schedule");
  Write(kToolkitPath, text);
  Commit({kToolkitPath}, "Zeppelins");
  IndexReport r = MustIndex();
  EXPECT_EQ(Counts(r), "added 0, updated 1, removed 0, documents 3");
  EXPECT_EQ(Ids(Find("zeppelin")), Strings{"finding-small-contracts"});
  EXPECT_EQ(Find("forward").total, 0u);
}

// What a database holds, read with Xapian: the docid of each path and the
// spelling data (word and frequency).
struct Contents {
  std::map<std::string, Xapian::docid> docids;
  std::map<std::string, Xapian::doccount> spellings;
};
Contents ReadContents(const fs::path& root) {
  Contents c;
  auto live = LiveDatabase(root / ".evrepo");
  EXPECT_TRUE(live);
  if (!live) return c;
  Xapian::Database db(live->string());
  for (auto t = db.allterms_begin(kPathPrefix);
       t != db.allterms_end(kPathPrefix); ++t) {
    c.docids[*t] = *db.postlist_begin(*t);
  }
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) {
    c.spellings[*w] = w.get_termfreq();
  }
  return c;
}

// A changed document keeps its docid, so that Xapian rewrites only the
// postings that changed; the spelling data moves by the difference alone,
// and ends as a rebuild would leave it.
TEST_F(UpdateIndexTest, ModifiedDocumentKeepsItsDocidAndExactSpellings) {
  MustIndex();
  Contents before = ReadContents(root());
  std::string text = Read(kToolkitPath);
  text.replace(text.find("forward plan"), 12,
               "zeppelin schedule, a zeppelin plan");
  Write(kToolkitPath, text);
  Commit({kToolkitPath}, "Zeppelins");
  EXPECT_EQ(Counts(MustIndex()), "added 0, updated 1, removed 0, documents 3");
  Contents after = ReadContents(root());
  EXPECT_EQ(after.docids, before.docids);
  EXPECT_EQ(after.spellings.at("zeppelin"), 2u);
  EXPECT_EQ(before.spellings.count("zeppelin"), 0u);
  EXPECT_EQ(before.spellings.count("forward"), 1u);
  EXPECT_EQ(after.spellings.count("forward"), 0u);  // its only use went
  EXPECT_NE(after.spellings, before.spellings);

  MustIndex("HEAD", true);
  EXPECT_EQ(ReadContents(root()).spellings, after.spellings);
}

// The fixture's documents link to each other (a commit that breaks a link
// is refused), so these delete and rename a document of their own.
// The trees kept in the index directory for the next update's diff: those
// of the commit indexed, no more.
TEST_F(UpdateIndexTest, TheTreesOfTheCommitIndexedAreKept) {
  auto kept = [&] {
    Strings out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root() / ".evrepo/trees", ec))
      out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  };
  auto trees = [&](const std::string& rev) {
    std::istringstream in(
        testing::Git(root(), "rev-parse " + rev + "^{tree}") + "\n" +
        testing::Git(root(), "ls-tree -r -t " + rev +
                                 " | awk '$2==\"tree\"{print $3}'"));
    Strings out;
    for (std::string id; in >> id;) out.push_back(id);
    std::sort(out.begin(), out.end());
    return out;
  };
  MustIndex();
  EXPECT_EQ(kept(), trees("HEAD"));
  ObjectId before = testing::Git(root(), "rev-parse HEAD");
  AddBluebell();
  MustIndex();
  EXPECT_EQ(kept(), trees("HEAD"));
  // A kept tree that no longer checks is read again: the update is right.
  std::string case_studies =
      testing::Git(root(), "rev-parse HEAD:case-studies");
  std::ofstream(root() / ".evrepo/trees" / case_studies) << "damaged";
  Write(kBluebell, CaseStudy("bluebell-wave-1", "Bluebell Catering: wave 1",
                             "2006-05-02", "Bluebell bakes zeppelins.\n"));
  Commit({kBluebell}, "Zeppelins");
  IndexReport r = MustIndex();
  EXPECT_EQ(Counts(r), "added 0, updated 1, removed 0, documents 4");
  EXPECT_EQ(Ids(Find("zeppelins")), Strings{"bluebell-wave-1"});
  EXPECT_EQ(kept(), trees("HEAD"));
  // Back to an older commit: its trees are read, then kept in turn.
  MustIndex(before);
  EXPECT_EQ(Find("zeppelins").total, 0u);
  EXPECT_EQ(kept(), trees(before));
}

TEST_F(UpdateIndexTest, DeletedDocumentIsRemoved) {
  AddBluebell();
  MustIndex();
  Remove(kBluebell);
  Commit({kBluebell}, "No Bluebell");
  IndexReport r = MustIndex();
  EXPECT_EQ(Counts(r), "added 0, updated 0, removed 1, documents 3");
  EXPECT_EQ(Find("id:bluebell-wave-1").total, 0u);
  EXPECT_EQ(Find("pies").total, 0u);
  EXPECT_EQ(Ids(Find("")),
            (Strings{"greenway-wave-1", "joint-note-response-2006",
                     "finding-small-contracts"}));
}

TEST_F(UpdateIndexTest, RenamedDocumentCountsAsRemovedAndAdded) {
  AddBluebell();
  MustIndex();
  Write("case-studies/bluebell.md", Read(kBluebell));
  Remove(kBluebell);
  Commit({kBluebell, "case-studies/bluebell.md"}, "Rename");
  IndexReport r = MustIndex();
  EXPECT_EQ(Counts(r), "added 1, updated 0, removed 1, documents 4");
  auto hits = Find("id:bluebell-wave-1").hits;
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].path, "case-studies/bluebell.md");
  EXPECT_EQ(Find("pies").total, 1u);
}

TEST_F(UpdateIndexTest, RebuildOptionWritesANewDatabase) {
  MustIndex();
  IndexReport r = MustIndex("HEAD", true);
  EXPECT_TRUE(r.rebuilt);
  EXPECT_FALSE(r.up_to_date);
  EXPECT_EQ(Counts(r), "added 3, updated 0, removed 0, documents 3");
  EXPECT_EQ(testing::ReadAll(root() / ".evrepo/current"), "auto db-2\n");
  EXPECT_FALSE(fs::exists(root() / ".evrepo/db-1"));
  EXPECT_EQ(Indexed(), import_);
}

// index.h: "previous: what it reflected before; empty when new".  With
// --rebuild over an existing index, the index is not new.
TEST_F(UpdateIndexTest, RebuildOptionReportsThePreviousCommit) {
  MustIndex();
  IndexReport r = MustIndex("HEAD", true);
  EXPECT_EQ(r.previous, import_);
}

TEST_F(UpdateIndexTest, LeftoversOfAKilledRebuildAreRemoved) {
  MustIndex();
  fs::create_directories(root() / ".evrepo/db-7");
  MustIndex("HEAD", true);
  EXPECT_FALSE(fs::exists(root() / ".evrepo/db-7"));
  // Leftovers go first, so the new database is numbered after the live one.
  EXPECT_EQ(testing::ReadAll(root() / ".evrepo/current"), "auto db-2\n");
  EXPECT_FALSE(fs::exists(root() / ".evrepo/db-1"));
}

TEST_F(UpdateIndexTest, OlderRevisionThenForwardAgain) {
  Write("case-studies/bluebell-wave-1.md",
        CaseStudy("bluebell-wave-1", "Bluebell Catering: wave 1", "2006-05-02",
                  "Bluebell cooks pies.\n"));
  SetDate("2007-02-05T10:00:00+00:00");
  ObjectId c2 = Commit({"case-studies/bluebell-wave-1.md"}, "Bluebell");
  IndexReport r = MustIndex(import_);
  EXPECT_EQ(r.commit, import_);
  EXPECT_EQ(r.documents, 3u);
  EXPECT_EQ(Find("pies").total, 0u);
  r = MustIndex();
  EXPECT_EQ(r.commit, c2);
  EXPECT_FALSE(r.rebuilt);
  EXPECT_EQ(Counts(r), "added 1, updated 0, removed 0, documents 4");
  // Backwards, incrementally.
  r = MustIndex("HEAD~1");
  EXPECT_FALSE(r.rebuilt);
  EXPECT_EQ(r.commit, import_);
  EXPECT_EQ(Counts(r), "added 0, updated 0, removed 1, documents 3");
  // A date names the last commit on or before that day.
  r = MustIndex("2007-02-04");
  EXPECT_EQ(r.commit, import_);
  EXPECT_TRUE(r.up_to_date);
  r = MustIndex("2007-02-05");
  EXPECT_EQ(r.commit, c2);
}

// An update overlaps opening the database with indexing HEAD's changes
// from its first parent, the usual state.  Two commits behind, that guess
// is wrong and must not be used: the update diffs from the indexed commit.
TEST_F(UpdateIndexTest, TwoCommitsBehindIndexesBothCommits) {
  MustIndex();
  AddBluebell();
  std::string text = Read(kToolkitPath);
  text.replace(text.find("forward plan"), 12, "zeppelin schedule");
  Write(kToolkitPath, text);
  ObjectId c3 = Commit({kToolkitPath}, "Zeppelins");
  IndexReport r = MustIndex();
  EXPECT_FALSE(r.rebuilt);
  EXPECT_EQ(r.previous, import_);
  EXPECT_EQ(r.commit, c3);
  EXPECT_EQ(Counts(r), "added 1, updated 1, removed 0, documents 4");
  EXPECT_EQ(Ids(Find("pies")), Strings{"bluebell-wave-1"});
  EXPECT_EQ(Ids(Find("zeppelin")), Strings{"finding-small-contracts"});
  EXPECT_EQ(Find("forward").total, 0u);
}

// A document the update cannot read fails it, whether it was read ahead
// (one commit behind) or in the update itself (two behind), and the index
// stays at the commit it held.
TEST_F(UpdateIndexTest, UnreadableDocumentFailsTheUpdateAndChangesNothing) {
  MustIndex();
  ObjectId b = AddBluebell();
  // Its blob's loose object, hidden and put back.
  auto blob = repo().ListCommit(b);
  ASSERT_TRUE(blob) << blob.status().message();
  std::string id;
  for (const TreeFile& f : *blob) {
    if (f.path == kBluebell) id = f.blob;
  }
  ASSERT_EQ(id.size(), 40u);
  fs::path object = root() / ".git/objects" / id.substr(0, 2) / id.substr(2);
  fs::path hidden = object.string() + ".hidden";
  for (int behind = 1; behind <= 2; ++behind) {
    if (behind == 2) {
      Write("notes.txt", "not a document\n");
      Commit({"notes.txt"}, "Notes");
    }
    fs::rename(object, hidden);
    auto r = Index("HEAD");
    fs::rename(hidden, object);
    ASSERT_FALSE(r) << behind;
    EXPECT_EQ(Indexed(), import_);
    EXPECT_EQ(Find("pies").total, 0u);
  }
  IndexReport r = MustIndex();
  EXPECT_EQ(Counts(r), "added 1, updated 0, removed 0, documents 4");
}

TEST_F(UpdateIndexTest, UnknownRevisionFails) {
  auto r = Index("no-such-branch");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Indexed(), std::nullopt);
}

TEST_F(UpdateIndexTest, ConfigurationChangeForcesARebuild) {
  MustIndex();
  Write("evrepo.yml",
        "name: \"Basic fixture\"\nexclude: [README.md, toolkits/*]\n");
  ReopenCorpus();
  ObjectId c2 = Commit({"evrepo.yml"}, "Exclude toolkits");
  IndexReport r = MustIndex();
  EXPECT_TRUE(r.rebuilt);
  EXPECT_EQ(r.previous, import_);
  EXPECT_EQ(r.commit, c2);
  EXPECT_EQ(Counts(r), "added 2, updated 0, removed 0, documents 2");
  EXPECT_EQ(Find("id:finding-small-contracts").total, 0u);
  EXPECT_TRUE(MustIndex().up_to_date);
}

TEST_F(UpdateIndexTest, ConfigurationChangeOutsideTheFingerprintDoesNot) {
  MustIndex();
  Write("evrepo.yml", "name: \"Renamed fixture\"\nexclude: [README.md]\n");
  ReopenCorpus();
  Commit({"evrepo.yml"}, "Rename the corpus");
  IndexReport r = MustIndex();
  EXPECT_FALSE(r.rebuilt);
  EXPECT_EQ(Counts(r), "added 0, updated 0, removed 0, documents 3");
}

// A vocabulary's aliases are outside the fingerprint: a change to them
// reaches searches, even of the index as it is, without a rebuild.
TEST_F(UpdateIndexTest, AliasChangeReachesSearchesWithoutARebuild) {
  MustIndex();
  EXPECT_EQ(Find("partner:SEC").total, 0u);
  Write("schemas/partners.xml", R"(<schema>
  <vocabulary name="partners" label="Partners">
    <term value="Social Enterprise Coalition" alias="SEC"/>
    <term value="Eastmoor Borough Council"/>
  </vocabulary>
</schema>
)");
  Write("evrepo.yml",
        "name: \"Basic fixture\"\nexclude: [README.md]\nschemas: schemas\n");
  ReopenCorpus();
  EXPECT_FALSE(CurrentWithImport());
  IndexReport r = MustIndex();
  EXPECT_TRUE(r.up_to_date);
  EXPECT_FALSE(r.rebuilt);
  EXPECT_TRUE(CurrentWithImport());
  EXPECT_EQ(Ids(Find("partner:SEC")), Strings{"joint-note-response-2006"});
}

// An index an earlier evrepo made, without the entry a search reads, is
// refused as it is, and the next update adds the entry: no rebuild.
TEST_F(UpdateIndexTest, IndexWithoutTheSearchEntryGainsIt) {
  MustIndex();
  {
    Xapian::WritableDatabase db((root() / ".evrepo/db-1").string());
    db.set_metadata(kMetaSearch, "");
    db.commit();
  }
  auto refused = Search(corpus(), "pies", {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().message(),
            "the search index was made by another version of evrepo");
  EXPECT_FALSE(CurrentWithImport());
  IndexReport r = MustIndex();
  EXPECT_TRUE(r.up_to_date);
  EXPECT_FALSE(r.rebuilt);
  EXPECT_TRUE(CurrentWithImport());
  EXPECT_EQ(Ids(Find("recycling")), Strings{"greenway-wave-1"});
}

// What the index keeps is all a search needs: the corpus opened without
// its schemas, and schemas that no longer parse, change no result.
TEST_F(UpdateIndexTest, SearchNeedsNoSchemas) {
  MustIndex();
  const std::string query = "partner:NOMS OR type:toolkit OR recycling";
  SearchResult before = Find(query);
  ASSERT_EQ(before.total, 2u);
  Write("schemas/broken.xml", "<schema><type name=");
  Write("evrepo.yml",
        "name: \"Basic fixture\"\nexclude: [README.md]\nschemas: schemas\n");
  ASSERT_FALSE(Corpus::Open(root()));
  auto bare = Corpus::Open(root(), Corpus::Loading::kConfigurationOnly);
  ASSERT_TRUE(bare) << bare.status().message();
  EXPECT_TRUE(bare->schema().DocumentTypes().empty());
  auto r = Search(*bare, query, NoSnippets());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(Ids(*r), Ids(before));
  EXPECT_EQ(r->commit, import_);
}

TEST_F(UpdateIndexTest, IndexedCommitMissingFromTheRepositoryForcesARebuild) {
  MustIndex();
  const std::string gone = "0123456789abcdef0123456789abcdef01234567";
  {
    auto live = LiveDatabase(root() / ".evrepo");
    ASSERT_TRUE(live);
    Xapian::WritableDatabase db(live->string(), Xapian::DB_OPEN);
    db.set_metadata(kMetaCommit, gone);
    db.commit();
  }
  IndexReport r = MustIndex();
  EXPECT_TRUE(r.rebuilt);
  EXPECT_EQ(r.previous, gone);
  EXPECT_EQ(r.commit, import_);
  EXPECT_EQ(r.documents, 3u);
}

TEST_F(UpdateIndexTest, IncompleteDatabaseIsRebuilt) {
  fs::create_directories(root() / ".evrepo");
  { Xapian::WritableDatabase db((root() / ".evrepo/db-1").string()); }
  ASSERT_TRUE(SwitchTo(root() / ".evrepo", root() / ".evrepo/db-1").ok());
  EXPECT_EQ(Indexed(), std::nullopt);
  IndexReport r = MustIndex();
  EXPECT_TRUE(r.rebuilt);
  EXPECT_EQ(r.documents, 3u);
  EXPECT_EQ(testing::ReadAll(root() / ".evrepo/current"), "auto db-2\n");
}

// An index an older evrepo made (another layout) is not searched as it is,
// which would give empty hits, but rebuilt by the next update.
TEST_F(UpdateIndexTest, IndexOfAnotherFormatIsRefusedThenRebuilt) {
  MustIndex();
  {
    Xapian::WritableDatabase db((root() / ".evrepo/db-1").string());
    db.set_metadata(kMetaFormat, "evrepo-index-4");
    db.set_metadata(kMetaFingerprint, "0123456789abcdef");
    db.set_metadata(kMetaSearch, "");  // an earlier evrepo wrote none
    db.commit();
  }
  auto refused = Search(corpus(), "pies", {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().message(),
            "the search index was made by another version of evrepo");
  EXPECT_EQ(refused.status().hint(), "run 'evrepo index' to build it again");
  auto current = IndexIsCurrent(corpus(), import_);
  ASSERT_TRUE(current);
  EXPECT_FALSE(*current);
  IndexReport r = MustIndex();
  EXPECT_TRUE(r.rebuilt);
  EXPECT_EQ(testing::ReadAll(root() / ".evrepo/current"), "auto db-2\n");
  EXPECT_EQ(Ids(Find("recycling")), Strings{"greenway-wave-1"});
}

// evrepo-index(1): the index is built from scratch when "its directory
// holds no complete database".
TEST_F(UpdateIndexTest, UnreadableLiveDatabaseIsRebuilt) {
  fs::create_directories(root() / ".evrepo/db-1");
  ASSERT_TRUE(SwitchTo(root() / ".evrepo", root() / ".evrepo/db-1").ok());
  auto r = Index();
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->rebuilt);
  EXPECT_EQ(r->documents, 3u);
}

TEST_F(UpdateIndexTest, IndexedCommitOfAnUnreadableDatabaseIsAnIoError) {
  fs::create_directories(root() / ".evrepo/db-1");
  ASSERT_TRUE(SwitchTo(root() / ".evrepo", root() / ".evrepo/db-1").ok());
  auto c = IndexedCommit(corpus());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().code(), Status::Code::kIo);
}

TEST_F(UpdateIndexTest, SecondWriterWaitsForTheFirst) {
  fs::create_directories(root() / ".evrepo");
  int fd = open((root() / ".evrepo/lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX), 0);
  std::atomic<bool> waiting{false}, finished{false};
  std::optional<Result<IndexReport>> result;  // read once `writer` is joined
  std::thread writer([&] {
    IndexOptions o;
    o.progress = [&](std::size_t done, std::size_t total) {
      if (done == 0 && total == 0) waiting = true;
    };
    result.emplace(UpdateIndex(corpus(), repo(), o));
    finished = true;
  });
  for (int i = 0; i < 500 && !waiting; ++i) usleep(10 * 1000);
  EXPECT_TRUE(waiting);
  EXPECT_FALSE(finished);
  EXPECT_FALSE(fs::exists(root() / ".evrepo/current"));
  flock(fd, LOCK_UN);
  close(fd);
  writer.join();
  ASSERT_TRUE(result.has_value());
  ASSERT_TRUE(*result) << (*result).status().message();
  EXPECT_EQ((**result).documents, 3u);
}

TEST_F(UpdateIndexTest, UndeclaredFieldNamedYearDoesNotBreakSearch) {
  MustIndex();
  std::string text = Read(kCaseStudyPath);
  text.replace(text.find("wave: 1\n"), 8, "wave: 1\nyear: 2005\n");
  Write(kCaseStudyPath, text);
  Commit({kCaseStudyPath}, "Year");
  MustIndex();
  auto r = Search(corpus(), "kerbside", NoSnippets());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(Ids(*r), Strings{"greenway-wave-1"});
}

TEST_F(UpdateIndexTest, SynonymsFileChangesTakeEffect) {
  MustIndex();
  Write("synonyms.txt", "# test synonyms\nZZQX = kerbside\n");
  Commit({"synonyms.txt"}, "Synonyms");
  IndexReport r = MustIndex();
  EXPECT_FALSE(r.rebuilt);
  EXPECT_EQ(Ids(Find("zzqx")), Strings{"greenway-wave-1"});

  Write("synonyms.txt", "ZZQX = forward, plan\n");
  Commit({"synonyms.txt"}, "Other synonyms");
  MustIndex();
  EXPECT_EQ(Ids(Find("zzqx")), Strings{"finding-small-contracts"});
  EXPECT_EQ(Find("kerbside OR zzqx").total, 2u);

  Remove("synonyms.txt");
  Commit({"synonyms.txt"}, "No synonyms");
  MustIndex();
  EXPECT_EQ(Find("zzqx").total, 0u);
}

TEST_F(UpdateIndexTest, SynonymsInTheFirstCommitAreLoaded) {
  Write("synonyms.txt", "SE = social enterprise\n");
  Commit({"synonyms.txt"}, "Synonyms");
  IndexReport r = MustIndex();
  EXPECT_TRUE(r.rebuilt);
  // Only the policy response has "social enterprise" (its partner).
  EXPECT_EQ(Ids(Find("SE")), Strings{"joint-note-response-2006"});
  // A word the synonyms know is no typo; the correction is of what was
  // typed, not of the expansion.
  SearchResult r2 = Find("SE kerbsyde");
  EXPECT_FALSE(r2.used_correction);
  EXPECT_EQ(r2.corrected_query, "SE kerbside");
  EXPECT_EQ(r2.corrected_total, 2u);
}

TEST_F(UpdateIndexTest, SpellingDataFollowsDeletions) {
  Write("case-studies/bluebell-wave-1.md",
        CaseStudy("bluebell-wave-1", "Bluebell Catering: wave 1", "2006-05-02",
                  "Bluebell cooks zeppelinoid pies.\n"));
  Commit({"case-studies/bluebell-wave-1.md"}, "Bluebell");
  MustIndex();
  SearchResult before = Find("zeppelinoidd");
  EXPECT_TRUE(before.used_correction);
  EXPECT_EQ(before.corrected_query, "zeppelinoid");
  EXPECT_EQ(Ids(before), Strings{"bluebell-wave-1"});

  Remove("case-studies/bluebell-wave-1.md");
  Commit({"case-studies/bluebell-wave-1.md"}, "No Bluebell");
  EXPECT_EQ(MustIndex().removed, 1u);
  SearchResult after = Find("zeppelinoidd");
  EXPECT_FALSE(after.used_correction);
  EXPECT_EQ(after.corrected_query, "");
  EXPECT_EQ(after.total, 0u);
}

TEST_F(UpdateIndexTest, UndeclaredFieldsAreSearchableAfterAnUpdate) {
  MustIndex();
  std::string text = Read(kCaseStudyPath);
  text.replace(text.find("wave: 1\n"), 8, "wave: 1\nmood: Cheerful\n");
  Write(kCaseStudyPath, text);
  Commit({kCaseStudyPath}, "Mood");
  MustIndex();
  EXPECT_EQ(Ids(Find("mood:cheerful")), Strings{"greenway-wave-1"});
}

}  // namespace
}  // namespace evrepo::index
