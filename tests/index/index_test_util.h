// Helpers for the index unit tests: documents and schemas in memory, the
// terms of a Xapian document, and a temporary corpus in a Git repository
// committed through the core API.
#ifndef EVREPO_TESTS_INDEX_INDEX_TEST_UTIL_H_
#define EVREPO_TESTS_INDEX_INDEX_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "evrepo/corpus.h"
#include "evrepo/document.h"
#include "evrepo/git.h"
#include "evrepo/index/index.h"
#include "evrepo/index/search.h"
#include "evrepo/schema.h"
#include "test_util.h"

namespace evrepo::index_testing {

using Strings = std::vector<std::string>;

// Sets environment variables, restoring the old values when destroyed.
class EnvGuard {
 public:
  EnvGuard() = default;
  ~EnvGuard();
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

  void Set(const std::string& name, const std::string& value);

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// A schema from XML files written to a temporary directory, loaded with
// Schema::LoadFiles in the order given.  Fails the test on a load error.
Schema LoadSchemaTexts(
    const std::vector<std::pair<std::string, std::string>>& files);

// A minimal schema file: type "note" (a document type) with the fields
// given as <field .../> elements, plus the id/title/type/date fields every
// index test relies on.
std::string NoteSchemaXml(const std::string& extra_fields);

// `text` parsed as the document at `path`, identity resolved.
Document MakeDocument(const Schema& schema, const std::string& path,
                      const std::string& text);

// Every term of `doc` with its wdf.
std::map<std::string, Xapian::termcount> TermsOf(const Xapian::Document& doc);

// The terms of `doc` that start with `prefix` (wdf included).
std::map<std::string, Xapian::termcount> TermsWithPrefix(
    const Xapian::Document& doc, const std::string& prefix);

// A valid case study of the built-in schemas.
std::string CaseStudy(const std::string& id, const std::string& title,
                      const std::string& date, const std::string& body,
                      const std::string& extra = "");

// The ids of the hits, in order.
Strings Ids(const index::SearchResult& r);

// A corpus in a temporary Git repository (a copy of tests/fixtures/basic,
// committed as "Import"), with HOME, GIT_CONFIG_NOSYSTEM and a Git identity
// set for the test and restored after it.
class IndexRepoTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  const std::filesystem::path& root() const { return root_.path(); }
  Corpus& corpus() { return *corpus_; }
  Repository& repo() { return *repo_; }
  // Opens the corpus again (after evrepo.yml changed).
  void ReopenCorpus();

  void Write(const std::string& rel, const std::string& content);
  void Remove(const std::string& rel);
  std::string Read(const std::string& rel) const;
  // Commits `paths` (corpus-relative; "" for everything) with AddAndCommit;
  // fails the test when nothing is committed.  Returns the commit.
  ObjectId Commit(const Strings& paths, const std::string& message);
  // Sets the author and committer dates of the next commits.
  void SetDate(const std::string& iso);

  Result<index::IndexReport> Index(const std::string& rev = "HEAD",
                                   bool rebuild = false);
  // Search with snippets off unless `options` says otherwise; fails the
  // test on error.
  index::SearchResult Find(const std::string& query,
                           index::SearchOptions options = NoSnippets());
  static index::SearchOptions NoSnippets() {
    index::SearchOptions o;
    o.snippet_length = 0;
    return o;
  }

  ObjectId import_;  // the first commit

 private:
  testing::TempDir home_, root_;
  std::unique_ptr<EnvGuard> env_;
  std::optional<Corpus> corpus_;
  std::optional<Repository> repo_;
};

inline constexpr char kCaseStudyPath[] = "case-studies/greenway-wave-1.md";
inline constexpr char kPolicyPath[] =
    "policy-responses/joint-note-response-2006.md";
inline constexpr char kToolkitPath[] = "toolkits/finding-small-contracts.md";

}  // namespace evrepo::index_testing

#endif  // EVREPO_TESTS_INDEX_INDEX_TEST_UTIL_H_
