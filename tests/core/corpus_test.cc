// Tests of the corpus: evrepo.yml, finding the root, which files are
// documents, and reading them from the working tree.
#include "evrepo/corpus.h"

#include <gtest/gtest.h>

#include "front_matter.h"
#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// --- ParseConfig ----------------------------------------------------------

// The plain forms are read without yaml-cpp (corpus.cc); whatever the text,
// the result, or the error, is yaml-cpp's.
TEST(ParseConfig, TheFastPathAgreesWithYamlCpp) {
  const std::vector<std::string> texts = {
      "# evrepo corpus configuration; see evrepo-config(5).\n"
      "name: \"Development Partnership evidence\"\nexclude: [README.md]\n",
      "name: Plain name, with commas\nschemas: schemas\nindex: .evrepo\n"
      "synonyms: terms.txt\nexclude:\n  - drafts/**\n  - \"*.tmp\"\n",
      "exclude:\n- a.md\n- b/**\n\n# end\n",
      "exclude:\n  - a.md\n - b.md\n",  // items indented unlike
      "exclude:\n  -  spaced.md\n",
      "exclude: []\nname:\n",
      "exclude: [a.md, b.md , c/*]\n",
      "exclude: [a.md, [b]]\n",
      "exclude: [a.md,]\n",
      "exclude: *alias\n",
      "exclude:\n  - *alias\n",
      "name: Économie sociale\n",
      "name: \"with \\\"quotes\\\" and \\\\ slash\"\n",
      "name: \"with \\n escape\"\n",
      "name: 'single'\n",
      "name: value # a comment\n",
      "name: a: b\n",
      "name: trailing:\n",
      "name: ~\n",
      "name: null\n",
      "name: yes\n",
      "name: 12\n",
      "name: one\n  two\n",
      "name: one\nname: two\n",
      "Name: capital\n",
      "nmae: typo\n",
      "index:\n",
      "index: \"  \"\n",
      "synonyms:   \n",
      "name: [a, b]\n",
      "name:\n  - a\n",
      "name:x\n",
      "  name: indented\n",
      "name: tab\there\n",
      "name: crlf\r\n",
      "---\nname: doc\n",
      "- a\n- b\n",
      "just text\n",
      "",
      "\n\n",
      "# only a comment",
      "name: \"unclosed\n",
      "exclude: [unclosed\n",
      "name: \"x\" trailing\n",
  };
  long before = g_fast_config_reads.load();
  for (const std::string& text : texts) {
    g_fast_config = true;
    auto fast = ParseConfig("evrepo.yml", text);
    g_fast_config = false;
    auto slow = ParseConfig("evrepo.yml", text);
    g_fast_config = true;
    ASSERT_EQ(fast.ok(), slow.ok()) << text;
    if (!slow.ok()) {
      EXPECT_EQ(fast.status().message(), slow.status().message()) << text;
      continue;
    }
    EXPECT_EQ(fast->name, slow->name) << text;
    EXPECT_EQ(fast->schemas, slow->schemas) << text;
    EXPECT_EQ(fast->exclude, slow->exclude) << text;
    EXPECT_EQ(fast->index, slow->index) << text;
    EXPECT_EQ(fast->synonyms, slow->synonyms) << text;
  }
  // The plain ones, at least, did not need yaml-cpp.
  EXPECT_GE(g_fast_config_reads.load() - before, 12);
}

TEST(ParseConfig, ReadsAllKeys) {
  auto c = ParseConfig("evrepo.yml",
                       "# comment\n"
                       "name: \"Partnership evidence\"\n"
                       "schemas: schemas\n"
                       "exclude:\n"
                       "  - README.md\n"
                       "  - templates\n"
                       "  - \"*/scratch-*.md\"\n");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(c->name, "Partnership evidence");
  EXPECT_EQ(c->schemas, "schemas");
  EXPECT_EQ(c->exclude, (std::vector<std::string>{"README.md", "templates",
                                                  "*/scratch-*.md"}));
}

TEST(ParseConfig, SingleExcludePattern) {
  auto c = ParseConfig("evrepo.yml", "exclude: README.md\n");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->exclude, std::vector<std::string>{"README.md"});
}

TEST(ParseConfig, EmptyTextGivesDefaults) {
  auto c = ParseConfig("evrepo.yml", "# nothing\n");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "");
  EXPECT_EQ(c->schemas, "");
  EXPECT_TRUE(c->exclude.empty());
}

TEST(ParseConfig, EmptyValuesAreAllowed) {
  auto c = ParseConfig("evrepo.yml", "name:\nschemas:\nexclude:\n");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_TRUE(c->exclude.empty());
}

TEST(ParseConfig, UnknownKeyWithHint) {
  auto c = ParseConfig("evrepo.yml", "name: x\nexlude: [a]\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(c.status().message(), "evrepo.yml:2:1: unknown setting 'exlude'");
  EXPECT_EQ(c.status().hint(), "did you mean 'exclude'?");
}

TEST(ParseConfig, UnknownKeyWithoutHint) {
  auto c = ParseConfig("evrepo.yml", "colour: red\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().message(), "evrepo.yml:1:1: unknown setting 'colour'");
  EXPECT_EQ(c.status().hint(), "");
}

TEST(ParseConfig, BadYamlGivesLine) {
  auto c = ParseConfig("evrepo.yml", "name: x\nexclude: [a\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(c.status().message().rfind("evrepo.yml:3:1: invalid YAML: ", 0), 0u)
      << c.status().message();
}

TEST(ParseConfig, UnquotedStarPatternIsAnAlias) {
  auto c = ParseConfig("evrepo.yml", "name: x\nexclude: [*.draft.md]\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().message().rfind("evrepo.yml:2:", 0), 0u)
      << c.status().message();
}

TEST(ParseConfig, NotAMapping) {
  auto c = ParseConfig("evrepo.yml", "- a\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().message(),
            "evrepo.yml:1:1: the configuration must be a mapping");
}

TEST(ParseConfig, NameMustBeASingleValue) {
  auto c = ParseConfig("evrepo.yml", "name: [a]\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().message(),
            "evrepo.yml:1:7: 'name' must be a single value");
}

TEST(ParseConfig, ExcludeMustBeGlobPatterns) {
  auto map = ParseConfig("evrepo.yml", "exclude: {a: b}\n");
  ASSERT_FALSE(map);
  EXPECT_EQ(map.status().message(),
            "evrepo.yml:1:10: 'exclude' takes a list of glob patterns");
  auto nested = ParseConfig("evrepo.yml", "exclude: [[a]]\n");
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.status().message(),
            "evrepo.yml:1:11: 'exclude' takes glob patterns");
}

// --- FindRoot ---------------------------------------------------------------

TEST(FindRoot, FindsConfigInAParentDirectory) {
  TempDir dir;
  dir.Write("evrepo.yml", "name: x\n");
  dir.Write("case-studies/deep/a.md", "# A\n");
  auto root = Corpus::FindRoot(dir.path() / "case-studies" / "deep");
  ASSERT_TRUE(root) << root.status().message();
  EXPECT_TRUE(fs::equivalent(*root, dir.path()));
}

TEST(FindRoot, StartsAtTheGivenDirectory) {
  TempDir dir;
  dir.Write("evrepo.yml", "");
  dir.Write("sub/evrepo.yml", "");
  auto root = Corpus::FindRoot(dir.path() / "sub");
  ASSERT_TRUE(root);
  EXPECT_TRUE(fs::equivalent(*root, dir.path() / "sub"));
}

TEST(FindRoot, AcceptsTrailingSlash) {
  TempDir dir;
  dir.Write("evrepo.yml", "");
  fs::create_directories(dir.path() / "a");
  auto root = Corpus::FindRoot(dir.path().string() + "/a/");
  ASSERT_TRUE(root);
  EXPECT_TRUE(fs::equivalent(*root, dir.path()));
}

TEST(FindRoot, NotFoundOutsideACorpus) {
  TempDir dir;
  fs::create_directories(dir.path() / "a");
  ASSERT_FALSE(fs::exists(dir.path().parent_path() / kConfigFile));
  auto root = Corpus::FindRoot(dir.path() / "a");
  ASSERT_FALSE(root);
  EXPECT_EQ(root.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(root.status().message(),
            "not in an evrepo corpus (no evrepo.yml here or in any parent "
            "directory)");
  EXPECT_EQ(root.status().hint(),
            "run 'evrepo init' to make one, or use -C DIR");
}

TEST(FindRoot, DirectoryNamedLikeTheConfigIsNotIt) {
  TempDir dir;
  dir.Write("evrepo.yml", "");
  fs::create_directories(dir.path() / "sub" / "evrepo.yml");
  auto root = Corpus::FindRoot(dir.path() / "sub");
  ASSERT_TRUE(root);
  EXPECT_TRUE(fs::equivalent(*root, dir.path()));
}

// --- Open -------------------------------------------------------------------

TEST(CorpusOpen, ReadsConfigAndBuiltinSchemas) {
  TempDir dir;
  dir.Write("evrepo.yml", "name: Evidence\n");
  auto c = Corpus::Open(dir.path());
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(c->config().name, "Evidence");
  EXPECT_EQ(c->root(), dir.path());
  EXPECT_NE(c->schema().FindType("case-study"), nullptr);
}

TEST(CorpusOpen, AddsTheCorpusSchemas) {
  TempDir dir;
  dir.Write("evrepo.yml", "schemas: schemas\n");
  dir.Write("schemas/memo.xml",
            "<schema>\n<type name=\"memo\" extends=\"base\"/>\n</schema>\n");
  auto c = Corpus::Open(dir.path());
  ASSERT_TRUE(c) << c.status().message();
  const TypeDef* memo = c->schema().FindType("memo");
  ASSERT_NE(memo, nullptr);
  EXPECT_EQ(memo->fields.front().name, "id");  // extends the built-in base
}

TEST(CorpusOpen, MissingSchemaDirectoryIsAnError) {
  TempDir dir;
  dir.Write("evrepo.yml", "schemas: nowhere\n");
  auto c = Corpus::Open(dir.path());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().code(), Status::Code::kNotFound);
}

TEST(CorpusOpen, BadConfigIsAnError) {
  TempDir dir;
  dir.Write("evrepo.yml", "exlude: [a]\n");
  auto c = Corpus::Open(dir.path());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().message(), "evrepo.yml:1:1: unknown setting 'exlude'");
}

TEST(CorpusOpen, MissingConfigIsAnIoError) {
  TempDir dir;
  auto c = Corpus::Open(dir.path());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().code(), Status::Code::kIo);
}

// --- Documents of the working tree -----------------------------------------

Corpus OpenWith(const TempDir& dir, const std::string& config) {
  dir.Write("evrepo.yml", config);
  auto c = Corpus::Open(dir.path());
  if (!c) {
    ADD_FAILURE() << c.status().message();
    std::abort();
  }
  return std::move(*c);
}

TEST(IsDocumentPath, MarkdownFilesOnly) {
  TempDir dir;
  Corpus c = OpenWith(dir, "");
  EXPECT_TRUE(c.IsDocumentPath("a.md"));
  EXPECT_TRUE(c.IsDocumentPath("case-studies/a.md"));
  EXPECT_FALSE(c.IsDocumentPath("a.txt"));
  EXPECT_FALSE(c.IsDocumentPath("a.markdown"));
  EXPECT_FALSE(c.IsDocumentPath("md"));
  EXPECT_FALSE(c.IsDocumentPath("evrepo.yml"));
}

TEST(IsDocumentPath, DotDirectoriesAndDotFilesAreNeverDocuments) {
  TempDir dir;
  Corpus c = OpenWith(dir, "");
  EXPECT_FALSE(c.IsDocumentPath(".git/a.md"));
  EXPECT_FALSE(c.IsDocumentPath(".evrepo/cache/a.md"));
  EXPECT_FALSE(c.IsDocumentPath("a/.hidden/b.md"));
  EXPECT_FALSE(c.IsDocumentPath(".a.md"));
  EXPECT_FALSE(c.IsDocumentPath("notes/.draft.md"));
  EXPECT_TRUE(c.IsDocumentPath("notes/a.b.md"));
}

TEST(IsDocumentPath, ExcludePatternsMatchWholeRelativePaths) {
  TempDir dir;
  Corpus c = OpenWith(dir, "exclude: [README.md, \"*/scratch-*.md\"]\n");
  EXPECT_FALSE(c.IsDocumentPath("README.md"));
  EXPECT_TRUE(c.IsDocumentPath("docs/README.md"));  // '*' stops at '/'
  EXPECT_FALSE(c.IsDocumentPath("notes/scratch-1.md"));
  EXPECT_TRUE(c.IsDocumentPath("notes/deep/scratch-1.md"));
  EXPECT_TRUE(c.IsDocumentPath("scratch-1.md"));
}

TEST(IsDocumentPath, DirectoryPatternExcludesEverythingBelow) {
  TempDir dir;
  Corpus c = OpenWith(dir, "exclude: [templates, \"drafts/*\"]\n");
  EXPECT_FALSE(c.IsDocumentPath("templates/a.md"));
  EXPECT_FALSE(c.IsDocumentPath("templates/deep/b.md"));
  EXPECT_FALSE(c.IsDocumentPath("drafts/deep/c.md"));
  EXPECT_TRUE(c.IsDocumentPath("templates.md"));
  EXPECT_TRUE(c.IsDocumentPath("case-studies/templates/a.md"));
}

TEST(ListWorkingTree, SortedDocumentsOnly) {
  TempDir dir;
  dir.Write("z.md", "# Z\n");
  dir.Write("b/a.md", "# A\n");
  dir.Write("a.md", "# A\n");
  dir.Write("b/notes.txt", "x");
  dir.Write("README.md", "# Readme\n");
  dir.Write(".git/x.md", "x");
  dir.Write("sub/.hidden/y.md", "y");
  dir.Write("templates/t.md", "t");
  Corpus c = OpenWith(dir, "exclude: [README.md, templates]\n");
  auto list = c.ListWorkingTree();
  ASSERT_TRUE(list) << list.status().message();
  EXPECT_EQ(*list, (std::vector<std::string>{"a.md", "b/a.md", "z.md"}));
}

TEST(ReadWorkingTree, ParsesTheDocument) {
  TempDir dir;
  dir.Write("notes/a.md", "---\nid: a\n---\n# A\n");
  Corpus c = OpenWith(dir, "");
  auto doc = c.ReadWorkingTree("notes/a.md");
  ASSERT_TRUE(doc) << doc.status().message();
  EXPECT_EQ(doc->path, "notes/a.md");
  EXPECT_EQ(doc->Scalar("id"), "a");
  EXPECT_EQ(doc->body, "# A\n");
}

TEST(ReadWorkingTree, OverSizeFileIsNotRead) {
  TempDir dir;
  Corpus c = OpenWith(dir, "");
  // A sparse file of 1 GiB: reading it would be slow and large.
  std::uintmax_t size = std::uintmax_t{1} << 30;
  dir.Write("big.md", "");
  fs::resize_file(dir.path() / "big.md", size);
  auto doc = c.ReadWorkingTree("big.md");
  ASSERT_TRUE(doc) << doc.status().message();
  ASSERT_EQ(doc->diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(doc->diagnostics[0]),
            "big.md: error: document is 1073741824 bytes, over the limit of "
            "4194304 [file-size]");
  EXPECT_TRUE(doc->body.empty());
}

TEST(ReadWorkingTree, FileJustOverTheLimit) {
  TempDir dir;
  Corpus c = OpenWith(dir, "");
  dir.Write("big.md", std::string(kMaxDocumentBytes + 1, 'a'));
  auto doc = c.ReadWorkingTree("big.md");
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->diagnostics.size(), 1u);
  EXPECT_EQ(doc->diagnostics[0].rule, "file-size");
}

TEST(ReadWorkingTree, MissingFileIsAnIoError) {
  TempDir dir;
  Corpus c = OpenWith(dir, "");
  auto doc = c.ReadWorkingTree("missing.md");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.status().code(), Status::Code::kIo);
  EXPECT_EQ(doc.status().message().rfind("cannot read 'missing.md': ", 0), 0u)
      << doc.status().message();
}

TEST(CorpusRelative, PathsInsideAndOutside) {
  TempDir dir;
  dir.Write("case-studies/a.md", "# A\n");
  Corpus c = OpenWith(dir, "");
  EXPECT_EQ(*c.Relative(dir.path() / "case-studies" / "a.md"),
            "case-studies/a.md");
  EXPECT_EQ(*c.Relative(dir.path() / "case-studies" / ".." / "x.md"), "x.md");
  EXPECT_EQ(*c.Relative(dir.path()), "");
  auto outside = c.Relative(dir.path().parent_path());
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.status().code(), Status::Code::kUsage);
}

}  // namespace
}  // namespace evrepo
