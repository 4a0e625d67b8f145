// evrepo init: make a corpus in a new or existing directory.
#include <fmt/core.h>

#include "commands.h"
#include "evrepo/init.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

int RunInit(const std::string& dir) {
  auto report = InitCorpus(dir.empty() ? "." : dir);
  if (!report) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  fmt::print("initialised corpus in {}\n", report->root.string());
  if (report->created_git) {
    fmt::print("created a Git repository (branch main)\n");
  } else {
    fmt::print("inside the Git repository at {}\n",
               report->git_workdir.string());
  }
  for (const std::string& c : report->created) fmt::print("  created {}\n", c);
  if (report->adopted_markdown > 0) {
    fmt::print(
        "adopted {} Markdown file{} as they are: run 'evrepo check' to see "
        "what each lacks\n",
        report->adopted_markdown, report->adopted_markdown == 1 ? "" : "s");
  }
  return kExitOk;
}

}  // namespace

Runner SetupInit(CLI::App* app, Globals*) {
  auto dir = std::make_shared<std::string>();
  app->add_option("DIR", *dir, "Directory to make a corpus (default: .)")
      ->type_name("");
  return [dir] { return RunInit(*dir); };
}

}  // namespace evrepo::cli
