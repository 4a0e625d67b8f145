// Tests of `new`: the scaffold built from a type's schema, and writing it
// without ever replacing a file.
#include "evrepo/scaffold.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "evrepo/text.h"
#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

using testing::ReadAll;

class ScaffoldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("evrepo.yml", "name: test\n");
    auto c = Corpus::Open(dir_.path());
    ASSERT_TRUE(c) << c.status().message();
    corpus_ = std::make_unique<Corpus>(std::move(*c));
  }

  static ScaffoldRequest Request(
      std::string type, std::string title,
      std::vector<std::pair<std::string, std::string>> values = {}) {
    ScaffoldRequest r;
    r.type = std::move(type);
    r.title = std::move(title);
    r.values = std::move(values);
    r.today = "2008-03-12";
    return r;
  }

  // A parsed existing document with its identity resolved.
  Document Existing(const std::string& path, const std::string& text) const {
    Document d = ParseDocument(path, text);
    ResolveIdentity(corpus_->schema(), d);
    return d;
  }

  Result<Scaffold> Build(const ScaffoldRequest& r,
                         const std::vector<Document>& existing = {}) const {
    return BuildScaffold(*corpus_, r, existing);
  }

  // The scaffold's text read back as a document.
  static Document Parsed(const Scaffold& s) {
    return ParseDocument(s.path, s.text);
  }

  TempDir dir_;
  std::unique_ptr<Corpus> corpus_;
};

// Every required field of a case study, for a scaffold that passes check.
const std::vector<std::pair<std::string, std::string>> kComplete = {
    {"authors", "A. Author, B. Author"},
    {"summary", "How a co-operative won a contract."},
    {"organisation", "Harbour Kitchen"},
    {"stage", "growing"},
};

TEST_F(ScaffoldTest, IdFromTitleAndDefaults) {
  auto s = Build(Request("case-study", "Harbour Kitchen, wave 4"));
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->path, "case-studies/harbour-kitchen-wave-4.md");
  EXPECT_TRUE(s->diagnostics.empty());
  EXPECT_FALSE(s->written);
  Document d = Parsed(*s);
  EXPECT_TRUE(d.diagnostics.empty());
  EXPECT_EQ(d.Scalar("id"), "harbour-kitchen-wave-4");
  EXPECT_EQ(d.Scalar("title"), "Harbour Kitchen, wave 4");
  EXPECT_EQ(d.Scalar("type"), "case-study");
  EXPECT_EQ(d.Scalar("date"), "2008-03-12");
  EXPECT_EQ(d.Scalar("status"), "draft");
  EXPECT_EQ(d.Scalar("confidentiality"), "internal");
  EXPECT_EQ(d.body, "# Harbour Kitchen, wave 4\n\n");
}

TEST_F(ScaffoldTest, MissingRequiredFieldsAreListedAndWrittenEmpty) {
  auto s = Build(Request("case-study", "Harbour Kitchen, wave 4"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->missing, (std::vector<std::string>{"authors", "summary",
                                                  "organisation", "stage"}));
  Document d = Parsed(*s);
  for (const std::string& name : s->missing) {
    const Field* f = d.Find(name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_TRUE(f->value.IsNull()) << name;
  }
  EXPECT_NE(s->text.find("\nstage:  # required: enum: start-up | growing | "
                         "established\n"),
            std::string::npos)
      << s->text;
}

TEST_F(ScaffoldTest, FieldsInSchemaOrder) {
  auto s = Build(Request("case-study", "T", kComplete));
  ASSERT_TRUE(s);
  Document d = Parsed(*s);
  const TypeDef* type = corpus_->schema().FindType("case-study");
  std::size_t last = 0;
  for (const Field& f : d.fields) {
    std::size_t at = 0;
    while (at < type->fields.size() && type->fields[at].name != f.key) ++at;
    ASSERT_LT(at, type->fields.size()) << f.key;
    EXPECT_GE(at, last) << f.key;
    last = at;
  }
}

TEST_F(ScaffoldTest, IdMadeUniqueWithSuffix) {
  std::vector<Document> existing = {
      Existing("case-studies/a.md", "---\nid: harbour-kitchen\n---\n"),
  };
  auto s = Build(Request("case-study", "Harbour Kitchen"), existing);
  ASSERT_TRUE(s);
  EXPECT_EQ(Parsed(*s).Scalar("id"), "harbour-kitchen-2");
  EXPECT_EQ(s->path, "case-studies/harbour-kitchen-2.md");
}

TEST_F(ScaffoldTest, IdSuffixCountsPastTakenOnes) {
  std::vector<Document> existing = {
      Existing("case-studies/a.md", "---\nid: harbour-kitchen\n---\n"),
      Existing("notes/harbour-kitchen-2.md", "# generic, id from file name\n"),
  };
  auto s = Build(Request("case-study", "Harbour Kitchen"), existing);
  ASSERT_TRUE(s);
  EXPECT_EQ(Parsed(*s).Scalar("id"), "harbour-kitchen-3");
}

TEST_F(ScaffoldTest, IdFromAccentedTitleWithApostrophe) {
  auto s =
      Build(Request("toolkit", "L'\xC3\xA9t\xC3\xA9 des co-op\xC3\xA9ratives"));
  ASSERT_TRUE(s);
  EXPECT_EQ(Parsed(*s).Scalar("id"), "lete-des-co-operatives");
  EXPECT_EQ(s->path, "toolkits/lete-des-co-operatives.md");
}

TEST_F(ScaffoldTest, LongTitleGivesIdCutAtAWord) {
  auto s = Build(Request("toolkit",
                         "A very long title about finding public contracts "
                         "for social enterprises in the north east"));
  ASSERT_TRUE(s);
  std::string id = Parsed(*s).Scalar("id");
  EXPECT_LE(id.size(), 60u);
  EXPECT_TRUE(IsSlug(id)) << id;
  EXPECT_EQ(id, "a-very-long-title-about-finding-public-contracts-for-social");
}

TEST_F(ScaffoldTest, SetValuesOverrideDefaults) {
  auto s = Build(Request("case-study", "T",
                         {{"date", "2007-01-01"},
                          {"status", "final"},
                          {"id", "my-id"},
                          {"confidentiality", "public"}}));
  ASSERT_TRUE(s);
  Document d = Parsed(*s);
  EXPECT_EQ(d.Scalar("date"), "2007-01-01");
  EXPECT_EQ(d.Scalar("status"), "final");
  EXPECT_EQ(d.Scalar("confidentiality"), "public");
  EXPECT_EQ(d.Scalar("id"), "my-id");
  EXPECT_EQ(s->path, "case-studies/my-id.md");
}

TEST_F(ScaffoldTest, LaterSetOfSameFieldWins) {
  auto s = Build(Request("case-study", "T",
                         {{"stage", "growing"}, {"stage", "established"}}));
  ASSERT_TRUE(s);
  EXPECT_EQ(Parsed(*s).Scalar("stage"), "established");
}

TEST_F(ScaffoldTest, ListsFromCommaSeparatedValues) {
  auto s = Build(Request("case-study", "T",
                         {{"authors", "A. Author,  B. Author ,,"},
                          {"tags", "social-clauses,procurement-policy"}}));
  ASSERT_TRUE(s);
  EXPECT_NE(s->text.find("\nauthors: [A. Author, B. Author]\n"),
            std::string::npos)
      << s->text;
  Document d = Parsed(*s);
  EXPECT_EQ(d.List("authors"),
            (std::vector<std::string>{"A. Author", "B. Author"}));
  EXPECT_EQ(d.List("tags"),
            (std::vector<std::string>{"social-clauses", "procurement-policy"}));
  EXPECT_TRUE(s->diagnostics.empty());
}

TEST_F(ScaffoldTest, ValuesWithColonOrHashAreQuoted) {
  auto s = Build(
      Request("case-study", "Contracts: a #1 guide",
              {{"organisation", "Kitchen #2"}, {"summary", "Why: because"}}));
  ASSERT_TRUE(s);
  EXPECT_NE(s->text.find("\ntitle: \"Contracts: a #1 guide\"\n"),
            std::string::npos)
      << s->text;
  EXPECT_NE(s->text.find("\norganisation: \"Kitchen #2\"\n"),
            std::string::npos);
  Document d = Parsed(*s);
  EXPECT_TRUE(d.diagnostics.empty());
  EXPECT_EQ(d.Scalar("title"), "Contracts: a #1 guide");
  EXPECT_EQ(d.Scalar("organisation"), "Kitchen #2");
  EXPECT_EQ(d.Scalar("summary"), "Why: because");
}

TEST_F(ScaffoldTest, PlainValuesStayPlain) {
  auto s =
      Build(Request("case-study", "T", {{"organisation", "C# Works 10:30"}}));
  ASSERT_TRUE(s);
  EXPECT_NE(s->text.find("\norganisation: C# Works 10:30\n"), std::string::npos)
      << s->text;
}

TEST_F(ScaffoldTest, TrickyValuesReadBackAsGiven) {
  for (const std::string v : {"ends with:",
                              "# starts with hash",
                              "-dash",
                              "- dash item",
                              "'single'",
                              "\"double\"",
                              "null",
                              "~",
                              "[bracket",
                              "{brace",
                              "*star",
                              "&anchor",
                              "!tag",
                              "|pipe",
                              ">fold",
                              "%percent",
                              "@at",
                              "`tick",
                              "?question",
                              "back\\slash",
                              "tab\there",
                              "line\nbreak",
                              " leading space",
                              "yes",
                              "0123",
                              "Kitchen: the sequel",
                              "a #b"}) {
    auto s = Build(Request("case-study", "T", {{"organisation", v}}));
    ASSERT_TRUE(s) << v;
    Document d = Parsed(*s);
    EXPECT_TRUE(d.diagnostics.empty()) << v << "\n" << s->text;
    EXPECT_EQ(d.Scalar("organisation"), v) << s->text;
  }
}

// yaml-cpp reads plain "Null" and "NULL" (like "null" and "~") as an empty
// value, so they must be quoted to read back as the string given.
TEST_F(ScaffoldTest, CapitalisedNullReadsBackAsGiven) {
  for (const std::string v : {"Null", "NULL"}) {
    auto s = Build(Request("case-study", "T", {{"organisation", v}}));
    ASSERT_TRUE(s) << v;
    EXPECT_EQ(Parsed(*s).Scalar("organisation"), v) << s->text;
  }
}

TEST_F(ScaffoldTest, TrickyListItemsReadBackAsGiven) {
  auto s = Build(Request(
      "case-study", "T",
      {{"public_bodies",
        "Council: North, [Board], {Trust}, null, #1 Agency, http://x.org"}}));
  ASSERT_TRUE(s);
  Document d = Parsed(*s);
  EXPECT_TRUE(d.diagnostics.empty()) << s->text;
  EXPECT_EQ(d.List("public_bodies"),
            (std::vector<std::string>{"Council: North", "[Board]", "{Trust}",
                                      "null", "#1 Agency", "http://x.org"}))
      << s->text;
}

TEST_F(ScaffoldTest, UnknownTypeIsAUsageErrorWithHint) {
  auto s = Build(Request("case-stdy", "T"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kUsage);
  EXPECT_EQ(s.status().message(), "unknown type 'case-stdy'");
  EXPECT_EQ(s.status().hint(), "did you mean 'case-study'?");
}

TEST_F(ScaffoldTest, AbstractTypeIsUnknown) {
  auto s = Build(Request("base", "T"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kUsage);
  EXPECT_EQ(s.status().message(), "unknown type 'base'");
  EXPECT_EQ(s.status().hint(), "'evrepo schema' lists the types");
}

TEST_F(ScaffoldTest, UnknownFieldIsAUsageErrorWithHint) {
  auto s = Build(Request("case-study", "T", {{"sumary", "x"}}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kUsage);
  EXPECT_EQ(s.status().message(), "type 'case-study' has no field 'sumary'");
  EXPECT_EQ(s.status().hint(), "did you mean 'summary'?");
}

TEST_F(ScaffoldTest, FieldOfAnotherTypeIsUnknown) {
  auto s = Build(Request("case-study", "T", {{"service", "brokerage"}}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().message(), "type 'case-study' has no field 'service'");
}

TEST_F(ScaffoldTest, TypeCannotBeSet) {
  auto s = Build(Request("case-study", "T", {{"type", "toolkit"}}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kUsage);
  EXPECT_EQ(s.status().message(), "the type is given as the first argument");
}

TEST_F(ScaffoldTest, EmptyTitleIsAUsageError) {
  auto s = Build(Request("case-study", "   "));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kUsage);
  EXPECT_EQ(s.status().message(), "the title must not be empty");
}

TEST_F(ScaffoldTest, BadIdIsAUsageErrorWithHint) {
  auto s = Build(Request("case-study", "T", {{"id", "Harbour Kitchen"}}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kUsage);
  EXPECT_EQ(s.status().message(),
            "id 'Harbour Kitchen' is not lower-case words joined by hyphens");
  EXPECT_EQ(s.status().hint(), "did you mean 'harbour-kitchen'?");
}

TEST_F(ScaffoldTest, InvalidEnumValueGivesDiagnostics) {
  auto s =
      Build(Request("case-study", "Harbour Kitchen", {{"stage", "grwoing"}}));
  ASSERT_TRUE(s) << s.status().message();
  ASSERT_EQ(s->diagnostics.size(), 1u);
  const Diagnostic& d = s->diagnostics[0];
  EXPECT_EQ(d.path, "case-studies/harbour-kitchen.md");
  EXPECT_EQ(d.rule, "enum");
  EXPECT_EQ(d.message,
            "field 'stage': 'grwoing' is not one of: start-up, growing, "
            "established");
  EXPECT_EQ(d.hint, "did you mean 'growing'?");
  // The diagnostic points at the value in the scaffold's text.
  Document parsed = Parsed(*s);
  EXPECT_EQ(d.line, parsed.Find("stage")->value.pos.line);
  EXPECT_EQ(d.column, parsed.Find("stage")->value.pos.column);
}

TEST_F(ScaffoldTest, InvalidValuesOfOtherKindsGiveDiagnostics) {
  auto s = Build(Request("case-study", "T",
                         {{"date", "2006-02-30"},
                          {"wave", "99"},
                          {"tags", "social-valu"},
                          {"related", "no-such-document"}}));
  ASSERT_TRUE(s);
  std::vector<std::string> rules;
  for (const Diagnostic& d : s->diagnostics) rules.push_back(d.rule);
  EXPECT_EQ(rules, (std::vector<std::string>{"kind", "vocabulary", "reference",
                                             "range"}))
      << ::testing::PrintToString(rules);
}

TEST_F(ScaffoldTest, ExplicitIdTakenByAnotherDocumentIsADiagnostic) {
  std::vector<Document> existing = {
      Existing("notes/taken.md", "# Taken\n"),
  };
  auto s = Build(Request("case-study", "T", {{"id", "taken"}}), existing);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->diagnostics.size(), 1u);
  EXPECT_EQ(s->diagnostics[0].rule, "duplicate-id");
}

TEST_F(ScaffoldTest, CompleteScaffoldPassesCheck) {
  std::vector<Document> existing = {
      Existing("toolkits/guide.md",
               "---\nid: guide\ntitle: Guide\ntype: toolkit\ndate: 2007-01-01\n"
               "authors: [A]\nsummary: S.\nconfidentiality: public\n"
               "status: final\nservice: brokerage\naudience: mixed\n---\n"),
  };
  auto values = kComplete;
  values.push_back({"related", "guide"});
  values.push_back({"partners", "Social Enterprise Coalition"});
  auto s =
      Build(Request("case-study", "Harbour Kitchen: wave 4", values), existing);
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_TRUE(s->missing.empty());
  EXPECT_TRUE(s->diagnostics.empty());
  std::vector<Document> all = existing;
  all.push_back(ParseDocument(s->path, s->text));
  CheckReport r = CheckDocuments(corpus_->schema(), std::move(all));
  std::vector<std::string> formatted;
  for (const Diagnostic& d : r.diagnostics)
    formatted.push_back(FormatDiagnostic(d));
  EXPECT_TRUE(r.diagnostics.empty())
      << ::testing::PrintToString(formatted) << "\n"
      << s->text;
}

TEST_F(ScaffoldTest, CompleteScaffoldOfEveryTypePassesCheck) {
  const std::map<std::string, std::vector<std::pair<std::string, std::string>>>
      required = {
          {"case-study", {{"organisation", "O"}, {"stage", "growing"}}},
          {"policy-response", {{"responds_to", "A consultation"}}},
          {"research-report", {{"methods", "survey"}}},
          {"task-force-submission",
           {{"task_force", "TF"}, {"submitted", "2007-01-01"}}},
          {"toolkit", {{"service", "brokerage"}, {"audience", "mixed"}}},
          {"training-material", {{"programme", "P"}, {"audience", "mixed"}}},
      };
  for (const std::string& type : corpus_->schema().DocumentTypeNames()) {
    auto values = required.at(type);
    values.push_back({"authors", "A. Author"});
    values.push_back({"summary", "S."});
    auto s = Build(Request(type, "A title", values));
    ASSERT_TRUE(s) << type << ": " << s.status().message();
    EXPECT_TRUE(s->missing.empty()) << type;
    CheckReport r = CheckDocuments(corpus_->schema(), {Parsed(*s)});
    EXPECT_TRUE(r.diagnostics.empty()) << type << "\n" << s->text;
  }
}

// --- CreateDocument
// ------------------------------------------------------------

TEST_F(ScaffoldTest, CreateDocumentWritesTheScaffold) {
  auto s = CreateDocument(*corpus_,
                          Request("case-study", "Harbour Kitchen", kComplete));
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_TRUE(s->written);
  EXPECT_EQ(s->path, "case-studies/harbour-kitchen.md");
  EXPECT_EQ(ReadAll(dir_.path() / s->path), s->text);
}

TEST_F(ScaffoldTest, CreateDocumentTwiceGivesANewId) {
  auto first = CreateDocument(*corpus_, Request("toolkit", "Guide"));
  ASSERT_TRUE(first) << first.status().message();
  auto second = CreateDocument(*corpus_, Request("toolkit", "Guide"));
  ASSERT_TRUE(second) << second.status().message();
  EXPECT_EQ(first->path, "toolkits/guide.md");
  EXPECT_EQ(second->path, "toolkits/guide-2.md");
  EXPECT_EQ(ReadAll(dir_.path() / first->path), first->text);
}

TEST_F(ScaffoldTest, CreateDocumentWritesNothingForInvalidValues) {
  auto s = CreateDocument(*corpus_, Request("case-study", "Harbour Kitchen",
                                            {{"stage", "grwoing"}}));
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_FALSE(s->written);
  EXPECT_FALSE(s->diagnostics.empty());
  EXPECT_FALSE(fs::exists(dir_.path() / "case-studies" / "harbour-kitchen.md"));
}

TEST_F(ScaffoldTest, CreateDocumentNeverReplacesADocument) {
  // A document whose id is not its file name.
  const std::string old = "---\nid: other\n---\n# Old\n";
  dir_.Write("toolkits/guide.md", old);
  auto s = CreateDocument(*corpus_, Request("toolkit", "Guide"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kConflict);
  EXPECT_EQ(s.status().message(),
            "'toolkits/guide.md' already exists; nothing was written");
  EXPECT_EQ(s.status().hint(), "choose another id with --set id=ID");
  EXPECT_EQ(ReadAll(dir_.path() / "toolkits" / "guide.md"), old);
}

TEST_F(ScaffoldTest, CreateDocumentNeverReplacesAnExcludedFile) {
  dir_.Write("evrepo.yml", "exclude: [\"toolkits/*\"]\n");
  auto c = Corpus::Open(dir_.path());
  ASSERT_TRUE(c) << c.status().message();
  const std::string old = "not a document\n";
  dir_.Write("toolkits/guide.md", old);
  auto s = CreateDocument(*c, Request("toolkit", "Guide"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kConflict);
  EXPECT_EQ(ReadAll(dir_.path() / "toolkits" / "guide.md"), old);
}

}  // namespace
}  // namespace evrepo
