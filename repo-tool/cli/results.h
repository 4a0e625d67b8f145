// Printing search results, shared by `search` and `similar`.
#ifndef EVREPO_CLI_RESULTS_H_
#define EVREPO_CLI_RESULTS_H_

#include <optional>
#include <string>

#include "commands.h"
#include "evrepo/index/search.h"

namespace evrepo::cli {

// Options common to commands that print hits.
struct ResultOptions {
  std::size_t limit = 10;
  std::size_t offset = 0;
  std::string format = "text";  // text, json, ids or paths
  bool update = true;           // bring the index up to date first
};

// Declares --limit, --format and --no-update on `app` (and --offset when
// `offset` is true).
void AddResultOptions(CLI::App* app, ResultOptions* options, bool offset);

// The corpus to search or to find similar documents in.  Unless told not
// to, its index is brought up to date with HEAD first; with --no-update,
// Git is not even opened (the index holds all a search shows), and of the
// corpus only what `loading` says is read.  On failure prints the error and
// returns nullopt (setting *exit_code).
std::optional<Corpus> OpenIndexedCorpus(const ResultOptions& options,
                                        Corpus::Loading loading,
                                        int* exit_code);

// Search options for the format (snippets and highlighting).
index::SearchOptions SearchOptionsFor(const ResultOptions& options,
                                      const Globals& globals);

// Prints `result` as asked; `query` is echoed in JSON.  Returns the exit
// status: 0 with hits, 1 without.
int PrintResult(const index::SearchResult& result, const std::string& query,
                const ResultOptions& options, const Globals& globals);

}  // namespace evrepo::cli

#endif  // EVREPO_CLI_RESULTS_H_
