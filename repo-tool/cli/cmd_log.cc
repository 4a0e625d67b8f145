// evrepo log: the commits that changed the corpus or one document.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "evrepo/history.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

struct LogArgs {
  std::string target;
  std::string rev = "HEAD";
  int max_count = -1;
  std::string format = "text";
};

const char* KindName(DocumentChange::Kind k) {
  switch (k) {
    case DocumentChange::Kind::kAdded:
      return "added";
    case DocumentChange::Kind::kModified:
      return "modified";
    case DocumentChange::Kind::kRenamed:
      return "renamed";
    case DocumentChange::Kind::kDeleted:
      return "deleted";
  }
  return "";
}

char KindLetter(DocumentChange::Kind k) {
  return static_cast<char>(std::toupper(KindName(k)[0]));
}

nlohmann::json ChangeJson(const DocumentChange& c) {
  nlohmann::json j = {{"change", KindName(c.kind)}, {"path", c.path}};
  if (!c.old_path.empty()) j["old_path"] = c.old_path;
  if (!c.id.empty()) j["id"] = c.id;
  if (!c.title.empty()) j["title"] = c.title;
  nlohmann::json fields = nlohmann::json::array();
  for (const FieldChange& f : c.fields) {
    if (f.list) {
      fields.push_back(
          {{"field", f.field}, {"added", f.added}, {"removed", f.removed}});
    } else {
      fields.push_back(
          {{"field", f.field}, {"before", f.before}, {"after", f.after}});
    }
  }
  j["fields"] = fields;
  j["body_changed"] = c.body_changed;
  return j;
}

// What happened to one document, in words, for the one-document log.
std::string Describe(const DocumentChange& c) {
  std::string what;
  switch (c.kind) {
    case DocumentChange::Kind::kAdded:
      what = "created as " + c.path;
      break;
    case DocumentChange::Kind::kDeleted:
      what = "deleted (" + c.path + ")";
      break;
    case DocumentChange::Kind::kRenamed:
      what = "moved " + c.old_path + " → " + c.path;
      break;
    case DocumentChange::Kind::kModified:
      break;
  }
  std::string fields = SummariseChange(c);
  if (!what.empty() && !fields.empty()) return what + "; " + fields;
  if (what.empty() && fields.empty()) return "formatting changed";
  return what + fields;
}

int RunLog(const LogArgs& opt, const Globals& globals) {
  int code = kExitOk;
  auto ws = OpenWorkspace(&code);
  if (!ws) return code;
  Corpus& corpus = ws->corpus;
  Repository& repo = ws->repo;
  LogOptions log;
  log.from = opt.rev;
  log.max_count = opt.max_count;
  if (!opt.target.empty()) {
    auto target = DocumentArgument(corpus, opt.target, &code);
    if (!target) return code;
    log.target = *target;
  }
  auto entries = Log(corpus, repo, log);
  if (!entries) {
    PrintError(entries.status());
    return ExitCodeForRequest(entries.status());
  }

  if (opt.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const LogEntry& e : *entries) {
      nlohmann::json changes = nlohmann::json::array();
      for (const DocumentChange& c : e.changes)
        changes.push_back(ChangeJson(c));
      const CommitInfo& ci = e.commit;
      out.push_back(
          {{"commit", ci.id},
           {"parents", ci.parents},
           {"author", {{"name", ci.author.name}, {"email", ci.author.email}}},
           {"date", FormatTime(ci.author.time, ci.author.offset, false)},
           {"message", ci.message},
           {"changes", changes}});
    }
    fmt::print("{}\n", out.dump(2, ' ', false,
                                nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }

  bool first = true;
  for (const LogEntry& e : *entries) {
    const CommitInfo& ci = e.commit;
    if (!first && log.target.empty()) fmt::print("\n");
    first = false;
    fmt::print("{}  {}  {}  {}\n",
               Paint(ci.short_id, "33", globals.color_stdout),
               FormatTime(ci.author.time, ci.author.offset, true),
               ci.author.name, ci.summary);
    for (const DocumentChange& c : e.changes) {
      if (!log.target.empty()) {
        fmt::print("    {}\n", Describe(c));
        continue;
      }
      std::string path = c.kind == DocumentChange::Kind::kRenamed
                             ? c.old_path + " → " + c.path
                             : c.path;
      std::string fields = SummariseChange(c);
      fmt::print("    {} {}{}\n", KindLetter(c.kind), path,
                 fields.empty() ? "" : "  " + fields);
    }
  }
  return kExitOk;
}

}  // namespace

Runner SetupLog(CLI::App* app, Globals* globals) {
  auto opt = std::make_shared<LogArgs>();
  app->add_option("DOCUMENT", opt->target,
                  "A document id or path: its history, across renames")
      ->type_name("");
  app->add_option("-n,--max-count", opt->max_count, "Show at most N commits")
      ->option_text("N")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--rev", opt->rev,
                  "Start from this commit (commit-ish or YYYY-MM-DD)")
      ->option_text("REV");
  app->add_option("--format", opt->format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->option_text("FORMAT");
  return [opt, globals] { return RunLog(*opt, *globals); };
}

}  // namespace evrepo::cli
