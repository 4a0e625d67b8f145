// The validation rules.  Per-document rules look at one document against its
// type; corpus rules (ids, references, supersedes cycles, links) look at all
// documents together, which is why checking a single file still reads the
// whole corpus.
#include "evrepo/check.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "evrepo/markdown.h"
#include "evrepo/text.h"

namespace evrepo {

namespace {

bool LooksLikeDate(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-';
}

std::optional<long long> ParseInteger(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  long long v = 0;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return s[0] == '-' ? -v : v;
}

bool IsHttpUrl(std::string_view s) {
  std::size_t scheme_end;
  if (s.rfind("https://", 0) == 0) {
    scheme_end = 8;
  } else if (s.rfind("http://", 0) == 0) {
    scheme_end = 7;
  } else {
    return false;
  }
  std::string_view rest = s.substr(scheme_end);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.find('.') == std::string_view::npos) {
    return host == "localhost";
  }
  return std::none_of(s.begin(), s.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '<' ||
           c == '>' || c == '"';
  });
}

std::string Quote(std::string_view s) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  out +=
      s.size() > kMax ? std::string(s.substr(0, kMax)) + "…" : std::string(s);
  return out + "'";
}

std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates) {
  if (auto s = Suggest(word, candidates)) return "did you mean '" + *s + "'?";
  return "";
}

// Collects diagnostics for one document.
class DocumentChecker {
 public:
  DocumentChecker(const Schema& schema, const Document& doc,
                  std::vector<Diagnostic>& out)
      : schema_(schema), doc_(doc), out_(out) {}

  void Run() {
    if (doc_.HasErrors() && !doc_.has_front_matter) return;
    if (!doc_.has_front_matter) {
      if (std::none_of(
              doc_.diagnostics.begin(), doc_.diagnostics.end(),
              [](const Diagnostic& d) { return d.rule == "empty-file"; })) {
        Warn({1, 1}, "generic",
             "no front matter: treated as a generic document",
             "to give it a type, add front matter with " +
                 Join(CommonRequiredFields()) +
                 " and what the type requires ('evrepo schema TYPE')");
      }
      return;
    }
    const Field* type_field = doc_.Find("type");
    const TypeDef* type = nullptr;
    if (!type_field || type_field->value.IsNull()) {
      Warn({1, 1}, "unknown-type",
           "no 'type' field: treated as a generic document",
           "types: " + Join(schema_.DocumentTypeNames()));
    } else if (!type_field->value.IsScalar()) {
      Error(type_field->value.pos, "kind", "'type' must be a single value");
    } else {
      type = schema_.FindType(type_field->value.scalar);
      if (!type || type->abstract) {
        type = nullptr;
        std::string hint =
            DidYouMean(type_field->value.scalar, schema_.DocumentTypeNames());
        if (hint.empty()) hint = "types: " + Join(schema_.DocumentTypeNames());
        Warn(type_field->value.pos, "unknown-type",
             "unknown type " + Quote(type_field->value.scalar) +
                 ": treated as a generic document",
             hint);
      }
    }
    if (!type) {
      // A generic document still has to have a usable id if it states one.
      if (const Field* id = doc_.Find("id"); id && id->value.IsScalar()) {
        CheckSlug(*id, id->value);
      }
      return;
    }
    for (const FieldDef& def : type->fields) {
      const Field* f = doc_.Find(def.name);
      if (!f || f->value.IsNull() || IsEmpty(f->value)) {
        if (def.required) {
          Error(f ? f->key_pos : SourcePos{1, 1}, "required",
                f ? "required field '" + def.name + "' is empty"
                  : "missing required field '" + def.name + "'",
                FieldHint(def));
        }
        continue;
      }
      CheckValue(def, *f);
    }
    std::vector<std::string> known;
    for (const FieldDef& def : type->fields) known.push_back(def.name);
    for (const Field& f : doc_.fields) {
      if (type->Find(f.key)) continue;
      std::string hint = DidYouMean(f.key, known);
      if (hint.empty()) {
        hint = "'evrepo schema " + type->name + "' lists the fields of " +
               type->name;
      }
      Warn(f.key_pos, "unknown-field",
           "unknown field " + Quote(f.key) + " for type '" + type->name + "'",
           hint);
    }
  }

 private:
  static bool IsEmpty(const YamlNode& n) {
    return (n.IsScalar() && Trim(n.scalar).empty()) ||
           (n.kind == YamlNode::Kind::kSequence && n.items.empty());
  }

  static std::string Join(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  // What a field takes, in words: "'stage' takes one of: start-up, …".
  std::string FieldHint(const FieldDef& def) const {
    std::vector<std::string> allowed = schema_.AllowedValues(def);
    std::string what;
    if (!allowed.empty() && allowed.size() <= 8) {
      what = "one of: " + Join(allowed);
    } else if (!def.vocabulary.empty()) {
      what = "a term of the '" + def.vocabulary + "' vocabulary";
    } else {
      what = KindPhrase(def.ScalarKind());
    }
    if (def.kind == FieldKind::kList) what = "a list, each item " + what;
    return "'" + def.name + "' takes " + what;
  }

  // The fields every document type requires, in schema order.
  std::vector<std::string> CommonRequiredFields() const {
    std::vector<const TypeDef*> types = schema_.DocumentTypes();
    std::vector<std::string> out;
    if (types.empty()) return out;
    for (const FieldDef& f : types.front()->fields) {
      bool everywhere = std::all_of(types.begin(), types.end(), [&](auto* t) {
        const FieldDef* g = t->Find(f.name);
        return g && g->required;
      });
      if (everywhere) out.push_back(f.name);
    }
    return out;
  }

  static std::string KindPhrase(FieldKind kind) {
    switch (kind) {
      case FieldKind::kString:
        return "a line of text";
      case FieldKind::kText:
        return "text";
      case FieldKind::kDate:
        return "a date (YYYY-MM-DD)";
      case FieldKind::kInteger:
        return "an integer";
      case FieldKind::kBoolean:
        return "true or false";
      case FieldKind::kEnum:
        return "an allowed value";
      case FieldKind::kList:
        return "a list";
      case FieldKind::kPerson:
        return "a person's name";
      case FieldKind::kOrganisation:
        return "an organisation's name";
      case FieldKind::kUrl:
        return "an http or https URL";
      case FieldKind::kReference:
        return "a document id";
    }
    return "a value";
  }

  void CheckValue(const FieldDef& def, const Field& f) {
    if (def.kind == FieldKind::kList) {
      if (f.value.kind != YamlNode::Kind::kSequence) {
        Error(f.value.pos, "kind", "field '" + def.name + "' must be a list",
              f.value.IsScalar()
                  ? "write " + def.name + ": [" + f.value.scalar + "]"
                  : "");
        return;
      }
      for (const YamlNode& item : f.value.items) {
        CheckScalar(def, def.item_kind, f, item);
      }
      return;
    }
    CheckScalar(def, def.kind, f, f.value);
  }

  void CheckScalar(const FieldDef& def, FieldKind kind, const Field& f,
                   const YamlNode& n) {
    if (!n.IsScalar()) {
      Error(n.pos, "kind",
            "field '" + def.name + "' takes " +
                (def.kind == FieldKind::kList ? "single values as items"
                                              : "a single value") +
                ", not " +
                (n.kind == YamlNode::Kind::kNull       ? "an empty value"
                 : n.kind == YamlNode::Kind::kSequence ? "a list"
                                                       : "a mapping"));
      return;
    }
    const std::string& v = n.scalar;
    switch (kind) {
      case FieldKind::kDate:
        if (!IsCalendarDate(v)) {
          Error(n.pos, "kind",
                LooksLikeDate(v) ? Quote(v) + " is not a real calendar date"
                                 : "field '" + def.name + "': " + Quote(v) +
                                       " is not a date",
                "write dates as YYYY-MM-DD");
        }
        break;
      case FieldKind::kInteger: {
        auto i = ParseInteger(v);
        if (!i) {
          Error(n.pos, "kind",
                "field '" + def.name + "': " + Quote(v) + " is not an integer");
        } else if ((def.min && *i < *def.min) || (def.max && *i > *def.max)) {
          std::string range = def.min && def.max
                                  ? "from " + std::to_string(*def.min) +
                                        " to " + std::to_string(*def.max)
                              : def.min ? "at least " + std::to_string(*def.min)
                                        : "at most " + std::to_string(*def.max);
          Error(n.pos, "range",
                "field '" + def.name + "' must be " + range + ", not " + v);
        }
        break;
      }
      case FieldKind::kBoolean:
        if (v != "true" && v != "false") {
          Error(n.pos, "kind",
                "field '" + def.name + "': " + Quote(v) +
                    " is not true or false");
        }
        break;
      case FieldKind::kUrl:
        if (!IsHttpUrl(v)) {
          Error(n.pos, "kind",
                "field '" + def.name + "': " + Quote(v) +
                    " is not an http or https URL");
        }
        break;
      case FieldKind::kReference:
        if (!IsSlug(v)) {
          Error(
              n.pos, "id-format",
              "field '" + def.name + "': " + Quote(v) + " is not a document id",
              "ids are lower-case words joined by hyphens");
        }
        break;
      default:
        break;
    }
    if (def.slug) CheckSlug(f, n);
    CheckAllowed(def, n);
  }

  void CheckSlug(const Field& f, const YamlNode& n) {
    if (IsSlug(n.scalar)) return;
    std::string slug = Slugify(n.scalar);
    Error(n.pos, "id-format",
          "field '" + f.key + "': " + Quote(n.scalar) +
              " is not lower-case words joined by hyphens",
          slug.empty() ? "" : "did you mean '" + slug + "'?");
  }

  void CheckAllowed(const FieldDef& def, const YamlNode& n) {
    const std::string& v = n.scalar;
    if (!def.values.empty()) {
      if (std::find(def.values.begin(), def.values.end(), v) ==
          def.values.end()) {
        std::string hint = DidYouMean(v, def.values);
        Error(n.pos, "enum",
              "field '" + def.name + "': " + Quote(v) +
                  " is not one of: " + Join(def.values),
              hint);
      }
      return;
    }
    const Vocabulary* vocab = schema_.FindVocabulary(def.vocabulary);
    if (!vocab || vocab->Find(v)) return;
    std::string hint;
    for (const Term& t : vocab->terms) {
      if (!t.alias.empty() && t.alias == v)
        hint = "did you mean '" + t.value + "'?";
    }
    if (hint.empty()) hint = DidYouMean(v, vocab->Values());
    if (hint.empty()) {
      hint = "'evrepo schema' lists the terms of '" + vocab->name + "'";
    }
    Error(n.pos, "vocabulary",
          "field '" + def.name + "': " + Quote(v) + " is not in the '" +
              vocab->name + "' vocabulary",
          hint);
  }

  void Emit(SourcePos pos, Severity sev, std::string rule, std::string msg,
            std::string hint) {
    out_.push_back({doc_.path, pos.line, pos.column, sev, std::move(rule),
                    std::move(msg), std::move(hint)});
  }
  void Error(SourcePos pos, std::string rule, std::string msg,
             std::string hint = "") {
    Emit(pos, Severity::kError, std::move(rule), std::move(msg),
         std::move(hint));
  }
  void Warn(SourcePos pos, std::string rule, std::string msg,
            std::string hint = "") {
    Emit(pos, Severity::kWarning, std::move(rule), std::move(msg),
         std::move(hint));
  }

  const Schema& schema_;
  const Document& doc_;
  std::vector<Diagnostic>& out_;
};

// The position of a field's value (or of the document start).
SourcePos PosOf(const Document& doc, std::string_view field) {
  if (const Field* f = doc.Find(field)) return f->value.pos;
  return {1, 1};
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() &&
        std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(
          std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool HasScheme(std::string_view url) {
  std::size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view scheme = url.substr(0, colon);
  return std::all_of(scheme.begin(), scheme.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' ||
           c == '-' || c == '.';
  });
}

// Corpus-wide rules over documents whose identities are resolved.
void CheckCorpus(const std::vector<Document>& docs,
                 std::vector<Diagnostic>& out) {
  std::map<std::string, const Document*> by_id;
  std::map<std::string, std::vector<const Document*>> users;
  std::set<std::string> paths;
  std::vector<std::string> ids, path_list;
  for (const Document& d : docs) {
    paths.insert(d.path);
    path_list.push_back(d.path);
    if (by_id.emplace(d.id, &d).second) ids.push_back(d.id);
    users[d.id].push_back(&d);
  }
  // A duplicate is reported on every document that has it, naming the
  // others, so that checking any one of them shows the clash.
  for (const auto& [id, list] : users) {
    if (list.size() < 2 || id.empty()) continue;
    for (const Document* d : list) {
      std::string others;
      for (const Document* o : list) {
        if (o != d) others += (others.empty() ? "'" : ", '") + o->path + "'";
      }
      SourcePos pos = PosOf(*d, "id");
      out.push_back({d->path, pos.line, pos.column, Severity::kError,
                     "duplicate-id",
                     "duplicate id '" + id + "' (also used by " + others + ")",
                     d->Find("id") ? "" : "give it an 'id' field"});
    }
  }

  for (const Document& d : docs) {
    // References: every item of every list-of-reference field.  The fields
    // named here are those the schemas declare with kind reference; generic
    // documents have none.
    for (const Field& f : d.fields) {
      if (f.key != "related" && f.key != "supersedes") continue;
      std::vector<const YamlNode*> items;
      if (f.value.IsScalar()) items.push_back(&f.value);
      for (const YamlNode& n : f.value.items) items.push_back(&n);
      for (const YamlNode* n : items) {
        if (!n->IsScalar() || !IsSlug(n->scalar)) continue;  // kind's job
        if (n->scalar == d.id) {
          if (f.key == "related") {
            out.push_back({d.path, n->pos.line, n->pos.column, Severity::kError,
                           "reference", "document lists itself in 'related'",
                           ""});
          }
          continue;  // a self-supersede is reported as a cycle below
        }
        if (!by_id.count(n->scalar)) {
          out.push_back({d.path, n->pos.line, n->pos.column, Severity::kError,
                         "reference",
                         "'" + f.key + "' names '" + n->scalar +
                             "', which is no document's id",
                         DidYouMean(n->scalar, ids)});
        }
      }
    }

    // Links in the body.
    MarkdownOutline outline = ScanMarkdown(d.body);
    std::string dir = d.path.rfind('/') == std::string::npos
                          ? ""
                          : d.path.substr(0, d.path.rfind('/') + 1);
    for (const MarkdownLink& link : outline.links) {
      int line = d.body_line + std::max(link.line, 1) - 1;
      auto report = [&](std::string msg, std::string hint) {
        out.push_back({d.path, line, link.column, Severity::kError, "link",
                       std::move(msg), std::move(hint)});
      };
      std::string_view url = link.url;
      if (url.rfind("doc:", 0) == 0) {
        std::string id(url.substr(4, url.find_first_of("#?") - 4));
        if (!by_id.count(id)) {
          report("link to 'doc:" + id + "' names no document",
                 DidYouMean(id, ids));
        }
        continue;
      }
      if (url.empty() || url[0] == '#' || HasScheme(url) ||
          url.rfind("//", 0) == 0) {
        continue;
      }
      std::string target =
          PercentDecode(url.substr(0, url.find_first_of("#?")));
      std::string lower = target;
      for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower.size() < 3 || lower.substr(lower.size() - 3) != ".md") {
        continue;
      }
      std::string joined = target[0] == '/' ? target.substr(1) : dir + target;
      std::filesystem::path norm =
          std::filesystem::path(joined).lexically_normal();
      std::string resolved = norm.generic_string();
      if (resolved.empty() || resolved.rfind("..", 0) == 0) {
        report("link to " + Quote(target) + " leaves the corpus", "");
      } else if (!paths.count(resolved)) {
        std::string hint;
        if (auto s = Suggest(resolved, path_list)) {
          hint = "did you mean '" +
                 std::filesystem::path(*s)
                     .lexically_relative(dir.empty() ? "." : dir)
                     .generic_string() +
                 "'?";
        }
        report("link to " + Quote(target) + ": '" + resolved +
                   "' is not a document of the corpus",
               hint);
      }
    }
  }

  // Supersedes cycles: walk from each document; report each cycle once, on
  // the document of the cycle whose path sorts first.
  std::map<std::string, std::vector<std::string>> edges;
  for (const Document& d : docs) {
    for (const std::string& s : d.List("supersedes")) {
      if (by_id.count(s)) edges[d.id].push_back(s);
    }
  }
  std::set<std::string> reported;
  for (const Document& d : docs) {
    // Depth-first search for a path back to d.id.
    std::vector<std::pair<std::string, std::size_t>> stack = {{d.id, 0}};
    std::set<std::string> visited = {d.id};
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      const auto& succ = edges[node];
      if (next >= succ.size()) {
        stack.pop_back();
        continue;
      }
      const std::string s = succ[next++];
      if (s == d.id) {
        std::vector<std::string> cycle;
        for (const auto& [n, _] : stack) cycle.push_back(n);
        std::string key;
        std::vector<std::string> sorted = cycle;
        std::sort(sorted.begin(), sorted.end());
        for (const std::string& n : sorted) key += n + "\n";
        if (reported.insert(key).second) {
          std::string chain;
          for (const std::string& n : cycle) chain += n + " → ";
          chain += d.id;
          SourcePos pos = PosOf(d, "supersedes");
          out.push_back({d.path, pos.line, pos.column, Severity::kError,
                         "supersedes-cycle", "supersedes cycle: " + chain,
                         "a document cannot replace, even indirectly, one "
                         "that replaces it"});
        }
        break;
      }
      if (visited.insert(s).second) stack.push_back({s, 0});
    }
  }
}

}  // namespace

void ResolveIdentity(const Schema& schema, Document& doc) {
  std::string stem = doc.path.substr(doc.path.rfind('/') + 1);
  if (stem.size() > 3) stem.resize(stem.size() - 3);
  std::string type = doc.Scalar("type");
  const TypeDef* def = schema.FindType(type);
  doc.type = def && !def->abstract ? type : "";
  doc.id = Trim(doc.Scalar("id"));
  if (doc.id.empty()) doc.id = Slugify(stem);
  doc.title = Trim(doc.Scalar("title"));
  if (doc.title.empty()) doc.title = ScanMarkdown(doc.body).first_heading;
  if (doc.title.empty()) doc.title = stem;
}

CheckReport CheckDocuments(const Schema& schema, std::vector<Document> docs,
                           const CheckOptions& options) {
  CheckReport report;
  std::sort(docs.begin(), docs.end(), [](const Document& a, const Document& b) {
    return a.path < b.path;
  });
  for (Document& d : docs) {
    ResolveIdentity(schema, d);
    report.diagnostics.insert(report.diagnostics.end(), d.diagnostics.begin(),
                              d.diagnostics.end());
    DocumentChecker(schema, d, report.diagnostics).Run();
  }
  CheckCorpus(docs, report.diagnostics);
  SortDiagnostics(report.diagnostics);
  for (Diagnostic& d : report.diagnostics) {
    if (options.strict) d.severity = Severity::kError;
    (d.severity == Severity::kError ? report.errors : report.warnings)++;
  }
  report.documents = std::move(docs);
  return report;
}

Result<CheckReport> CheckWorkingTree(const Corpus& corpus,
                                     const CheckOptions& options) {
  auto paths = corpus.ListWorkingTree();
  if (!paths) return paths.status();
  std::vector<Document> docs;
  docs.reserve(paths->size());
  for (const std::string& p : *paths) {
    auto doc = corpus.ReadWorkingTree(p);
    if (!doc) return doc.status();
    docs.push_back(std::move(*doc));
  }
  return CheckDocuments(corpus.schema(), std::move(docs), options);
}

}  // namespace evrepo
