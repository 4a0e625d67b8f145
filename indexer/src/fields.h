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

#include <set>
#include <string>
#include <string_view>
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
// Slot 2 holds the body's words, for snippets.  Not the document data:
// Xapian compresses that with zlib, and inflating the text of a search's
// ten hits took a sixth of the search.  Values are stored as they are.
inline constexpr Xapian::valueno kTextSlot = 2;
inline constexpr Xapian::valueno kFirstSlot = 3;

// Metadata keys.
inline constexpr char kMetaCommit[] = "evrepo:commit";
inline constexpr char kMetaFingerprint[] = "evrepo:fingerprint";
inline constexpr char kMetaExtraFields[] = "evrepo:extra-fields";
inline constexpr char kMetaFormat[] = "evrepo:format";

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

 private:
  std::vector<IndexField> fields_;
  std::set<std::string, std::less<>> declared_;
  std::string fingerprint_;
};

// A boolean term's text for a value: lower case, spaces collapsed, cut to a
// length Xapian accepts.
std::string NormaliseTerm(std::string_view value);

}  // namespace evrepo::index

#endif  // EVREPO_INDEX_FIELDS_H_
