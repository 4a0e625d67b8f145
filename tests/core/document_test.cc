// Tests of ParseDocument: front matter with source positions, the body, and
// every way the bytes of a file can be wrong.
#include "evrepo/document.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace evrepo {
namespace {

using std::string_literals::operator""s;

std::vector<std::string> Formatted(const Document& doc) {
  std::vector<std::string> out;
  for (const Diagnostic& d : doc.diagnostics)
    out.push_back(FormatDiagnostic(d));
  return out;
}

TEST(ParseDocument, FieldsKeepKeyAndValuePositions) {
  Document doc = ParseDocument("a.md",
                               "---\n"
                               "id: acme\n"
                               "title:   Acme Catering\n"
                               "  # comment\n"
                               "authors: [Jane Smith, John Doe]\n"
                               "---\n"
                               "# Acme\n");
  EXPECT_TRUE(doc.diagnostics.empty());
  ASSERT_TRUE(doc.has_front_matter);
  ASSERT_EQ(doc.fields.size(), 3u);

  EXPECT_EQ(doc.fields[0].key, "id");
  EXPECT_EQ(doc.fields[0].key_pos.line, 2);
  EXPECT_EQ(doc.fields[0].key_pos.column, 1);
  EXPECT_EQ(doc.fields[0].value.scalar, "acme");
  EXPECT_EQ(doc.fields[0].value.pos.line, 2);
  EXPECT_EQ(doc.fields[0].value.pos.column, 5);

  EXPECT_EQ(doc.fields[1].key, "title");
  EXPECT_EQ(doc.fields[1].value.scalar, "Acme Catering");
  EXPECT_EQ(doc.fields[1].value.pos.line, 3);
  EXPECT_EQ(doc.fields[1].value.pos.column, 10);

  const YamlNode& authors = doc.fields[2].value;
  EXPECT_EQ(doc.fields[2].key_pos.line, 5);
  ASSERT_EQ(authors.kind, YamlNode::Kind::kSequence);
  EXPECT_EQ(authors.pos.line, 5);
  EXPECT_EQ(authors.pos.column, 10);
  ASSERT_EQ(authors.items.size(), 2u);
  EXPECT_EQ(authors.items[0].scalar, "Jane Smith");
  EXPECT_EQ(authors.items[0].pos.column, 11);
  EXPECT_EQ(authors.items[1].scalar, "John Doe");
  EXPECT_EQ(authors.items[1].pos.column, 23);
}

TEST(ParseDocument, BlockSequenceItemsHaveTheirOwnLines) {
  Document doc = ParseDocument("a.md",
                               "---\n"
                               "tags:\n"
                               "  - health\n"
                               "  - risk\n"
                               "---\n");
  ASSERT_TRUE(doc.diagnostics.empty());
  const YamlNode& tags = doc.Find("tags")->value;
  ASSERT_EQ(tags.items.size(), 2u);
  EXPECT_EQ(tags.items[0].pos.line, 3);
  EXPECT_EQ(tags.items[0].pos.column, 5);
  EXPECT_EQ(tags.items[1].pos.line, 4);
}

TEST(ParseDocument, BodyStartsAfterClosingDelimiter) {
  Document doc = ParseDocument("a.md", "---\nid: a\n---\n# Title\n\nText.\n");
  EXPECT_EQ(doc.body, "# Title\n\nText.\n");
  EXPECT_EQ(doc.body_line, 4);
}

TEST(ParseDocument, ClosingDelimiterAtEndOfFileGivesEmptyBody) {
  Document doc = ParseDocument("a.md", "---\nid: a\n---");
  EXPECT_TRUE(doc.diagnostics.empty());
  EXPECT_EQ(doc.Scalar("id"), "a");
  EXPECT_EQ(doc.body, "");
}

TEST(ParseDocument, DelimitersMayHaveTrailingBlanks) {
  Document doc = ParseDocument("a.md", "--- \nid: a\n---\t\nbody\n");
  EXPECT_TRUE(doc.diagnostics.empty());
  EXPECT_EQ(doc.Scalar("id"), "a");
  EXPECT_EQ(doc.body, "body\n");
}

TEST(ParseDocument, NoFrontMatterKeepsWholeTextAsBody) {
  Document doc = ParseDocument("notes/a.md", "# Notes\n\n---\nnot: yaml\n");
  EXPECT_FALSE(doc.has_front_matter);
  EXPECT_TRUE(doc.fields.empty());
  EXPECT_TRUE(doc.diagnostics.empty());
  EXPECT_EQ(doc.body, "# Notes\n\n---\nnot: yaml\n");
  EXPECT_EQ(doc.body_line, 1);
}

TEST(ParseDocument, FourDashesAreNotADelimiter) {
  Document doc = ParseDocument("a.md", "----\nid: a\n---\n");
  EXPECT_FALSE(doc.has_front_matter);
  EXPECT_EQ(doc.body_line, 1);
}

TEST(ParseDocument, CrlfGivesSameFieldsAndLines) {
  Document lf = ParseDocument("a.md", "---\nid: a\ntitle: T\n---\nBody\n");
  Document crlf =
      ParseDocument("a.md", "---\r\nid: a\r\ntitle: T\r\n---\r\nBody\r\n");
  EXPECT_TRUE(crlf.diagnostics.empty());
  ASSERT_EQ(crlf.fields.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(crlf.fields[i].key, lf.fields[i].key);
    EXPECT_EQ(crlf.fields[i].value.scalar, lf.fields[i].value.scalar);
    EXPECT_EQ(crlf.fields[i].key_pos.line, lf.fields[i].key_pos.line);
    EXPECT_EQ(crlf.fields[i].value.pos.column, lf.fields[i].value.pos.column);
  }
  EXPECT_EQ(crlf.Scalar("title"), "T");  // no stray '\r'
  EXPECT_EQ(crlf.body, "Body\n");
  EXPECT_EQ(crlf.body_line, lf.body_line);
  EXPECT_EQ(crlf.body_line, 5);
}

TEST(ParseDocument, ByteOrderMarkIsDropped) {
  Document doc = ParseDocument("a.md", "\xEF\xBB\xBF---\nid: a\n---\nBody\n");
  EXPECT_TRUE(doc.diagnostics.empty());
  EXPECT_TRUE(doc.has_front_matter);
  EXPECT_EQ(doc.Scalar("id"), "a");
  EXPECT_EQ(doc.fields[0].key_pos.line, 2);
  EXPECT_EQ(doc.fields[0].key_pos.column, 1);
  EXPECT_EQ(doc.body, "Body\n");
}

TEST(ParseDocument, EmptyFileIsAWarning) {
  Document doc = ParseDocument("a.md", "");
  EXPECT_EQ(Formatted(doc), std::vector<std::string>{
                                "a.md: warning: empty document [empty-file]"});
  EXPECT_FALSE(doc.HasErrors());
  EXPECT_FALSE(doc.has_front_matter);
}

TEST(ParseDocument, WhitespaceOnlyFileIsEmpty) {
  Document doc = ParseDocument("a.md", " \n\t\r\n\n");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(doc.diagnostics[0].rule, "empty-file");
  EXPECT_EQ(doc.diagnostics[0].severity, Severity::kWarning);
}

TEST(ParseDocument, UnterminatedFrontMatter) {
  Document doc = ParseDocument("a.md", "---\nid: a\ntitle: T\n\n# Body\n");
  EXPECT_EQ(Formatted(doc),
            std::vector<std::string>{
                "a.md:1:1: error: unterminated front matter [front-matter]"});
  EXPECT_EQ(doc.diagnostics[0].hint,
            "close the front matter with a line holding only '---'");
  EXPECT_FALSE(doc.has_front_matter);
  EXPECT_TRUE(doc.fields.empty());
  EXPECT_EQ(doc.body, "id: a\ntitle: T\n\n# Body\n");
  EXPECT_EQ(doc.body_line, 2);
}

// A file holding only the opening delimiter has nothing after it.
TEST(ParseDocument, LoneOpeningDelimiterLeavesEmptyBody) {
  Document doc = ParseDocument("a.md", "---");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(doc.diagnostics[0].message, "unterminated front matter");
  EXPECT_EQ(doc.body, "");
}

TEST(ParseDocument, DotsCloseFrontMatter) {
  Document doc = ParseDocument("a.md", "---\nid: a\n...\nBody\n");
  EXPECT_TRUE(doc.diagnostics.empty());
  EXPECT_TRUE(doc.has_front_matter);
  EXPECT_EQ(doc.Scalar("id"), "a");
  EXPECT_EQ(doc.body, "Body\n");
  EXPECT_EQ(doc.body_line, 4);
}

TEST(ParseDocument, EmptyFrontMatterBlockHasNoFields) {
  Document doc = ParseDocument("a.md", "---\n---\nBody\n");
  EXPECT_TRUE(doc.diagnostics.empty());
  EXPECT_TRUE(doc.has_front_matter);
  EXPECT_TRUE(doc.fields.empty());
  EXPECT_EQ(doc.body, "Body\n");
  EXPECT_EQ(doc.body_line, 3);
}

TEST(ParseDocument, CommentOnlyFrontMatterHasNoFields) {
  Document doc = ParseDocument("a.md", "---\n# nothing yet\n---\n");
  EXPECT_TRUE(doc.diagnostics.empty());
  EXPECT_TRUE(doc.has_front_matter);
  EXPECT_TRUE(doc.fields.empty());
}

TEST(ParseDocument, ListFrontMatterIsRefused) {
  Document doc = ParseDocument("a.md", "---\n- a\n- b\n---\n");
  EXPECT_EQ(Formatted(doc),
            std::vector<std::string>{
                "a.md:2:1: error: front matter must be a mapping of field "
                "names to values [front-matter]"});
  EXPECT_EQ(doc.diagnostics[0].hint, "write one 'field: value' per line");
  EXPECT_FALSE(doc.has_front_matter);
}

TEST(ParseDocument, ScalarFrontMatterIsRefused) {
  Document doc = ParseDocument("a.md", "---\njust some words\n---\n");
  EXPECT_EQ(Formatted(doc),
            std::vector<std::string>{
                "a.md:2:1: error: front matter must be a mapping of field "
                "names to values [front-matter]"});
  EXPECT_FALSE(doc.has_front_matter);
}

TEST(ParseDocument, InvalidYamlGivesLineOfError) {
  Document doc = ParseDocument("a.md",
                               "---\n"
                               "id: a\n"
                               "title: [unclosed, list\n"
                               "date: 2006-01-01\n"
                               "---\n");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  const Diagnostic& d = doc.diagnostics[0];
  EXPECT_EQ(d.rule, "front-matter");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.message.rfind("invalid YAML: ", 0), 0u) << d.message;
  // yaml-cpp notices the missing ']' where the next line's mapping starts.
  EXPECT_EQ(d.line, 4);
  EXPECT_EQ(d.column, 5);
  EXPECT_FALSE(doc.has_front_matter);
}

TEST(ParseDocument, BadIndentationGivesItsLine) {
  Document doc = ParseDocument("a.md",
                               "---\n"
                               "id: a\n"
                               "title: T\n"
                               "  date: 2006-01-01\n"
                               "---\n");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(doc.diagnostics[0].rule, "front-matter");
  EXPECT_EQ(FormatDiagnostic(doc.diagnostics[0]),
            "a.md:4:7: error: invalid YAML: illegal map value [front-matter]");
}

TEST(ParseDocument, NonScalarKeyIsRefused) {
  Document doc = ParseDocument("a.md", "---\n? [a, b]\n: c\n---\n");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(doc.diagnostics[0]),
            "a.md:2:3: error: a key must be a plain name, not a list, mapping "
            "or empty value [front-matter]");
}

TEST(ParseDocument, DuplicateKeyKeepsFirstValue) {
  Document doc = ParseDocument("a.md",
                               "---\n"
                               "title: First\n"
                               "id: a\n"
                               "title: Second\n"
                               "---\n");
  EXPECT_EQ(Formatted(doc),
            std::vector<std::string>{
                "a.md:4:1: error: duplicate key 'title' (first defined on "
                "line 2) [duplicate-key]"});
  EXPECT_EQ(doc.diagnostics[0].hint,
            "remove one of them; the first value is the one used");
  EXPECT_TRUE(doc.has_front_matter);
  EXPECT_EQ(doc.fields.size(), 2u);
  EXPECT_EQ(doc.Scalar("title"), "First");
}

TEST(ParseDocument, AliasIsRefused) {
  Document doc = ParseDocument("a.md",
                               "---\n"
                               "title: &t Acme\n"
                               "summary: *t\n"
                               "---\n");
  EXPECT_EQ(Formatted(doc),
            std::vector<std::string>{
                "a.md:3:10: error: YAML aliases are not allowed in front "
                "matter [yaml-alias]"});
  EXPECT_EQ(doc.diagnostics[0].hint, "write the value out in full");
  EXPECT_FALSE(doc.has_front_matter);
}

TEST(ParseDocument, BillionLaughsIsRefusedQuickly) {
  std::string yaml = "---\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 9; ++k) yaml += (k ? ", " : "") + prev;
    yaml += "]\n";
  }
  yaml += "---\n";
  auto start = std::chrono::steady_clock::now();
  Document doc = ParseDocument("bomb.md", yaml);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(1));
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(doc.diagnostics[0].rule, "yaml-alias");
  EXPECT_EQ(doc.diagnostics[0].line, 3);
}

TEST(ParseDocument, DeepFlowNestingIsADiagnosticNotACrash) {
  std::string text = "---\nx: " + std::string(10000, '[') + "\n---\n";
  Document doc = ParseDocument("deep.md", text);
  ASSERT_FALSE(doc.diagnostics.empty());
  EXPECT_EQ(doc.diagnostics[0].rule, "front-matter");
  EXPECT_TRUE(doc.HasErrors());
}

TEST(ParseDocument, DeepBalancedFlowNestingIsADiagnosticNotACrash) {
  std::string text = "---\nx: " + std::string(10000, '[') +
                     std::string(10000, ']') + "\n---\n";
  Document doc = ParseDocument("deep.md", text);
  ASSERT_FALSE(doc.diagnostics.empty());
  EXPECT_EQ(doc.diagnostics[0].rule, "front-matter");
}

TEST(ParseDocument, DeepBlockNestingIsADiagnosticNotACrash) {
  std::string line = "x: ";
  for (int i = 0; i < 10000; ++i) line += "- ";
  Document doc = ParseDocument("deep.md", "---\n" + line + "a\n---\n");
  ASSERT_FALSE(doc.diagnostics.empty());
  EXPECT_EQ(doc.diagnostics[0].rule, "front-matter");
}

TEST(ParseDocument, DeepFlowMappingsAreADiagnosticNotACrash) {
  std::string text = "---\nx: " + std::string(10000, '{') + "\n---\n";
  Document doc = ParseDocument("deep.md", text);
  ASSERT_FALSE(doc.diagnostics.empty());
  EXPECT_EQ(doc.diagnostics[0].rule, "front-matter");
}

TEST(ParseDocument, InvalidUtf8GivesLineAndColumn) {
  Document doc = ParseDocument("a.md", "---\ntitle: Caf\xE9\n---\n");
  EXPECT_EQ(Formatted(doc), std::vector<std::string>{
                                "a.md:2:11: error: invalid UTF-8 [encoding]"});
  EXPECT_EQ(doc.diagnostics[0].hint,
            "save the file as UTF-8 (e.g. iconv -f windows-1252 -t utf-8)");
  EXPECT_FALSE(doc.has_front_matter);
}

TEST(ParseDocument, NulByteIsAnEncodingError) {
  Document doc = ParseDocument("a.md", "# Title\nab\0cd\n"s);
  EXPECT_EQ(Formatted(doc),
            std::vector<std::string>{
                "a.md:2:3: error: NUL byte: this looks like a binary file "
                "[encoding]"});
  EXPECT_EQ(doc.diagnostics[0].hint, "documents are UTF-8 Markdown text");
}

TEST(ParseDocument, OverSizeFileIsRefused) {
  std::string big(kMaxDocumentBytes + 1, 'a');
  Document doc = ParseDocument("big.md", big);
  EXPECT_EQ(Formatted(doc),
            std::vector<std::string>{
                "big.md: error: document is 4194305 bytes, over the limit of "
                "4194304 [file-size]"});
  EXPECT_TRUE(doc.body.empty());
}

TEST(ParseDocument, FileOfExactlyTheLimitIsRead) {
  std::string text = "# T\n" + std::string(kMaxDocumentBytes - 4, 'a');
  Document doc = ParseDocument("big.md", text);
  EXPECT_TRUE(doc.diagnostics.empty());
  EXPECT_EQ(doc.body.size(), kMaxDocumentBytes);
}

TEST(ParseDocument, QuotedAndPlainScalars) {
  Document doc = ParseDocument("a.md",
                               "---\n"
                               "plain: 42\n"
                               "double: \"42\"\n"
                               "single: 'yes'\n"
                               "block: |\n"
                               "  line one\n"
                               "  line two\n"
                               "---\n");
  ASSERT_TRUE(doc.diagnostics.empty());
  EXPECT_FALSE(doc.Find("plain")->value.quoted);
  EXPECT_EQ(doc.Scalar("plain"), "42");
  EXPECT_TRUE(doc.Find("double")->value.quoted);
  EXPECT_EQ(doc.Scalar("double"), "42");
  EXPECT_TRUE(doc.Find("single")->value.quoted);
  EXPECT_EQ(doc.Scalar("single"), "yes");
  EXPECT_TRUE(doc.Find("block")->value.quoted);
  EXPECT_EQ(doc.Scalar("block"), "line one\nline two\n");
}

TEST(ParseDocument, EmptyValueIsNullButQuotedEmptyIsAScalar) {
  Document doc = ParseDocument("a.md", "---\na:\nb: \"\"\nc: ~\n---\n");
  ASSERT_TRUE(doc.diagnostics.empty());
  EXPECT_TRUE(doc.Find("a")->value.IsNull());
  EXPECT_TRUE(doc.Find("b")->value.IsScalar());
  EXPECT_EQ(doc.Find("b")->value.scalar, "");
  EXPECT_TRUE(doc.Find("c")->value.IsNull());
}

TEST(ParseDocument, NestedMappingIsKept) {
  Document doc = ParseDocument("a.md", "---\nextra:\n  k: v\n---\n");
  ASSERT_TRUE(doc.diagnostics.empty());
  const YamlNode& v = doc.Find("extra")->value;
  ASSERT_EQ(v.kind, YamlNode::Kind::kMapping);
  ASSERT_EQ(v.entries.size(), 1u);
  EXPECT_EQ(v.entries[0].key, "k");
  EXPECT_EQ(v.entries[0].key_pos.line, 3);
  EXPECT_EQ(v.entries[0].key_pos.column, 3);
  EXPECT_EQ(v.entries[0].value.scalar, "v");
}

TEST(DocumentFind, ReturnsFieldOrNull) {
  Document doc = ParseDocument("a.md", "---\nid: a\n---\n");
  ASSERT_NE(doc.Find("id"), nullptr);
  EXPECT_EQ(doc.Find("id")->key, "id");
  EXPECT_EQ(doc.Find("title"), nullptr);
}

TEST(DocumentScalar, EmptyForAbsentOrNonScalar) {
  Document doc = ParseDocument("a.md", "---\nid: a\ntags: [x]\nn:\n---\n");
  EXPECT_EQ(doc.Scalar("id"), "a");
  EXPECT_EQ(doc.Scalar("tags"), "");
  EXPECT_EQ(doc.Scalar("n"), "");
  EXPECT_EQ(doc.Scalar("missing"), "");
}

TEST(DocumentList, ItemsOfSequenceOrSingleScalar) {
  Document doc = ParseDocument("a.md",
                               "---\n"
                               "tags: [x, [nested], y]\n"
                               "one: z\n"
                               "empty: []\n"
                               "---\n");
  EXPECT_EQ(doc.List("tags"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(doc.List("one"), (std::vector<std::string>{"z"}));
  EXPECT_TRUE(doc.List("empty").empty());
  EXPECT_TRUE(doc.List("missing").empty());
}

TEST(DocumentHasErrors, WarningsAreNotErrors) {
  EXPECT_FALSE(ParseDocument("a.md", "").HasErrors());
  EXPECT_TRUE(ParseDocument("a.md", "---\nx: 1\n").HasErrors());
}

}  // namespace
}  // namespace evrepo
