// The Git side of a corpus, through libgit2.  This header and git.cc are the
// only places that touch libgit2.
#ifndef EVREPO_GIT_H_
#define EVREPO_GIT_H_

#include <filesystem>
#include <optional>

#include "evrepo/status.h"

namespace evrepo {

// The working directory of the Git repository that contains `dir` (searching
// upward), or nullopt when there is none.
std::optional<std::filesystem::path> FindGitWorkdir(
    const std::filesystem::path& dir);

// Creates a new, empty Git repository (branch "main") at `dir`.
Status InitGitRepository(const std::filesystem::path& dir);

}  // namespace evrepo

#endif  // EVREPO_GIT_H_
