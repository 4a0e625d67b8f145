// Turning one parsed document into a Xapian document, as the field table
// says.  Shared by the indexer and by `similar` (which indexes a draft into a
// scratch database the same way).
#ifndef EVREPO_INDEX_INDEXING_H_
#define EVREPO_INDEX_INDEXING_H_

#include <xapian.h>

#include <set>
#include <string>

#include "evrepo/document.h"
#include "evrepo/schema.h"
#include "fields.h"

namespace evrepo::index {

class DocumentIndexer {
 public:
  // `schema` and `table` must outlive the indexer.
  DocumentIndexer(const Schema& schema, const FieldTable& table);

  // The Xapian document for `doc` (identity resolved), stored from `blob`.
  // Names of front-matter fields that no schema declares for the document's
  // type are added to `extra_fields`.
  Xapian::Document Build(const Document& doc, const std::string& blob,
                         std::set<std::string>* extra_fields);

 private:
  const Schema& schema_;
  const FieldTable& table_;
  Xapian::TermGenerator generator_;
};

// The term prefix of an undeclared front-matter field.
std::string ExtraPrefix(const std::string& field);

// True for terms that hold plain words (no prefix): the spelling
// dictionary's and the expansion set's vocabulary.
inline bool IsWordTerm(const std::string& term) {
  return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
}

}  // namespace evrepo::index

#endif  // EVREPO_INDEX_INDEXING_H_
