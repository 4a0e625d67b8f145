// The term parts of the site's search index: the terms, in order, with
// their postings, cut into files of a few kilobytes that search.js loads
// by the terms of a query.  A part is a JSON object,
// {"term":[doc,value,gap,value,...],...}, the documents numbered as gaps
// from the previous one.
#ifndef EVREPO_SITE_TERMS_H_
#define EVREPO_SITE_TERMS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace evrepo {

// A posting of the site's search index: a document's number, and the
// term's value there: twice its count, plus one when it is a word of the
// title.
struct Posting {
  std::uint32_t doc, value;
};

// A part of the search index's terms.
struct TermPart {
  std::string first;  // its first term
  std::string id;
  std::string json;  // the JSON object; empty for a part kept as the
                     // previous site has it
};

// Cuts terms, in order, into parts: where a term's digest says so once a
// part holds kMinPart bytes (or at kMaxPart), so that an edit moves few
// boundaries.
class TermChunker {
 public:
  // `list` in document order.
  void Add(const std::string& term, const std::vector<Posting>& list);
  // Ends the part being filled, if any.
  void Flush();
  // True between parts: the last term added ended one.
  bool AtCut() const { return body_.empty(); }
  std::vector<TermPart> Take() { return std::move(parts_); }

 private:
  void AppendNumber(std::uint32_t n);

  std::string body_, first_;
  std::vector<TermPart> parts_;
};

// Reads a part's JSON as TermChunker writes it into `terms`; false for
// anything else (other spacing, numbers or structure, a term twice), which
// is then not a part evrepo wrote.
bool ParseTermPart(std::string_view json,
                   std::map<std::string, std::vector<Posting>>* terms);

}  // namespace evrepo

#endif  // EVREPO_SITE_TERMS_H_
