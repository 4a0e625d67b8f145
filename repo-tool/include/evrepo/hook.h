// The Git pre-commit hook that makes plain `git commit` refuse invalid
// evidence: it runs `evrepo check --staged` on the corpus.
#ifndef EVREPO_HOOK_H_
#define EVREPO_HOOK_H_

#include <filesystem>
#include <string>

#include "evrepo/git.h"
#include "evrepo/status.h"

namespace evrepo {

struct HookResult {
  std::filesystem::path hook;     // the pre-commit hook written or removed
  std::filesystem::path chained;  // a previous hook kept and run first; may
                                  // be empty
  bool changed = false;           // false when already as asked
};

// The text of the hook for `repo`'s corpus, running `evrepo` (an absolute
// path, tried first; `evrepo` on PATH otherwise).
std::string HookScript(const Repository& repo,
                       const std::filesystem::path& evrepo);

// Installs the pre-commit hook.  A hook of our own is rewritten in place; a
// foreign one is moved to pre-commit.local and run first by ours, so it keeps
// working.  Conflict (nothing changed) when both a foreign hook and
// pre-commit.local exist.
Result<HookResult> InstallHook(const Repository& repo,
                               const std::filesystem::path& evrepo);

// Removes our hook, putting back a chained pre-commit.local.  NotFound when
// no hook of ours is installed; a foreign hook is never touched.
Result<HookResult> UninstallHook(const Repository& repo);

}  // namespace evrepo

#endif  // EVREPO_HOOK_H_
