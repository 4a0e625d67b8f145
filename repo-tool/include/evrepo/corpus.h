// A corpus: a directory holding evrepo.yml, its schemas and its documents.
//
// The corpus root is the directory that holds `evrepo.yml`; every path the
// core reports is relative to it, with '/' separators.  Opening a corpus
// reads its configuration and its schema (the built-in schemas, then the
// corpus's own directory, if it names one).
#ifndef EVREPO_CORPUS_H_
#define EVREPO_CORPUS_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "evrepo/document.h"
#include "evrepo/schema.h"
#include "evrepo/status.h"

namespace evrepo {

inline constexpr char kConfigFile[] = "evrepo.yml";

struct CorpusConfig {
  std::string name;                  // the corpus title; may be empty
  std::string schemas;               // corpus schema directory; may be empty
  std::vector<std::string> exclude;  // glob patterns, corpus-relative
  std::string index = ".evrepo";     // where the search index lives,
                                     // corpus-relative or absolute
  std::string synonyms = "synonyms.txt";  // corpus-relative; optional
};

// Parses the text of an evrepo.yml.  `path` is used in messages; errors read
// "PATH:LINE:COL: what is wrong".
Result<CorpusConfig> ParseConfig(const std::string& path,
                                 const std::string& text);

class Corpus {
 public:
  // The nearest directory at or above `start` that holds evrepo.yml.
  // NotFound when there is none.
  static Result<std::filesystem::path> FindRoot(
      const std::filesystem::path& start);

  // What Open reads.  kConfigurationOnly leaves schema() empty, for a
  // search of the index as it is: the index keeps the fields it was built
  // with, and reading the schemas took a twelfth of such a search.
  enum class Loading { kWithSchema, kConfigurationOnly };

  // Opens the corpus rooted at `root` (which must hold evrepo.yml), with the
  // built-in schemas of BuiltinSchemaDir().
  static Result<Corpus> Open(const std::filesystem::path& root,
                             Loading loading = Loading::kWithSchema);

  const std::filesystem::path& root() const { return root_; }
  const CorpusConfig& config() const { return config_; }
  const Schema& schema() const { return schema_; }

  // True when a corpus-relative path is a document path: a .md file outside
  // dot-directories that matches no `exclude` pattern.
  bool IsDocumentPath(std::string_view rel) const;

  // The document files of the working tree, corpus-relative and sorted.
  Result<std::vector<std::string>> ListWorkingTree() const;

  // Reads and parses one working-tree document.  An over-size file becomes
  // a document with a "file-size" diagnostic; a file that cannot be read is
  // an Io error.
  Result<Document> ReadWorkingTree(const std::string& rel) const;

  // `p` (absolute, or relative to the current directory) as a
  // corpus-relative path; Usage error when it lies outside the corpus.
  Result<std::string> Relative(const std::filesystem::path& p) const;

 private:
  std::filesystem::path root_;
  CorpusConfig config_;
  Schema schema_;
};

}  // namespace evrepo

#endif  // EVREPO_CORPUS_H_
