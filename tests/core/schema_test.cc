// Tests of schema loading: the project's schemas, inheritance, overrides, and
// every error a schema file can hold, with its file:line message.
#include "evrepo/schema.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>

#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::ProjectSchema;
using testing::TempDir;

std::vector<std::string> FieldNames(const TypeDef& t) {
  std::vector<std::string> out;
  for (const FieldDef& f : t.fields) out.push_back(f.name);
  return out;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// --- The project's schemas ------------------------------------------------

TEST(ProjectSchema, HasTheSixDocumentTypes) {
  EXPECT_EQ(ProjectSchema().DocumentTypeNames(),
            (std::vector<std::string>{
                "case-study", "policy-response", "research-report",
                "task-force-submission", "toolkit", "training-material"}));
}

TEST(ProjectSchema, BaseIsAbstract) {
  const TypeDef* base = ProjectSchema().FindType("base");
  ASSERT_NE(base, nullptr);
  EXPECT_TRUE(base->abstract);
  EXPECT_EQ(base->label, "Document");
  EXPECT_EQ(ProjectSchema().FindType("nothing"), nullptr);
}

TEST(ProjectSchema, EveryTypeStartsWithTheBaseFields) {
  const TypeDef* base = ProjectSchema().FindType("base");
  ASSERT_NE(base, nullptr);
  std::vector<std::string> base_fields = FieldNames(*base);
  ASSERT_EQ(base_fields.size(), 13u);
  EXPECT_EQ(base_fields.front(), "id");
  EXPECT_EQ(base_fields.back(), "source_url");
  for (const TypeDef* t : ProjectSchema().DocumentTypes()) {
    std::vector<std::string> names = FieldNames(*t);
    ASSERT_GT(names.size(), base_fields.size()) << t->name;
    EXPECT_TRUE(
        std::equal(base_fields.begin(), base_fields.end(), names.begin()))
        << t->name;
    EXPECT_EQ(t->extends, "base");
  }
}

TEST(ProjectSchema, CaseStudyOwnFieldsFollowInOrder) {
  const TypeDef* t = ProjectSchema().FindType("case-study");
  ASSERT_NE(t, nullptr);
  std::vector<std::string> names = FieldNames(*t);
  EXPECT_EQ(
      std::vector<std::string>(names.begin() + 13, names.end()),
      (std::vector<std::string>{"organisation", "stage", "sector", "region",
                                "wave", "public_bodies", "contract_value"}));
  EXPECT_EQ(t->folder, "case-studies");
  EXPECT_EQ(t->label, "Case study");
}

TEST(ProjectSchema, FieldAttributesAreRead) {
  const TypeDef* t = ProjectSchema().FindType("case-study");
  ASSERT_NE(t, nullptr);
  const FieldDef* id = t->Find("id");
  ASSERT_NE(id, nullptr);
  EXPECT_TRUE(id->required);
  EXPECT_TRUE(id->slug);
  EXPECT_TRUE(id->index_boolean);
  EXPECT_EQ(id->prefix, "Q");
  EXPECT_EQ(id->dc, "identifier");
  EXPECT_TRUE(EndsWith(id->source, "base.xml:6")) << id->source;

  const FieldDef* authors = t->Find("authors");
  ASSERT_NE(authors, nullptr);
  EXPECT_EQ(authors->kind, FieldKind::kList);
  EXPECT_EQ(authors->item_kind, FieldKind::kPerson);
  EXPECT_EQ(authors->ScalarKind(), FieldKind::kPerson);
  EXPECT_EQ(authors->query, "author");
  EXPECT_EQ(authors->weight, 2);

  const FieldDef* wave = t->Find("wave");
  ASSERT_NE(wave, nullptr);
  EXPECT_EQ(wave->min, 1);
  EXPECT_EQ(wave->max, 20);
  EXPECT_FALSE(wave->required);

  const FieldDef* conf = t->Find("confidentiality");
  ASSERT_NE(conf, nullptr);
  EXPECT_EQ(conf->default_value, "internal");
  EXPECT_EQ(conf->values,
            (std::vector<std::string>{"public", "internal", "restricted"}));

  const FieldDef* value = t->Find("contract_value");
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->label, "Contract value (GBP)");
  EXPECT_EQ(value->query, "contract_value");  // defaults to the name
  EXPECT_EQ(t->Find("nothing"), nullptr);
}

TEST(ProjectSchema, SharedQueryNamesShareAPrefix) {
  const FieldDef* a = ProjectSchema().FindType("toolkit")->Find("audience");
  const FieldDef* b =
      ProjectSchema().FindType("training-material")->Find("audience");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->prefix, "XAUD");
  EXPECT_EQ(b->prefix, "XAUD");
}

TEST(ProjectSchema, Vocabularies) {
  const Schema& s = ProjectSchema();
  for (const char* name :
       {"partners", "tags", "regions", "sectors", "member-states"}) {
    EXPECT_NE(s.FindVocabulary(name), nullptr) << name;
  }
  EXPECT_EQ(s.FindVocabulary("nothing"), nullptr);

  const Vocabulary* partners = s.FindVocabulary("partners");
  const Term* noms = partners->Find("National Offender Management Service");
  ASSERT_NE(noms, nullptr);
  EXPECT_EQ(noms->alias, "NOMS");
  EXPECT_EQ(noms->label, noms->value);
  EXPECT_EQ(partners->Find("NOMS"), nullptr);  // an alias is not a value

  const Term* uk = s.FindVocabulary("member-states")->Find("UK");
  ASSERT_NE(uk, nullptr);
  EXPECT_EQ(uk->label, "United Kingdom");
  EXPECT_EQ(s.FindVocabulary("regions")->Values().front(), "north-east");
}

TEST(ProjectSchema, AllowedValuesFromValuesOrVocabulary) {
  const Schema& s = ProjectSchema();
  const TypeDef* t = s.FindType("case-study");
  EXPECT_EQ(s.AllowedValues(*t->Find("stage")),
            (std::vector<std::string>{"start-up", "growing", "established"}));
  EXPECT_EQ(s.AllowedValues(*t->Find("sector")).size(), 10u);
  EXPECT_EQ(s.AllowedValues(*t->Find("sector")).front(), "catering");
  EXPECT_TRUE(s.AllowedValues(*t->Find("title")).empty());
}

TEST(FieldKinds, NamesRoundTrip) {
  for (const char* name :
       {"string", "text", "date", "integer", "boolean", "enum", "list",
        "person", "organisation", "url", "reference"}) {
    auto kind = ParseKind(name);
    ASSERT_TRUE(kind) << name;
    EXPECT_EQ(KindName(*kind), name);
  }
  EXPECT_EQ(ParseKind("emun"), std::nullopt);
}

TEST(BuiltinSchemaDir, HonoursEnvironment) {
  const char* old = std::getenv("EVREPO_SCHEMA_DIR");
  std::string saved = old ? old : "";
  setenv("EVREPO_SCHEMA_DIR", "/some/where", 1);
  EXPECT_EQ(BuiltinSchemaDir(), fs::path("/some/where"));
  if (old) {
    setenv("EVREPO_SCHEMA_DIR", saved.c_str(), 1);
  } else {
    unsetenv("EVREPO_SCHEMA_DIR");
  }
}

// --- Small schemas in a temporary directory -------------------------------

// Runs in the temporary directory, so that messages name files as "s.xml".
class SchemaFiles : public ::testing::Test {
 protected:
  SchemaFiles() : old_cwd_(fs::current_path()) {
    fs::current_path(dir_.path());
  }
  ~SchemaFiles() override { fs::current_path(old_cwd_); }

  Result<Schema> LoadText(const std::string& xml) {
    dir_.Write("s.xml", xml);
    return Schema::LoadFiles({dir_.path() / "s.xml"});
  }

  // The error of loading `xml`; OK when it loads.
  Status Error(const std::string& xml) {
    auto s = LoadText(xml);
    return s ? Status::Ok() : s.status();
  }

  // A schema whose third line is `field`, in a type named "t".
  Status FieldError(const std::string& field) {
    return Error("<schema>\n<type name=\"t\">\n" + field +
                 "\n</type>\n</schema>\n");
  }

  TempDir dir_;
  fs::path old_cwd_;
};

TEST_F(SchemaFiles, SmallSchemaLoads) {
  auto s = LoadText(
      "<schema>\n"
      "  <type name=\"note\" label=\"Note\">\n"
      "    <field name=\"id\" kind=\"string\" required=\"true\"/>\n"
      "  </type>\n"
      "</schema>\n");
  ASSERT_TRUE(s) << s.status().message();
  const TypeDef* t = s->FindType("note");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->folder, "note");  // defaults to the name
  EXPECT_EQ(t->source, "s.xml:2");
  EXPECT_EQ(t->fields.at(0).source, "s.xml:3");
  EXPECT_EQ(t->fields.at(0).label, "id");
}

TEST_F(SchemaFiles, MalformedXmlNamesTheUnclosedElement) {
  Status s = Error("<schema>\n  <type name=\"t\">\n</schema>\n");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.message(),
            "s.xml:2: malformed XML: <type> is not closed, or is closed by "
            "the wrong end tag");
}

TEST_F(SchemaFiles, MalformedXmlIsSaidInWords) {
  EXPECT_EQ(Error("").message(), "s.xml:1: malformed XML: there is no element");
  EXPECT_EQ(Error("<schema>\n<!-- a note\n</schema>\n").message(),
            "s.xml:2: malformed XML: a comment is not closed (end it with "
            "-->)");
}

TEST_F(SchemaFiles, MalformedXmlGivesLineOfBadAttribute) {
  Status s = Error(
      "<schema>\n<type name=\"t\">\n<field name=a/>\n</type>\n"
      "</schema>\n");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.message(),
            "s.xml:3: malformed XML: an attribute is not well-formed in "
            "<field> (write name=\"value\")");
}

TEST_F(SchemaFiles, WrongRootElement) {
  Status s = Error("<?xml version=\"1.0\"?>\n<types/>\n");
  EXPECT_EQ(s.message(), "s.xml:2: the root element must be <schema>");
}

TEST_F(SchemaFiles, UnknownElementWithHint) {
  Status s = Error("<schema>\n  <typ name=\"t\"/>\n</schema>\n");
  EXPECT_EQ(s.message(), "s.xml:2: unknown element <typ>");
  EXPECT_EQ(s.hint(), "did you mean <type>?");
}

TEST_F(SchemaFiles, UnknownElementInType) {
  Status s = FieldError("<feild name=\"a\" kind=\"string\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: unknown element <feild>");
  EXPECT_EQ(s.hint(), "did you mean <field>?");
}

TEST_F(SchemaFiles, UnknownAttributeWithHint) {
  Status s = FieldError("<field name=\"a\" knd=\"string\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: unknown attribute 'knd' on <field>");
  EXPECT_EQ(s.hint(), "did you mean 'kind'?");
}

TEST_F(SchemaFiles, UnknownAttributeOnType) {
  Status s = Error("<schema>\n<type name=\"t\" extend=\"base\"/>\n</schema>\n");
  EXPECT_EQ(s.message(), "s.xml:2: unknown attribute 'extend' on <type>");
  EXPECT_EQ(s.hint(), "did you mean 'extends'?");
}

TEST_F(SchemaFiles, UnknownKindWithHint) {
  Status s = FieldError("<field name=\"a\" kind=\"strng\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: unknown kind 'strng' for field 'a'");
  EXPECT_EQ(s.hint(), "did you mean 'string'?");
}

// The example of evrepo-schema(5), ERRORS: "unknown kind 'enmu' for field
// 'briefed'" with "hint: did you mean 'enum'?".
TEST_F(SchemaFiles, UnknownKindHintMatchesManPageExample) {
  Status s = FieldError("<field name=\"briefed\" kind=\"enmu\" values=\"a\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: unknown kind 'enmu' for field 'briefed'");
  EXPECT_EQ(s.hint(), "did you mean 'enum'?");
}

TEST_F(SchemaFiles, MissingKindListsTheKinds) {
  Status s = FieldError("<field name=\"a\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: field 'a' has no kind");
  EXPECT_EQ(s.hint(),
            "kinds: string text date integer boolean enum list person "
            "organisation url reference");
}

TEST_F(SchemaFiles, ListWithoutOf) {
  Status s = FieldError("<field name=\"a\" kind=\"list\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: field 'a' has no of");
}

TEST_F(SchemaFiles, ListOfLists) {
  Status s = FieldError("<field name=\"a\" kind=\"list\" of=\"list\"/>");
  EXPECT_EQ(s.message(),
            "s.xml:3: field 'a': lists of lists are not supported");
}

TEST_F(SchemaFiles, OfOnANonList) {
  Status s = FieldError("<field name=\"a\" kind=\"string\" of=\"string\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: field 'a': 'of' applies to lists only");
}

TEST_F(SchemaFiles, EnumWithoutValues) {
  Status s = FieldError("<field name=\"a\" kind=\"enum\"/>");
  EXPECT_EQ(s.message(),
            "s.xml:3: enum field 'a' needs 'values' or a 'vocabulary'");
}

TEST_F(SchemaFiles, ListOfEnumWithoutValues) {
  Status s = FieldError("<field name=\"a\" kind=\"list\" of=\"enum\"/>");
  EXPECT_EQ(s.message(),
            "s.xml:3: enum field 'a' needs 'values' or a 'vocabulary'");
}

TEST_F(SchemaFiles, ValuesOnANonEnum) {
  Status s = FieldError("<field name=\"a\" kind=\"string\" values=\"x y\"/>");
  EXPECT_EQ(s.message(),
            "s.xml:3: field 'a': 'values' applies to enum fields only");
  EXPECT_EQ(s.hint(), "use kind=\"enum\" (or of=\"enum\" for a list)");
}

TEST_F(SchemaFiles, DefaultNotAmongValues) {
  Status s = FieldError(
      "<field name=\"a\" kind=\"enum\" values=\"x y\" default=\"z\"/>");
  EXPECT_EQ(s.message(),
            "s.xml:3: default 'z' of field 'a' is not one of its values");
}

TEST_F(SchemaFiles, MinOnANonInteger) {
  Status s = FieldError("<field name=\"a\" kind=\"string\" min=\"1\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: 'min' applies to integer fields only");
}

TEST_F(SchemaFiles, MaxOnANonInteger) {
  Status s = FieldError("<field name=\"a\" kind=\"date\" max=\"9\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: 'max' applies to integer fields only");
}

TEST_F(SchemaFiles, BoundThatIsNotAnInteger) {
  Status s = FieldError("<field name=\"a\" kind=\"integer\" min=\"one\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: 'min' must be an integer");
}

TEST_F(SchemaFiles, UnknownIndexTokenWithHint) {
  Status s =
      FieldError("<field name=\"a\" kind=\"string\" index=\"text facets\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: unknown index option 'facets'");
  EXPECT_EQ(s.hint(), "did you mean 'facet'?");
}

TEST_F(SchemaFiles, UnknownIndexTokenWithoutHint) {
  Status s = FieldError("<field name=\"a\" kind=\"string\" index=\"xyzzy\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: unknown index option 'xyzzy'");
  EXPECT_EQ(s.hint(), "index takes: text boolean sortable facet");
}

TEST_F(SchemaFiles, BadWeight) {
  Status s = FieldError("<field name=\"a\" kind=\"text\" weight=\"0\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: weight must be an integer from 1 to 100");
}

TEST_F(SchemaFiles, BadPrefix) {
  Status s = FieldError("<field name=\"a\" kind=\"string\" prefix=\"Xa\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: prefix 'Xa' must be upper-case letters");
}

TEST_F(SchemaFiles, BooleanIndexWithoutPrefixGetsOne) {
  auto s = LoadText(
      "<schema>\n<type name=\"t\">\n"
      "<field name=\"public_bodies\" kind=\"string\" index=\"boolean\"/>\n"
      "</type>\n</schema>\n");
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->FindType("t")->Find("public_bodies")->prefix, "XPUBLICBODIES");
}

// evrepo-schema(5): FIELD names may hold digits, and a field indexed boolean
// without a prefix gets "X" and its name in upper case; such a schema is valid.
TEST_F(SchemaFiles, BooleanIndexWithoutPrefixOnNameWithDigits) {
  auto s = LoadText(
      "<schema>\n<type name=\"t\">\n"
      "<field name=\"phase2\" kind=\"string\" index=\"boolean\"/>\n"
      "</type>\n</schema>\n");
  EXPECT_TRUE(s) << s.status().message();
}

TEST_F(SchemaFiles, UnknownDublinCoreElementWithHint) {
  Status s = FieldError("<field name=\"a\" kind=\"string\" dc=\"titel\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: 'titel' is not a Dublin Core element");
  EXPECT_EQ(s.hint(), "did you mean 'title'?");
}

TEST_F(SchemaFiles, UnknownPattern) {
  Status s = FieldError("<field name=\"a\" kind=\"string\" pattern=\"url\"/>");
  EXPECT_EQ(s.message(), "s.xml:3: unknown pattern 'url'");
  EXPECT_EQ(s.hint(), "the only pattern is 'slug'");
}

TEST_F(SchemaFiles, BooleanAttributeMustBeTrueOrFalse) {
  Status s = FieldError("<field name=\"a\" kind=\"string\" required=\"yes\"/>");
  EXPECT_EQ(s.message(),
            "s.xml:3: attribute 'required' must be true or false, not 'yes'");
}

TEST_F(SchemaFiles, BadFieldName) {
  Status s = FieldError("<field name=\"Title\" kind=\"string\"/>");
  EXPECT_EQ(s.message(),
            "s.xml:3: field name 'Title' must be lower-case letters, digits "
            "and '_'");
}

TEST_F(SchemaFiles, FieldDeclaredTwice) {
  Status s = FieldError(
      "<field name=\"a\" kind=\"string\"/>\n<field name=\"a\" kind=\"text\"/>");
  EXPECT_EQ(s.message(), "s.xml:4: field 'a' is declared twice in 't'");
}

TEST_F(SchemaFiles, BadTypeName) {
  Status s = Error("<schema>\n<type name=\"Case Study\"/>\n</schema>\n");
  EXPECT_EQ(s.message(),
            "s.xml:2: type name 'Case Study' must be lower-case words joined "
            "by hyphens");
}

TEST_F(SchemaFiles, FolderOutsideTheCorpus) {
  Status s = Error("<schema>\n<type name=\"t\" folder=\"../x\"/>\n</schema>\n");
  EXPECT_EQ(s.message(),
            "s.xml:2: folder '../x' must be a relative path inside the corpus");
}

TEST_F(SchemaFiles, TermWithoutValue) {
  Status s = Error(
      "<schema>\n<vocabulary name=\"v\">\n<term label=\"x\"/>\n"
      "</vocabulary>\n</schema>\n");
  EXPECT_EQ(s.message(), "s.xml:3: <term> needs a value");
}

TEST_F(SchemaFiles, TermTwice) {
  Status s = Error(
      "<schema>\n<vocabulary name=\"v\">\n<term value=\"x\"/>\n"
      "<term value=\"x\"/>\n</vocabulary>\n</schema>\n");
  EXPECT_EQ(s.message(), "s.xml:4: term 'x' appears twice in 'v'");
}

TEST_F(SchemaFiles, UnknownVocabularyWithHint) {
  Status s = Error(
      "<schema>\n"
      "<type name=\"t\">\n"
      "<field name=\"a\" kind=\"list\" of=\"string\" vocabulary=\"tag\"/>\n"
      "</type>\n"
      "<vocabulary name=\"tags\"><term value=\"x\"/></vocabulary>\n"
      "</schema>\n");
  EXPECT_EQ(s.message(), "s.xml:3: field 'a' names unknown vocabulary 'tag'");
  EXPECT_EQ(s.hint(), "did you mean 'tags'?");
}

TEST_F(SchemaFiles, ExtendsUnknownTypeWithHint) {
  Status s = Error(
      "<schema>\n"
      "<type name=\"base\" abstract=\"true\"/>\n"
      "<type name=\"t\" extends=\"bse\"/>\n"
      "</schema>\n");
  EXPECT_EQ(s.message(), "s.xml:3: type 't' extends unknown type 'bse'");
  EXPECT_EQ(s.hint(), "did you mean 'base'?");
}

TEST_F(SchemaFiles, ExtendsCycle) {
  Status s = Error(
      "<schema>\n"
      "<type name=\"a\" extends=\"b\"/>\n"
      "<type name=\"b\" extends=\"a\"/>\n"
      "</schema>\n");
  EXPECT_EQ(s.message(), "s.xml:2: type 'a' extends itself through 'b'");
}

TEST_F(SchemaFiles, ExtendsItself) {
  Status s = Error("<schema>\n<type name=\"a\" extends=\"a\"/>\n</schema>\n");
  EXPECT_EQ(s.message(), "s.xml:2: type 'a' extends itself through 'a'");
}

TEST_F(SchemaFiles, QueryNameWithTwoPrefixes) {
  Status s = Error(
      "<schema>\n"
      "<type name=\"a\">\n"
      "<field name=\"x\" kind=\"string\" prefix=\"XA\" query=\"q\"/>\n"
      "</type>\n"
      "<type name=\"b\">\n"
      "<field name=\"y\" kind=\"string\" prefix=\"XB\" query=\"q\"/>\n"
      "</type>\n"
      "</schema>\n");
  EXPECT_EQ(s.message(),
            "s.xml:6: query name 'q' has prefix 'XB' here but 'XA' at "
            "s.xml:3");
}

TEST_F(SchemaFiles, PrefixWithTwoQueryNames) {
  Status s = Error(
      "<schema>\n"
      "<type name=\"a\">\n"
      "<field name=\"x\" kind=\"string\" prefix=\"XA\"/>\n"
      "<field name=\"y\" kind=\"string\" prefix=\"XA\"/>\n"
      "</type>\n"
      "</schema>\n");
  EXPECT_EQ(s.message(), "s.xml:4: prefix 'XA' is used for both 'x' and 'y'");
}

TEST_F(SchemaFiles, RedeclaredFieldReplacesInheritedOneInPlace) {
  auto s = LoadText(
      "<schema>\n"
      "<type name=\"base\" abstract=\"true\">\n"
      "  <field name=\"id\" kind=\"string\" required=\"true\"/>\n"
      "  <field name=\"status\" kind=\"enum\" values=\"draft final\"/>\n"
      "  <field name=\"title\" kind=\"string\"/>\n"
      "</type>\n"
      "<type name=\"briefing\" extends=\"base\">\n"
      "  <field name=\"meeting\" kind=\"date\"/>\n"
      "  <field name=\"status\" kind=\"enum\" values=\"draft withdrawn\"/>\n"
      "</type>\n"
      "</schema>\n");
  ASSERT_TRUE(s) << s.status().message();
  const TypeDef* t = s->FindType("briefing");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(FieldNames(*t),
            (std::vector<std::string>{"id", "status", "title", "meeting"}));
  const FieldDef* status = t->Find("status");
  EXPECT_EQ(status->values, (std::vector<std::string>{"draft", "withdrawn"}));
  EXPECT_EQ(status->source, "s.xml:9");
  EXPECT_EQ(s->DocumentTypeNames(), std::vector<std::string>{"briefing"});
  // The base itself is unchanged.
  EXPECT_EQ(s->FindType("base")->Find("status")->values,
            (std::vector<std::string>{"draft", "final"}));
}

TEST_F(SchemaFiles, InheritanceIsTransitive) {
  auto s = LoadText(
      "<schema>\n"
      "<type name=\"c\" extends=\"b\"><field name=\"z\" "
      "kind=\"text\"/></type>\n"
      "<type name=\"b\" extends=\"a\"><field name=\"y\" "
      "kind=\"text\"/></type>\n"
      "<type name=\"a\"><field name=\"x\" kind=\"text\"/></type>\n"
      "</schema>\n");
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(FieldNames(*s->FindType("c")),
            (std::vector<std::string>{"x", "y", "z"}));
}

TEST_F(SchemaFiles, LaterFileReplacesType) {
  dir_.Write("schemas/a.xml",
             "<schema>\n"
             "<type name=\"t\"><field name=\"old\" kind=\"text\"/></type>\n"
             "<vocabulary name=\"v\"><term value=\"one\"/></vocabulary>\n"
             "</schema>\n");
  dir_.Write("schemas/b.xml",
             "<schema>\n"
             "<type name=\"t\" extends=\"base\">\n"
             "<field name=\"new\" kind=\"text\"/></type>\n"
             "<vocabulary name=\"v\"><term value=\"two\"/></vocabulary>\n"
             "</schema>\n");
  // b.xml's "t" extends a type defined only in a later directory.
  dir_.Write("more/c.xml",
             "<schema>\n"
             "<type name=\"base\"><field name=\"id\" kind=\"string\"/></type>\n"
             "</schema>\n");
  auto s = Schema::Load({dir_.path() / "schemas", dir_.path() / "more"});
  ASSERT_TRUE(s) << s.status().message();
  const TypeDef* t = s->FindType("t");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(FieldNames(*t), (std::vector<std::string>{"id", "new"}));
  EXPECT_EQ(t->source, "schemas/b.xml:2");
  EXPECT_EQ(s->FindVocabulary("v")->Values(), std::vector<std::string>{"two"});
}

TEST_F(SchemaFiles, MissingDirectoryIsNotFound) {
  auto s = Schema::Load({dir_.path() / "nowhere"});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(s.status().message(), "schema directory 'nowhere' does not exist");
}

TEST_F(SchemaFiles, NoDirectoriesGiveAnEmptySchema) {
  auto s = Schema::Load({});
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->DocumentTypes().empty());
}

TEST_F(SchemaFiles, UnreadableFileIsAnIoError) {
  auto s = Schema::LoadFiles({dir_.path() / "missing.xml"});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kIo);
  EXPECT_EQ(s.status().message(), "cannot read schema 'missing.xml'");
}

}  // namespace
}  // namespace evrepo
