// evrepo schema: the document types and their fields, as the schemas say.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "evrepo/text.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

struct SchemaArgs {
  std::string type;
  std::string format = "text";
};

std::string KindText(const FieldDef& f) {
  std::string k(KindName(f.kind));
  if (f.kind == FieldKind::kList)
    k += " of " + std::string(KindName(f.item_kind));
  return k;
}

std::string IndexText(const FieldDef& f) {
  std::string out;
  auto add = [&](bool on, std::string s) {
    if (on) out += (out.empty() ? "" : " ") + s;
  };
  add(f.index_text, f.weight > 1 ? "text×" + std::to_string(f.weight) : "text");
  add(f.index_boolean, "boolean");
  add(f.index_sortable, "sortable");
  add(f.index_facet, "facet");
  return out;
}

std::string ValuesText(const Schema& schema, const FieldDef& f) {
  if (!f.vocabulary.empty()) {
    const Vocabulary* v = schema.FindVocabulary(f.vocabulary);
    return "vocabulary " + f.vocabulary + " (" +
           std::to_string(v ? v->terms.size() : 0) + " terms)";
  }
  std::string out;
  for (const std::string& v : f.values) out += (out.empty() ? "" : " ") + v;
  if (f.slug) out = "slug";
  if (f.min || f.max) {
    out = (f.min ? std::to_string(*f.min) : "") + ".." +
          (f.max ? std::to_string(*f.max) : "");
  }
  return out;
}

nlohmann::json FieldJson(const Schema& schema, const FieldDef& f) {
  nlohmann::json j = {{"name", f.name},
                      {"label", f.label},
                      {"kind", KindName(f.kind)},
                      {"required", f.required}};
  if (f.kind == FieldKind::kList) j["of"] = KindName(f.item_kind);
  if (!f.description.empty()) j["description"] = f.description;
  std::vector<std::string> allowed = schema.AllowedValues(f);
  if (!allowed.empty()) j["values"] = allowed;
  if (!f.vocabulary.empty()) j["vocabulary"] = f.vocabulary;
  if (!f.default_value.empty()) j["default"] = f.default_value;
  if (f.slug) j["pattern"] = "slug";
  if (f.min) j["min"] = *f.min;
  if (f.max) j["max"] = *f.max;
  nlohmann::json index = nlohmann::json::array();
  if (f.index_text) index.push_back("text");
  if (f.index_boolean) index.push_back("boolean");
  if (f.index_sortable) index.push_back("sortable");
  if (f.index_facet) index.push_back("facet");
  j["index"] = index;
  if (f.index_text) j["weight"] = f.weight;
  if (!f.prefix.empty()) j["prefix"] = f.prefix;
  j["query"] = f.query;
  if (!f.dc.empty()) j["dc"] = f.dc;
  return j;
}

int RunSchema(const SchemaArgs& opt) {
  int code = kExitOk;
  auto corpus = OpenCorpus(&code);
  if (!corpus) return code;
  const Schema& schema = corpus->schema();
  bool json = opt.format == "json";

  if (opt.type.empty()) {
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const TypeDef* t : schema.DocumentTypes()) {
        out.push_back({{"name", t->name},
                       {"label", t->label},
                       {"folder", t->folder},
                       {"fields", t->fields.size()},
                       {"description", t->description}});
      }
      fmt::print("{}\n", out.dump(2));
      return kExitOk;
    }
    fmt::print("{:<24}{:<20}{:>6}  {}\n", "TYPE", "FOLDER", "FIELDS", "LABEL");
    for (const TypeDef* t : schema.DocumentTypes()) {
      fmt::print("{:<24}{:<20}{:>6}  {}\n", t->name, t->folder + "/",
                 t->fields.size(), t->label);
    }
    return kExitOk;
  }

  const TypeDef* type = schema.FindType(opt.type);
  if (!type) {
    std::string hint = "'evrepo schema' lists the types";
    if (auto s = Suggest(opt.type, schema.DocumentTypeNames())) {
      hint = "did you mean '" + *s + "'?";
    }
    PrintError("unknown type '" + opt.type + "'", hint);
    return kExitInvalid;
  }
  if (json) {
    nlohmann::json fields = nlohmann::json::array();
    for (const FieldDef& f : type->fields)
      fields.push_back(FieldJson(schema, f));
    nlohmann::json out = {{"name", type->name},
                          {"label", type->label},
                          {"folder", type->folder},
                          {"abstract", type->abstract},
                          {"description", type->description},
                          {"fields", fields}};
    if (!type->extends.empty()) out["extends"] = type->extends;
    fmt::print("{}\n", out.dump(2));
    return kExitOk;
  }
  fmt::print("{}: {}{}\n", type->name, type->label,
             type->extends.empty() ? "" : " (extends " + type->extends + ")");
  if (!type->description.empty()) fmt::print("{}\n", type->description);
  fmt::print("folder: {}/\n\n", type->folder);
  fmt::print("{:<20}{:<22}{:<5}{:<34}{}\n", "FIELD", "KIND", "REQ", "VALUES",
             "INDEX");
  for (const FieldDef& f : type->fields) {
    std::string row = fmt::format("{:<20}{:<22}{:<5}{:<34}{}", f.name,
                                  KindText(f), f.required ? "yes" : "",
                                  ValuesText(schema, f), IndexText(f));
    fmt::print("{}\n", Trim(row));
  }
  return kExitOk;
}

}  // namespace

Runner SetupSchema(CLI::App* app, Globals*) {
  auto opt = std::make_shared<SchemaArgs>();
  app->add_option("TYPE", opt->type, "Show this type's fields")->type_name("");
  app->add_option("--format", opt->format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->option_text("FORMAT");
  return [opt] { return RunSchema(*opt); };
}

}  // namespace evrepo::cli
