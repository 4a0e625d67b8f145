// evrepo publish: the static evidence site for a commit.
#include <fmt/core.h>

#include <filesystem>

#include "commands.h"
#include "evrepo/index/index.h"
#include "evrepo/site.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

struct PublishArgs {
  std::string out;
  std::string rev = "HEAD";
  std::string base_url;
  bool full = false;
};

int RunPublish(const PublishArgs& opt) {
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
  options.out = options.out.lexically_normal();
  if (!options.out.has_filename()) options.out = options.out.parent_path();
  options.cache_dir = index::IndexDir(corpus) / "publish";
  options.full = opt.full;
  auto report = Publish(corpus, repo, options);
  if (!report) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  fmt::print(
      "published {}: {} document{} ({} not public or drafts, left out); {} "
      "files ({} rendered, {} written), in {:.2f} s\n",
      ShortId(report->commit), report->documents,
      report->documents == 1 ? "" : "s", report->withheld,
      report->pages_written + report->pages_unchanged, report->pages_rendered,
      report->pages_written, report->seconds);
  fmt::print("open file://{}\n", (report->out / "index.html").string());
  KeepUntilExit(std::move(report->remains));
  return kExitOk;
}

}  // namespace

Runner SetupPublish(CLI::App* app, Globals*) {
  auto opt = std::make_shared<PublishArgs>();
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
  app->add_flag("--full", opt->full,
                "Render every page again, not only those whose content "
                "changed since the last publish");
  return [opt] { return RunPublish(*opt); };
}

}  // namespace evrepo::cli
