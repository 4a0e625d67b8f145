// Tests of QueryBuilder (query.h) against a small database built with
// DocumentIndexer: filters, dates, vocabulary aliases, synonyms, spelling.
#include "query.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "index_test_util.h"
#include "indexing.h"
#include "test_util.h"

namespace evrepo::index {
namespace {

using index_testing::Strings;

struct Doc {
  std::string path, text;
};

std::string CaseStudy(const std::string& id, const std::string& date,
                      const std::string& authors, const std::string& partners,
                      const std::string& body) {
  return "---\nid: " + id + "\ntitle: Study " + id +
         "\ntype: case-study\ndate: " + date + "\nauthors: [" + authors +
         "]\npartners: [" + partners +
         "]\nsummary: A study.\nconfidentiality: public\nstatus: final\n"
         "organisation: Test Organisation\nstage: start-up\n"
         "mood: Cheerful\n---\n" +
         body;
}

const std::vector<Doc>& Docs() {
  static const std::vector<Doc> docs = {
      {"a.md", CaseStudy("a", "2005-06-30", "Sarah Lindqvist",
                         "National Offender Management Service",
                         "Greenway won a kerbside recycling contract.\n")},
      {"b.md", CaseStudy("b", "2006-03-01", "Margaret Ellis, David Okafor",
                         "Social Enterprise Coalition",
                         "Social enterprise and procurement.\n")},
      {"c.md", CaseStudy("c", "2006-11-14", "Gareth Price",
                         "Social Enterprise Coalition",
                         "Full cost recovery for contracts.\n")},
      {"d.md", CaseStudy("d", "2006-12-31", "Sarah Okafor", "",
                         "Brokerage between buyers and sellers.\n")},
      {"e.md", CaseStudy("e", "2007-01-01", "Gareth Lindqvist", "",
                         "Tendering advice.\n")},
      {"plain-notes.md",
       "# Plain notes\n\nA generic document about tendering.\n"},
  };
  return docs;
}

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Xapian::WritableDatabase((dir_.path() / "db").string(),
                                   Xapian::DB_CREATE_OR_OVERWRITE);
    DocumentIndexer indexer(schema_, table_);
    std::set<std::string> extra;
    for (const Doc& d : Docs()) {
      Xapian::Document xd = indexer.Build(
          index_testing::MakeDocument(schema_, d.path, d.text), "", &extra);
      for (auto t = xd.termlist_begin(); t != xd.termlist_end(); ++t) {
        if (IsWordTerm(*t)) db_.add_spelling(*t, t.get_wdf());
      }
      db_.replace_document("P" + d.path, xd);
    }
    std::string names;
    for (const std::string& n : extra) names += n + "\n";
    db_.set_metadata(kMetaExtraFields, names);
    db_.commit();
  }

  void AddSynonyms(const std::vector<std::pair<std::string, std::string>>& s) {
    for (const auto& [a, b] : s) db_.add_synonym(a, b);
    db_.commit();
  }

  // The ids of the documents `query` matches, sorted.
  Strings Match(const std::string& query) {
    QueryBuilder b(table_, Extra(), db_);
    Xapian::Enquire e(db_);
    e.set_query(b.Parse(query));
    Strings ids;
    Xapian::MSet m = e.get_mset(0, 100);
    for (auto it = m.begin(); it != m.end(); ++it) {
      HitRecord hit;
      EXPECT_TRUE(DecodeHitRecord(it.get_document().get_value(kHitSlot), &hit));
      ids.push_back(hit.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // The undeclared fields the documents have, as SearchMeta lists them.
  Strings Extra() {
    Strings names;
    std::istringstream in(db_.get_metadata(kMetaExtraFields));
    for (std::string name; std::getline(in, name);) names.push_back(name);
    return names;
  }

  std::string Expand(const std::string& query) {
    return QueryBuilder(table_, Extra(), db_).ExpandSynonyms(query);
  }

  testing::TempDir dir_;
  const Schema& schema_ = testing::ProjectSchema();
  FieldTable table_ = FieldTable::Build(schema_);
  Xapian::WritableDatabase db_;
};

TEST_F(QueryTest, WordsAreJoinedWithOr) {
  EXPECT_EQ(Match("kerbside"), (Strings{"a"}));
  EXPECT_EQ(Match("kerbside brokerage"), (Strings{"a", "d"}));
  EXPECT_EQ(Match("tendering"), (Strings{"e", "plain-notes"}));
}

TEST_F(QueryTest, DateTakesYearsMonthsAndDays) {
  EXPECT_EQ(Match("date:2006"), (Strings{"b", "c", "d"}));
  EXPECT_EQ(Match("date:2006-11"), (Strings{"c"}));
  EXPECT_EQ(Match("date:2006-12"), (Strings{"d"}));
  EXPECT_EQ(Match("date:2006-03-01"), (Strings{"b"}));
  EXPECT_EQ(Match("date:2006-03-02"), Strings{});
  EXPECT_EQ(Match("year:2006"), (Strings{"b", "c", "d"}));
  EXPECT_EQ(Match("year:2005"), (Strings{"a"}));
}

TEST_F(QueryTest, DateRanges) {
  EXPECT_EQ(Match("date:2005..2006"), (Strings{"a", "b", "c", "d"}));
  EXPECT_EQ(Match("date:2006-03..2006-11"), (Strings{"b", "c"}));
  EXPECT_EQ(Match("date:2006-03-02..2006-12-31"), (Strings{"c", "d"}));
  EXPECT_EQ(Match("date:..2005"), (Strings{"a"}));
  EXPECT_EQ(Match("date:..2006-03-01"), (Strings{"a", "b"}));
  EXPECT_EQ(Match("date:2006-12.."), (Strings{"d", "e"}));
  EXPECT_EQ(Match("year:2007.."), (Strings{"e"}));
}

TEST_F(QueryTest, DateFilterCombinesWithWords) {
  EXPECT_EQ(Match("tendering date:2007"), (Strings{"e"}));
  EXPECT_EQ(Match("social date:..2006-06"), (Strings{"b"}));
}

TEST_F(QueryTest, BadDatesThrow) {
  for (const char* q :
       {"date:last-year", "date:2006-1", "date:06", "date:2006/11", "date:..",
        "date:2006-11-1", "date:20x6", "date:2006...2007", "year:soon",
        "date:2006-13", "date:2006-02-30"}) {
    QueryBuilder b(table_, Extra(), db_);
    EXPECT_THROW(b.Parse(q), Xapian::QueryParserError) << q;
  }
  QueryBuilder b(table_, Extra(), db_);
  try {
    b.Parse("date:last-year");
    FAIL();
  } catch (const Xapian::QueryParserError& e) {
    EXPECT_EQ(e.get_msg(),
              "date:last-year: expected YYYY, YYYY-MM or YYYY-MM-DD, or a "
              "range FROM..TO");
  }
}

TEST_F(QueryTest, VocabularyAliasFindsTheTerm) {
  EXPECT_EQ(Match("partner:NOMS"), (Strings{"a"}));
  EXPECT_EQ(Match("partner:noms"), (Strings{"a"}));
  EXPECT_EQ(Match("partner:\"National Offender Management Service\""),
            (Strings{"a"}));
  EXPECT_EQ(Match("partner:\"social enterprise coalition\""),
            (Strings{"b", "c"}));
}

TEST_F(QueryTest, BooleanValuesIgnoreCase) {
  EXPECT_EQ(Match("type:Case-Study"), (Strings{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(Match("type:CASE-STUDY"), (Strings{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(Match("id:B"), (Strings{"b"}));
  EXPECT_EQ(Match("id:plain-notes"), (Strings{"plain-notes"}));
  EXPECT_EQ(Match("status:Final date:2005"), (Strings{"a"}));
}

TEST_F(QueryTest, FiltersOfTheSameFieldOrThoseOfOthersAnd) {
  EXPECT_EQ(Match("id:a id:b"), (Strings{"a", "b"}));
  EXPECT_EQ(Match("id:a date:2006"), Strings{});
}

TEST_F(QueryTest, AuthorMatchesTheNameOrAWordOfIt) {
  EXPECT_EQ(Match("author:lindqvist"), (Strings{"a", "e"}));
  EXPECT_EQ(Match("author:Okafor"), (Strings{"b", "d"}));
  EXPECT_EQ(Match("author:\"Sarah Lindqvist\""), (Strings{"a"}));
  EXPECT_EQ(Match("author:\"sarah lindqvist\""), (Strings{"a"}));
  EXPECT_EQ(Match("author:sarah"), (Strings{"a", "d"}));
}

TEST_F(QueryTest, TextPrefixSearchesTheFieldAlone) {
  // "study" is in every title; "recycling" only in a's body.
  EXPECT_EQ(Match("title:recycling"), Strings{});
  EXPECT_EQ(Match("recycling"), (Strings{"a"}));
  EXPECT_EQ(Match("title:notes"), (Strings{"plain-notes"}));
}

TEST_F(QueryTest, UndeclaredFieldsAreQueryableByName) {
  EXPECT_EQ(Match("mood:cheerful"), (Strings{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(Match("mood:grumpy"), Strings{});
}

// A document may carry any front-matter field; one named like a prefix the
// query language already has must not break the parser.
TEST_F(QueryTest, UndeclaredFieldNamedYearKeepsTheYearFilter) {
  db_.set_metadata(kMetaExtraFields, "mood\nyear");
  db_.commit();
  ASSERT_NO_THROW(QueryBuilder(table_, Extra(), db_));
  EXPECT_EQ(Match("year:2005"), (Strings{"a"}));
}

TEST_F(QueryTest, ExpandSynonymsWithoutSynonymsChangesNothing) {
  EXPECT_EQ(Expand("SE and \"FCR\" tag:x"), "SE and \"FCR\" tag:x");
}

class SynonymTest : public QueryTest {
 protected:
  void SetUp() override {
    QueryTest::SetUp();
    AddSynonyms({{"se", "social enterprise"},
                 {"social enterprise", "se"},
                 {"fcr", "full cost recovery"},
                 {"full cost recovery", "fcr"},
                 {"kerbside", "curbside"}});
  }
};

TEST_F(SynonymTest, SingleWord) {
  EXPECT_EQ(Expand("SE"), "(SE OR \"social enterprise\")");
  EXPECT_EQ(Expand("kerbside"), "(kerbside OR curbside)");
  EXPECT_EQ(Expand("buying from SE  today"),
            "buying from (SE OR \"social enterprise\")  today");
}

TEST_F(SynonymTest, RunOfWords) {
  EXPECT_EQ(Expand("social enterprise"), "(social enterprise OR se)");
  EXPECT_EQ(Expand("Full  Cost Recovery rates"),
            "(Full  Cost Recovery OR fcr) rates");
  // The longest run wins; a partial run is left alone.
  EXPECT_EQ(Expand("full cost"), "full cost");
}

TEST_F(SynonymTest, QuotesPrefixesAndOperatorsAreLeftAlone) {
  EXPECT_EQ(Expand("\"SE\""), "\"SE\"");
  EXPECT_EQ(Expand("\"social enterprise\" fcr"),
            "\"social enterprise\" (fcr OR \"full cost recovery\")");
  EXPECT_EQ(Expand("tag:SE"), "tag:SE");
  EXPECT_EQ(Expand("SE AND fcr"),
            "(SE OR \"social enterprise\") AND (fcr OR \"full cost "
            "recovery\")");
  EXPECT_EQ(Expand("NOT SE"), "NOT (SE OR \"social enterprise\")");
}

// evrepo-search(1): "parentheses work as in other search engines" and
// acronyms in the synonyms file "also find what they stand for".
TEST_F(SynonymTest, WordsInParenthesesAreExpanded) {
  EXPECT_EQ(Expand("(SE OR tendering)"),
            "((SE OR \"social enterprise\") OR tendering)");
}

TEST_F(SynonymTest, ExpandedQueryFindsTheAlternatives) {
  // b and c have the partner Social Enterprise Coalition.
  EXPECT_EQ(Match("SE"), (Strings{"b", "c"}));
  EXPECT_EQ(Match("curbside"), Strings{});
  EXPECT_EQ(Match("kerbside"), (Strings{"a"}));
  EXPECT_EQ(Match("FCR"), (Strings{"c"}));
}

TEST_F(QueryTest, CorrectedNamesTheMisspeltWord) {
  QueryBuilder b(table_, Extra(), db_);
  b.Parse("brokrage advice");
  EXPECT_EQ(b.Corrected(), "brokerage advice");
  b.Parse("brokerage advice");
  EXPECT_EQ(b.Corrected(), "");
}

TEST_F(QueryTest, CorrectionUsesWordsAddedToTheSpellingData) {
  QueryBuilder before(table_, Extra(), db_);
  before.Parse("zeppelin");
  EXPECT_EQ(before.Corrected(), "");
  db_.add_spelling("zeppelins", 3);
  db_.commit();
  QueryBuilder after(table_, Extra(), db_);
  after.Parse("zeppelin");
  EXPECT_EQ(after.Corrected(), "zeppelins");
}

TEST_F(QueryTest, KnownWordsAreNotCorrected) {
  db_.add_spelling("tenderings", 100);  // a more frequent neighbour
  db_.commit();
  QueryBuilder b(table_, Extra(), db_);
  b.Parse("tendering");
  EXPECT_EQ(b.Corrected(), "");
  b.Parse("tenderin");
  EXPECT_EQ(b.Corrected(), "tendering");  // the nearest
  // A known word is known inside a phrase, a group or with a mark.
  b.Parse("\"tendering\" (tendering) +tendering -tendering");
  EXPECT_EQ(b.Corrected(), "");
  b.Parse("\"tenderin advice\"");
  EXPECT_EQ(b.Corrected(), "\"tendering advice\"");
}

TEST_F(QueryTest, ACompoundOfKnownWordsIsNotCorrected) {
  // "pre-qualification" is indexed as its two words, and "are" is a more
  // frequent neighbour of "pre".
  Xapian::Document d;
  d.add_posting("pre", 1);
  d.add_posting("qualification", 2);
  d.add_boolean_term("Pcompound.md");
  db_.add_document(d);
  db_.add_spelling("pre", 1);
  db_.add_spelling("qualification", 1);
  db_.add_spelling("are", 500);
  db_.commit();
  QueryBuilder b(table_, Extra(), db_);
  Xapian::Query q = b.Parse("pre-qualification");
  EXPECT_EQ(b.Corrected(), "");
  Xapian::Enquire e(db_);
  e.set_query(q);
  EXPECT_EQ(e.get_mset(0, 10).size(), 1u);
  b.Parse("\"pre-qualification\" buyers/sellers");
  EXPECT_EQ(b.Corrected(), "");
  // A compound with a word the index lacks still goes to Xapian's
  // correction.
  b.Parse("pre-qualificaton");
  EXPECT_NE(b.Corrected(), "");
}

TEST_F(QueryTest, SyntaxErrorsThrow) {
  QueryBuilder b(table_, Extra(), db_);
  EXPECT_THROW(b.Parse("social AND"), Xapian::QueryParserError);
}

}  // namespace
}  // namespace evrepo::index
