// `evrepo init`: make a directory a corpus, adopting what is already there.
#ifndef EVREPO_INIT_H_
#define EVREPO_INIT_H_

#include <filesystem>
#include <string>
#include <vector>

#include "evrepo/status.h"

namespace evrepo {

struct InitReport {
  std::filesystem::path root;
  bool created_git = false;           // a new repository was made
  std::filesystem::path git_workdir;  // the repository's work tree
  std::vector<std::string> created;   // files and folders made, relative
  std::size_t adopted_markdown = 0;   // Markdown files already present
};

// Creates `dir` if needed and writes evrepo.yml (last, so an interrupted run
// can simply be repeated), a folder per document type, and a .gitignore entry
// for derived data; makes a Git repository unless `dir` is inside one.
// Existing files are never moved or rewritten (.gitignore is appended to).
// Conflict when `dir` already holds evrepo.yml.
Result<InitReport> InitCorpus(const std::filesystem::path& dir);

}  // namespace evrepo

#endif  // EVREPO_INIT_H_
