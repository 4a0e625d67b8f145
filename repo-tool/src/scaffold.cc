// Scaffolding a new document from its schema.  The text is assembled here and
// then put through the same parser and checker as any document, so what `new`
// writes is exactly what `check` accepts.
#include "evrepo/scaffold.h"

#include <algorithm>
#include <set>

#include "evrepo/fsutil.h"
#include "evrepo/text.h"

namespace evrepo {

namespace {

// `s` as a YAML scalar: plain when that reads back as the same string,
// double-quoted otherwise.  In flow sequences ',', '[' and ']' need quotes too.
std::string YamlScalar(std::string_view s, bool in_flow) {
  bool quote = s.empty() || s != Trim(s) ||
               std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s[0]) !=
                   std::string_view::npos ||
               s.find(": ") != std::string_view::npos ||
               s.find(" #") != std::string_view::npos ||
               (!s.empty() && s.back() == ':') || s == "null" || s == "Null" ||
               s == "NULL" || s == "~" ||
               (in_flow && s.find_first_of(",[]{}") != std::string_view::npos);
  for (unsigned char c : s) quote |= c < 0x20;
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) comma = s.size();
    std::string_view item = Trim(s.substr(start, comma - start));
    if (!item.empty()) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

std::string Describe(const Schema& schema, const FieldDef& def) {
  std::string kind(KindName(def.kind));
  if (def.kind == FieldKind::kList) {
    kind += " of " + std::string(KindName(def.item_kind));
  }
  std::vector<std::string> allowed = schema.AllowedValues(def);
  if (!allowed.empty() && allowed.size() <= 6) {
    std::string joined;
    for (const std::string& v : allowed)
      joined += (joined.empty() ? "" : " | ") + v;
    kind += ": " + joined;
  } else if (!def.vocabulary.empty()) {
    kind += " from '" + def.vocabulary + "' (evrepo schema)";
  }
  return kind;
}

}  // namespace

Result<Scaffold> BuildScaffold(const Corpus& corpus,
                               const ScaffoldRequest& request,
                               const std::vector<Document>& existing) {
  const Schema& schema = corpus.schema();
  const TypeDef* type = schema.FindType(request.type);
  if (!type || type->abstract) {
    Status s = Status::Usage("unknown type '" + request.type + "'");
    if (auto g = Suggest(request.type, schema.DocumentTypeNames())) {
      s.WithHint("did you mean '" + *g + "'?");
    } else {
      s.WithHint("'evrepo schema' lists the types");
    }
    return s;
  }
  std::string title(Trim(request.title));
  if (title.empty()) return Status::Usage("the title must not be empty");

  std::vector<std::pair<std::string, std::string>> given;
  for (const auto& [field, value] : request.values) {
    if (!type->Find(field)) {
      std::vector<std::string> names;
      for (const FieldDef& f : type->fields) names.push_back(f.name);
      Status s = Status::Usage("type '" + type->name + "' has no field '" +
                               field + "'");
      if (auto g = Suggest(field, names)) {
        s.WithHint("did you mean '" + *g + "'?");
      }
      return s;
    }
    if (field == "type") {
      return Status::Usage("the type is given as the first argument");
    }
    given.erase(std::remove_if(given.begin(), given.end(),
                               [&](const auto& p) { return p.first == field; }),
                given.end());
    given.emplace_back(field, value);
  }
  auto value_of = [&](const std::string& field) -> const std::string* {
    for (const auto& [f, v] : given) {
      if (f == field) return &v;
    }
    return nullptr;
  };

  std::set<std::string> ids;
  for (const Document& d : existing) ids.insert(d.id);
  std::string id;
  if (const std::string* v = value_of("id")) {
    id = *v;
    if (!IsSlug(id)) {
      // The id names the file: refuse anything that is not a plain slug.
      Status s = Status::Usage("id '" + id +
                               "' is not lower-case words joined by hyphens");
      if (std::string slug = Slugify(id); !slug.empty()) {
        s.WithHint("did you mean '" + slug + "'?");
      }
      return s;
    }
  } else {
    std::string base = Slugify(title);
    if (base.size() > 60) {
      base.resize(60);
      if (auto cut = base.rfind('-'); cut != std::string::npos && cut > 20) {
        base.resize(cut);
      }
      while (!base.empty() && base.back() == '-') base.pop_back();
    }
    if (base.empty()) base = type->name;
    id = base;
    for (int n = 2; ids.count(id); ++n) id = base + "-" + std::to_string(n);
  }

  Scaffold out;
  std::string text = "---\n";
  for (const FieldDef& def : type->fields) {
    std::string value;
    bool have = true;
    if (const std::string* v = value_of(def.name)) {
      value = *v;
    } else if (def.name == "id") {
      value = id;
    } else if (def.name == "title") {
      value = title;
    } else if (def.name == "type") {
      value = type->name;
    } else if (def.name == "date") {
      value = request.today;
    } else if (!def.default_value.empty()) {
      value = def.default_value;
    } else {
      have = false;
    }
    if (!have) {
      if (def.required) {
        out.missing.push_back(def.name);
        text += def.name + ":  # required: " + Describe(schema, def) + "\n";
      } else {
        text += "# " + def.name + ":  # " + Describe(schema, def) + "\n";
      }
      continue;
    }
    if (def.kind == FieldKind::kList) {
      std::string items;
      for (const std::string& item : SplitList(value)) {
        items += (items.empty() ? "" : ", ") + YamlScalar(item, true);
      }
      text += def.name + ": [" + items + "]\n";
      if (items.empty() && def.required) out.missing.push_back(def.name);
    } else {
      text += def.name + ": " + YamlScalar(value, false) + "\n";
      if (Trim(value).empty() && def.required) out.missing.push_back(def.name);
    }
  }
  text += "---\n# " + title + "\n\n";

  // Where it goes: the type's folder, named after the id.
  out.path = type->folder + "/" + id + ".md";
  for (const Document& d : existing) {
    if (d.path == out.path) {
      return Status::Conflict("'" + out.path +
                              "' already exists; nothing was written")
          .WithHint("choose another id with --set id=ID");
    }
  }
  out.text = std::move(text);

  // Check it as part of the corpus; report errors other than the required
  // fields the user has yet to fill.
  std::vector<Document> all = existing;
  all.push_back(ParseDocument(out.path, out.text));
  CheckReport report = CheckDocuments(schema, std::move(all));
  for (const Diagnostic& d : report.diagnostics) {
    if (d.path == out.path && d.severity == Severity::kError &&
        d.rule != "required") {
      out.diagnostics.push_back(d);
    }
  }
  return out;
}

Result<Scaffold> CreateDocument(const Corpus& corpus,
                                const ScaffoldRequest& request) {
  auto paths = corpus.ListWorkingTree();
  if (!paths) return paths.status();
  std::vector<Document> existing;
  for (const std::string& p : *paths) {
    auto doc = corpus.ReadWorkingTree(p);
    if (!doc) return doc.status();
    ResolveIdentity(corpus.schema(), *doc);
    existing.push_back(std::move(*doc));
  }
  auto scaffold = BuildScaffold(corpus, request, existing);
  if (!scaffold || !scaffold->diagnostics.empty()) return scaffold;

  std::filesystem::path target = corpus.root() / scaffold->path;
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) {
    return Status::Io("cannot create '" + target.parent_path().string() +
                      "': " + ec.message());
  }
  Status s = CreateFileExclusive(target, scaffold->text);
  if (s.code() == Status::Code::kConflict) {
    return Status::Conflict("'" + scaffold->path +
                            "' already exists; nothing was written")
        .WithHint("choose another id with --set id=ID");
  }
  if (!s.ok()) return s;
  scaffold->written = true;
  return scaffold;
}

}  // namespace evrepo
