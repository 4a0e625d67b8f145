// Reads schema files with tinyxml2 and resolves type inheritance.  This is
// the only file that includes tinyxml2 for reading schemas.
#include "evrepo/schema.h"

#include <tinyxml2.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "evrepo/fsutil.h"
#include "evrepo/text.h"

namespace evrepo {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kKindNames[] = {
    "string", "text",   "date",         "integer", "boolean",  "enum",
    "list",   "person", "organisation", "url",     "reference"};

// The names below are made on first use, when a schema is read.  Built at
// start-up, by every command, they cost a search four pages of evrepo's
// read-only data: the linker keeps a short string as the tail of a longer
// one ("type" in zlib's "invalid block type"), and each was read there.
const std::vector<std::string>& DublinCore() {
  static const std::vector<std::string> names = {
      "title",     "creator",     "subject", "description",
      "publisher", "contributor", "date",    "type",
      "format",    "identifier",  "source",  "language",
      "relation",  "coverage",    "rights",  "audience"};
  return names;
}

const std::vector<std::string>& IndexTokens() {
  static const std::vector<std::string> names = {"text", "boolean", "sortable",
                                                 "facet"};
  return names;
}

const std::vector<std::string>& TypeAttributes() {
  static const std::vector<std::string> names = {
      "name", "extends", "abstract", "folder", "label", "description"};
  return names;
}

const std::vector<std::string>& FieldAttributes() {
  static const std::vector<std::string> names = {
      "name",    "kind",    "of",  "required", "values",     "vocabulary",
      "default", "pattern", "min", "max",      "index",      "weight",
      "prefix",  "query",   "dc",  "label",    "description"};
  return names;
}

const std::vector<std::string>& VocabularyAttributes() {
  static const std::vector<std::string> names = {"name", "label",
                                                 "description"};
  return names;
}

const std::vector<std::string>& TermAttributes() {
  static const std::vector<std::string> names = {"value", "label", "alias"};
  return names;
}

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// What a tinyxml2 parse error means, in words: its own ErrorStr() gives
// the enumerator's name and number ("Error=XML_ERROR_PARSING_ATTRIBUTE
// ErrorID=7 (0x7) Line number=1: XMLElement name=type").  The element it
// names, when it names one, is said too.
std::string XmlProblem(tinyxml2::XMLError err, std::string_view detail) {
  std::string element;
  constexpr std::string_view kNamed = "XMLElement name=";
  if (auto at = detail.rfind(kNamed); at != std::string_view::npos) {
    std::string_view name = detail.substr(at + kNamed.size());
    name = name.substr(0, name.find_first_of(" \t\n"));
    if (!name.empty()) element = "<" + std::string(name) + ">";
  }
  auto of = [&](std::string what) {
    return element.empty() ? what : what + " in " + element;
  };
  switch (err) {
    case tinyxml2::XML_ERROR_PARSING_ELEMENT:
      return element.empty() ? "an element is not well-formed"
                             : element + " is not well-formed";
    case tinyxml2::XML_ERROR_PARSING_ATTRIBUTE:
      return of("an attribute is not well-formed") + " (write name=\"value\")";
    case tinyxml2::XML_ERROR_PARSING_TEXT:
      return of("text is not well-formed") +
             " (write & as &amp; and < as &lt;)";
    case tinyxml2::XML_ERROR_PARSING_CDATA:
      return of("a CDATA section is not closed");
    case tinyxml2::XML_ERROR_PARSING_COMMENT:
      return of("a comment is not closed (end it with -->)");
    case tinyxml2::XML_ERROR_PARSING_DECLARATION:
      return "the XML declaration is not well-formed";
    case tinyxml2::XML_ERROR_PARSING_UNKNOWN:
      return of("a <!...> declaration is not closed");
    case tinyxml2::XML_ERROR_EMPTY_DOCUMENT:
      return "there is no element";
    case tinyxml2::XML_ERROR_MISMATCHED_ELEMENT:
      return (element.empty() ? std::string("an element") : element) +
             " is not closed, or is closed by the wrong end tag";
    case tinyxml2::XML_ELEMENT_DEPTH_EXCEEDED:
      return "elements are nested too deeply";
    default:
      return of("not well-formed");
  }
}

// Relative to the working directory when below it.  Lexical: resolving
// symbolic links took a readlink per component of every schema file.
std::string DisplayPath(const fs::path& p) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return p.generic_string();
  fs::path rel = (p.is_absolute() ? p : cwd / p)
                     .lexically_normal()
                     .lexically_relative(cwd);
  if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  return p.generic_string();
}

bool IsFieldName(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsPrefix(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::optional<long long> ParseInteger(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  long long v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return s[0] == '-' ? -v : v;
}

// Reads all files into raw (unresolved) types and vocabularies.
class Reader {
 public:
  // Reads a schema file.
  Status ReadText(const SchemaFile& file) {
    file_ = file.display;
    const std::string& text = file.text;
    tinyxml2::XMLDocument xml;
    tinyxml2::XMLError err = xml.Parse(text.data(), text.size());
    if (err != tinyxml2::XML_SUCCESS) {
      int line = std::max(xml.ErrorLineNum(), 1);  // 0 for an empty file
      return Status::Invalid(
          file_ + ":" + std::to_string(line) +
          ": malformed XML: " + XmlProblem(err, xml.ErrorStr()));
    }
    const tinyxml2::XMLElement* root = xml.RootElement();
    if (!root || std::string_view(root->Name()) != "schema") {
      return Error(root, "the root element must be <schema>");
    }
    for (const auto* e = root->FirstChildElement(); e;
         e = e->NextSiblingElement()) {
      std::string_view name = e->Name();
      Status s = name == "type"         ? ReadType(e)
                 : name == "vocabulary" ? ReadVocabulary(e)
                                        : Unknown(e, {"type", "vocabulary"});
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

  std::map<std::string, TypeDef, std::less<>> types;
  std::map<std::string, Vocabulary, std::less<>> vocabularies;

 private:
  std::string Where(const tinyxml2::XMLElement* e) const {
    return file_ + ":" + std::to_string(e ? e->GetLineNum() : 1);
  }

  Status Error(const tinyxml2::XMLElement* e, const std::string& msg,
               const std::string& hint = "") const {
    Status s = Status::Invalid(Where(e) + ": " + msg);
    if (!hint.empty()) s.WithHint(hint);
    return s;
  }

  Status Unknown(const tinyxml2::XMLElement* e,
                 const std::vector<std::string>& allowed) const {
    std::string hint;
    if (auto s = Suggest(e->Name(), allowed)) {
      hint = "did you mean <" + *s + ">?";
    }
    return Error(e, "unknown element <" + std::string(e->Name()) + ">", hint);
  }

  Status CheckAttributes(const tinyxml2::XMLElement* e,
                         const std::vector<std::string>& allowed) const {
    for (const auto* a = e->FirstAttribute(); a; a = a->Next()) {
      if (std::find(allowed.begin(), allowed.end(), a->Name()) ==
          allowed.end()) {
        std::string hint;
        if (auto s = Suggest(a->Name(), allowed)) {
          hint = "did you mean '" + *s + "'?";
        }
        return Error(e,
                     "unknown attribute '" + std::string(a->Name()) + "' on <" +
                         e->Name() + ">",
                     hint);
      }
    }
    return Status::Ok();
  }

  static std::string Attr(const tinyxml2::XMLElement* e, const char* name) {
    const char* v = e->Attribute(name);
    return v ? std::string(Trim(v)) : std::string();
  }

  Status Bool(const tinyxml2::XMLElement* e, const char* name, bool* out) {
    std::string v = Attr(e, name);
    if (v.empty() || v == "false") {
      *out = false;
    } else if (v == "true") {
      *out = true;
    } else {
      return Error(e, std::string("attribute '") + name +
                          "' must be true or false, not '" + v + "'");
    }
    return Status::Ok();
  }

  Status ReadType(const tinyxml2::XMLElement* e) {
    if (Status s = CheckAttributes(e, TypeAttributes()); !s.ok()) return s;
    TypeDef t;
    t.name = Attr(e, "name");
    if (!IsSlug(t.name)) {
      return Error(e, "type name '" + t.name +
                          "' must be lower-case words joined by hyphens");
    }
    t.label = Attr(e, "label");
    if (t.label.empty()) t.label = t.name;
    t.description = Attr(e, "description");
    t.folder = Attr(e, "folder");
    if (t.folder.empty()) t.folder = t.name;
    fs::path folder(t.folder);
    if (folder.is_absolute() ||
        std::any_of(folder.begin(), folder.end(),
                    [](const fs::path& p) { return p == ".."; })) {
      return Error(e, "folder '" + t.folder +
                          "' must be a relative path inside the corpus");
    }
    t.extends = Attr(e, "extends");
    if (Status s = Bool(e, "abstract", &t.abstract); !s.ok()) return s;
    t.source = Where(e);
    std::set<std::string> seen;
    for (const auto* f = e->FirstChildElement(); f;
         f = f->NextSiblingElement()) {
      if (std::string_view(f->Name()) != "field") return Unknown(f, {"field"});
      FieldDef field;
      if (Status s = ReadField(f, &field); !s.ok()) return s;
      if (!seen.insert(field.name).second) {
        return Error(f, "field '" + field.name + "' is declared twice in '" +
                            t.name + "'");
      }
      t.fields.push_back(std::move(field));
    }
    types[t.name] = std::move(t);
    return Status::Ok();
  }

  Status ReadField(const tinyxml2::XMLElement* e, FieldDef* f) {
    if (Status s = CheckAttributes(e, FieldAttributes()); !s.ok()) return s;
    f->name = Attr(e, "name");
    f->source = Where(e);
    if (!IsFieldName(f->name)) {
      return Error(e, "field name '" + f->name +
                          "' must be lower-case letters, digits and '_'");
    }
    auto kind = [&](const char* attr, FieldKind* out) -> Status {
      std::string v = Attr(e, attr);
      if (auto k = ParseKind(v)) {
        *out = *k;
        return Status::Ok();
      }
      std::vector<std::string> names(std::begin(kKindNames),
                                     std::end(kKindNames));
      std::string hint =
          "kinds: string text date integer boolean enum list "
          "person organisation url reference";
      if (auto s = Suggest(v, names)) hint = "did you mean '" + *s + "'?";
      return Error(e,
                   v.empty()
                       ? std::string("field '") + f->name + "' has no " + attr
                       : "unknown " + std::string(attr) + " '" + v +
                             "' for field '" + f->name + "'",
                   hint);
    };
    if (Status s = kind("kind", &f->kind); !s.ok()) return s;
    if (f->kind == FieldKind::kList) {
      if (Status s = kind("of", &f->item_kind); !s.ok()) return s;
      if (f->item_kind == FieldKind::kList) {
        return Error(e, "field '" + f->name +
                            "': lists of lists are not "
                            "supported");
      }
    } else if (!Attr(e, "of").empty()) {
      return Error(e, "field '" + f->name + "': 'of' applies to lists only");
    }
    if (Status s = Bool(e, "required", &f->required); !s.ok()) return s;
    f->values = Words(Attr(e, "values"));
    f->vocabulary = Attr(e, "vocabulary");
    f->default_value = Attr(e, "default");
    f->label = Attr(e, "label");
    if (f->label.empty()) f->label = f->name;
    f->description = Attr(e, "description");

    bool is_enum = f->ScalarKind() == FieldKind::kEnum;
    if (is_enum && f->values.empty() && f->vocabulary.empty()) {
      return Error(
          e, "enum field '" + f->name + "' needs 'values' or a 'vocabulary'");
    }
    if (!is_enum && !f->values.empty()) {
      return Error(
          e, "field '" + f->name + "': 'values' applies to enum fields only",
          "use kind=\"enum\" (or of=\"enum\" for a list)");
    }
    if (!f->default_value.empty() && !f->values.empty() &&
        std::find(f->values.begin(), f->values.end(), f->default_value) ==
            f->values.end()) {
      return Error(e, "default '" + f->default_value + "' of field '" +
                          f->name + "' is not one of its values");
    }
    std::string pattern = Attr(e, "pattern");
    if (!pattern.empty() && pattern != "slug") {
      return Error(e, "unknown pattern '" + pattern + "'",
                   "the only pattern is 'slug'");
    }
    f->slug = pattern == "slug";
    for (const char* bound : {"min", "max"}) {
      std::string v = Attr(e, bound);
      if (v.empty()) continue;
      if (f->kind != FieldKind::kInteger) {
        return Error(
            e, std::string("'") + bound + "' applies to integer fields only");
      }
      auto n = ParseInteger(v);
      if (!n)
        return Error(e, std::string("'") + bound + "' must be an integer");
      (bound[1] == 'i' ? f->min : f->max) = n;
    }
    for (const std::string& token : Words(Attr(e, "index"))) {
      if (token == "text")
        f->index_text = true;
      else if (token == "boolean")
        f->index_boolean = true;
      else if (token == "sortable")
        f->index_sortable = true;
      else if (token == "facet")
        f->index_facet = true;
      else {
        std::string hint = "index takes: text boolean sortable facet";
        if (auto s = Suggest(token, IndexTokens())) {
          hint = "did you mean '" + *s + "'?";
        }
        return Error(e, "unknown index option '" + token + "'", hint);
      }
    }
    if (std::string w = Attr(e, "weight"); !w.empty()) {
      auto n = ParseInteger(w);
      if (!n || *n < 1 || *n > 100) {
        return Error(e, "weight must be an integer from 1 to 100");
      }
      f->weight = static_cast<int>(*n);
    }
    f->prefix = Attr(e, "prefix");
    if (f->prefix.empty() && f->index_boolean) {
      f->prefix = "X";
      for (char c : f->name) {
        if (c >= 'a' && c <= 'z') f->prefix += static_cast<char>(c - 'a' + 'A');
      }
    }
    if (!f->prefix.empty() && !IsPrefix(f->prefix)) {
      return Error(e, "prefix '" + f->prefix + "' must be upper-case letters");
    }
    f->query = Attr(e, "query");
    if (f->query.empty()) f->query = f->name;
    if (!IsFieldName(f->query)) {
      return Error(e, "query name '" + f->query +
                          "' must be lower-case letters, digits and '_'");
    }
    f->dc = Attr(e, "dc");
    if (!f->dc.empty() && std::find(DublinCore().begin(), DublinCore().end(),
                                    f->dc) == DublinCore().end()) {
      std::string hint;
      if (auto s = Suggest(f->dc, DublinCore())) {
        hint = "did you mean '" + *s + "'?";
      }
      return Error(e, "'" + f->dc + "' is not a Dublin Core element", hint);
    }
    return Status::Ok();
  }

  Status ReadVocabulary(const tinyxml2::XMLElement* e) {
    if (Status s = CheckAttributes(e, VocabularyAttributes()); !s.ok())
      return s;
    Vocabulary v;
    v.name = Attr(e, "name");
    if (!IsSlug(v.name)) {
      return Error(e, "vocabulary name '" + v.name +
                          "' must be lower-case words joined by hyphens");
    }
    v.label = Attr(e, "label");
    if (v.label.empty()) v.label = v.name;
    v.source = Where(e);
    std::set<std::string> seen;
    for (const auto* t = e->FirstChildElement(); t;
         t = t->NextSiblingElement()) {
      if (std::string_view(t->Name()) != "term") return Unknown(t, {"term"});
      if (Status s = CheckAttributes(t, TermAttributes()); !s.ok()) return s;
      Term term{Attr(t, "value"), Attr(t, "label"), Attr(t, "alias")};
      if (term.value.empty()) return Error(t, "<term> needs a value");
      if (term.label.empty()) term.label = term.value;
      if (!seen.insert(term.value).second) {
        return Error(
            t, "term '" + term.value + "' appears twice in '" + v.name + "'");
      }
      v.terms.push_back(std::move(term));
    }
    vocabularies[v.name] = std::move(v);
    return Status::Ok();
  }

  std::string file_;
};

Status Resolve(const std::string& name,
               std::map<std::string, TypeDef, std::less<>>& raw,
               std::map<std::string, TypeDef, std::less<>>& done,
               std::vector<std::string>& stack) {
  if (done.count(name)) return Status::Ok();
  TypeDef& t = raw.at(name);
  if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
    return Status::Invalid(t.source + ": type '" + name +
                           "' extends itself through '" + t.extends + "'");
  }
  TypeDef resolved = t;
  if (!t.extends.empty()) {
    if (!raw.count(t.extends)) {
      std::vector<std::string> names;
      for (const auto& [n, _] : raw) names.push_back(n);
      Status s = Status::Invalid(t.source + ": type '" + name +
                                 "' extends unknown type '" + t.extends + "'");
      if (auto g = Suggest(t.extends, names)) {
        s.WithHint("did you mean '" + *g + "'?");
      }
      return s;
    }
    stack.push_back(name);
    Status s = Resolve(t.extends, raw, done, stack);
    stack.pop_back();
    if (!s.ok()) return s;
    resolved.fields = done.at(t.extends).fields;
    for (const FieldDef& own : t.fields) {
      auto it =
          std::find_if(resolved.fields.begin(), resolved.fields.end(),
                       [&](const FieldDef& f) { return f.name == own.name; });
      if (it != resolved.fields.end()) {
        *it = own;
      } else {
        resolved.fields.push_back(own);
      }
    }
  }
  done[name] = std::move(resolved);
  return Status::Ok();
}

}  // namespace

std::string_view KindName(FieldKind kind) {
  return kKindNames[static_cast<int>(kind)];
}

std::optional<FieldKind> ParseKind(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kKindNames); ++i) {
    if (kKindNames[i] == name) return static_cast<FieldKind>(i);
  }
  return std::nullopt;
}

const Term* Vocabulary::Find(std::string_view value) const {
  for (const Term& t : terms) {
    if (t.value == value) return &t;
  }
  return nullptr;
}

std::vector<std::string> Vocabulary::Values() const {
  std::vector<std::string> out;
  for (const Term& t : terms) out.push_back(t.value);
  return out;
}

const FieldDef* TypeDef::Find(std::string_view field) const {
  for (const FieldDef& f : fields) {
    if (f.name == field) return &f;
  }
  return nullptr;
}

// Schemas are a few kilobytes; a file far larger is a mistake.
constexpr std::uintmax_t kMaxSchemaBytes = std::uintmax_t{16} << 20;

Result<std::vector<SchemaFile>> ReadSchemaFiles(
    const std::vector<fs::path>& files) {
  std::vector<SchemaFile> out;
  for (const fs::path& file : files) {
    SchemaFile f{file, DisplayPath(file), ""};
    auto text = ReadFileLimited(file, kMaxSchemaBytes, f.display);
    if (!text && text.status().code() == Status::Code::kIo) {
      return Status::Io("cannot read schema '" + f.display + "'");
    }
    if (!text) return text.status();
    f.text = std::move(*text);
    out.push_back(std::move(f));
  }
  return out;
}

Result<Schema> Schema::LoadFiles(const std::vector<fs::path>& files) {
  auto read = ReadSchemaFiles(files);
  if (!read) return read.status();
  return Parse(*read);
}

Result<Schema> Schema::Parse(const std::vector<SchemaFile>& files) {
  Reader reader;
  for (const SchemaFile& file : files) {
    if (Status s = reader.ReadText(file); !s.ok()) return s;
  }
  Schema schema;
  schema.vocabularies_ = std::move(reader.vocabularies);
  for (const auto& [name, _] : reader.types) {
    std::vector<std::string> stack;
    if (Status s = Resolve(name, reader.types, schema.types_, stack); !s.ok())
      return s;
  }

  // Checks that need the whole schema: vocabularies exist, and one query
  // name maps to one term prefix everywhere (the indexer and the query parser
  // share a single table built from these fields).
  std::map<std::string, std::pair<std::string, std::string>> query_prefix;
  std::map<std::string, std::string> prefix_query;
  std::vector<std::string> vocabulary_names;
  for (const auto& [n, _] : schema.vocabularies_) vocabulary_names.push_back(n);
  for (const auto& [_, type] : schema.types_) {
    for (const FieldDef& f : type.fields) {
      if (!f.vocabulary.empty() && !schema.vocabularies_.count(f.vocabulary)) {
        Status s = Status::Invalid(f.source + ": field '" + f.name +
                                   "' names unknown vocabulary '" +
                                   f.vocabulary + "'");
        if (auto g = Suggest(f.vocabulary, vocabulary_names)) {
          s.WithHint("did you mean '" + *g + "'?");
        }
        return s;
      }
      if (f.prefix.empty()) continue;
      auto [qi, q_new] =
          query_prefix.emplace(f.query, std::make_pair(f.prefix, f.source));
      if (!q_new && qi->second.first != f.prefix) {
        return Status::Invalid(f.source + ": query name '" + f.query +
                               "' has prefix '" + f.prefix + "' here but '" +
                               qi->second.first + "' at " + qi->second.second);
      }
      auto [pi, p_new] = prefix_query.emplace(f.prefix, f.query);
      if (!p_new && pi->second != f.query) {
        return Status::Invalid(f.source + ": prefix '" + f.prefix +
                               "' is used for both '" + pi->second + "' and '" +
                               f.query + "'");
      }
    }
  }
  return schema;
}

Result<std::vector<fs::path>> ListSchemaFiles(
    const std::vector<fs::path>& dirs) {
  std::vector<fs::path> files;
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      return Status::NotFound("schema directory '" + DisplayPath(dir) +
                              "' does not exist");
    }
    std::vector<fs::path> here;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      if (it->path().extension() == ".xml" && it->is_regular_file(ec)) {
        here.push_back(it->path());
      }
    }
    if (ec) {
      return Status::Io("cannot list '" + DisplayPath(dir) +
                        "': " + ec.message());
    }
    std::sort(here.begin(), here.end());
    files.insert(files.end(), here.begin(), here.end());
  }
  return files;
}

Result<Schema> Schema::Load(const std::vector<fs::path>& dirs) {
  auto files = ListSchemaFiles(dirs);
  if (!files) return files.status();
  return LoadFiles(*files);
}

const TypeDef* Schema::FindType(std::string_view name) const {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : &it->second;
}

const Vocabulary* Schema::FindVocabulary(std::string_view name) const {
  auto it = vocabularies_.find(name);
  return it == vocabularies_.end() ? nullptr : &it->second;
}

std::vector<const TypeDef*> Schema::DocumentTypes() const {
  std::vector<const TypeDef*> out;
  for (const auto& [_, t] : types_) {
    if (!t.abstract) out.push_back(&t);
  }
  return out;
}

std::vector<std::string> Schema::DocumentTypeNames() const {
  std::vector<std::string> out;
  for (const TypeDef* t : DocumentTypes()) out.push_back(t->name);
  return out;
}

std::vector<std::string> Schema::AllowedValues(const FieldDef& field) const {
  if (!field.values.empty()) return field.values;
  if (const Vocabulary* v = FindVocabulary(field.vocabulary))
    return v->Values();
  return {};
}

fs::path BuiltinSchemaDir() {
  if (const char* env = std::getenv("EVREPO_SCHEMA_DIR"); env && *env) {
    return env;
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed =
        exe.parent_path().parent_path() / "share" / "evrepo" / "schemas";
    if (fs::is_directory(installed, ec)) return installed;
  }
  return EVREPO_SOURCE_SCHEMA_DIR;
}

}  // namespace evrepo
