// evrepo search: ranked documents for a query.
#include <fmt/core.h>

#include "commands.h"
#include "evrepo/index/search.h"
#include "printer.h"
#include "results.h"

namespace evrepo::cli {

namespace {

struct SearchArgs {
  std::vector<std::string> words;
  ResultOptions results;
  std::string sort = "relevance";
  bool facets = false;
};

int RunSearch(const SearchArgs& opt, const Globals& globals) {
  int code = kExitOk;
  // The index keeps the fields it was built with: no schemas to read.
  auto opened = OpenIndexedCorpus(opt.results,
                                  Corpus::Loading::kConfigurationOnly, &code);
  if (!opened) return code;
  const Corpus& corpus = *opened;
  std::string query;
  for (const std::string& w : opt.words)
    query += (query.empty() ? "" : " ") + w;
  index::SearchOptions options = SearchOptionsFor(opt.results, globals);
  options.facets = opt.facets;
  options.sort = opt.sort == "date"    ? index::SortOrder::kDate
                 : opt.sort == "-date" ? index::SortOrder::kDateDescending
                                       : index::SortOrder::kRelevance;
  auto result = index::Search(corpus, query, options);
  if (!result) {
    PrintError(result.status());
    return ExitCodeFor(result.status());
  }
  return PrintResult(*result, query, opt.results, globals);
}

}  // namespace

Runner SetupSearch(CLI::App* app, Globals* globals) {
  auto opt = std::make_shared<SearchArgs>();
  app->add_option("QUERY", opt->words,
                  "Words, phrases and FIELD:value filters "
                  "(evrepo-search-terms(7))")
      ->type_name("");
  AddResultOptions(app, &opt->results, true);
  app->add_option("--sort", opt->sort, "relevance, date or -date")
      ->check(CLI::IsMember({"relevance", "date", "-date"}))
      ->option_text("ORDER");
  app->add_flag("--facets", opt->facets,
                "Also count the matches per type, tag, partner, year…");
  return [opt, globals] { return RunSearch(*opt, *globals); };
}

}  // namespace evrepo::cli
