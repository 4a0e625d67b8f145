// Committing evidence: validate exactly what would be committed, then commit
// it through libgit2, or commit nothing at all.
#ifndef EVREPO_COMMIT_H_
#define EVREPO_COMMIT_H_

#include <optional>
#include <string>
#include <vector>

#include "evrepo/check.h"
#include "evrepo/corpus.h"
#include "evrepo/diagnostic.h"
#include "evrepo/git.h"
#include "evrepo/status.h"

namespace evrepo {

struct AddOptions {
  // Corpus-relative files or directories; "" is the whole corpus.  A path
  // that no longer exists in the working tree deletes what HEAD has there.
  std::vector<std::string> paths;
  std::string message;  // required
  bool strict = false;  // warnings in the committed documents block too
};

struct AddedFile {
  char kind;  // 'A' added, 'M' modified, 'D' deleted
  std::string path;
};

struct AddResult {
  // Diagnostics on the documents being committed, and errors elsewhere that
  // the commit would introduce (a reference to a deleted document, a
  // duplicate id); sorted.
  std::vector<Diagnostic> diagnostics;
  int errors = 0;  // blocking: when non-zero nothing was committed
  int warnings = 0;
  int preexisting_errors = 0;  // errors already at HEAD in other documents
  std::vector<AddedFile> files;
  bool merge = false;              // the commit concludes a merge
  std::optional<ObjectId> commit;  // the new commit, when one was made
};

// Validates the working-tree content of `options.paths` together with the
// rest of the corpus at HEAD (or, during a merge, in the index), and when
// nothing is invalid commits exactly that content on the current branch,
// with the user's Git identity.  Other staged changes stay staged.  Never
// modifies the working tree.
//
// Fails with Usage for paths outside the corpus, matching nothing, or
// ignored by Git; Invalid when there is nothing to commit or no identity;
// Conflict when unresolved merge conflicts remain or HEAD moved meanwhile.
// Invalid documents are not a failure: the result has errors and no commit.
Result<AddResult> AddAndCommit(const Corpus& corpus, Repository& repo,
                               const AddOptions& options);

}  // namespace evrepo

#endif  // EVREPO_COMMIT_H_
