// The field table: how each front-matter field is indexed and queried.
//
// Built from the schemas alone, it is the one place that decides which
// fields are free text (and their weights), which are boolean filters (and
// their term prefixes), which have values (sortable or facet, and their
// slots), and what each is called in the query language.  The indexer and
// the query parser both read it, so they cannot disagree.  Its fingerprint
// is stored in the database: when the table changes, the index is rebuilt.
#ifndef EVREPO_INDEX_FIELDS_H_
#define EVREPO_INDEX_FIELDS_H_

#include <xapian.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evrepo/schema.h"

namespace evrepo::index {

// Terms and values outside the schema's fields.
inline constexpr char kPathPrefix[] = "P";    // unique key: corpus path
inline constexpr char kYearPrefix[] = "XY";   // year of the date field
inline constexpr char kExtraPrefix[] = "XU";  // + name + ':' for fields no
                                              // schema declares
// Slot 0 holds the path: ties in ranking are broken by it, so the order of
// results never depends on docids (which differ between an index built
// incrementally and one rebuilt).
inline constexpr Xapian::valueno kPathSlot = 0;
// Slot 1 holds what a hit shows (a HitRecord), so that a search reads it
// without the body's words, which only snippets need.
inline constexpr Xapian::valueno kHitSlot = 1;
// Slot 2 holds the hit record again, then the summary and the body's words,
// for snippets (PackHitAndText): a search that shows snippets reads one value a
// hit rather than two, 25 fewer blocks of the index for ten hits (88 to 63
// reads in all for a typical query at 10,000 documents).  Not the document
// data: Xapian compresses that with zlib, and inflating the text of a
// search's ten hits took a sixth of the search.  Values are stored as they
// are.
inline constexpr Xapian::valueno kTextSlot = 2;
inline constexpr Xapian::valueno kFirstSlot = 3;

// Metadata keys.
inline constexpr char kMetaCommit[] = "evrepo:commit";
inline constexpr char kMetaFingerprint[] = "evrepo:fingerprint";
inline constexpr char kMetaExtraFields[] = "evrepo:extra-fields";
inline constexpr char kMetaFormat[] = "evrepo:format";
inline constexpr char kMetaSearch[] = "evrepo:search";  // a SearchMeta

// The layout of the index (terms, slots, data) this build writes and reads;
// it changes whenever an older index would not be read right.
extern const char kIndexFormat[];

// What a hit shows.  Kept as each field's length (LEB128) and bytes, in
// this order: a search decodes ten of them, which as JSON cost about a
// hundredth of its time.  Bytes that are not UTF-8 are kept as U+FFFD.
struct HitRecord {
  std::string path, blob, id, title, type, date, confidentiality, status,
      summary;
};
std::string EncodeHitRecord(const HitRecord& hit);
// False for anything EncodeHitRecord did not make.
bool DecodeHitRecord(std::string_view bytes, HitRecord* hit);

// kTextSlot's value: the hit record, then the words snippets are cut from
// (the summary, a line break and the body's words), so that a search
// showing snippets reads one value a hit, not two.
std::string PackHitAndText(std::string_view record, std::string_view text);
// The record and the words of a PackHitAndText value; false for anything
// it did not make.
bool UnpackHitAndText(std::string_view value, std::string_view* record,
                      std::string_view* text);

struct IndexField {
  std::string name;                     // front-matter key
  std::string query;                    // name in the query language
  std::string prefix;                   // term prefix; "" for none
  FieldKind kind = FieldKind::kString;  // of each value
  bool list = false;
  bool text = false;
  int weight = 1;
  bool boolean = false;
  bool sortable = false;
  bool facet = false;
  Xapian::valueno slot = Xapian::BAD_VALUENO;
  std::string vocabulary;  // for aliases in queries; may be ""
  // The vocabulary's aliases and labels, normalised (NormaliseTerm), each
  // with the value it names, in the vocabulary's order: a query may name a
  // term by either, and the first that matches counts.
  std::vector<std::pair<std::string, std::string>> aliases;

  // The value a query's `value` names: the term whose alias or label it
  // is, else `value` itself.
  std::string Resolve(std::string_view value) const;

  bool operator==(const IndexField&) const = default;
};

class FieldTable {
 public:
  static FieldTable Build(const Schema& schema);

  const std::vector<IndexField>& fields() const { return fields_; }
  const IndexField* ByName(std::string_view name) const;
  const IndexField* ByQuery(std::string_view query) const;
  // True for every field some type declares, indexed or not.
  bool Declared(std::string_view name) const;
  // Changes whenever anything the index depends on changes.
  const std::string& fingerprint() const { return fingerprint_; }
  bool operator==(const FieldTable&) const = default;

 private:
  friend class SearchMetaCodec;

  std::vector<IndexField> fields_;
  std::set<std::string, std::less<>> declared_;
  std::string fingerprint_;
};

// A boolean term's text for a value: lower case, spaces collapsed, cut to a
// length Xapian accepts.
std::string NormaliseTerm(std::string_view value);

// What a search reads from the index, kept in one metadata entry
// (kMetaSearch) by every update: the commit indexed, the front-matter
// fields no schema declares, and the field table the index was built
// with.  A search thus needs neither the schemas nor more than one lookup
// of metadata.
struct SearchMeta {
  std::string commit;
  std::vector<std::string> extra_fields;
  FieldTable table;

  bool operator==(const SearchMeta&) const = default;
};
// The entry begins with kIndexFormat; nullopt for bytes of another format,
// or for any that EncodeSearchMeta did not make.
std::string EncodeSearchMeta(const SearchMeta& meta);
std::optional<SearchMeta> DecodeSearchMeta(std::string_view bytes);

}  // namespace evrepo::index

#endif  // EVREPO_INDEX_FIELDS_H_
