// evrepo new: write a document scaffolded from its type's schema.
#include <fmt/core.h>

#include <cstdlib>
#include <ctime>

#include "commands.h"
#include "evrepo/scaffold.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

struct NewArgs {
  std::string type;
  std::string title;
  std::vector<std::string> sets;
};

// Today's local date; SOURCE_DATE_EPOCH (the reproducible-builds convention)
// pins it, which is what tests do.
std::string Today() {
  std::time_t now = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    now = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
  }
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

int RunNew(const NewArgs& opt) {
  ScaffoldRequest request{opt.type, opt.title, {}, Today()};
  for (const std::string& s : opt.sets) {
    std::size_t eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      PrintError("--set takes FIELD=VALUE, not '" + s + "'",
                 "for example --set tags=social-clauses,procurement-policy");
      return kExitUsage;
    }
    request.values.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  int code = kExitOk;
  auto corpus = OpenCorpus(&code);
  if (!corpus) return code;
  auto scaffold = CreateDocument(*corpus, request);
  if (!scaffold) {
    PrintError(scaffold.status());
    return ExitCodeFor(scaffold.status());
  }
  if (!scaffold->written) {
    PrintDiagnostics(scaffold->diagnostics);
    PrintError("nothing written: the values given are not valid");
    return kExitInvalid;
  }
  std::error_code ec;
  std::filesystem::path shown = std::filesystem::relative(
      corpus->root() / scaffold->path, std::filesystem::current_path(ec), ec);
  fmt::print("{}\n", ec ? scaffold->path : shown.string());
  if (!scaffold->missing.empty()) {
    std::string list;
    for (const std::string& m : scaffold->missing) {
      list += (list.empty() ? "" : ", ") + m;
    }
    PrintWarning("still to fill in: " + list,
                 "'evrepo check' passes once they have values");
  }
  return kExitOk;
}

}  // namespace

Runner SetupNew(CLI::App* app, Globals*) {
  auto opt = std::make_shared<NewArgs>();
  app->add_option("TYPE", opt->type, "Document type (see 'evrepo schema')")
      ->type_name("")
      ->required();
  app->add_option("--title", opt->title, "Title of the document")
      ->required()
      ->option_text("TITLE");
  app->add_option("--set", opt->sets,
                  "Set a field; lists take comma-separated items")
      ->option_text("FIELD=VALUE")
      ->allow_extra_args(false);
  return [opt] { return RunNew(*opt); };
}

}  // namespace evrepo::cli
