// A document: YAML front matter with source positions, and a Markdown body.
//
// ParseDocument never throws and never fails outright: whatever is wrong with
// the bytes (bad encoding, NUL bytes, unterminated or malformed front matter,
// duplicate keys, aliases, …) becomes a Diagnostic on the document, and as
// much of it as can be trusted is kept.  Files without front matter are
// "generic" documents; their id and title are derived later (see check.h).
#ifndef EVREPO_DOCUMENT_H_
#define EVREPO_DOCUMENT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "evrepo/diagnostic.h"

namespace evrepo {

// Documents larger than this are refused (rule "file-size").
inline constexpr std::size_t kMaxDocumentBytes = 4 * 1024 * 1024;

struct SourcePos {
  int line = 0;    // 1-based line in the file; 0 when unknown
  int column = 0;  // 1-based column in bytes
};

// A YAML value as written in the front matter.  Scalars keep their text as
// written (YAML tags and implicit typing are not applied: the schema decides
// what a value means).
struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMapping };

  struct Entry;

  Kind kind = Kind::kNull;
  SourcePos pos;
  std::string scalar;           // kScalar only
  bool quoted = false;          // kScalar written with quotes or as a block
  std::vector<YamlNode> items;  // kSequence only
  std::vector<Entry> entries;   // kMapping only

  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsNull() const { return kind == Kind::kNull; }
};

struct YamlNode::Entry {
  std::string key;
  SourcePos key_pos;
  YamlNode value;
};

// One top-level field of the front matter.
using Field = YamlNode::Entry;

struct Document {
  std::string path;  // relative to the corpus root, '/' separators

  // True when the file opens with a front matter block that parsed into a
  // mapping (possibly with diagnostics on individual fields).
  bool has_front_matter = false;
  std::vector<Field> fields;  // top-level fields, in file order, unique keys

  std::string body;   // the Markdown after the front matter (LF line ends)
  int body_line = 1;  // the line of the file on which `body` starts

  // Problems found while parsing; these come first in `check` output.
  std::vector<Diagnostic> diagnostics;

  // Filled by the checker (ResolveIdentity in check.h).
  std::string id;
  std::string type;  // empty for generic documents
  std::string title;

  // The field named `name`, or nullptr.
  const Field* Find(std::string_view name) const;

  // The scalar text of field `name`, or "" when absent or not a scalar.
  std::string Scalar(std::string_view name) const;

  // The scalar items of a list field (or the value of a scalar field, as one
  // item); empty when absent.
  std::vector<std::string> List(std::string_view name) const;

  bool HasErrors() const;
};

// Parses `bytes` read from `path` (corpus-relative, used in diagnostics).
Document ParseDocument(std::string path, std::string_view bytes);

}  // namespace evrepo

#endif  // EVREPO_DOCUMENT_H_
