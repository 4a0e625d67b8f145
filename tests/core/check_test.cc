// Tests of the validation rules: one invalid document per rule, with the
// exact diagnostic, and valid documents of every type that pass clean.
#include "evrepo/check.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.h"

namespace evrepo {
namespace {

using testing::ProjectSchema;
using testing::TempDir;

using Files = std::vector<std::pair<std::string, std::string>>;

CheckReport Check(const Files& files, const CheckOptions& options = {},
                  const Schema& schema = ProjectSchema()) {
  std::vector<Document> docs;
  for (const auto& [path, text] : files)
    docs.push_back(ParseDocument(path, text));
  return CheckDocuments(schema, std::move(docs), options);
}

std::vector<std::string> Formatted(const CheckReport& report) {
  std::vector<std::string> out;
  for (const Diagnostic& d : report.diagnostics) {
    out.push_back(FormatDiagnostic(d));
  }
  return out;
}

using Lines = std::vector<std::string>;

// `text` with its only occurrence of `from` replaced by `to`.
std::string Replace(std::string text, const std::string& from,
                    const std::string& to) {
  std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// A valid case study; `extra` lines start on line 12, the body right after
// the closing delimiter.
std::string CaseStudy(const std::string& id, const std::string& extra = "",
                      const std::string& body = "# Harbour Kitchen\n") {
  return "---\n"  // 1
         "id: " +
         id +
         "\n"                                             // 2
         "title: Harbour Kitchen, wave 2\n"               // 3
         "type: case-study\n"                             // 4
         "date: 2006-03-01\n"                             // 5
         "authors: [A. Author, B. Author]\n"              // 6
         "summary: How a co-operative won a contract.\n"  // 7
         "confidentiality: public\n"                      // 8
         "status: final\n"                                // 9
         "organisation: Harbour Kitchen\n"                // 10
         "stage: growing\n" +                             // 11
         extra +
         "---\n" + body;
}

const std::string kPath = "case-studies/harbour-kitchen-wave-2.md";
const std::string kId = "harbour-kitchen-wave-2";

// Diagnostics of the case study changed by `from` -> `to`, alone.
Lines Changed(const std::string& from, const std::string& to) {
  return Formatted(Check({{kPath, Replace(CaseStudy(kId), from, to)}}));
}

// Diagnostics of the case study with `extra` lines from line 12, alone.
Lines WithExtra(const std::string& extra) {
  return Formatted(Check({{kPath, CaseStudy(kId, extra)}}));
}

// Hint of the only diagnostic of `report`.
std::string OnlyHint(const CheckReport& report) {
  EXPECT_EQ(report.diagnostics.size(), 1u);
  return report.diagnostics.empty() ? "" : report.diagnostics[0].hint;
}

TEST(Check, ValidCaseStudyHasNoDiagnostics) {
  CheckReport r = Check({{kPath, CaseStudy(kId)}});
  EXPECT_TRUE(r.diagnostics.empty()) << ::testing::PrintToString(Formatted(r));
  EXPECT_EQ(r.errors, 0);
  EXPECT_EQ(r.warnings, 0);
  ASSERT_EQ(r.documents.size(), 1u);
  EXPECT_EQ(r.documents[0].id, kId);
  EXPECT_EQ(r.documents[0].type, "case-study");
  EXPECT_EQ(r.documents[0].title, "Harbour Kitchen, wave 2");
}

// --- A valid document of each type, checked together so references resolve.

const Files kValidCorpus = {
    {"case-studies/harbour-kitchen-wave-2.md",
     CaseStudy("harbour-kitchen-wave-2",
               "sector: catering\n"
               "region: north-east\n"
               "wave: 2\n"
               "public_bodies: [Northfield City Council]\n"
               "contract_value: 25000\n"
               "tags: [social-clauses, small-contracts]\n"
               "partners: [Northfield City Council]\n"
               "related: [finding-contracts-guide]\n"
               "source_url: https://example.org/harbour-kitchen\n",
               "# Harbour Kitchen\n\nSee [the guide](../toolkits/"
               "finding-contracts-guide.md#use) and [the response]"
               "(doc:joint-note-response-2006).\n")},
    {"policy-responses/joint-note-response-2006.md",
     "---\n"
     "id: joint-note-response-2006\n"
     "title: Response to the Joint Note on Social Issues in Contracting\n"
     "type: policy-response\n"
     "date: 2006-11-14\n"
     "authors:\n"
     "  - A. Author\n"
     "  - B. Author\n"
     "summary: >\n"
     "  Why social considerations belong\n"
     "  in public contracts.\n"
     "confidentiality: public\n"
     "status: final\n"
     "responds_to: Joint Note on Social Issues in Contracting\n"
     "addressed_to: Office of Government Commerce\n"
     "on_behalf_of: Social Enterprise Coalition\n"
     "consultation_closes: 2006-11-30\n"
     "---\n"
     "# Response\n"},
    {"research/market-intelligence-survey.md",
     "---\n"
     "id: market-intelligence-survey\n"
     "title: Market intelligence survey\n"
     "type: research-report\n"
     "date: 2007-05-01\n"
     "authors: [C. Author]\n"
     "summary: What councils buy from social enterprises.\n"
     "confidentiality: internal\n"
     "status: draft\n"
     "methods: [survey, interviews]\n"
     "countries: [UK, FR]\n"
     "sample_size: 120\n"
     "funder: European Social Fund\n"
     "partners: [National Offender Management Service]\n"
     "---\n"
     "# Survey\n"},
    {"submissions/task-force-evidence.md",
     "---\n"
     "id: task-force-evidence\n"
     "title: Evidence to the task force\n"
     "type: task-force-submission\n"
     "date: 2007-01-10\n"
     "authors: [D. Author]\n"
     "summary: Evidence on small contracts.\n"
     "confidentiality: restricted\n"
     "status: superseded\n"
     "task_force: Social Enterprise Task Force\n"
     "submitted: 2007-01-15\n"
     "recommendations: 12\n"
     "supersedes: [joint-note-response-2006]\n"
     "---\n"
     "# Evidence\n"},
    {"toolkits/finding-contracts-guide.md",
     "---\n"
     "id: finding-contracts-guide\n"
     "title: Finding contracts\n"
     "type: toolkit\n"
     "date: 2007-02-01\n"
     "authors: [E. Author]\n"
     "summary: A guide to finding contracts.\n"
     "confidentiality: public\n"
     "status: final\n"
     "service: finding-contracts\n"
     "audience: social-enterprises\n"
     "version: \"1.2\"\n"
     "formats: [checklist, guide]\n"
     "---\n"
     "# Finding contracts\n\n## Use\n"},
    {"training/contracting-module-3.md",
     "---\n"
     "id: contracting-module-3\n"
     "title: Contracting know-how, module 3\n"
     "type: training-material\n"
     "date: 2008-02-29\n"
     "authors: [F. Author]\n"
     "summary: Pricing a tender.\n"
     "confidentiality: public\n"
     "status: final\n"
     "programme: Contracting Know-How\n"
     "module: 3\n"
     "audience: commissioners\n"
     "level: introductory\n"
     "duration_hours: 6\n"
     "---\n"
     "# Module 3\n"},
};

TEST(Check, ValidDocumentOfEachTypeHasNoDiagnostics) {
  CheckReport r = Check(kValidCorpus);
  EXPECT_TRUE(r.diagnostics.empty()) << ::testing::PrintToString(Formatted(r));
  std::vector<std::string> types;
  for (const Document& d : r.documents) types.push_back(d.type);
  std::sort(types.begin(), types.end());
  EXPECT_EQ(types, ProjectSchema().DocumentTypeNames());
}

TEST(Check, EachValidDocumentAloneHasOnlyReferenceDiagnostics) {
  for (const auto& file : kValidCorpus) {
    CheckReport r = Check({file});
    for (const Diagnostic& d : r.diagnostics) {
      EXPECT_TRUE(d.rule == "reference" || d.rule == "link")
          << FormatDiagnostic(d);
    }
  }
}

// --- generic, unknown-type ------------------------------------------------

TEST(Check, GenericDocumentIsAWarning) {
  CheckReport r = Check({{"notes/meeting.md", "# Meeting\n\nNotes.\n"}});
  EXPECT_EQ(Formatted(r),
            Lines{"notes/meeting.md:1:1: warning: no front matter: treated as "
                  "a generic document [generic]"});
  EXPECT_EQ(OnlyHint(r),
            "to give it a type, add front matter with id, title, type, date, "
            "authors, summary, confidentiality, status and what the type "
            "requires ('evrepo schema TYPE')");
  EXPECT_EQ(r.errors, 0);
  EXPECT_EQ(r.warnings, 1);
}

TEST(Check, EmptyFileIsNotAlsoGeneric) {
  EXPECT_EQ(Formatted(Check({{"notes/empty.md", "\n"}})),
            Lines{"notes/empty.md: warning: empty document [empty-file]"});
}

TEST(Check, UnknownTypeWithDidYouMean) {
  CheckReport r = Check({{kPath, Replace(CaseStudy(kId), "type: case-study",
                                         "type: case-stdy")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":4:7: warning: unknown type 'case-stdy': treated "
                          "as a generic document [unknown-type]"});
  EXPECT_EQ(OnlyHint(r), "did you mean 'case-study'?");
}

TEST(Check, AbstractTypeIsUnknownAndHintListsTypes) {
  CheckReport r = Check(
      {{kPath, Replace(CaseStudy(kId), "type: case-study", "type: base")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":4:7: warning: unknown type 'base': treated as a "
                          "generic document [unknown-type]"});
  EXPECT_EQ(OnlyHint(r),
            "types: case-study, policy-response, research-report, "
            "task-force-submission, toolkit, training-material");
}

TEST(Check, MissingTypeField) {
  CheckReport r =
      Check({{kPath, Replace(CaseStudy(kId), "type: case-study\n", "")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":1:1: warning: no 'type' field: treated as a "
                          "generic document [unknown-type]"});
}

TEST(Check, TypeThatIsAList) {
  EXPECT_EQ(Changed("type: case-study", "type: [case-study]"),
            Lines{kPath + ":4:7: error: 'type' must be a single value [kind]"});
}

TEST(Check, GenericDocumentWithBadIdStillGetsIdFormat) {
  EXPECT_EQ(Formatted(Check({{"notes/a.md", "---\nid: Not OK\n---\n"}})),
            (Lines{"notes/a.md:1:1: warning: no 'type' field: treated as a "
                   "generic document [unknown-type]",
                   "notes/a.md:2:5: error: field 'id': 'Not OK' is not "
                   "lower-case words joined by hyphens [id-format]"}));
}

// --- required ---------------------------------------------------------------

TEST(Check, RequiredFieldMissing) {
  CheckReport r = Check({{kPath, Replace(CaseStudy(kId),
                                         "summary: How a co-operative won a "
                                         "contract.\n",
                                         "")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":1:1: error: missing required field 'summary' "
                          "[required]"});
  EXPECT_EQ(OnlyHint(r), "'summary' takes text");
}

TEST(Check, RequiredFieldEmpty) {
  CheckReport r = Check({{kPath, Replace(CaseStudy(kId),
                                         "summary: How a co-operative won a "
                                         "contract.",
                                         "summary:")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":7:1: error: required field 'summary' is empty "
                          "[required]"});
}

TEST(Check, RequiredFieldBlankString) {
  EXPECT_EQ(
      Changed("summary: How a co-operative won a contract.", "summary: \"  \""),
      Lines{kPath + ":7:1: error: required field 'summary' is empty "
                    "[required]"});
}

TEST(Check, RequiredListEmpty) {
  CheckReport r =
      Check({{kPath, Replace(CaseStudy(kId), "authors: [A. Author, B. Author]",
                             "authors: []")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":6:1: error: required field 'authors' is empty "
                          "[required]"});
  EXPECT_EQ(OnlyHint(r), "'authors' takes a list, each item a person's name");
}

TEST(Check, RequiredEnumHintListsValues) {
  CheckReport r =
      Check({{kPath, Replace(CaseStudy(kId), "stage: growing\n", "")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":1:1: error: missing required field 'stage' "
                          "[required]"});
  EXPECT_EQ(OnlyHint(r),
            "'stage' takes one of: start-up, growing, established");
}

// --- kind -------------------------------------------------------------------

TEST(Check, DateThatIsNotACalendarDay) {
  CheckReport r = Check({{kPath, Replace(CaseStudy(kId), "date: 2006-03-01",
                                         "date: 2006-02-30")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":5:7: error: '2006-02-30' is not a real calendar "
                          "date [kind]"});
  EXPECT_EQ(OnlyHint(r), "write dates as YYYY-MM-DD");
}

TEST(Check, LeapDays) {
  EXPECT_TRUE(Changed("date: 2006-03-01", "date: 2008-02-29").empty());
  EXPECT_TRUE(Changed("date: 2006-03-01", "date: 2000-02-29").empty());
  EXPECT_EQ(Changed("date: 2006-03-01", "date: 2007-02-29"),
            Lines{kPath + ":5:7: error: '2007-02-29' is not a real calendar "
                          "date [kind]"});
  EXPECT_EQ(Changed("date: 2006-03-01", "date: 1900-02-29"),
            Lines{kPath + ":5:7: error: '1900-02-29' is not a real calendar "
                          "date [kind]"});
  EXPECT_EQ(Changed("date: 2006-03-01", "date: 2006-13-01"),
            Lines{kPath + ":5:7: error: '2006-13-01' is not a real calendar "
                          "date [kind]"});
}

TEST(Check, ValueThatIsNotADate) {
  CheckReport r = Check({{kPath, Replace(CaseStudy(kId), "date: 2006-03-01",
                                         "date: March 2006")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":5:7: error: field 'date': 'March 2006' is not a "
                          "date [kind]"});
  EXPECT_EQ(OnlyHint(r), "write dates as YYYY-MM-DD");
}

TEST(Check, ValueThatIsNotAnInteger) {
  EXPECT_EQ(WithExtra("wave: two\n"),
            Lines{kPath + ":12:7: error: field 'wave': 'two' is not an "
                          "integer [kind]"});
  EXPECT_EQ(WithExtra("wave: 2.5\n"),
            Lines{kPath + ":12:7: error: field 'wave': '2.5' is not an "
                          "integer [kind]"});
}

TEST(Check, SignedIntegerIsAnInteger) {
  EXPECT_TRUE(WithExtra("wave: +3\n").empty());
}

TEST(Check, ValueThatIsNotABoolean) {
  TempDir dir;
  dir.Write("memo.xml",
            "<schema>\n<type name=\"memo\">\n"
            "<field name=\"type\" kind=\"string\"/>\n"
            "<field name=\"has_annex\" kind=\"boolean\"/>\n"
            "</type>\n</schema>\n");
  auto schema = Schema::LoadFiles({dir.path() / "memo.xml"});
  ASSERT_TRUE(schema) << schema.status().message();
  CheckReport bad = Check(
      {{"memo.md", "---\ntype: memo\nhas_annex: yes\n---\n"}}, {}, *schema);
  EXPECT_EQ(Formatted(bad),
            Lines{"memo.md:3:12: error: field 'has_annex': 'yes' is not true "
                  "or false [kind]"});
  CheckReport good = Check(
      {{"memo.md", "---\ntype: memo\nhas_annex: false\n---\n"}}, {}, *schema);
  EXPECT_TRUE(good.diagnostics.empty());
}

TEST(Check, ValueThatIsNotAnHttpUrl) {
  EXPECT_EQ(WithExtra("source_url: ftp://example.org/report.pdf\n"),
            Lines{kPath + ":12:13: error: field 'source_url': "
                          "'ftp://example.org/report.pdf' is not an http or "
                          "https URL [kind]"});
  EXPECT_EQ(WithExtra("source_url: https://\n"),
            Lines{kPath + ":12:13: error: field 'source_url': 'https://' is "
                          "not an http or https URL [kind]"});
  EXPECT_TRUE(WithExtra("source_url: http://example.org/a?b=c#d\n").empty());
}

TEST(Check, SingleValueWhereAListIsExpected) {
  CheckReport r =
      Check({{kPath, Replace(CaseStudy(kId), "authors: [A. Author, B. Author]",
                             "authors: A. Author")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":6:10: error: field 'authors' must be a list "
                          "[kind]"});
  EXPECT_EQ(OnlyHint(r), "write authors: [A. Author]");
}

TEST(Check, ListWhereASingleValueIsExpected) {
  EXPECT_EQ(Changed("organisation: Harbour Kitchen",
                    "organisation: [Harbour Kitchen, Acme]"),
            Lines{kPath + ":10:15: error: field 'organisation' takes a single "
                          "value, not a list [kind]"});
}

TEST(Check, MappingAsAListItem) {
  EXPECT_EQ(Changed("authors: [A. Author, B. Author]",
                    "authors: [{name: A. Author}]"),
            Lines{kPath + ":6:11: error: field 'authors' takes single values "
                          "as items, not a mapping [kind]"});
}

// --- range, enum, vocabulary
// ---------------------------------------------------

TEST(Check, IntegerAboveMax) {
  EXPECT_EQ(WithExtra("wave: 21\n"),
            Lines{kPath + ":12:7: error: field 'wave' must be from 1 to 20, "
                          "not 21 [range]"});
}

TEST(Check, IntegerBelowMin) {
  EXPECT_EQ(WithExtra("contract_value: -5\n"),
            Lines{kPath + ":12:17: error: field 'contract_value' must be at "
                          "least 0, not -5 [range]"});
}

TEST(Check, BoundsAreInclusive) {
  EXPECT_TRUE(WithExtra("wave: 1\n").empty());
  EXPECT_TRUE(WithExtra("wave: 20\n").empty());
}

TEST(Check, EnumValueWithDidYouMean) {
  CheckReport r = Check(
      {{kPath, Replace(CaseStudy(kId), "stage: growing", "stage: grwoing")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":11:8: error: field 'stage': 'grwoing' is not one "
                          "of: start-up, growing, established [enum]"});
  EXPECT_EQ(OnlyHint(r), "did you mean 'growing'?");
}

TEST(Check, EnumValueWithoutCloseMatch) {
  CheckReport r =
      Check({{kPath, Replace(CaseStudy(kId), "stage: growing", "stage: zzz")}});
  EXPECT_EQ(OnlyHint(r), "");
}

TEST(Check, EnumValuesAreCaseSensitive) {
  CheckReport r = Check(
      {{kPath, Replace(CaseStudy(kId), "stage: growing", "stage: Growing")}});
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].rule, "enum");
  EXPECT_EQ(r.diagnostics[0].hint, "did you mean 'growing'?");
}

TEST(Check, ListOfEnumItem) {
  CheckReport r =
      Check({{"research/r.md", Replace(Replace(kValidCorpus[2].second,
                                               "methods: [survey, interviews]",
                                               "methods: [survey, intervews]"),
                                       "countries: [UK, FR]\n", "")}});
  EXPECT_EQ(Formatted(r),
            Lines{"research/r.md:10:19: error: field 'methods': 'intervews' "
                  "is not one of: survey, interviews, case-studies, "
                  "desk-research, workshops, statistical-analysis [enum]"});
  EXPECT_EQ(OnlyHint(r), "did you mean 'interviews'?");
}

TEST(Check, VocabularyTermWithDidYouMean) {
  CheckReport r = Check({{kPath, CaseStudy(kId, "tags: [social-valu]\n")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":12:8: error: field 'tags': 'social-valu' is not "
                          "in the 'tags' vocabulary [vocabulary]"});
  EXPECT_EQ(OnlyHint(r), "did you mean 'social-value'?");
}

TEST(Check, VocabularyAliasSuggestsFullTerm) {
  CheckReport r = Check({{kPath, CaseStudy(kId, "partners: [NOMS]\n")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":12:12: error: field 'partners': 'NOMS' is not in "
                          "the 'partners' vocabulary [vocabulary]"});
  EXPECT_EQ(OnlyHint(r),
            "did you mean 'National Offender Management Service'?");
}

TEST(Check, VocabularyTermWithoutCloseMatch) {
  CheckReport r = Check({{kPath, CaseStudy(kId, "tags: [zzzzzz]\n")}});
  EXPECT_EQ(OnlyHint(r), "'evrepo schema' lists the terms of 'tags'");
}

TEST(Check, EnumFromVocabulary) {
  CheckReport r = Check({{kPath, CaseStudy(kId, "region: north-eest\n")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":12:9: error: field 'region': 'north-eest' is not "
                          "in the 'regions' vocabulary [vocabulary]"});
  EXPECT_EQ(OnlyHint(r), "did you mean 'north-east'?");
}

// --- id-format, duplicate-id -------------------------------------------------

TEST(Check, IdThatIsNotASlug) {
  CheckReport r = Check({{kPath, CaseStudy("Harbour_Kitchen")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":2:5: error: field 'id': 'Harbour_Kitchen' is not "
                          "lower-case words joined by hyphens [id-format]"});
  EXPECT_EQ(OnlyHint(r), "did you mean 'harbour-kitchen'?");
}

TEST(Check, ReferenceThatIsNotAnId) {
  CheckReport r = Check({{kPath, CaseStudy(kId, "related: [Not An Id]\n")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":12:11: error: field 'related': 'Not An Id' is not "
                          "a document id [id-format]"});
  EXPECT_EQ(OnlyHint(r), "ids are lower-case words joined by hyphens");
}

TEST(Check, DuplicateIdReportedOnEachDocumentNamingTheOthers) {
  CheckReport r = Check({{"case-studies/c.md", CaseStudy(kId)},
                         {"case-studies/b.md", CaseStudy(kId)},
                         {"case-studies/a.md", CaseStudy(kId)}});
  EXPECT_EQ(
      Formatted(r),
      (Lines{"case-studies/a.md:2:5: error: duplicate id "
             "'harbour-kitchen-wave-2' (also used by 'case-studies/b.md', "
             "'case-studies/c.md') [duplicate-id]",
             "case-studies/b.md:2:5: error: duplicate id "
             "'harbour-kitchen-wave-2' (also used by 'case-studies/a.md', "
             "'case-studies/c.md') [duplicate-id]",
             "case-studies/c.md:2:5: error: duplicate id "
             "'harbour-kitchen-wave-2' (also used by 'case-studies/a.md', "
             "'case-studies/b.md') [duplicate-id]"}));
  for (const Diagnostic& d : r.diagnostics) EXPECT_EQ(d.hint, "");
}

TEST(Check, DuplicateIdOfGenericDocumentsFromFileNames) {
  CheckReport r = Check({{"a/notes.md", "# A\n"}, {"b/notes.md", "# B\n"}});
  std::vector<std::string> dup;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.rule == "duplicate-id") {
      dup.push_back(FormatDiagnostic(d));
      EXPECT_EQ(d.hint, "give it an 'id' field");
    }
  }
  EXPECT_EQ(dup, (Lines{"a/notes.md:1:1: error: duplicate id 'notes' (also "
                        "used by 'b/notes.md') [duplicate-id]",
                        "b/notes.md:1:1: error: duplicate id 'notes' (also "
                        "used by 'a/notes.md') [duplicate-id]"}));
}

// --- reference, supersedes-cycle ---------------------------------------------

TEST(Check, ReferenceToUnknownIdWithDidYouMean) {
  CheckReport r =
      Check({{kPath, CaseStudy(kId, "related: [finding-contract-guide]\n")},
             kValidCorpus[4]});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":12:11: error: 'related' names "
                          "'finding-contract-guide', which is no document's id "
                          "[reference]"});
  EXPECT_EQ(OnlyHint(r), "did you mean 'finding-contracts-guide'?");
}

TEST(Check, SupersedesUnknownId) {
  CheckReport r =
      Check({{kPath, CaseStudy(kId, "supersedes: [older-study]\n")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":12:14: error: 'supersedes' names 'older-study', "
                          "which is no document's id [reference]"});
}

TEST(Check, DocumentRelatedToItself) {
  EXPECT_EQ(WithExtra("related: [" + kId + "]\n"),
            Lines{kPath + ":12:11: error: document lists itself in 'related' "
                          "[reference]"});
}

TEST(Check, SupersedesCycleReportedOnce) {
  CheckReport r =
      Check({{"case-studies/b.md", CaseStudy("b", "supersedes: [a]\n")},
             {"case-studies/a.md", CaseStudy("a", "supersedes: [b]\n")}});
  EXPECT_EQ(Formatted(r),
            Lines{"case-studies/a.md:12:13: error: supersedes cycle: a → b → a "
                  "[supersedes-cycle]"});
  EXPECT_EQ(OnlyHint(r),
            "a document cannot replace, even indirectly, one that replaces it");
}

TEST(Check, LongerSupersedesCycleReportedOnce) {
  CheckReport r = Check({{"c.md", CaseStudy("c", "supersedes: [a]\n")},
                         {"a.md", CaseStudy("a", "supersedes: [b]\n")},
                         {"b.md", CaseStudy("b", "supersedes: [c]\n")}});
  EXPECT_EQ(Formatted(r),
            Lines{"a.md:12:13: error: supersedes cycle: a → b → c → a "
                  "[supersedes-cycle]"});
}

TEST(Check, SelfSupersedeIsACycle) {
  EXPECT_EQ(WithExtra("supersedes: [" + kId + "]\n"),
            Lines{kPath + ":12:13: error: supersedes cycle: " + kId + " → " +
                  kId + " [supersedes-cycle]"});
}

TEST(Check, SupersedesChainIsNotACycle) {
  CheckReport r = Check({{"a.md", CaseStudy("a", "supersedes: [b]\n")},
                         {"b.md", CaseStudy("b", "supersedes: [c]\n")},
                         {"c.md", CaseStudy("c")}});
  EXPECT_TRUE(r.diagnostics.empty()) << ::testing::PrintToString(Formatted(r));
}

// --- link
// ---------------------------------------------------------------------

// Diagnostics of the case study with `body` and, beside it, wave 1 and a
// toolkit.
Lines LinkDiagnostics(const std::string& body) {
  return Formatted(Check({{kPath, CaseStudy(kId, "", body)},
                          {"case-studies/harbour-kitchen-wave-1.md",
                           CaseStudy("harbour-kitchen-wave-1")},
                          kValidCorpus[4]}));
}

TEST(Check, RelativeLinkToMissingFileWithHint) {
  CheckReport r = Check(
      {{kPath, CaseStudy(kId, "",
                         "# Harbour Kitchen\n\nSee [wave 3](harbour-kitchen-"
                         "wave-3.md).\n")},
       {"case-studies/harbour-kitchen-wave-1.md",
        CaseStudy("harbour-kitchen-wave-1")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":15:5: error: link to 'harbour-kitchen-wave-3.md': "
                          "'case-studies/harbour-kitchen-wave-3.md' is not a "
                          "document of the corpus [link]"});
  EXPECT_EQ(OnlyHint(r), "did you mean 'harbour-kitchen-wave-1.md'?");
}

TEST(Check, RelativeLinkResolvedFromDocumentDirectory) {
  EXPECT_EQ(LinkDiagnostics("# H\n[guide](finding-contracts-guide.md)\n"),
            Lines{kPath + ":14:1: error: link to 'finding-contracts-guide.md': "
                          "'case-studies/finding-contracts-guide.md' is not a "
                          "document of the corpus [link]"});
}

TEST(Check, LinkLeavingTheCorpus) {
  EXPECT_EQ(LinkDiagnostics("# H\n\n[x](../../outside.md)\n"),
            Lines{kPath + ":15:1: error: link to '../../outside.md' leaves the "
                          "corpus [link]"});
}

TEST(Check, DocLinkToUnknownId) {
  CheckReport r = Check({{kPath, CaseStudy(kId, "",
                                           "# H\n\n[x](doc:finding-contract-"
                                           "guide)\n")},
                         kValidCorpus[4]});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":15:1: error: link to 'doc:finding-contract-guide' "
                          "names no document [link]"});
  EXPECT_EQ(OnlyHint(r), "did you mean 'finding-contracts-guide'?");
}

TEST(Check, ValidLinksAreAccepted) {
  EXPECT_TRUE(
      LinkDiagnostics("# Harbour Kitchen\n\n"
                      "[a](harbour-kitchen-wave-1.md)\n"
                      "[b](../toolkits/finding-contracts-guide.md#section)\n"
                      "[c](/toolkits/finding-contracts-guide.md)\n"
                      "[d](./harbour%2Dkitchen-wave-1.md?x=1)\n"
                      "[e](doc:finding-contracts-guide)\n"
                      "[f](doc:harbour-kitchen-wave-1#history)\n"
                      "[g](#section)\n"
                      "[h](https://example.org/missing.md)\n"
                      "[i](mailto:someone@example.org)\n"
                      "[j](//example.org/x.md)\n"
                      "[k](report.pdf)\n"
                      "![l](figures/chart.png)\n"
                      "<https://example.org/auto.md>\n")
          .empty());
}

TEST(Check, LinkPositionsInListsQuotesAndContinuationLines) {
  EXPECT_EQ(LinkDiagnostics("# H\n\n- item [x](a.md)\n\n> quote\n> more "
                            "[y](b.md)\n"),
            (Lines{kPath + ":15:8: error: link to 'a.md': 'case-studies/a.md' "
                           "is not a document of the corpus [link]",
                   kPath + ":18:8: error: link to 'b.md': 'case-studies/b.md' "
                           "is not a document of the corpus [link]"}));
}

// Columns count bytes of the file: the two spaces that open the second line
// of the paragraph come before the link.
TEST(Check, LinkOnIndentedContinuationLineHasItsColumn) {
  EXPECT_EQ(LinkDiagnostics("# H\n\nFirst line\n  then [x](a.md)\n"),
            Lines{kPath + ":16:8: error: link to 'a.md': 'case-studies/a.md' "
                          "is not a document of the corpus [link]"});
}

TEST(Check, LinkInsideCodeIsNotALink) {
  EXPECT_TRUE(LinkDiagnostics("# H\n\n`[x](missing.md)`\n\n"
                              "    [y](missing.md)\n")
                  .empty());
}

// --- unknown-field, strict
// ------------------------------------------------------

TEST(Check, UnknownFieldIsAWarningWithDidYouMean) {
  CheckReport r = Check({{kPath, CaseStudy(kId, "wavee: 2\n")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":12:1: warning: unknown field 'wavee' for type "
                          "'case-study' [unknown-field]"});
  EXPECT_EQ(OnlyHint(r), "did you mean 'wave'?");
  EXPECT_EQ(r.errors, 0);
  EXPECT_EQ(r.warnings, 1);
}

TEST(Check, UnknownFieldWithoutCloseMatch) {
  CheckReport r = Check({{kPath, CaseStudy(kId, "colour: red\n")}});
  EXPECT_EQ(OnlyHint(r),
            "'evrepo schema case-study' lists the fields of case-study");
}

TEST(Check, StrictMakesWarningsErrors) {
  CheckOptions strict;
  strict.strict = true;
  CheckReport r = Check({{kPath, CaseStudy(kId, "wavee: 2\n")},
                         {"notes/meeting.md", "# Meeting\n"}},
                        strict);
  EXPECT_EQ(Formatted(r),
            (Lines{kPath + ":12:1: error: unknown field 'wavee' for type "
                           "'case-study' [unknown-field]",
                   "notes/meeting.md:1:1: error: no front matter: treated as "
                   "a generic document [generic]"}));
  EXPECT_EQ(r.errors, 2);
  EXPECT_EQ(r.warnings, 0);
}

// --- parse diagnostics, order, identity
// ---------------------------------------

TEST(Check, UnreadableFrontMatterIsNotCheckedFurther) {
  EXPECT_EQ(Formatted(Check({{"a.md", "---\ntype: case-study\n"}})),
            Lines{"a.md:1:1: error: unterminated front matter [front-matter]"});
  EXPECT_EQ(Formatted(Check({{"b.md", "---\ntitle: caf\xE9\n---\n"}})),
            Lines{"b.md:2:11: error: invalid UTF-8 [encoding]"});
}

TEST(Check, ParseDiagnosticsAreIncluded) {
  CheckReport r = Check({{kPath, CaseStudy(kId, "title: Again\n")}});
  EXPECT_EQ(Formatted(r),
            Lines{kPath + ":12:1: error: duplicate key 'title' (first defined "
                          "on line 3) [duplicate-key]"});
}

TEST(Check, DiagnosticsAreSortedAndDocumentsByPath) {
  CheckReport r =
      Check({{"z.md", "# Z\n"},
             {kPath, Replace(CaseStudy(kId, "wave: 99\ncolour: red\n"),
                             "stage: growing", "stage: grwoing")},
             {"a.md", "---\ntype: case-study\n---\n"}});
  EXPECT_GT(r.diagnostics.size(), 5u);
  EXPECT_TRUE(std::is_sorted(r.diagnostics.begin(), r.diagnostics.end()));
  EXPECT_EQ(r.diagnostics.front().path, "a.md");
  EXPECT_EQ(r.diagnostics.back().path, "z.md");
  ASSERT_EQ(r.documents.size(), 3u);
  EXPECT_EQ(r.documents[0].path, "a.md");
  EXPECT_EQ(r.documents[1].path, kPath);
  EXPECT_EQ(r.documents[2].path, "z.md");
}

TEST(ResolveIdentity, GenericDocumentFromFileNameAndHeading) {
  Document doc =
      ParseDocument("notes/Kick-off Meeting.md",
                    "Intro.\n\n## The *kick-off* meeting\n\n# Later\n");
  ResolveIdentity(ProjectSchema(), doc);
  EXPECT_EQ(doc.id, "kick-off-meeting");
  EXPECT_EQ(doc.title, "The kick-off meeting");
  EXPECT_EQ(doc.type, "");
}

TEST(ResolveIdentity, GenericTitleFromFileNameWithoutHeading) {
  Document doc = ParseDocument("notes/meeting-notes.md", "Just text.\n");
  ResolveIdentity(ProjectSchema(), doc);
  EXPECT_EQ(doc.id, "meeting-notes");
  EXPECT_EQ(doc.title, "meeting-notes");
}

TEST(ResolveIdentity, TypedDocumentFromFrontMatter) {
  Document doc = ParseDocument("case-studies/x.md", CaseStudy(kId));
  ResolveIdentity(ProjectSchema(), doc);
  EXPECT_EQ(doc.id, kId);
  EXPECT_EQ(doc.type, "case-study");
  EXPECT_EQ(doc.title, "Harbour Kitchen, wave 2");
}

TEST(ResolveIdentity, UnknownTypeLeavesTypeEmptyButKeepsIdAndTitle) {
  Document doc =
      ParseDocument("x.md", "---\nid: a\ntitle: T\ntype: memo\n---\n");
  ResolveIdentity(ProjectSchema(), doc);
  EXPECT_EQ(doc.id, "a");
  EXPECT_EQ(doc.title, "T");
  EXPECT_EQ(doc.type, "");
}

TEST(ResolveIdentity, AbstractTypeIsNoType) {
  Document doc = ParseDocument("x.md", "---\ntype: base\n---\n");
  ResolveIdentity(ProjectSchema(), doc);
  EXPECT_EQ(doc.type, "");
  EXPECT_EQ(doc.id, "x");
}

}  // namespace
}  // namespace evrepo
