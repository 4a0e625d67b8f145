// The Git side of a corpus, through libgit2.  This header and git.cc are the
// only places that touch libgit2.
//
// A corpus lives in a Git repository, possibly as a subdirectory of a larger
// one: the repository is discovered upward from the corpus root, and every
// path this interface takes or returns is relative to the corpus root (with
// '/' separators), never to the top of the working tree.  Objects are named
// by their full hexadecimal ids.  The repository's index file and refs are
// Git's own, so plain `git` works side by side.
#ifndef EVREPO_GIT_H_
#define EVREPO_GIT_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evrepo/status.h"

namespace evrepo {

// The working directory of the Git repository that contains `dir` (searching
// upward), or nullopt when there is none.
std::optional<std::filesystem::path> FindGitWorkdir(
    const std::filesystem::path& dir);

// Creates a new, empty Git repository (branch "main") at `dir`.
Status InitGitRepository(const std::filesystem::path& dir);

using ObjectId = std::string;  // 40 hexadecimal digits

struct Signature {
  std::string name;
  std::string email;
  std::int64_t time = 0;  // seconds since the epoch
  int offset = 0;         // minutes east of UTC
};

struct CommitInfo {
  ObjectId id;
  std::string short_id;  // the shortest unique prefix, at least 7 digits
  Signature author;
  Signature committer;
  std::string message;  // the whole message
  std::string summary;  // its first line
  std::vector<ObjectId> parents;
};

// A file of a tree or of the index, below the corpus root.
struct TreeFile {
  std::string path;  // corpus-relative
  ObjectId blob;
  bool executable = false;
  int stage = 0;  // index only: 1-3 for the sides of an unresolved merge
};

// A file that differs between two trees, below the corpus root.  Renames are
// reported as a deletion and an addition; callers pair them by content.
struct TreeChange {
  enum class Kind { kAdded, kModified, kDeleted };
  Kind kind;
  std::string path;
  ObjectId old_blob;  // empty when added
  ObjectId new_blob;  // empty when deleted
};

// Trees as Git stores them (raw, uncompressed), kept in a directory between
// runs, one file each, named by id.  The trees a diff reads on the new side
// of one commit are its old side at the next commit, and a folder's tree of
// thousands of documents costs a third of a millisecond to inflate.  Being
// named by their content, the trees kept never go stale; each file carries
// its length and a checksum, and one that does not check is not used.  Best
// effort throughout: a tree that cannot be kept is only read again later.
// Save may run on a thread of its own, with no other call meanwhile.
class TreeCache {
 public:
  explicit TreeCache(std::filesystem::path dir);

  // The raw tree `id`, if it is kept here and checks.
  std::optional<std::string> Find(const ObjectId& id) const;
  // Has Save keep `raw` as the tree `id`.
  void Keep(const ObjectId& id, std::string raw);
  // Writes the trees given to Keep, each beside its place, then renamed.
  void Save();
  // Notes that `id` is on the new side of a diff: Forget leaves it.
  void Hold(const ObjectId& id);
  // Notes that `id` was on the old side of a diff: Forget removes it.
  void Retire(const ObjectId& id);
  // Removes the trees retired and not held, and starts noting afresh: for
  // when the new side of the diffs has become what the caller keeps.
  void Forget();
  // Removes every tree kept.
  void Clear();

 private:
  std::filesystem::path dir_;
  std::vector<std::pair<ObjectId, std::string>> unsaved_;
  std::vector<ObjectId> retired_;
  std::vector<ObjectId> held_;
};

// One file of a commit to make: new content, or a deletion.
struct FileWrite {
  std::string path;                    // corpus-relative
  std::optional<std::string> content;  // nullopt deletes the path
  bool executable = false;
};

enum class MergeResult {
  kUpToDate,     // nothing to merge
  kFastForward,  // the branch moved to theirs; working tree updated
  kMerged,       // merge staged, working tree updated; a commit is due
  kConflicts,    // conflicts written to the index and working tree
};

class Repository {
 public:
  // The repository that holds `corpus_root`.  NotFound when there is none;
  // Invalid for a bare repository (a corpus needs a working tree).
  static Result<Repository> Discover(const std::filesystem::path& corpus_root);

  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  ~Repository();

  // The top of the working tree.
  const std::filesystem::path& workdir() const;
  // The corpus root relative to the top of the working tree, "" or ending
  // in '/'.
  const std::string& prefix() const;
  // Where hooks live: core.hooksPath when set, else GIT_DIR/hooks.
  Result<std::filesystem::path> HooksDir() const;

  // The commit HEAD names; nullopt on an unborn branch (no commit yet).
  Result<std::optional<ObjectId>> Head() const;
  // The short name of the branch HEAD is on; Invalid when HEAD is detached.
  Result<std::string> CurrentBranch() const;
  // Any commit-ish Git understands (HEAD~2, main, a tag, an abbreviated id).
  // NotFound when it names nothing; Invalid when it names no commit.
  Result<ObjectId> ResolveCommit(const std::string& rev) const;
  // The newest commit on the first-parent line from `from` whose committer
  // date, in its own time zone, falls on or before `date` (YYYY-MM-DD): the
  // version as of that day.  NotFound when the history starts later.
  Result<ObjectId> CommitAsOf(const std::string& date,
                              const ObjectId& from) const;
  Result<CommitInfo> ReadCommit(const ObjectId& id) const;
  // The commits reachable from `from` but not from `since` (when given),
  // children before parents (newest first among independent lines).
  Result<std::vector<ObjectId>> Walk(
      const ObjectId& from,
      const std::optional<ObjectId>& since = std::nullopt) const;
  // True when `ancestor` is `commit` or one of its ancestors.
  Result<bool> IsAncestor(const ObjectId& ancestor,
                          const ObjectId& commit) const;
  // The id of the corpus directory's tree in a commit; empty when the
  // commit has no such directory.  Equal ids mean equal corpus content.
  Result<ObjectId> CorpusTree(const ObjectId& commit) const;

  // The files below the corpus root in a commit's tree, sorted by path.
  Result<std::vector<TreeFile>> ListCommit(const ObjectId& commit) const;
  // The files below the corpus root in the index (GIT_INDEX_FILE when set,
  // as in a hook), sorted by path; unresolved paths appear once per stage.
  Result<std::vector<TreeFile>> ListIndex() const;
  // What changed below the corpus root from `old_commit` (nullopt: the
  // empty tree) to `new_commit`, sorted by path.  With a `cache`, trees are
  // looked for there before they are read (inflated) from the object
  // database; those of the new side are kept there, those of the old side
  // retired.
  Result<std::vector<TreeChange>> Diff(
      const std::optional<ObjectId>& old_commit, const ObjectId& new_commit,
      TreeCache* cache = nullptr) const;
  // Keeps every tree below the corpus root of `commit` in `cache`.
  Status KeepTrees(const ObjectId& commit, TreeCache* cache) const;
  // The content of a blob.  Invalid, naming the size, when it is larger
  // than `limit` bytes (the blob is then not read).
  Result<std::string> ReadBlob(const ObjectId& blob, std::size_t limit) const;
  // From now on, ReadBlob reads a blob from the working tree instead of the
  // object database when Git's index vouches that a file there holds it,
  // as `git status` trusts the index: the file's size, modification and
  // change times and inode are those the index recorded with that blob id,
  // before, and still after, it is read; the entry is not racily clean (not
  // as new as the index file); and no filter (core.autocrlf,
  // .gitattributes) stands between the file and the blob.  Anything else
  // is read from the object database, as before.  For readers of many
  // blobs: it reads the whole index once.
  void PreferWorktree() const;
  // How many blobs ReadBlob has read from the working tree, in this process.
  static long WorktreeReads();
  // The bytes Git would store for working-tree content at `path`, after
  // the repository's filters (core.autocrlf, .gitattributes).
  Result<std::string> CleanContent(const std::string& path,
                                   const std::string& bytes) const;
  // The blob id of `bytes` (nothing is written).
  Result<ObjectId> HashBlob(const std::string& bytes) const;
  // True when .gitignore rules exclude a corpus-relative path.
  bool IsIgnored(const std::string& path) const;

  // The identity for new commits: user.name and user.email from Git's
  // configuration, overridden by GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL and
  // GIT_AUTHOR_DATE (GIT_COMMITTER_* for the committer) as git does.
  // Invalid, with a hint, when no name or email is configured.
  Result<Signature> Author() const;
  Result<Signature> Committer() const;

  // True while a merge awaits its commit (MERGE_HEAD exists).
  bool IsMerging() const;

  // Commits `writes` on top of HEAD and moves the current branch to the
  // new commit.  Outside a merge the new tree is HEAD's tree with `writes`
  // applied (other staged changes are left staged, not committed); during a
  // merge it is the whole index with `writes` applied, the commit gets the
  // merge heads as further parents, and the merge state is cleared.  The
  // index is updated for `writes` before the branch moves, so a kill leaves
  // at worst staged changes, never a half-made commit.  Conflict when HEAD
  // moved meanwhile or (during a merge) paths remain unresolved.
  Result<ObjectId> Commit(const std::vector<FileWrite>& writes,
                          const std::string& message);

  // Fetches `remote` (a configured remote name); returns the fetched tip of
  // `branch`, nullopt when the remote has no such branch.  Unavailable
  // remotes give an Io error whose message says so.
  Result<std::optional<ObjectId>> Fetch(const std::string& remote,
                                        const std::string& branch);
  // Merges `theirs` into the current branch, updating the working tree;
  // refuses (Conflict, nothing changed) when local changes would be
  // overwritten.  After kConflicts or kMerged a merge is in progress.
  // `label` names their side in conflict markers (e.g. "origin/main").
  Result<MergeResult> Merge(const ObjectId& theirs,
                            const std::string& label = "");
  // The corpus-relative paths the index holds unresolved.
  Result<std::vector<std::string>> ConflictedPaths() const;
  // Pushes the current branch to `branch` on `remote`.  Conflict when the
  // remote rejects it (it moved meanwhile).
  Status Push(const std::string& remote, const std::string& branch);
  // (ahead, behind): commits only in `local`, commits only in `upstream`.
  Result<std::pair<std::size_t, std::size_t>> AheadBehind(
      const ObjectId& local, const ObjectId& upstream) const;
  // The remote and branch the current branch syncs with: its configured
  // upstream, else `origin` (or the only remote) and the same branch name.
  // NotFound when the repository has no remote.
  Result<std::pair<std::string, std::string>> Upstream() const;
  // The configured remotes' names.
  Result<std::vector<std::string>> Remotes() const;
  // True when the current branch has an upstream configured.
  bool HasUpstream() const;
  // Records remote/branch as the current branch's upstream.
  Status SetUpstream(const std::string& remote, const std::string& branch);

 private:
  struct Impl;
  explicit Repository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The calendar day of a signature's time in its own zone, as YYYY-MM-DD.
std::string DayOf(const Signature& s);

// "1a2b3c4" for display: the first 7 digits of an id.
inline std::string ShortId(const ObjectId& id) { return id.substr(0, 7); }

}  // namespace evrepo

#endif  // EVREPO_GIT_H_
