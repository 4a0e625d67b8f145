// Tests of Search, SimilarToDocument and SimilarToText (search.h) on an
// index of a temporary Git repository.
#include "evrepo/index/search.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "evrepo/index/index.h"
#include "index_test_util.h"

namespace evrepo::index {
namespace {

using index_testing::CaseStudy;
using index_testing::Ids;
using index_testing::kCaseStudyPath;
using index_testing::Strings;

// The facets as "name: value count, value count" lines, by name.
std::string Facets(const SearchResult& r) {
  std::string out;
  for (const auto& [name, values] : r.facets) {
    out += name + ":";
    for (const FacetValue& v : values) {
      out += " " + v.value + " " + std::to_string(v.count) + ",";
    }
    out.back() = '\n';
  }
  return out;
}

class SearchTest : public index_testing::IndexRepoTest {
 protected:
  void SetUp() override {
    IndexRepoTest::SetUp();
    if (HasFatalFailure()) return;
    auto r = Index();
    ASSERT_TRUE(r) << r.status().message();
  }
  static SearchOptions Options(std::size_t offset, std::size_t limit,
                               SortOrder sort = SortOrder::kRelevance) {
    SearchOptions o = NoSnippets();
    o.offset = offset;
    o.limit = limit;
    o.sort = sort;
    return o;
  }
};

const Strings kByPath = {"greenway-wave-1", "joint-note-response-2006",
                         "finding-small-contracts"};

TEST_F(SearchTest, HitsCarryTheDocumentsFields) {
  SearchResult r = Find("kerbside");
  EXPECT_EQ(r.commit, import_);
  EXPECT_EQ(r.total, 1u);
  ASSERT_EQ(r.hits.size(), 1u);
  const Hit& h = r.hits[0];
  EXPECT_EQ(h.rank, 1u);
  EXPECT_EQ(h.percent, 100);
  EXPECT_EQ(h.id, "greenway-wave-1");
  EXPECT_EQ(h.title, "Greenway Recycling: wave 1");
  EXPECT_EQ(h.type, "case-study");
  EXPECT_EQ(h.date, "2005-06-30");
  EXPECT_EQ(h.confidentiality, "public");
  EXPECT_EQ(h.status, "final");
  EXPECT_EQ(h.path, kCaseStudyPath);
  EXPECT_EQ(h.summary,
            "A recycling start-up's first year of selling to the council.");
  EXPECT_EQ(h.snippet, "");  // snippets off
  EXPECT_FALSE(r.used_correction);
  EXPECT_EQ(r.corrected_query, "");
  EXPECT_EQ(r.terms, Strings{});
}

TEST_F(SearchTest, DraftAndInternalDocumentsAreFoundToo) {
  SearchResult r = Find("forward");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].id, "finding-small-contracts");
  EXPECT_EQ(r.hits[0].type, "toolkit");
  EXPECT_EQ(r.hits[0].confidentiality, "internal");
  EXPECT_EQ(r.hits[0].status, "draft");
  EXPECT_EQ(r.hits[0].date, "2006-03-01");
}

TEST_F(SearchTest, SnippetHighlightsTheMatchedWords) {
  SearchOptions o;
  o.highlight_start = "[";
  o.highlight_end = "]";
  SearchResult r = Find("kerbside", o);
  ASSERT_EQ(r.hits.size(), 1u);
  const std::string& s = r.hits[0].snippet;
  EXPECT_NE(s.find("Greenway won its first [kerbside] contract in 2005."),
            std::string::npos)
      << s;
  EXPECT_EQ(s.find('['), s.rfind('[')) << "one word matched, once: " << s;
}

TEST_F(SearchTest, SnippetWithoutMarkersHasNoHighlighting) {
  SearchOptions o;
  o.snippet_length = 60;
  SearchResult r = Find("kerbside", o);
  ASSERT_EQ(r.hits.size(), 1u);
  const std::string& s = r.hits[0].snippet;
  EXPECT_NE(s.find("kerbside"), std::string::npos) << s;
  EXPECT_EQ(s.find('\x01'), std::string::npos) << s;
  EXPECT_EQ(s.find('\x02'), std::string::npos) << s;
  EXPECT_LE(s.size(), 60u + 2 * std::string("…").size()) << s;
}

TEST_F(SearchTest, EmptyQueryListsEveryDocumentByPath) {
  SearchResult r = Find("");
  EXPECT_EQ(r.total, 3u);
  EXPECT_EQ(Ids(r), kByPath);
  EXPECT_EQ(Ids(Find("   ")), kByPath);
}

TEST_F(SearchTest, FiltersAloneListWhatPasses) {
  EXPECT_EQ(Ids(Find("type:toolkit")), Strings{"finding-small-contracts"});
  EXPECT_EQ(Ids(Find("author:lindqvist")), Strings{"greenway-wave-1"});
  EXPECT_EQ(Ids(Find("date:2006")),
            (Strings{"joint-note-response-2006", "finding-small-contracts"}));
  EXPECT_EQ(Ids(Find("partner:\"Social Enterprise Coalition\"")),
            Strings{"joint-note-response-2006"});
  EXPECT_EQ(Ids(Find("confidentiality:public status:final")),
            (Strings{"greenway-wave-1", "joint-note-response-2006"}));
}

TEST_F(SearchTest, SortByDateBothWays) {
  EXPECT_EQ(Ids(Find("", Options(0, 10, SortOrder::kDate))),
            (Strings{"greenway-wave-1", "finding-small-contracts",
                     "joint-note-response-2006"}));
  EXPECT_EQ(Ids(Find("", Options(0, 10, SortOrder::kDateDescending))),
            (Strings{"joint-note-response-2006", "finding-small-contracts",
                     "greenway-wave-1"}));
  // Sorting does not change what matches.
  EXPECT_EQ(Ids(Find("date:2006", Options(0, 10, SortOrder::kDate))),
            (Strings{"finding-small-contracts", "joint-note-response-2006"}));
}

TEST_F(SearchTest, OffsetAndLimitPageThroughTheResults) {
  SearchResult r = Find("", Options(1, 1));
  EXPECT_EQ(r.total, 3u);
  ASSERT_EQ(Ids(r), Strings{"joint-note-response-2006"});
  EXPECT_EQ(r.hits[0].rank, 2u);
  r = Find("", Options(2, 5));
  ASSERT_EQ(Ids(r), Strings{"finding-small-contracts"});
  EXPECT_EQ(r.hits[0].rank, 3u);
  r = Find("", Options(3, 5));
  EXPECT_EQ(r.total, 3u);
  EXPECT_EQ(Ids(r), Strings{});
  r = Find("", Options(0, 0));
  EXPECT_EQ(Ids(r), Strings{});
}

// Documents of equal weight come in the order of their paths, however the
// index numbered them: here the later commit's documents, with the higher
// docids, come first by path.  Pages end inside the run of ties, begin in
// it and hold it whole.
TEST_F(SearchTest, TiesGoInPathOrderWhateverTheDocids) {
  Strings ids;
  for (const char* batch : {"b", "a"}) {
    for (int i = 0; i < 6; ++i) {
      std::string id = std::string("tie-") + batch + std::to_string(i);
      Write("case-studies/" + id + ".md",
            CaseStudy(id, "Tie", "2006-01-01", "Quillwort.\n"));
      ids.push_back(id);
    }
    Commit({"case-studies"}, std::string("Batch ") + batch);
    auto r = Index();
    ASSERT_TRUE(r) << r.status().message();
  }
  std::sort(ids.begin(), ids.end());
  auto slice = [&](std::size_t from, std::size_t n) {
    return Strings(ids.begin() + static_cast<std::ptrdiff_t>(from),
                   ids.begin() + static_cast<std::ptrdiff_t>(
                                     std::min(ids.size(), from + n)));
  };
  EXPECT_EQ(Ids(Find("quillwort", Options(0, 20))), ids);
  for (auto [offset, limit] : std::vector<std::pair<std::size_t, std::size_t>>{
           {0, 5}, {0, 11}, {0, 12}, {3, 4}, {5, 7}, {10, 5}, {11, 1}}) {
    SearchResult r = Find("quillwort", Options(offset, limit));
    EXPECT_EQ(Ids(r), slice(offset, limit)) << offset << "+" << limit;
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].rank, offset + 1);
    EXPECT_EQ(r.total, 12u);
  }
}

TEST_F(SearchTest, FacetsCountOverAllMatches) {
  SearchOptions o = Options(0, 1);
  o.facets = true;
  SearchResult r = Find("", o);
  EXPECT_EQ(r.total, 3u);
  EXPECT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(Facets(r),
            "audience: social-enterprises 1\n"
            "author: David Okafor 1, Gareth Price 1, Margaret Ellis 1, Sarah "
            "Lindqvist 1\n"
            "confidentiality: public 2, internal 1\n"
            "format: checklist 1, directory 1\n"
            "organisation: Greenway Recycling CIC 1\n"
            "partner: Eastmoor Borough Council 1, Social Enterprise "
            "Coalition 1\n"
            "region: north-east 1\n"
            "sector: recycling 1\n"
            "service: finding-contracts 1\n"
            "stage: start-up 1\n"
            "status: final 2, draft 1\n"
            "tag: longitudinal-study 1, procurement-policy 1, small-contracts "
            "1, social-clauses 1\n"
            "type: case-study 1, policy-response 1, toolkit 1\n"
            "year: 2006 2, 2005 1\n");
}

TEST_F(SearchTest, FacetsOfAFilteredSearch) {
  SearchOptions o = Options(0, 10);
  o.facets = true;
  SearchResult r = Find("date:2006", o);
  EXPECT_EQ(r.total, 2u);
  EXPECT_EQ(r.facets.count("stage"), 0u);
  ASSERT_EQ(r.facets.count("year"), 1u);
  ASSERT_EQ(r.facets["year"].size(), 1u);
  EXPECT_EQ(r.facets["year"][0].value, "2006");
  EXPECT_EQ(r.facets["year"][0].count, 2u);
  EXPECT_EQ(Facets(Find("date:2006")), "");  // not asked for
}

TEST_F(SearchTest, CorrectionIsUsedWhenNothingMatchesAsTyped) {
  // Not "kerbsid": that is the stem of "kerbside", and matches.
  SearchResult r = Find("kerbsyde");
  EXPECT_TRUE(r.used_correction);
  EXPECT_EQ(r.corrected_query, "kerbside");
  EXPECT_EQ(r.corrected_total, 1u);
  EXPECT_EQ(r.total, 1u);
  EXPECT_EQ(Ids(r), Strings{"greenway-wave-1"});
}

TEST_F(SearchTest, CorrectionIsOnlySuggestedWhenTheQueryMatches) {
  SearchResult r = Find("kerbsyde forward");
  EXPECT_FALSE(r.used_correction);
  EXPECT_EQ(Ids(r), Strings{"finding-small-contracts"});
  EXPECT_EQ(r.corrected_query, "kerbside forward");
  EXPECT_EQ(r.corrected_total, 2u);
}

TEST_F(SearchTest, NoCorrectionForUnknownWordsWithoutNeighbours) {
  SearchResult r = Find("qqqqzzzz");
  EXPECT_EQ(r.total, 0u);
  EXPECT_FALSE(r.used_correction);
  EXPECT_EQ(r.corrected_query, "");
  EXPECT_EQ(Ids(r), Strings{});
}

TEST_F(SearchTest, BadQueryIsAUsageError) {
  auto r = Search(corpus(), "social AND", NoSnippets());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kUsage);
  EXPECT_EQ(r.status().message().rfind("bad query: ", 0), 0u)
      << r.status().message();
  auto d = Search(corpus(), "date:last-year", NoSnippets());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.status().code(), Status::Code::kUsage);
  EXPECT_EQ(d.status().message(),
            "bad query: date:last-year: expected YYYY, YYYY-MM or "
            "YYYY-MM-DD, or a range FROM..TO");
}

class NoIndexTest : public index_testing::IndexRepoTest {};

TEST_F(NoIndexTest, SearchingWithoutAnIndexFails) {
  auto r = Search(corpus(), "kerbside", NoSnippets());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kIo);
  auto s = SimilarToDocument(corpus(), "greenway-wave-1", NoSnippets());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kIo);
  auto t = SimilarToText(corpus(), "drafts/x.md", "Kerbside.", NoSnippets());
  ASSERT_FALSE(t);
  EXPECT_EQ(t.status().code(), Status::Code::kIo);
}

// Similar documents: two more case studies, one much like Greenway.
class SimilarTest : public index_testing::IndexRepoTest {
 protected:
  void SetUp() override {
    IndexRepoTest::SetUp();
    if (HasFatalFailure()) return;
    Write(
        "case-studies/bluebell-wave-1.md",
        CaseStudy("bluebell-wave-1", "Bluebell Recycling: wave 1", "2006-05-02",
                  "Bluebell won a kerbside recycling contract from the "
                  "council, as Greenway did. Kerbside recycling bins.\n"));
    Write("case-studies/orchard-wave-1.md",
          CaseStudy("orchard-wave-1", "Orchard Cafe: wave 1", "2006-07-02",
                    "Orchard serves lunches to hospital staff.\n"));
    head_ = Commit({"case-studies"}, "Two more");
    auto r = Index();
    ASSERT_TRUE(r) << r.status().message();
  }
  ObjectId head_;
};

TEST_F(SimilarTest, SimilarToDocumentLeavesItOut) {
  auto r = SimilarToDocument(corpus(), "greenway-wave-1",
                             IndexRepoTest::NoSnippets());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->commit, head_);
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].id, "bluebell-wave-1");
  for (const Hit& h : r->hits) EXPECT_NE(h.id, "greenway-wave-1");
  EXPECT_FALSE(r->terms.empty());
  EXPECT_LE(r->terms.size(), 12u);
  for (const std::string& t : r->terms) {
    EXPECT_GE(t.size(), 3u) << t;
    EXPECT_FALSE(t[0] >= 'A' && t[0] <= 'Z') << t;  // words, not prefixed
  }
}

TEST_F(SimilarTest, SimilarToAnUnknownDocumentIsNotFound) {
  auto r = SimilarToDocument(corpus(), "no-such-document",
                             IndexRepoTest::NoSnippets());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(r.status().message(),
            "no document 'no-such-document' in the index");
}

TEST_F(SimilarTest, SimilarToTextFindsCommittedDocumentsForADraft) {
  auto r = SimilarToText(
      corpus(), "drafts/new.md",
      "# Kerbside recycling\n\nA draft about kerbside recycling bins.\n",
      IndexRepoTest::NoSnippets());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->commit, head_);
  EXPECT_EQ(Ids(*r), (Strings{"bluebell-wave-1", "greenway-wave-1"}));
  for (const Hit& h : r->hits) EXPECT_NE(h.path, "drafts/new.md");
  EXPECT_FALSE(r->terms.empty());
}

TEST_F(SimilarTest, SimilarToTextOfACommittedPathLeavesThatDocumentOut) {
  std::string text = Read(kCaseStudyPath) + "\nMore kerbside recycling.\n";
  auto r = SimilarToText(corpus(), kCaseStudyPath, text,
                         IndexRepoTest::NoSnippets());
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].id, "bluebell-wave-1");
  for (const Hit& h : r->hits) EXPECT_NE(h.id, "greenway-wave-1");
}

TEST_F(SimilarTest, SimilarToAnEmptyDraftFindsNothing) {
  // No text, and a title (from the file name) too short to count.
  auto r =
      SimilarToText(corpus(), "drafts/x.md", "", IndexRepoTest::NoSnippets());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->commit, head_);
  EXPECT_EQ(r->total, 0u);
  EXPECT_EQ(Ids(*r), Strings{});
  EXPECT_EQ(r->terms, Strings{});
}

TEST_F(SimilarTest, SimilarHonoursOffsetAndLimit) {
  SearchOptions o = IndexRepoTest::NoSnippets();
  o.limit = 1;
  auto all = SimilarToDocument(corpus(), "greenway-wave-1",
                               IndexRepoTest::NoSnippets());
  auto first = SimilarToDocument(corpus(), "greenway-wave-1", o);
  ASSERT_TRUE(all && first);
  ASSERT_EQ(first->hits.size(), 1u);
  EXPECT_EQ(first->hits[0].id, all->hits[0].id);
  EXPECT_EQ(first->total, all->total);
}

}  // namespace
}  // namespace evrepo::index
