// `evrepo new`: a document scaffolded from its type's schema.
#ifndef EVREPO_SCAFFOLD_H_
#define EVREPO_SCAFFOLD_H_

#include <string>
#include <utility>
#include <vector>

#include "evrepo/check.h"
#include "evrepo/corpus.h"
#include "evrepo/status.h"

namespace evrepo {

struct ScaffoldRequest {
  std::string type;
  std::string title;
  // FIELD=VALUE assignments in order; list fields take comma-separated items.
  std::vector<std::pair<std::string, std::string>> values;
  std::string today;  // YYYY-MM-DD, the default date
};

struct Scaffold {
  std::string path;                  // corpus-relative path of the new document
  std::string text;                  // the document as written
  std::vector<std::string> missing;  // required fields still without a value
  std::vector<Diagnostic> diagnostics;  // errors in the given values
  bool written = false;                 // CreateDocument wrote `path`
};

// Builds the document text: fields in schema order, given values, the
// defaults (id from the title made unique among `existing_ids`, today's
// date, status draft, the schema's default confidentiality), empty required
// fields with a comment naming what they take, and `# TITLE` as the body.
// Usage error for an unknown type or field.  `diagnostics` holds any error
// `check` would report about the given values (the caller must not write
// the file then).
Result<Scaffold> BuildScaffold(const Corpus& corpus,
                               const ScaffoldRequest& request,
                               const std::vector<Document>& existing);

// Builds the scaffold against the working tree and writes it, never
// replacing an existing file.  When the given values are invalid nothing is
// written: the scaffold comes back with `diagnostics` and written == false.
Result<Scaffold> CreateDocument(const Corpus& corpus,
                                const ScaffoldRequest& request);

}  // namespace evrepo

#endif  // EVREPO_SCAFFOLD_H_
