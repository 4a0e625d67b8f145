// The query language (evrepo-search-terms(7)): Xapian's QueryParser
// configured from the field table, plus synonym expansion and date ranges.
#ifndef EVREPO_INDEX_QUERY_H_
#define EVREPO_INDEX_QUERY_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "fields.h"

namespace evrepo::index {

class QueryBuilder {
 public:
  // `table` and `db` must outlive the builder; `extra_fields` are the
  // front-matter fields no schema declares (SearchMeta).
  QueryBuilder(const FieldTable& table,
               const std::vector<std::string>& extra_fields,
               const Xapian::Database& db);

  // Parses a query; throws Xapian::QueryParserError when it does not parse.
  Xapian::Query Parse(const std::string& query);

  // After Parse: the query with misspelt words corrected; "" when none.
  std::string Corrected() const;

  // `query` with every word or run of words that the synonyms name replaced
  // by a group of the alternatives: "SE" → (SE OR "social enterprise").
  std::string ExpandSynonyms(const std::string& query) const;

 private:
  // True for a word as typed (quotes, parentheses and +/- aside) that the
  // index has, or that the synonyms name.
  bool Known(const std::string& typed) const;

  // Gives the parser each field that `text` names as "name:".
  void AddPrefixesIn(std::string_view text);

  // A field the query language knows, given to the parser when a query
  // names it.
  struct Prefix {
    enum Kind { kDate, kTerm, kText, kExtra };
    std::string name;
    Kind kind;
    const IndexField* field;  // null for an extra field
    bool added = false;
  };

  Xapian::QueryParser parser_;
  const Xapian::Database& db_;
  std::string corrected_;
  std::string error_;  // set by field processors while parsing
  std::vector<Prefix> prefixes_;
};

}  // namespace evrepo::index

#endif  // EVREPO_INDEX_QUERY_H_
