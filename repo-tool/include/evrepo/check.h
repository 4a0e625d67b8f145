// Validation of documents against the schema and against each other.
//
// Rules (one name each, documented in evrepo-check(1)): encoding, file-size,
// empty-file, front-matter, duplicate-key, yaml-alias (from the parser);
// generic, unknown-type, required, kind, range, enum, vocabulary, id-format,
// unknown-field (per document); duplicate-id, reference, supersedes-cycle,
// link (across the corpus).
#ifndef EVREPO_CHECK_H_
#define EVREPO_CHECK_H_

#include <string>
#include <vector>

#include "evrepo/corpus.h"
#include "evrepo/diagnostic.h"
#include "evrepo/document.h"
#include "evrepo/schema.h"

namespace evrepo {

struct CheckOptions {
  bool strict = false;  // warnings become errors
};

struct CheckReport {
  std::vector<Document> documents;      // sorted by path, identities resolved
  std::vector<Diagnostic> diagnostics;  // sorted, parse diagnostics included
  int errors = 0;
  int warnings = 0;
};

// Fills each document's id, type and title: from its front matter where the
// schema knows its type, else as a generic document (id from the file name,
// title from the first heading, else the file name).
void ResolveIdentity(const Schema& schema, Document& doc);

// Validates a complete set of documents (they are the whole corpus: ids and
// references resolve among them).  Takes ownership; never fails.
CheckReport CheckDocuments(const Schema& schema, std::vector<Document> docs,
                           const CheckOptions& options = {});

// Reads every document of the working tree and checks them.  Fails only when
// a file cannot be read.
Result<CheckReport> CheckWorkingTree(const Corpus& corpus,
                                     const CheckOptions& options = {});

}  // namespace evrepo

#endif  // EVREPO_CHECK_H_
