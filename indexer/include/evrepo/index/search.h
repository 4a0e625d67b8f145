// Searching the index: the query language of evrepo-search-terms(7), ranked
// hits with snippets, facets, spelling suggestions, and precedents (the
// documents most like a given one).
#ifndef EVREPO_INDEX_SEARCH_H_
#define EVREPO_INDEX_SEARCH_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "evrepo/corpus.h"
#include "evrepo/git.h"
#include "evrepo/status.h"

namespace evrepo::index {

enum class SortOrder { kRelevance, kDate, kDateDescending };

struct SearchOptions {
  std::size_t offset = 0;
  std::size_t limit = 10;
  SortOrder sort = SortOrder::kRelevance;
  bool facets = false;  // count facet values over the whole result set
  // Snippets: around this many bytes, matching words between these markers
  // (empty markers: no highlighting); snippets are skipped when 0.
  std::size_t snippet_length = 160;
  std::string highlight_start, highlight_end;
};

struct Hit {
  std::size_t rank = 0;  // 1-based, over the whole result set
  int percent = 0;       // relevance, 0-100
  std::string id, title, type, date, confidentiality, status, path, summary;
  std::string snippet;
};

struct FacetValue {
  std::string value;
  std::size_t count = 0;
};

struct SearchResult {
  ObjectId commit;        // the commit the index reflects
  std::size_t total = 0;  // matches (exact when facets asked for)
  std::vector<Hit> hits;
  // Per facet field (by query name), values by descending count.
  std::map<std::string, std::vector<FacetValue>> facets;
  // The query with misspelt words corrected, and its number of matches; ""
  // when every word is known.  When the query as typed matched nothing,
  // the hits are those of the correction and `used_correction` is set.
  std::string corrected_query;
  std::size_t corrected_total = 0;
  bool used_correction = false;
  // For Similar: the terms that made the documents similar.
  std::vector<std::string> terms;
};

// Runs a query, reading nothing but the index (snippets are cut from the
// text it stores).  Usage error, with Xapian's message, for a query that
// does not parse; Io error when there is no index yet.
Result<SearchResult> Search(const Corpus& corpus, const std::string& query,
                            const SearchOptions& options);

// The documents most like a committed document (`id`) or like Markdown
// `text` that is not committed (a draft: pass `path` for messages), by
// relevance feedback; the document itself is left out.
Result<SearchResult> SimilarToDocument(const Corpus& corpus,
                                       const std::string& id,
                                       const SearchOptions& options);
Result<SearchResult> SimilarToText(const Corpus& corpus,
                                   const std::string& path,
                                   const std::string& text,
                                   const SearchOptions& options);

}  // namespace evrepo::index

#endif  // EVREPO_INDEX_SEARCH_H_
