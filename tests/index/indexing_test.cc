// Tests of DocumentIndexer (indexing.h): the terms, values and data of one
// document, as the field table says.
#include "indexing.h"

#include <gtest/gtest.h>

#include "evrepo/document.h"
#include "evrepo/markdown.h"
#include "index_test_util.h"
#include "test_util.h"

namespace evrepo::index {
namespace {

using index_testing::LoadSchemaTexts;
using index_testing::MakeDocument;
using index_testing::NoteSchemaXml;
using index_testing::TermsOf;
using index_testing::TermsWithPrefix;
using Terms = std::map<std::string, Xapian::termcount>;

std::string Fixture(const std::string& rel) {
  return testing::ReadAll(std::string(EVREPO_TEST_FIXTURES) + "/basic/" + rel);
}

// The built-in schemas and a document of the basic fixture.
class ProjectIndexingTest : public ::testing::Test {
 protected:
  Xapian::Document Build(const std::string& rel,
                         std::set<std::string>* extra = nullptr) {
    return BuildText(rel, Fixture(rel), extra);
  }
  Xapian::Document BuildText(const std::string& rel, const std::string& text,
                             std::set<std::string>* extra = nullptr) {
    Document d = MakeDocument(schema_, rel, text);
    return indexer_.Build(d, "0123456789abcdef0123456789abcdef01234567", extra);
  }
  Xapian::valueno Slot(const std::string& field) const {
    const IndexField* f = table_.ByName(field);
    return f ? f->slot : Xapian::BAD_VALUENO;
  }

  const Schema& schema_ = testing::ProjectSchema();
  FieldTable table_ = FieldTable::Build(schema_);
  DocumentIndexer indexer_{schema_, table_};
};

TEST_F(ProjectIndexingTest, BooleanTermsArePrefixedNormalisedValues) {
  Xapian::Document d = Build(index_testing::kCaseStudyPath);
  Terms t = TermsOf(d);
  for (const char* term :
       {"Qgreenway-wave-1", "XTYPEcase-study", "D2005-06-30", "XY2005",
        "XCpublic", "XSfinal", "XSTAGEstart-up", "XSECrecycling",
        "XREGnorth-east", "XWAVE1", "XRELjoint-note-response-2006",
        "Klongitudinal-study", "Ksmall-contracts", "Asarah lindqvist",
        "XPeastmoor borough council", "XORGgreenway recycling cic"}) {
    ASSERT_EQ(t.count(term), 1u) << term;
    EXPECT_EQ(t[term], 0u) << term;
  }
  EXPECT_EQ(TermsWithPrefix(d, "XTYPE"), (Terms{{"XTYPEcase-study", 0}}));
  EXPECT_EQ(TermsWithPrefix(d, "D"), (Terms{{"D2005-06-30", 0}}));
  EXPECT_EQ(TermsWithPrefix(d, "XY"), (Terms{{"XY2005", 0}}));
  EXPECT_EQ(TermsWithPrefix(d, "Q"), (Terms{{"Qgreenway-wave-1", 0}}));
}

TEST_F(ProjectIndexingTest, PathIsTheUniqueTermAndSlotZero) {
  Xapian::Document d = Build(index_testing::kCaseStudyPath);
  EXPECT_EQ(TermsWithPrefix(d, "P"),
            (Terms{{"Pcase-studies/greenway-wave-1.md", 0}}));
  EXPECT_EQ(d.get_value(kPathSlot), "case-studies/greenway-wave-1.md");
}

TEST_F(ProjectIndexingTest, TextFieldsAreIndexedPrefixedAndUnprefixed) {
  Xapian::Document d = Build(index_testing::kCaseStudyPath);
  // authors (weight 2): the boolean term, and each word under A at wdf 1.
  EXPECT_EQ(TermsWithPrefix(d, "A"),
            (Terms{{"Asarah lindqvist", 0}, {"Asarah", 1}, {"Alindqvist", 1}}));
  EXPECT_EQ(TermsWithPrefix(d, "ZA"),
            (Terms{{"ZAsarah", 1}, {"ZAlindqvist", 1}}));
  Terms t = TermsOf(d);
  EXPECT_EQ(t["lindqvist"], 2u);  // unprefixed at the field's weight
  EXPECT_EQ(t["sarah"], 2u);
  // The title under S at 1; unprefixed at 5, plus the heading (2) that
  // repeats it.
  EXPECT_EQ(
      TermsWithPrefix(d, "S"),
      (Terms{{"Sgreenway", 1}, {"Srecycling", 1}, {"Swave", 1}, {"S1", 1}}));
  // greenway: title 5 + heading 2 + organisation 2 + body 1.
  EXPECT_EQ(t["greenway"], 10u);
  EXPECT_EQ(t["Zgreenway"], 10u);
  // kerbside: the body only.
  EXPECT_EQ(t["kerbside"], 1u);
  // summary: weight 3, no prefix.
  EXPECT_EQ(t["selling"], 3u);
  EXPECT_EQ(t["Zsell"], 3u);
}

TEST_F(ProjectIndexingTest, ValuesOfSortableAndFacetFields) {
  Xapian::Document d = Build(index_testing::kCaseStudyPath);
  EXPECT_EQ(d.get_value(Slot("date")), "2005-06-30");
  EXPECT_EQ(d.get_value(Slot("title")), "Greenway Recycling: wave 1");
  EXPECT_EQ(d.get_value(Slot("type")), "case-study");
  EXPECT_EQ(d.get_value(Slot("tags")), "longitudinal-study\nsmall-contracts");
  EXPECT_EQ(d.get_value(Slot("stage")), "start-up");
  // An integer sortable field sorts as a number.
  EXPECT_EQ(d.get_value(Slot("wave")), Xapian::sortable_serialise(1));
  EXPECT_EQ(d.get_value(Slot("contract_value")), "");  // absent

  Xapian::Document p = Build(index_testing::kPolicyPath);
  EXPECT_EQ(p.get_value(Slot("authors")), "Margaret Ellis\nDavid Okafor");
  EXPECT_EQ(p.get_value(Slot("partners")), "Social Enterprise Coalition");
}

TEST_F(ProjectIndexingTest, IntegerThatIsNotANumberHasNoValue) {
  std::string text = Fixture(index_testing::kCaseStudyPath);
  std::string from = "wave: 1";
  text.replace(text.find(from), from.size(),
               "wave: first\ncontract_value: 2500");
  Xapian::Document d = BuildText(index_testing::kCaseStudyPath, text);
  EXPECT_EQ(d.get_value(Slot("wave")), "");
  EXPECT_EQ(d.get_value(Slot("contract_value")),
            Xapian::sortable_serialise(2500));
  EXPECT_EQ(TermsWithPrefix(d, "XWAVE"), (Terms{{"XWAVEfirst", 0}}));
}

TEST_F(ProjectIndexingTest, HitSlotHoldsTheHitFieldsAndTextSlotTheWords) {
  Xapian::Document d = Build(index_testing::kPolicyPath);
  HitRecord data;
  ASSERT_TRUE(DecodeHitRecord(d.get_value(kHitSlot), &data));
  // The summary and the body's words, for snippets, without markup, after
  // the same hit record; no document data.
  EXPECT_EQ(d.get_data(), "");
  std::string packed = d.get_value(kTextSlot);
  std::string_view record, words;
  ASSERT_TRUE(UnpackHitAndText(packed, &record, &words));
  EXPECT_EQ(record, d.get_value(kHitSlot));
  std::string text(words);
  EXPECT_EQ(text,
            data.summary + "\n" +
                ExtractText(ParseDocument(index_testing::kPolicyPath,
                                          Fixture(index_testing::kPolicyPath))
                                .body)
                    .text);
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.find("**"), std::string::npos);
  EXPECT_EQ(data.path, index_testing::kPolicyPath);
  EXPECT_EQ(data.blob, "0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(data.id, "joint-note-response-2006");
  EXPECT_EQ(data.title,
            "Response to the Joint Note on Social Issues in Contracting");
  EXPECT_EQ(data.type, "policy-response");
  EXPECT_EQ(data.date, "2006-11-14");
  EXPECT_EQ(data.confidentiality, "public");
  EXPECT_EQ(data.status, "final");
  EXPECT_EQ(data.summary,
            "Why social considerations belong in public contracts.");
}

TEST_F(ProjectIndexingTest, UndeclaredFieldsGoUnderTheirOwnPrefix) {
  std::string text = Fixture(index_testing::kToolkitPath);
  text.replace(text.find("---\n#"), 4, "mood: Cheerful optimism\n---\n");
  std::set<std::string> extra = {"earlier"};
  Xapian::Document d = BuildText(index_testing::kToolkitPath, text, &extra);
  EXPECT_EQ(extra, (std::set<std::string>{"earlier", "mood"}));
  EXPECT_EQ(TermsWithPrefix(d, "XUmood:"),
            (Terms{{"XUmood:cheerful", 1}, {"XUmood:optimism", 1}}));
  Terms t = TermsOf(d);
  EXPECT_EQ(t["cheerful"], 1u);
  EXPECT_EQ(t["optimism"], 1u);
  EXPECT_EQ(ExtraPrefix("Mood"), "XUmood:");
}

TEST_F(ProjectIndexingTest, FieldOfAnotherTypeIsIndexedAsDeclared) {
  // organisation is declared by case-study, not toolkit: still XORG.
  std::string text = Fixture(index_testing::kToolkitPath);
  text.replace(text.find("---\n#"), 4, "organisation: Foo Trading Ltd\n---\n");
  std::set<std::string> extra;
  Xapian::Document d = BuildText(index_testing::kToolkitPath, text, &extra);
  EXPECT_EQ(extra, std::set<std::string>{});
  EXPECT_EQ(TermsOf(d).count("XORGfoo trading ltd"), 1u);
  EXPECT_EQ(TermsWithPrefix(d, "XU"), Terms{});
}

// evrepo-schema(5): "A field without index is validated, shown and
// exported, but not searchable."  source_url is declared by base, without
// index.
TEST_F(ProjectIndexingTest, DeclaredFieldWithoutIndexIsNotIndexed) {
  std::set<std::string> extra;
  Xapian::Document d = Build(index_testing::kPolicyPath, &extra);
  EXPECT_EQ(extra, std::set<std::string>{});
  EXPECT_EQ(TermsWithPrefix(d, "XU"), Terms{});
  EXPECT_EQ(TermsOf(d).count("https"), 0u);
}

TEST_F(ProjectIndexingTest, HeadingsWeighTwoAndRawHtmlIsDropped) {
  std::string text =
      "---\nid: finding-small-contracts\ntitle: Finding small contracts\n"
      "type: toolkit\ndate: 2006-03-01\nauthors: [Gareth Price]\n"
      "summary: Where.\nconfidentiality: internal\nstatus: draft\n"
      "service: finding-contracts\naudience: social-enterprises\n---\n"
      "# Quarterly forward plans\n\nForward thinking. <span "
      "class=\"tooltip\">visible</span>\n\n<div class=\"secret\">\nhidden "
      "words\n</div>\n\n## Checklist\n";
  Xapian::Document d = BuildText(index_testing::kToolkitPath, text);
  Terms t = TermsOf(d);
  EXPECT_EQ(t["quarterly"], 2u);
  EXPECT_EQ(t["plans"], 2u);
  EXPECT_EQ(t["checklist"], 2u);
  EXPECT_EQ(t["forward"], 3u);  // heading 2 + body 1
  EXPECT_EQ(t["visible"], 1u);
  for (const char* dropped : {"span", "tooltip", "div", "secret", "hidden"}) {
    EXPECT_EQ(t.count(dropped), 0u) << dropped;
  }
}

TEST_F(ProjectIndexingTest, GenericDocumentGetsIdTermAndTitleWords) {
  Xapian::Document d = BuildText("notes/Meeting Notes.md",
                                 "# Quarterly Review\n\nDiscussed tenders.\n");
  EXPECT_EQ(TermsWithPrefix(d, "Q"), (Terms{{"Qmeeting-notes", 0}}));
  EXPECT_EQ(TermsWithPrefix(d, "XTYPE"), Terms{});
  EXPECT_EQ(TermsWithPrefix(d, "S"),
            (Terms{{"Squarterly", 1}, {"Sreview", 1}}));
  Terms t = TermsOf(d);
  EXPECT_EQ(t["quarterly"], 7u);  // title 5 + heading 2
  EXPECT_EQ(t["tenders"], 1u);
  EXPECT_EQ(d.get_value(Slot("title")), "Quarterly Review");
  EXPECT_EQ(d.get_value(kPathSlot), "notes/Meeting Notes.md");
  HitRecord data;
  ASSERT_TRUE(DecodeHitRecord(d.get_value(kHitSlot), &data));
  EXPECT_EQ(data.id, "meeting-notes");
  EXPECT_EQ(data.title, "Quarterly Review");
  EXPECT_EQ(data.type, "");
  EXPECT_EQ(data.date, "");
}

TEST_F(ProjectIndexingTest, UnknownTypeCountsIdAndTitleOnce) {
  Xapian::Document d = BuildText(
      "notes/memo.md",
      "---\nid: memo-1\ntitle: Budget Memo\ntype: memo\n---\nText.\n");
  EXPECT_EQ(TermsWithPrefix(d, "Q"), (Terms{{"Qmemo-1", 0}}));
  EXPECT_EQ(TermsWithPrefix(d, "S"), (Terms{{"Sbudget", 1}, {"Smemo", 1}}));
  EXPECT_EQ(TermsOf(d)["budget"], 5u);
  EXPECT_EQ(d.get_value(Slot("title")), "Budget Memo");
}

TEST_F(ProjectIndexingTest, OneIndexerBuildsIndependentDocuments) {
  Xapian::Document a = Build(index_testing::kCaseStudyPath);
  Xapian::Document b = Build(index_testing::kToolkitPath);
  Terms t = TermsOf(b);
  EXPECT_EQ(t.count("kerbside"), 0u);
  EXPECT_EQ(t.count("Qgreenway-wave-1"), 0u);
  EXPECT_EQ(TermsWithPrefix(b, "Q"), (Terms{{"Qfinding-small-contracts", 0}}));
  // Positions restart at the start of each document.
  auto first = [](const Xapian::Document& doc, const std::string& term) {
    auto p = doc.termlist_begin();
    p.skip_to(term);
    return *p.positionlist_begin();
  };
  EXPECT_EQ(first(a, "greenway"), first(b, "finding"));
}

// A small schema: weights and prefixes as declared there.
TEST(SmallSchemaIndexingTest, WeightsAndPrefixesAsDeclared) {
  Schema s = LoadSchemaTexts(
      {{"note.xml",
        NoteSchemaXml(
            R"(    <field name="summary" kind="text" index="text" weight="3"/>
    <field name="topic" kind="string" index="text boolean facet" weight="4"
           prefix="XTOP" query="topic"/>
    <field name="amount" kind="integer" index="sortable"/>
    <field name="keywords" kind="list" of="string" index="boolean facet"
           prefix="K" query="keyword"/>
)")}});
  FieldTable table = FieldTable::Build(s);
  DocumentIndexer indexer(s, table);
  Document doc = MakeDocument(s, "notes/n1.md",
                              "---\nid: n1\ntitle: Alpha Report\ntype: note\n"
                              "date: 2006-03-01\nsummary: Delta Delta\n"
                              "topic: Epsilon Zeta\namount: 42\n"
                              "keywords: [One Two, three]\n---\nOmega.\n");
  Xapian::Document d = indexer.Build(doc, "", nullptr);
  Terms t = TermsOf(d);
  EXPECT_EQ(t["alpha"], 5u);
  EXPECT_EQ(t["Salpha"], 1u);
  EXPECT_EQ(t["delta"], 6u);
  EXPECT_EQ(t["epsilon"], 4u);
  EXPECT_EQ(t["omega"], 1u);
  EXPECT_EQ(
      TermsWithPrefix(d, "XTOP"),
      (Terms{{"XTOPepsilon zeta", 0}, {"XTOPepsilon", 1}, {"XTOPzeta", 1}}));
  EXPECT_EQ(TermsWithPrefix(d, "K"), (Terms{{"Kone two", 0}, {"Kthree", 0}}));
  EXPECT_EQ(d.get_value(table.ByName("amount")->slot),
            Xapian::sortable_serialise(42));
  EXPECT_EQ(d.get_value(table.ByName("keywords")->slot), "One Two\nthree");
  EXPECT_EQ(d.get_value(table.ByName("topic")->slot), "Epsilon Zeta");
  EXPECT_EQ(TermsWithPrefix(d, "XY"), (Terms{{"XY2006", 0}}));
}

}  // namespace
}  // namespace evrepo::index
