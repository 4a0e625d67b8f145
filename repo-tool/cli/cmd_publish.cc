// evrepo publish: the static evidence site for a commit.
#include <fmt/core.h>

#include <filesystem>

#include "commands.h"
#include "evrepo/index/index.h"
#include "evrepo/site.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

struct Options {
  std::string out;
  std::string rev = "HEAD";
  std::string base_url;
};

int Run(const Options& opt) {
  int code = kExitOk;
  auto ws = OpenWorkspace(&code);
  if (!ws) return code;
  Corpus& corpus = ws->corpus;
  Repository& repo = ws->repo;
  PublishOptions options;
  options.rev = opt.rev;
  options.base_url = opt.base_url;
  std::error_code ec;
  options.out = opt.out.empty() ? index::IndexDir(corpus) / "site"
                                : std::filesystem::absolute(opt.out, ec);
  auto report = Publish(corpus, repo, options);
  if (!report) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  fmt::print(
      "published {}: {} document{} ({} not public or drafts, left out); {} "
      "file{} written, {} unchanged, in {:.2f} s\n",
      ShortId(report->commit), report->documents,
      report->documents == 1 ? "" : "s", report->withheld,
      report->pages_written, report->pages_written == 1 ? "" : "s",
      report->pages_unchanged, report->seconds);
  fmt::print("open file://{}\n", (report->out / "index.html").string());
  return kExitOk;
}

}  // namespace

Runner SetupPublish(CLI::App* app, Globals*) {
  auto opt = std::make_shared<Options>();
  app->add_option("--out", opt->out,
                  "Where to write the site (default: the index directory's "
                  "site/)")
      ->option_text("DIR");
  app->add_option("--rev", opt->rev,
                  "Publish this commit (commit-ish or YYYY-MM-DD; default "
                  "HEAD)")
      ->option_text("REV");
  app->add_option("--base-url", opt->base_url,
                  "Where the site will be served, for the feed and sitemap")
      ->option_text("URL");
  return [opt] { return Run(*opt); };
}

}  // namespace evrepo::cli
