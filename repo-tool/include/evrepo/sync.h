// Exchanging commits with a remote, for teams that work offline: fetch, then
// fast-forward or merge (validating the merged corpus), then push.
#ifndef EVREPO_SYNC_H_
#define EVREPO_SYNC_H_

#include <optional>
#include <string>
#include <vector>

#include "evrepo/corpus.h"
#include "evrepo/diagnostic.h"
#include "evrepo/git.h"
#include "evrepo/status.h"

namespace evrepo {

struct SyncOptions {
  std::string remote;  // empty: the branch's upstream, else origin
};

struct SyncResult {
  enum class Outcome {
    kUpToDate,      // nothing to fetch or push
    kSynced,        // fast-forwarded, merged and/or pushed
    kConflicts,     // both sides changed the same files: merge in progress
    kInvalidMerge,  // the merged corpus does not check: merge in progress
  };
  Outcome outcome = Outcome::kUpToDate;
  std::string remote, branch;  // what was synced with
  std::size_t received = 0;    // commits that came in
  std::size_t sent = 0;        // commits pushed
  bool fast_forward = false;
  std::optional<ObjectId> merge_commit;  // when a merge commit was made
  std::vector<std::string> conflicts;    // corpus-relative; kConflicts only
  std::vector<Diagnostic> diagnostics;   // kInvalidMerge only
  ObjectId ours, theirs;                 // the two tips, before merging
};

// Fetches from the remote, brings the current branch up to date with it (a
// fast-forward, or a merge commit when the merged corpus checks without new
// errors), and pushes what the remote lacks.  On conflicts or an invalid
// merge it commits nothing and leaves Git's merge state (MERGE_HEAD, the
// index, conflict markers in the working tree): local commits stay on the
// branch and fetched ones on the remote-tracking branch.
//
// Io error, with nothing changed, when the remote cannot be reached;
// Conflict when a merge is already in progress, local changes would be
// overwritten, or the remote moved during the sync; Usage for an unknown
// remote.
Result<SyncResult> Sync(const Corpus& corpus, Repository& repo,
                        const SyncOptions& options);

}  // namespace evrepo

#endif  // EVREPO_SYNC_H_
