// evrepo sync: fetch, fast-forward or merge, push.
#include <fmt/core.h>

#include "commands.h"
#include "evrepo/sync.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

std::string Commits(std::size_t n) {
  return fmt::format("{} commit{}", n, n == 1 ? "" : "s");
}

int RunSync(const std::string& remote) {
  int code = kExitOk;
  auto ws = OpenWorkspace(&code);
  if (!ws) return code;
  Corpus& corpus = ws->corpus;
  Repository& repo = ws->repo;
  auto r = Sync(corpus, repo, SyncOptions{remote});
  if (!r) {
    PrintError(r.status());
    return ExitCodeFor(r.status());
  }
  std::string there = r->remote + "/" + r->branch;
  switch (r->outcome) {
    case SyncResult::Outcome::kUpToDate:
      fmt::print("already up to date with {}\n", there);
      return kExitOk;
    case SyncResult::Outcome::kSynced:
      if (r->received > 0) {
        if (r->fast_forward) {
          fmt::print("received {} from {} (fast-forward)\n",
                     Commits(r->received), there);
        } else {
          fmt::print("merged {} from {}: {}\n", Commits(r->received), there,
                     ShortId(*r->merge_commit));
        }
      }
      if (r->sent > 0) fmt::print("sent {} to {}\n", Commits(r->sent), there);
      return kExitOk;
    case SyncResult::Outcome::kConflicts: {
      std::fflush(stdout);
      fmt::print(stderr,
                 "evrepo: error: both sides changed the same files; nothing "
                 "was committed\n");
      for (const std::string& p : r->conflicts) fmt::print(stderr, "  {}\n", p);
      fmt::print(stderr,
                 "hint: your version is at HEAD ({}), theirs at {} ({}): "
                 "'evrepo show ID@HEAD' and 'evrepo show ID@{}'\n"
                 "hint: the files now hold both versions between <<<<<<< and "
                 ">>>>>>> lines; edit them, commit with 'evrepo add PATH... -m "
                 "MESSAGE', then 'evrepo sync' again\n"
                 "hint: to give up the merge instead: git merge --abort\n",
                 ShortId(r->ours), there, ShortId(r->theirs), there);
      return kExitInvalid;
    }
    case SyncResult::Outcome::kInvalidMerge:
      PrintDiagnostics(r->diagnostics);
      std::fflush(stdout);
      PrintError(
          fmt::format("the merge with {} would bring {} new error{}; nothing "
                      "was committed",
                      there, r->diagnostics.size(),
                      r->diagnostics.size() == 1 ? "" : "s"),
          "the merge is staged: fix the documents, commit with 'evrepo add "
          "PATH... -m MESSAGE', then 'evrepo sync' again (or: git merge "
          "--abort)");
      return kExitInvalid;
  }
  return kExitOk;
}

}  // namespace

Runner SetupSync(CLI::App* app, Globals*) {
  auto remote = std::make_shared<std::string>();
  app->add_option("REMOTE", *remote,
                  "The remote to sync with (default: the branch's upstream, "
                  "else origin)")
      ->type_name("");
  return [remote] { return RunSync(*remote); };
}

}  // namespace evrepo::cli
