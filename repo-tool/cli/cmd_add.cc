// evrepo add: validate documents as they would be committed, then commit.
#include <fmt/core.h>

#include "commands.h"
#include "evrepo/commit.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

struct AddArgs {
  std::vector<std::string> paths;
  std::string message;
  bool strict = false;
};

int RunAdd(const AddArgs& opt, const Globals& globals) {
  int code = kExitOk;
  auto ws = OpenWorkspace(&code);
  if (!ws) return code;
  Corpus& corpus = ws->corpus;
  Repository& repo = ws->repo;

  AddOptions add;
  add.message = opt.message;
  add.strict = opt.strict;
  for (const std::string& p : opt.paths) {
    auto rel = corpus.Relative(p);
    if (!rel) {
      PrintError(rel.status());
      return kExitUsage;
    }
    add.paths.push_back(*rel);
  }
  auto result = AddAndCommit(corpus, repo, add);
  if (!result) {
    PrintError(result.status());
    return ExitCodeForRequest(result.status());
  }
  PrintDiagnostics(result->diagnostics);
  std::fflush(stdout);
  if (!result->commit) {
    PrintError(fmt::format("nothing committed: {} error{} in what would be "
                           "committed",
                           result->errors, result->errors == 1 ? "" : "s"),
               "the files are untouched and nothing was staged; fix them and "
               "run the command again");
    return kExitInvalid;
  }
  if (result->preexisting_errors > 0) {
    PrintWarning(
        fmt::format("{} error{} committed earlier in other documents remain{}",
                    result->preexisting_errors,
                    result->preexisting_errors == 1 ? "" : "s",
                    result->preexisting_errors == 1 ? "s" : ""),
        "'evrepo check --rev HEAD' lists them");
  }
  auto branch = repo.CurrentBranch();
  std::string summary = opt.message.substr(0, opt.message.find('\n'));
  fmt::print("[{} {}] {}\n", branch ? *branch : "HEAD",
             Paint(ShortId(*result->commit), "33", globals.color_stdout),
             summary);
  for (const AddedFile& f : result->files) {
    fmt::print(" {} {}\n", f.kind, f.path);
  }
  if (result->merge) fmt::print("concluded the merge\n");
  return kExitOk;
}

}  // namespace

Runner SetupAdd(CLI::App* app, Globals* globals) {
  auto opt = std::make_shared<AddArgs>();
  app->add_option("PATH", opt->paths,
                  "Files or directories to commit (gone files are deleted)")
      ->type_name("")
      ->required();
  app->add_option("-m,--message", opt->message, "The commit message")
      ->option_text("MESSAGE")
      ->required();
  app->add_flag("--strict", opt->strict,
                "Refuse warnings in the committed documents too");
  return [opt, globals] { return RunAdd(*opt, *globals); };
}

}  // namespace evrepo::cli
