// evrepo show: a document as it is committed, or as it was.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "evrepo/history.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

struct ShowArgs {
  std::string spec;
  bool meta = false;
  bool body = false;
  std::string format = "text";
};

nlohmann::json ToJson(const YamlNode& n) {
  switch (n.kind) {
    case YamlNode::Kind::kNull:
      return nullptr;
    case YamlNode::Kind::kScalar:
      return n.scalar;
    case YamlNode::Kind::kSequence: {
      nlohmann::json a = nlohmann::json::array();
      for (const YamlNode& i : n.items) a.push_back(ToJson(i));
      return a;
    }
    case YamlNode::Kind::kMapping: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& e : n.entries) o[e.key] = ToJson(e.value);
      return o;
    }
  }
  return nullptr;
}

int RunShow(const ShowArgs& opt) {
  if (opt.meta && opt.body) {
    PrintError("--meta and --body cannot be used together",
               "see 'evrepo show --help'");
    return kExitUsage;
  }
  int code = kExitOk;
  auto ws = OpenWorkspace(&code);
  if (!ws) return code;
  Corpus& corpus = ws->corpus;
  Repository& repo = ws->repo;
  // The document part may be a path relative to the current directory.
  std::string name = opt.spec, rev;
  if (std::size_t at = opt.spec.find('@'); at != std::string::npos) {
    name = opt.spec.substr(0, at);
    rev = opt.spec.substr(at);
  }
  auto doc_name = DocumentArgument(corpus, name, &code);
  if (!doc_name) return code;
  auto version = Show(corpus, repo, *doc_name + rev);
  if (!version) {
    PrintError(version.status());
    return ExitCodeForRequest(version.status());
  }
  const Document& d = version->document;

  if (opt.format == "json") {
    nlohmann::json out = {{"id", d.id},
                          {"path", version->path},
                          {"commit", version->commit},
                          {"type", d.type},
                          {"title", d.title}};
    if (!opt.body) {
      nlohmann::json fields = nlohmann::json::object();
      for (const Field& f : d.fields) fields[f.key] = ToJson(f.value);
      out["fields"] = fields;
    }
    if (!opt.meta) out["body"] = d.body;
    fmt::print("{}\n", out.dump(2, ' ', false,
                                nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  if (opt.meta) {
    for (const Field& f : d.fields) {
      fmt::print("{}: {}\n", f.key, FormatValue(f.value));
    }
  } else if (opt.body) {
    fmt::print("{}", d.body);
  } else {
    fmt::print("{}", version->bytes);
  }
  return kExitOk;
}

}  // namespace

Runner SetupShow(CLI::App* app, Globals*) {
  auto opt = std::make_shared<ShowArgs>();
  app->add_option("DOCUMENT", opt->spec,
                  "ID or PATH, then @REV for a commit-ish or a date "
                  "(YYYY-MM-DD)")
      ->type_name("")
      ->required();
  app->add_flag("--meta", opt->meta, "Print only the metadata");
  app->add_flag("--body", opt->body, "Print only the Markdown body");
  app->add_option("--format", opt->format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->option_text("FORMAT");
  return [opt] { return RunShow(*opt); };
}

}  // namespace evrepo::cli
