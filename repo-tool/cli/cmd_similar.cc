// evrepo similar: precedents for a document or a draft.
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands.h"
#include "evrepo/index/search.h"
#include "printer.h"
#include "results.h"

namespace evrepo::cli {

namespace {

struct SimilarArgs {
  std::string target;
  ResultOptions results;
};

int RunSimilar(const SimilarArgs& opt, const Globals& globals) {
  int code = kExitOk;
  // A draft is read with the schemas.
  auto opened =
      OpenIndexedCorpus(opt.results, Corpus::Loading::kWithSchema, &code);
  if (!opened) return code;
  const Corpus& corpus = *opened;
  index::SearchOptions options = SearchOptionsFor(opt.results, globals);
  std::error_code ec;
  bool is_file = std::filesystem::is_regular_file(opt.target, ec);
  std::string text;
  if (is_file) {
    std::ifstream in(opt.target, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in && !in.eof()) {
      PrintError("cannot read '" + opt.target + "'");
      return kExitFailure;
    }
    text = bytes.str();
  }
  auto rel = corpus.Relative(opt.target);
  auto result = is_file ? index::SimilarToText(corpus, rel ? *rel : opt.target,
                                               text, options)
                        : index::SimilarToDocument(corpus, opt.target, options);
  if (!result) {
    PrintError(result.status());
    return ExitCodeForRequest(result.status());
  }
  return PrintResult(*result, opt.target, opt.results, globals);
}

}  // namespace

Runner SetupSimilar(CLI::App* app, Globals* globals) {
  auto opt = std::make_shared<SimilarArgs>();
  app->add_option("DOCUMENT", opt->target,
                  "A document id, or a Markdown file (a draft need not be "
                  "committed)")
      ->type_name("")
      ->required();
  AddResultOptions(app, &opt->results, false);
  return [opt, globals] { return RunSimilar(*opt, *globals); };
}

}  // namespace evrepo::cli
