// evrepo index: bring the search index up to date with a commit.
#include <fmt/core.h>
#include <unistd.h>

#include "commands.h"
#include "evrepo/index/index.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

struct IndexArgs {
  std::string rev = "HEAD";
  bool rebuild = false;
};

int RunIndex(const IndexArgs& opt) {
  int code = kExitOk;
  auto ws = OpenWorkspace(&code);
  if (!ws) return code;
  Corpus& corpus = ws->corpus;
  Repository& repo = ws->repo;
  index::IndexOptions options;
  options.rev = opt.rev;
  options.rebuild = opt.rebuild;
  bool terminal = isatty(STDERR_FILENO);
  bool progressed = false;
  options.progress = [&](std::size_t done, std::size_t total) {
    if (total == 0) {
      fmt::print(stderr,
                 "waiting for another process to finish with the "
                 "index…\n");
      return;
    }
    if (!terminal || total < 200) return;
    fmt::print(stderr, "\rindexing {}/{} documents", done, total);
    progressed = true;
  };
  auto report = index::UpdateIndex(corpus, repo, options);
  if (progressed) fmt::print(stderr, "\r\x1b[K");
  if (!report) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  std::string commit = ShortId(report->commit);
  std::string docs = fmt::format("{} document{}", report->documents,
                                 report->documents == 1 ? "" : "s");
  if (report->up_to_date) {
    fmt::print("the index is up to date with {} ({})\n", commit, docs);
  } else if (report->rebuilt) {
    fmt::print("indexed {} from scratch: {} in {:.2f} s\n", commit, docs,
               report->seconds);
  } else {
    fmt::print(
        "indexed {} (from {}): {} added, {} updated, {} removed; {} in "
        "{:.2f} s\n",
        commit, ShortId(report->previous), report->added, report->updated,
        report->removed, docs, report->seconds);
  }
  return kExitOk;
}

}  // namespace

Runner SetupIndex(CLI::App* app, Globals*) {
  auto opt = std::make_shared<IndexArgs>();
  app->add_option("--rev", opt->rev,
                  "Index this commit (commit-ish or YYYY-MM-DD; default HEAD)")
      ->option_text("REV");
  app->add_flag("--rebuild", opt->rebuild,
                "Build the index again from scratch");
  return [opt] { return RunIndex(*opt); };
}

}  // namespace evrepo::cli
