// evrepo check: validate the corpus and report on the given paths.
#include <fmt/core.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "commands.h"
#include "evrepo/check.h"
#include "evrepo/store.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

struct CheckArgs {
  std::vector<std::string> paths;
  bool strict = false;
  bool summary = false;
  std::string format = "text";
  bool staged = false;
  std::string rev;
};

bool Selected(const std::string& path, const std::vector<std::string>& sel) {
  if (sel.empty()) return true;
  for (const std::string& s : sel) {
    if (s.empty() || path == s || path.rfind(s + "/", 0) == 0) return true;
  }
  return false;
}

// Counts per type, confidentiality and status: what the corpus holds.
struct Holdings {
  struct Row {
    int documents = 0, is_public = 0, internal = 0, restricted = 0, draft = 0;
  };
  std::map<std::string, Row> by_type;
  Row total;
  std::string first_date, last_date;
};

Holdings Summarise(const std::vector<Document>& docs) {
  Holdings h;
  for (const Document& d : docs) {
    Holdings::Row& r = h.by_type[d.type.empty() ? "(generic)" : d.type];
    for (Holdings::Row* row : {&r, &h.total}) {
      ++row->documents;
      std::string c = d.Scalar("confidentiality");
      row->is_public += c == "public";
      row->internal += c == "internal";
      row->restricted += c == "restricted";
      row->draft += d.Scalar("status") == "draft";
    }
    std::string date = d.Scalar("date");
    if (date.size() == 10) {
      if (h.first_date.empty() || date < h.first_date) h.first_date = date;
      if (h.last_date.empty() || date > h.last_date) h.last_date = date;
    }
  }
  return h;
}

void PrintHoldings(const Corpus& corpus, const Holdings& h) {
  std::string name = corpus.config().name.empty()
                         ? corpus.root().filename().string()
                         : corpus.config().name;
  fmt::print("{}: {} documents", name, h.total.documents);
  if (!h.first_date.empty()) {
    fmt::print(" dated {} to {}", h.first_date, h.last_date);
  }
  fmt::print("\n\n{:<24}{:>9}{:>8}{:>10}{:>12}{:>7}\n", "type", "documents",
             "public", "internal", "restricted", "draft");
  auto row = [](const std::string& label, const Holdings::Row& r) {
    fmt::print("{:<24}{:>9}{:>8}{:>10}{:>12}{:>7}\n", label, r.documents,
               r.is_public, r.internal, r.restricted, r.draft);
  };
  for (const auto& [type, r] : h.by_type) row(type, r);
  row("total", h.total);
}

nlohmann::json HoldingsJson(const Holdings& h) {
  auto row = [](const Holdings::Row& r) {
    return nlohmann::json{{"documents", r.documents},
                          {"public", r.is_public},
                          {"internal", r.internal},
                          {"restricted", r.restricted},
                          {"draft", r.draft}};
  };
  nlohmann::json types = nlohmann::json::object();
  for (const auto& [type, r] : h.by_type) types[type] = row(r);
  return {{"types", types},
          {"total", row(h.total)},
          {"first_date", h.first_date},
          {"last_date", h.last_date}};
}

int RunCheck(const CheckArgs& opt) {
  if (opt.staged && !opt.rev.empty()) {
    PrintError("--staged and --rev cannot be used together",
               "see 'evrepo check --help'");
    return kExitUsage;
  }
  int code = kExitOk;
  auto corpus = OpenCorpus(&code);
  if (!corpus) return code;

  bool from_git = opt.staged || !opt.rev.empty();
  std::vector<std::string> selected;
  for (const std::string& p : opt.paths) {
    auto rel = corpus->Relative(p);
    if (!rel) {
      PrintError(rel.status());
      return kExitUsage;
    }
    std::error_code ec;
    if (!from_git && !std::filesystem::exists(p, ec)) {
      PrintError("'" + p + "' does not exist");
      return kExitUsage;
    }
    selected.push_back(*rel);
  }

  // What to check: the working tree, the index, or a commit.
  std::string where;
  std::optional<Repository> repo;
  if (from_git && !(repo = OpenRepository(*corpus, &code))) return code;
  auto read = [&]() -> Result<std::vector<Document>> {
    if (opt.staged) return ReadStagedDocuments(*corpus, *repo);
    auto commit = ResolveRevision(*repo, opt.rev);
    if (!commit) return commit.status();
    where = " at " + ShortId(*commit);
    return ReadCommitDocuments(*corpus, *repo, *commit);
  };
  auto check = [&]() -> Result<CheckReport> {
    if (!from_git) return CheckWorkingTree(*corpus, CheckOptions{opt.strict});
    auto docs = read();
    if (!docs) return docs.status();
    return CheckDocuments(corpus->schema(), std::move(*docs),
                          CheckOptions{opt.strict});
  };
  auto report = check();
  if (!report) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  std::vector<Diagnostic> shown;
  int errors = 0, warnings = 0, documents = 0;
  for (const Diagnostic& d : report->diagnostics) {
    if (!Selected(d.path, selected)) continue;
    (d.severity == Severity::kError ? errors : warnings)++;
    shown.push_back(d);
  }
  for (const Document& d : report->documents) {
    documents += Selected(d.path, selected);
  }
  Holdings holdings = Summarise(report->documents);

  if (opt.format == "json") {
    nlohmann::json out;
    out["diagnostics"] = nlohmann::json::array();
    for (const Diagnostic& d : shown) {
      nlohmann::json j = {
          {"path", d.path},
          {"line", d.line},
          {"column", d.column},
          {"severity", d.severity == Severity::kError ? "error" : "warning"},
          {"rule", d.rule},
          {"message", d.message}};
      if (!d.hint.empty()) j["hint"] = d.hint;
      out["diagnostics"].push_back(std::move(j));
    }
    out["documents"] = documents;
    out["errors"] = errors;
    out["warnings"] = warnings;
    if (opt.summary) out["summary"] = HoldingsJson(holdings);
    fmt::print("{}\n", out.dump(2, ' ', false,
                                nlohmann::json::error_handler_t::replace));
  } else {
    PrintDiagnostics(shown);
    if (opt.summary) {
      if (!shown.empty()) fmt::print("\n");
      PrintHoldings(*corpus, holdings);
    }
    std::fflush(stdout);  // keep the order on a shared pipe
    fmt::print(stderr, "checked {}{} document{}{}: {} error{}, {} warning{}\n",
               documents, opt.staged ? " staged" : "",
               documents == 1 ? "" : "s", where, errors, errors == 1 ? "" : "s",
               warnings, warnings == 1 ? "" : "s");
  }
  return errors > 0 ? kExitInvalid : kExitOk;
}

}  // namespace

Runner SetupCheck(CLI::App* app, Globals*) {
  auto opt = std::make_shared<CheckArgs>();
  app->add_option("PATH", opt->paths,
                  "Report only on these files or directories")
      ->type_name("");
  app->add_flag("--strict", opt->strict, "Treat warnings as errors");
  app->add_flag("--summary", opt->summary,
                "Also print what the corpus holds, per type");
  app->add_option("--format", opt->format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->option_text("FORMAT");
  app->add_flag("--staged", opt->staged,
                "Check what is staged in the Git index (what would be "
                "committed)");
  app->add_option("--rev", opt->rev,
                  "Check the documents of a commit (commit-ish or YYYY-MM-DD)")
      ->option_text("REV");
  return [opt] { return RunCheck(*opt); };
}

}  // namespace evrepo::cli
