// evrepo sync.  The merge itself is Git's (libgit2's git_merge, so a merge
// left for the user is one plain `git` understands too); what evrepo adds is
// that a merged corpus is checked before it is committed.
#include "evrepo/sync.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "evrepo/check.h"
#include "evrepo/store.h"
#include "evrepo/text.h"

namespace evrepo {

namespace {

using Key = std::tuple<std::string, std::string, std::string>;

Key KeyOf(const Diagnostic& d) { return {d.path, d.rule, d.message}; }

}  // namespace

Result<SyncResult> Sync(const Corpus& corpus, Repository& repo,
                        const SyncOptions& options) {
  if (repo.IsMerging()) {
    auto conflicts = repo.ConflictedPaths();
    if (!conflicts) return conflicts.status();
    if (!conflicts->empty()) {
      std::string list;
      for (const std::string& p : *conflicts) {
        list += (list.empty() ? "" : ", ") + p;
      }
      return Status::Conflict("a merge is in progress with unresolved files: " +
                              list)
          .WithHint(
              "edit them to combine both versions, commit them with 'evrepo "
              "add PATH... -m MESSAGE', then sync again (or give up the "
              "merge: git merge --abort)");
    }
    return Status::Conflict("a merge is in progress")
        .WithHint(
            "fix what 'evrepo check --staged' reports, commit with 'evrepo "
            "add PATH... -m MESSAGE', then sync again (or give up the merge: "
            "git merge --abort)");
  }

  SyncResult r;
  auto branch = repo.CurrentBranch();
  if (!branch) return branch.status();
  if (options.remote.empty()) {
    auto up = repo.Upstream();
    if (!up) return up.status();
    r.remote = up->first;
    r.branch = up->second;
  } else {
    auto remotes = repo.Remotes();
    if (!remotes) return remotes.status();
    if (std::find(remotes->begin(), remotes->end(), options.remote) ==
        remotes->end()) {
      Status s = Status::Usage("no remote '" + options.remote + "'");
      if (auto g = Suggest(options.remote, *remotes)) {
        s.WithHint("did you mean '" + *g + "'?");
      } else {
        s.WithHint("add it first: git remote add " + options.remote + " URL");
      }
      return s;
    }
    r.remote = options.remote;
    r.branch = *branch;
  }

  auto theirs = repo.Fetch(r.remote, r.branch);
  if (!theirs) return theirs.status();
  auto head = repo.Head();
  if (!head) return head.status();
  if (*head) r.ours = **head;
  if (*theirs) r.theirs = **theirs;

  if (*theirs) {
    std::size_t behind = 0;
    if (*head) {
      auto ab = repo.AheadBehind(**head, **theirs);
      if (!ab) return ab.status();
      behind = ab->second;
    } else {
      auto walk = repo.Walk(**theirs);
      if (!walk) return walk.status();
      behind = walk->size();
    }
    if (behind > 0) {
      r.received = behind;
      auto merged = repo.Merge(**theirs, r.remote + "/" + r.branch);
      if (!merged) return merged.status();
      switch (*merged) {
        case MergeResult::kUpToDate:
          break;
        case MergeResult::kFastForward:
          r.fast_forward = true;
          break;
        case MergeResult::kConflicts: {
          auto paths = repo.ConflictedPaths();
          if (!paths) return paths.status();
          r.conflicts = std::move(*paths);
          r.outcome = SyncResult::Outcome::kConflicts;
          return r;
        }
        case MergeResult::kMerged: {
          // Both sides were valid; their union may not be (two documents
          // given one id, a reference to a document the other side deleted).
          auto staged = ReadStagedDocuments(corpus, repo);
          if (!staged) return staged.status();
          auto ours_docs = ReadCommitDocuments(corpus, repo, r.ours);
          if (!ours_docs) return ours_docs.status();
          CheckReport after =
              CheckDocuments(corpus.schema(), std::move(*staged));
          CheckReport before =
              CheckDocuments(corpus.schema(), std::move(*ours_docs));
          std::set<Key> known;
          for (const Diagnostic& d : before.diagnostics) known.insert(KeyOf(d));
          for (const Diagnostic& d : after.diagnostics) {
            if (d.severity == Severity::kError && !known.count(KeyOf(d))) {
              r.diagnostics.push_back(d);
            }
          }
          if (!r.diagnostics.empty()) {
            r.outcome = SyncResult::Outcome::kInvalidMerge;
            return r;
          }
          auto commit = repo.Commit(
              {}, "Merge " + r.remote + "/" + r.branch + " into " + *branch);
          if (!commit) return commit.status();
          r.merge_commit = *commit;
          break;
        }
      }
    }
  }

  head = repo.Head();
  if (!head) return head.status();
  if (*head && (!*theirs || **head != **theirs)) {
    std::size_t ahead = 0;
    if (*theirs) {
      auto ab = repo.AheadBehind(**head, **theirs);
      if (!ab) return ab.status();
      ahead = ab->first;
    } else {
      auto walk = repo.Walk(**head);
      if (!walk) return walk.status();
      ahead = walk->size();
    }
    if (ahead > 0) {
      if (Status s = repo.Push(r.remote, r.branch); !s.ok()) return s;
      r.sent = ahead;
      if (!repo.HasUpstream()) {
        // Remember where this branch syncs, as `git push -u` would, the
        // first time only: a sync with a mirror does not redirect later ones.
        if (Status s = repo.SetUpstream(r.remote, r.branch); !s.ok()) return s;
      }
    }
  }
  if (r.received > 0 || r.sent > 0) r.outcome = SyncResult::Outcome::kSynced;
  return r;
}

}  // namespace evrepo
