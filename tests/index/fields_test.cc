// Tests of the field table (fields.h): what the schemas say about indexing,
// the slots, the fingerprint, and boolean term normalisation.
#include "fields.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "index_test_util.h"
#include "test_util.h"

namespace evrepo::index {
namespace {

using index_testing::LoadSchemaTexts;
using index_testing::NoteSchemaXml;

const FieldTable& ProjectTable() {
  static const FieldTable table = FieldTable::Build(testing::ProjectSchema());
  return table;
}

const IndexField& Field(const std::string& name) {
  const IndexField* f = ProjectTable().ByName(name);
  if (!f) {
    ADD_FAILURE() << "no field " << name;
    static const IndexField none;
    return none;
  }
  return *f;
}

TEST(FieldTableTest, QueryNamesAndPrefixesComeFromTheSchemas) {
  std::map<std::string, std::pair<std::string, std::string>> got;
  for (const IndexField& f : ProjectTable().fields()) {
    got[f.name] = {f.query, f.prefix};
  }
  std::map<std::string, std::pair<std::string, std::string>> want = {
      {"id", {"id", "Q"}},
      {"title", {"title", "S"}},
      {"type", {"type", "XTYPE"}},
      {"date", {"date", "D"}},
      {"authors", {"author", "A"}},
      {"partners", {"partner", "XP"}},
      {"tags", {"tag", "K"}},
      {"summary", {"summary", ""}},
      {"confidentiality", {"confidentiality", "XC"}},
      {"status", {"status", "XS"}},
      {"related", {"related", "XREL"}},
      {"supersedes", {"supersedes", "XSUP"}},
      {"organisation", {"organisation", "XORG"}},
      {"stage", {"stage", "XSTAGE"}},
      {"sector", {"sector", "XSEC"}},
      {"region", {"region", "XREG"}},
      {"wave", {"wave", "XWAVE"}},
      {"public_bodies", {"buyer", "XPB"}},
      {"contract_value", {"contract_value", ""}},
      {"responds_to", {"responds", "XRTO"}},
      {"addressed_to", {"addressee", "XTO"}},
      {"on_behalf_of", {"behalf", "XOBO"}},
      {"methods", {"method", "XMETH"}},
      {"countries", {"country", "XCTRY"}},
      {"sample_size", {"sample_size", ""}},
      {"funder", {"funder", "XFUND"}},
      {"task_force", {"taskforce", "XTF"}},
      {"submitted", {"submitted", ""}},
      {"service", {"service", "XSERV"}},
      {"audience", {"audience", "XAUD"}},
      {"formats", {"format", "XFMT"}},
      {"programme", {"programme", "XPROG"}},
      {"module", {"module", "XMOD"}},
      {"level", {"level", "XLEVEL"}},
  };
  EXPECT_EQ(got, want);
  // Each field once, although several types declare it.
  EXPECT_EQ(ProjectTable().fields().size(), want.size());
}

TEST(FieldTableTest, UnindexedFieldsAreNotInTheTable) {
  EXPECT_EQ(ProjectTable().ByName("source_url"), nullptr);
  EXPECT_EQ(ProjectTable().ByName("consultation_closes"), nullptr);
  EXPECT_EQ(ProjectTable().ByName("no_such_field"), nullptr);
  EXPECT_EQ(ProjectTable().ByQuery("authors"), nullptr);  // a field name
}

TEST(FieldTableTest, ByQueryFindsTheFieldByItsQueryName) {
  ASSERT_NE(ProjectTable().ByQuery("author"), nullptr);
  EXPECT_EQ(ProjectTable().ByQuery("author")->name, "authors");
  ASSERT_NE(ProjectTable().ByQuery("buyer"), nullptr);
  EXPECT_EQ(ProjectTable().ByQuery("buyer")->name, "public_bodies");
}

TEST(FieldTableTest, FlagsKindsAndWeights) {
  const IndexField& title = Field("title");
  EXPECT_TRUE(title.text);
  EXPECT_FALSE(title.boolean);
  EXPECT_TRUE(title.sortable);
  EXPECT_FALSE(title.facet);
  EXPECT_EQ(title.weight, 5);
  EXPECT_EQ(title.kind, FieldKind::kString);
  EXPECT_FALSE(title.list);

  const IndexField& summary = Field("summary");
  EXPECT_TRUE(summary.text);
  EXPECT_FALSE(summary.boolean);
  EXPECT_EQ(summary.weight, 3);
  EXPECT_EQ(summary.slot, Xapian::BAD_VALUENO);

  const IndexField& authors = Field("authors");
  EXPECT_TRUE(authors.list);
  EXPECT_EQ(authors.kind, FieldKind::kPerson);
  EXPECT_TRUE(authors.text);
  EXPECT_TRUE(authors.boolean);
  EXPECT_TRUE(authors.facet);
  EXPECT_FALSE(authors.sortable);
  EXPECT_EQ(authors.weight, 2);

  const IndexField& date = Field("date");
  EXPECT_EQ(date.kind, FieldKind::kDate);
  EXPECT_TRUE(date.boolean);
  EXPECT_TRUE(date.sortable);
  EXPECT_TRUE(date.facet);
  EXPECT_FALSE(date.text);

  const IndexField& wave = Field("wave");
  EXPECT_EQ(wave.kind, FieldKind::kInteger);
  EXPECT_TRUE(wave.boolean);
  EXPECT_TRUE(wave.sortable);
  EXPECT_FALSE(wave.facet);

  const IndexField& value = Field("contract_value");
  EXPECT_FALSE(value.boolean);  // no prefix, not indexed boolean
  EXPECT_TRUE(value.sortable);

  EXPECT_EQ(Field("partners").vocabulary, "partners");
  EXPECT_EQ(Field("id").vocabulary, "");
  EXPECT_EQ(Field("id").slot, Xapian::BAD_VALUENO);
}

TEST(FieldTableTest, AliasesAndLabelsOfAVocabularyNameItsTerms) {
  const IndexField& partners = Field("partners");
  EXPECT_FALSE(partners.aliases.empty());
  for (const char* named :
       {"NOMS", "noms", "National  Offender Management Service"}) {
    EXPECT_EQ(partners.Resolve(named), "National Offender Management Service")
        << named;
  }
  // Anything else is left as it is; a field without a vocabulary has none.
  EXPECT_EQ(partners.Resolve("Nobody Ltd"), "Nobody Ltd");
  EXPECT_TRUE(Field("id").aliases.empty());
  EXPECT_EQ(Field("id").Resolve("NOMS"), "NOMS");
}

TEST(SearchMetaTest, WhatIsEncodedDecodesTheSame) {
  SearchMeta meta;
  meta.commit = "0123456789abcdef0123456789abcdef01234567";
  meta.extra_fields = {"mood", "year"};
  meta.table = ProjectTable();
  std::string bytes = EncodeSearchMeta(meta);
  EXPECT_EQ(bytes.rfind(std::string(kIndexFormat) + "\n", 0), 0u);
  auto back = DecodeSearchMeta(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, meta);
  EXPECT_EQ(back->table.fingerprint(), ProjectTable().fingerprint());
  EXPECT_TRUE(back->table.Declared("partners"));
  ASSERT_NE(back->table.ByName("partners"), nullptr);
  EXPECT_EQ(back->table.ByName("partners")->Resolve("noms"),
            "National Offender Management Service");

  SearchMeta empty;
  auto none = DecodeSearchMeta(EncodeSearchMeta(empty));
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, empty);
}

TEST(SearchMetaTest, AnythingElseIsRefused) {
  SearchMeta meta;
  meta.commit = "0123456789abcdef0123456789abcdef01234567";
  meta.table = ProjectTable();
  std::string bytes = EncodeSearchMeta(meta);
  EXPECT_FALSE(DecodeSearchMeta(""));
  EXPECT_FALSE(DecodeSearchMeta("evrepo-index-1\n" +
                                bytes.substr(bytes.find('\n') + 1)));
  // Every truncation, and a byte too many.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeSearchMeta(bytes.substr(0, n))) << n;
  }
  EXPECT_FALSE(DecodeSearchMeta(bytes + "x"));
  // Any byte changed: whatever it decodes to, it is read within bounds
  // (the sanitizer build checks).
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ flip);
      (void)DecodeSearchMeta(bad);
    }
  }
  // A length past the end, a kind out of range: no crash, no table.
  std::string head = std::string(kIndexFormat) + "\n";
  EXPECT_FALSE(DecodeSearchMeta(head + "\xff\xff\xff\xff\x0f"));
  EXPECT_FALSE(DecodeSearchMeta(head + std::string("\0\0\1\1a\1a\0\x7f", 10)));
}

TEST(FieldTableTest, SlotsAreUniqueFromFirstSlotInNameOrder) {
  std::map<std::string, Xapian::valueno> slots;
  std::set<Xapian::valueno> used;
  for (const IndexField& f : ProjectTable().fields()) {
    if (!f.sortable && !f.facet) {
      EXPECT_EQ(f.slot, Xapian::BAD_VALUENO) << f.name;
      continue;
    }
    EXPECT_NE(f.slot, kPathSlot) << f.name;
    EXPECT_NE(f.slot, kHitSlot) << f.name;
    EXPECT_NE(f.slot, kTextSlot) << f.name;
    EXPECT_TRUE(used.insert(f.slot).second) << f.name << " shares a slot";
    slots[f.name] = f.slot;
  }
  // By name: addressed_to, audience, authors, confidentiality, ...
  Xapian::valueno expected = kFirstSlot;
  for (const auto& [name, slot] : slots) {
    EXPECT_EQ(slot, expected++) << name;
  }
  EXPECT_EQ(slots.size(), 26u);
  EXPECT_EQ(slots["addressed_to"], 3u);
  EXPECT_EQ(slots["date"], 9u);
  EXPECT_EQ(slots["wave"], 28u);
}

TEST(FieldTableTest, BooleanFieldWithoutPrefixGetsTheDefaultOne) {
  Schema s = LoadSchemaTexts(
      {{"note.xml", NoteSchemaXml(R"(    <field name="public_note" kind="string"
           index="boolean"/>
)")}});
  FieldTable t = FieldTable::Build(s);
  const IndexField* f = t.ByName("public_note");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->prefix, "XPUBLICNOTE");
  EXPECT_EQ(f->query, "public_note");
  EXPECT_TRUE(f->boolean);
}

TEST(FieldTableTest, SlotsOfASmallSchema) {
  Schema s = LoadSchemaTexts(
      {{"note.xml", NoteSchemaXml(R"(    <field name="amount" kind="integer"
           index="sortable"/>
)")}});
  FieldTable t = FieldTable::Build(s);
  ASSERT_EQ(t.fields().size(), 5u);
  // amount, date, title, type: in name order from slot 3 (0, 1 and 2 hold
  // the path, the hit and the text).
  EXPECT_EQ(t.ByName("amount")->slot, 3u);
  EXPECT_EQ(t.ByName("date")->slot, 4u);
  EXPECT_EQ(t.ByName("title")->slot, 5u);
  EXPECT_EQ(t.ByName("type")->slot, 6u);
  EXPECT_EQ(t.ByName("id")->slot, Xapian::BAD_VALUENO);
}

TEST(FieldTableTest, FingerprintIsStableForTheSameSchema) {
  std::string fp = FieldTable::Build(testing::ProjectSchema()).fingerprint();
  EXPECT_EQ(fp.size(), 16u);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(fp, ProjectTable().fingerprint());

  Schema a = LoadSchemaTexts({{"note.xml", NoteSchemaXml("")}});
  Schema b = LoadSchemaTexts({{"other-name.xml", NoteSchemaXml("")}});
  EXPECT_EQ(FieldTable::Build(a).fingerprint(),
            FieldTable::Build(b).fingerprint());
  EXPECT_NE(FieldTable::Build(a).fingerprint(), ProjectTable().fingerprint());
}

class FingerprintChangeTest : public ::testing::Test {
 protected:
  static std::string Of(const std::string& field) {
    return FieldTable::Build(
               LoadSchemaTexts({{"note.xml", NoteSchemaXml(field)}}))
        .fingerprint();
  }
};

TEST_F(FingerprintChangeTest, ChangesWithWhatTheIndexDependsOn) {
  const std::string base =
      Of(R"(<field name="topic" kind="string" index="text boolean"
                weight="2" prefix="XTOP" query="topic"/>)");
  EXPECT_EQ(base, Of(R"(<field name="topic" kind="string" index="text boolean"
                weight="2" prefix="XTOP" query="topic"/>)"));
  // Weight, prefix, query name, kind, index uses: each makes a new table.
  std::map<std::string, std::string> changed = {
      {"weight",
       R"(<field name="topic" kind="string" index="text boolean"
                weight="3" prefix="XTOP" query="topic"/>)"},
      {"prefix",
       R"(<field name="topic" kind="string" index="text boolean"
                weight="2" prefix="XTOPIC" query="topic"/>)"},
      {"query",
       R"(<field name="topic" kind="string" index="text boolean"
                weight="2" prefix="XTOP" query="subject"/>)"},
      {"kind",
       R"(<field name="topic" kind="person" index="text boolean"
                weight="2" prefix="XTOP" query="topic"/>)"},
      {"index",
       R"(<field name="topic" kind="string" index="text boolean facet"
                weight="2" prefix="XTOP" query="topic"/>)"},
      {"name",
       R"(<field name="topics" kind="string" index="text boolean"
                weight="2" prefix="XTOP" query="topic"/>)"},
  };
  std::set<std::string> all = {base};
  for (const auto& [what, xml] : changed) {
    std::string fp = Of(xml);
    EXPECT_NE(fp, base) << what;
    all.insert(fp);
  }
  EXPECT_EQ(all.size(), changed.size() + 1);
}

TEST_F(FingerprintChangeTest, IgnoresWhatTheIndexDoesNotDependOn) {
  const std::string base =
      Of(R"(<field name="topic" kind="string" index="text" weight="2"
                prefix="XTOP" query="topic"/>)");
  EXPECT_EQ(base, Of(R"(<field name="topic" kind="string" index="text"
                weight="2" prefix="XTOP" query="topic" label="Topic"
                description="What the note is about." required="true"/>)"));
  // A field that is not indexed plays no part.
  EXPECT_EQ(base, Of(R"(<field name="topic" kind="string" index="text"
                weight="2" prefix="XTOP" query="topic"/>
    <field name="remark" kind="string"/>)"));
}

TEST(NormaliseTermTest, LowerCasesAsciiAndCollapsesSpace) {
  EXPECT_EQ(NormaliseTerm("Social Enterprise Coalition"),
            "social enterprise coalition");
  EXPECT_EQ(NormaliseTerm("  Case-Study \t\n  Two  "), "case-study two");
  EXPECT_EQ(NormaliseTerm(""), "");
  EXPECT_EQ(NormaliseTerm(" \t "), "");
  // Bytes beyond ASCII are kept as they are.
  EXPECT_EQ(NormaliseTerm("Ærø Kommune"), "Ærø kommune");
}

TEST(NormaliseTermTest, CutsLongValuesAtACharacterBoundary) {
  std::string ascii(250, 'A');
  EXPECT_EQ(NormaliseTerm(ascii), std::string(200, 'a'));
  EXPECT_EQ(NormaliseTerm(std::string(200, 'b')), std::string(200, 'b'));
  // "é" is two bytes, at 199-200: cutting at 200 would split it.
  std::string split = std::string(199, 'c') + "é" + std::string(20, 'c');
  EXPECT_EQ(NormaliseTerm(split), std::string(199, 'c'));
  // A three-byte character at 198-200.
  std::string euro = std::string(198, 'd') + "€" + "dd";
  EXPECT_EQ(NormaliseTerm(euro), std::string(198, 'd'));
  // Ending exactly at the limit, it stays.
  std::string whole = std::string(198, 'e') + "é" + "ee";
  EXPECT_EQ(NormaliseTerm(whole), std::string(198, 'e') + "é");
}

TEST(HitAndTextTest, PackedRecordAndWordsComeBackApart) {
  std::string big(300, 'r');  // a length of two bytes
  for (const std::string& record : {std::string(), std::string("rec"), big}) {
    for (const std::string& text : {std::string(), std::string("some words")}) {
      std::string packed = PackHitAndText(record, text);
      std::string_view r, t;
      ASSERT_TRUE(UnpackHitAndText(packed, &r, &t)) << record.size();
      EXPECT_EQ(r, record);
      EXPECT_EQ(t, text);
    }
  }
  // A record's length past the end, or cut short, is refused.
  std::string_view r, t;
  EXPECT_FALSE(UnpackHitAndText(std::string("\x05") + "abc", &r, &t));
  EXPECT_FALSE(UnpackHitAndText("\x80", &r, &t));
  EXPECT_FALSE(UnpackHitAndText("", &r, &t));
}

TEST(HitRecordTest, RoundTripsEveryField) {
  HitRecord in;
  in.path = "case-studies/a.md";
  in.blob = "0123456789abcdef0123456789abcdef01234567";
  in.id = "a";
  in.title = "Café — “quoted”";
  in.date = "2006-11-14";
  in.confidentiality = "public";
  in.status = "final";
  in.summary = std::string(300, 'x');  // a length of two bytes
  HitRecord out;
  out.type = "left over";
  ASSERT_TRUE(DecodeHitRecord(EncodeHitRecord(in), &out));
  EXPECT_EQ(out.path, in.path);
  EXPECT_EQ(out.blob, in.blob);
  EXPECT_EQ(out.id, in.id);
  EXPECT_EQ(out.title, in.title);
  EXPECT_EQ(out.type, "");
  EXPECT_EQ(out.date, in.date);
  EXPECT_EQ(out.confidentiality, in.confidentiality);
  EXPECT_EQ(out.status, in.status);
  EXPECT_EQ(out.summary, in.summary);
}

TEST(HitRecordTest, KeepsMalformedUtf8AsReplacementCharacters) {
  HitRecord in;
  in.title = "bad \xff\xfe end";
  HitRecord out;
  ASSERT_TRUE(DecodeHitRecord(EncodeHitRecord(in), &out));
  EXPECT_EQ(out.title, "bad \xef\xbf\xbd\xef\xbf\xbd end");
}

TEST(HitRecordTest, RefusesWhatItDidNotWrite) {
  HitRecord in;
  in.title = "Title";
  in.summary = std::string(200, 's');
  std::string bytes = EncodeHitRecord(in);
  HitRecord out;
  EXPECT_FALSE(DecodeHitRecord("", &out));
  EXPECT_FALSE(DecodeHitRecord("{\"id\": \"a\"}", &out));  // the old JSON
  EXPECT_FALSE(DecodeHitRecord(bytes + "x", &out));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeHitRecord(bytes.substr(0, n), &out)) << n;
  }
  EXPECT_FALSE(DecodeHitRecord(std::string(9, '\xff'), &out));
}

}  // namespace
}  // namespace evrepo::index
