// A corpus's history: which commits changed which documents and how their
// metadata changed, following a document by its id across renames and
// moves; and any past version of a document.
#ifndef EVREPO_HISTORY_H_
#define EVREPO_HISTORY_H_

#include <optional>
#include <string>
#include <vector>

#include "evrepo/corpus.h"
#include "evrepo/document.h"
#include "evrepo/git.h"
#include "evrepo/status.h"

namespace evrepo {

// How one field's value changed between two versions of a document.
struct FieldChange {
  std::string field;
  bool list = false;                        // a list field: see added/removed
  std::string before;                       // scalar fields: "" when absent
  std::string after;                        // scalar fields: "" when removed
  std::vector<std::string> added, removed;  // list fields
};

struct DocumentChange {
  enum class Kind { kAdded, kModified, kRenamed, kDeleted };
  Kind kind = Kind::kModified;
  std::string path;      // the path after the commit (before, if deleted)
  std::string old_path;  // renamed only
  std::string id;
  std::string title;
  std::vector<FieldChange> fields;  // in the newer version's field order
  bool body_changed = false;
};

struct LogEntry {
  CommitInfo commit;
  std::vector<DocumentChange> changes;  // sorted by path
};

struct LogOptions {
  // An id or a corpus-relative path; empty for the whole corpus.
  std::string target;
  std::string from = "HEAD";  // where the history starts
  int max_count = -1;         // -1: no limit
};

// The commits, newest first, that changed the corpus (or the target
// document, followed by id across renames; a merge is listed only when its
// result differs from every parent).  NotFound when the target names no
// document anywhere in the history.
Result<std::vector<LogEntry>> Log(const Corpus& corpus, const Repository& repo,
                                  const LogOptions& options);

// "status: draft → final; tags: +social-value -procurement; body changed"
std::string SummariseChange(const DocumentChange& change);

// A front-matter value on one line, in YAML flow style: "a", "[a, b]",
// "{k: v}"; "" for null.
std::string FormatValue(const YamlNode& value);

// The metadata differences between two parsed versions of a document.
std::vector<FieldChange> CompareFields(const Document& before,
                                       const Document& after);

struct Version {
  ObjectId commit;
  std::string path;
  std::string bytes;  // the file exactly as committed
  Document document;  // parsed, identity resolved
};

// The document `spec` names: "ID", "PATH", "ID@REV" or "PATH@REV", where
// REV is a commit-ish or a date (YYYY-MM-DD, the version as of that day;
// default HEAD).  NotFound, with a hint, when the revision has no such
// document.
Result<Version> Show(const Corpus& corpus, const Repository& repo,
                     const std::string& spec);

}  // namespace evrepo

#endif  // EVREPO_HISTORY_H_
