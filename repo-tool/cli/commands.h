// The command table and what every command shares.
//
// To add a command NAME:
//   1. write cli/cmd_NAME.cc defining `Runner SetupName(CLI::App*, Globals*)`,
//      which declares the command's options on the CLI11 sub-app and returns
//      the function that runs it (parse nothing itself; call one library
//      entry point; print through printer.h; return an exit code);
//   2. declare it below and add a row to kCommands;
//   3. add it to repo-tool/CMakeLists.txt;
//   4. write man/evrepo-NAME.1.md and end-to-end tests in tests/cli/.
#ifndef EVREPO_CLI_COMMANDS_H_
#define EVREPO_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "evrepo/corpus.h"
#include "evrepo/git.h"

namespace evrepo::cli {

// Exit statuses scripts can rely on (evrepo(1)).
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;  // invalid input or no match
inline constexpr int kExitUsage = 2;
inline constexpr int kExitFailure = 3;

struct Globals {
  std::string directory;       // -C
  std::string color = "auto";  // --color
  bool color_stdout = false;   // decided after parsing
  bool color_stderr = false;
};

using Runner = std::function<int()>;
using Setup = Runner (*)(CLI::App* app, Globals* globals);

Runner SetupAdd(CLI::App* app, Globals* globals);
Runner SetupCheck(CLI::App* app, Globals* globals);
Runner SetupHook(CLI::App* app, Globals* globals);
Runner SetupIndex(CLI::App* app, Globals* globals);
Runner SetupInit(CLI::App* app, Globals* globals);
Runner SetupNew(CLI::App* app, Globals* globals);
Runner SetupPublish(CLI::App* app, Globals* globals);
Runner SetupLog(CLI::App* app, Globals* globals);
Runner SetupSchema(CLI::App* app, Globals* globals);
Runner SetupSearch(CLI::App* app, Globals* globals);
Runner SetupShow(CLI::App* app, Globals* globals);
Runner SetupSimilar(CLI::App* app, Globals* globals);
Runner SetupSync(CLI::App* app, Globals* globals);

struct Command {
  const char* name;
  const char* summary;
  Setup setup;
};

inline constexpr Command kCommands[] = {
    {"init", "Make a corpus, with a Git repository", SetupInit},
    {"new", "Write a document scaffolded from its schema", SetupNew},
    {"check", "Validate documents and the links between them", SetupCheck},
    {"schema", "List document types, or one type's fields", SetupSchema},
    {"add", "Validate documents, then commit them", SetupAdd},
    {"log", "The history of the corpus or of one document", SetupLog},
    {"show", "A document as it is, or as it was at a commit or date",
     SetupShow},
    {"sync", "Fetch, merge and push: exchange commits with a remote",
     SetupSync},
    {"hook", "Install the Git pre-commit hook that runs 'check --staged'",
     SetupHook},
    {"index", "Bring the search index up to date with a commit", SetupIndex},
    {"search", "Find documents: ranked, with snippets, filters and facets",
     SetupSearch},
    {"similar", "Precedents: the documents most like a document or draft",
     SetupSimilar},
    {"publish", "Write the static evidence site (public documents only)",
     SetupPublish},
};

// Finds the corpus above the current directory and opens it; on failure
// prints the error and sets *exit_code.
std::optional<Corpus> OpenCorpus(
    int* exit_code, Corpus::Loading loading = Corpus::Loading::kWithSchema);

// Opens the Git repository holding `corpus`; on failure prints the error and
// sets *exit_code.
std::optional<Repository> OpenRepository(const Corpus& corpus, int* exit_code);

// The corpus above the current directory and its Git repository, for the
// commands that need both; on failure prints the error and sets *exit_code.
struct Workspace {
  Corpus corpus;
  Repository repo;
};
std::optional<Workspace> OpenWorkspace(int* exit_code);

// A document argument: paths (anything with a '/' or ending in .md) are
// taken relative to the current directory and made corpus-relative; ids are
// returned as they are.  Prints the error and returns nullopt on failure.
std::optional<std::string> DocumentArgument(const Corpus& corpus,
                                            const std::string& arg,
                                            int* exit_code);

// Keeps `p` alive to the end of the process: what a command built and no
// longer needs, when freeing it piece by piece would only delay the exit.
// (It stays reachable, so leak checkers see no leak.)
void KeepUntilExit(std::shared_ptr<void> p);

}  // namespace evrepo::cli

#endif  // EVREPO_CLI_COMMANDS_H_
