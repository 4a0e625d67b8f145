// Document types, their fields and controlled vocabularies, read from XML.
//
// The schema is the one place a field is defined: validation, `new`,
// indexing, publishing and export all read it.  The file format is described
// in evrepo-schema(5); this header is its in-memory form, with inheritance
// already resolved (a type's `fields` include those of the types it extends,
// in order, base first; a field redeclared in a derived type replaces the
// inherited one in place).
#ifndef EVREPO_SCHEMA_H_
#define EVREPO_SCHEMA_H_

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evrepo/status.h"

namespace evrepo {

enum class FieldKind {
  kString,        // one line of text
  kText,          // free text, may span lines
  kDate,          // YYYY-MM-DD, a real calendar date
  kInteger,       // decimal, optionally bounded by min/max
  kBoolean,       // true or false
  kEnum,          // one of `values` or of a vocabulary's terms
  kList,          // a YAML sequence of `item_kind`
  kPerson,        // a person's name
  kOrganisation,  // an organisation's name
  kUrl,           // an absolute http or https URL
  kReference,     // the id of another document
};

// "string", "text", … as written in schema files.
std::string_view KindName(FieldKind kind);
std::optional<FieldKind> ParseKind(std::string_view name);

struct FieldDef {
  std::string name;         // front-matter key
  std::string label;        // human label; defaults to the name
  std::string description;  // help text; may be empty
  FieldKind kind = FieldKind::kString;
  FieldKind item_kind = FieldKind::kString;  // for kList only
  bool required = false;
  std::vector<std::string> values;    // allowed values (kEnum, list of enum)
  std::string vocabulary;             // name of a Vocabulary; may be empty
  std::string default_value;          // used by `new`; may be empty
  bool slug = false;                  // pattern="slug"
  std::optional<long long> min, max;  // kInteger bounds, inclusive

  // Indexing (see evrepo-schema(5)).
  bool index_text = false;
  bool index_boolean = false;
  bool index_sortable = false;
  bool index_facet = false;
  int weight = 1;      // within-document weight of free text
  std::string prefix;  // Xapian term prefix of boolean terms
  std::string query;   // name in the query language; defaults to `name`
  std::string dc;      // Dublin Core element; empty when not exported

  std::string source;  // "file:line" where the field was declared

  // The kind of each value: `item_kind` for lists, `kind` otherwise.
  FieldKind ScalarKind() const {
    return kind == FieldKind::kList ? item_kind : kind;
  }
};

struct Term {
  std::string value;
  std::string label;  // defaults to the value
  std::string alias;  // an abbreviation check recognises and answers with
                      // the full `value` (aliases are not valid values)
};

struct Vocabulary {
  std::string name;
  std::string label;
  std::vector<Term> terms;
  std::string source;

  const Term* Find(std::string_view value) const;
  std::vector<std::string> Values() const;
};

struct TypeDef {
  std::string name;
  std::string label;
  std::string description;
  std::string folder;  // where `new` writes documents of this type
  std::string extends;
  bool abstract = false;
  std::vector<FieldDef> fields;  // inherited fields included, base first
  std::string source;

  const FieldDef* Find(std::string_view field) const;
};

// A schema file as read: its path, the path as messages show it (relative
// to the working directory when below it), and its bytes.
struct SchemaFile {
  std::filesystem::path path;
  std::string display;
  std::string text;
};

// The *.xml files of each directory, directories in the order given, files
// in name order.  NotFound when a directory does not exist.
Result<std::vector<std::filesystem::path>> ListSchemaFiles(
    const std::vector<std::filesystem::path>& dirs);

// Reads `files` whole.
Result<std::vector<SchemaFile>> ReadSchemaFiles(
    const std::vector<std::filesystem::path>& files);

class Schema {
 public:
  // Reads every *.xml file of each directory, directories in the order
  // given, files in name order; a type or vocabulary defined again replaces
  // the earlier one.  Missing directories are an error, except that an empty
  // `dirs` yields an empty schema.  On failure the Status message reads
  // "FILE:LINE: what is wrong".
  static Result<Schema> Load(const std::vector<std::filesystem::path>& dirs);

  // Like Load, from named files (tests).
  static Result<Schema> LoadFiles(
      const std::vector<std::filesystem::path>& files);

  // Like Load, from files already read.
  static Result<Schema> Parse(const std::vector<SchemaFile>& files);

  // Like Load, through the cache file `cache` (none when empty): when it
  // was written by this executable from the same files, with the same bytes
  // and shown by the same paths, the files are not parsed again; otherwise
  // they are and the cache is written anew.  The cache is never flushed to
  // disk: a broken one is a miss.  See schema_cache.cc.
  static Result<Schema> LoadCached(
      const std::vector<std::filesystem::path>& dirs,
      const std::filesystem::path& cache);

  const TypeDef* FindType(std::string_view name) const;
  const Vocabulary* FindVocabulary(std::string_view name) const;

  // Types that documents may have (not abstract), sorted by name.
  std::vector<const TypeDef*> DocumentTypes() const;
  std::vector<std::string> DocumentTypeNames() const;

  // The allowed values of a field: its `values`, or its vocabulary's terms.
  // Empty when any value of its kind is allowed.
  std::vector<std::string> AllowedValues(const FieldDef& field) const;

 private:
  friend struct SchemaCodec;  // schema_cache.cc
  std::map<std::string, TypeDef, std::less<>> types_;
  std::map<std::string, Vocabulary, std::less<>> vocabularies_;
};

// The directory of schemas installed with the tool: $EVREPO_SCHEMA_DIR when
// set, else share/evrepo/schemas beside the executable's prefix, else the
// source tree's schemas/ (for a build that is not installed).
std::filesystem::path BuiltinSchemaDir();

}  // namespace evrepo

#endif  // EVREPO_SCHEMA_H_
