// libgit2 wrapper.  libgit2 is initialised once per process; every handle is
// owned by a unique_ptr.  git_error_last() may return NULL (libgit2 1.5), so
// messages go through LastError().  Paths cross this file's boundary
// corpus-relative; inside, the corpus prefix is added for libgit2 and
// stripped again.
#include "evrepo/git.h"

#include <fcntl.h>
#include <git2.h>
#include <git2/sys/stream.h>
#include <git2/sys/transport.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "evrepo/fsutil.h"
#include "raw_tree.h"

#ifdef EVREPO_DEFER_TLS
// libgit2 1.5 sets up mbedTLS in git_libgit2_init: it seeds a random
// generator and parses the system's whole CA bundle.  That is 4-5 ms on
// every command that opens the repository, a fifth of an incremental index,
// though only a fetch or push over HTTPS uses it; libssh2's set-up of
// OpenSSL for SSH is likewise.  Linked from the static archive, the
// linker's --wrap (CMakeLists.txt) lets each wait for the first TLS stream,
// certificate option or SSH transport.  libgit2 is initialised once and
// never shut down, so once is enough.
extern "C" {
int __real_git_mbedtls_stream_global_init(void);
int __real_git_mbedtls_stream_new(git_stream** out, const char* host,
                                  const char* port);
int __real_git_mbedtls_stream_wrap(git_stream** out, git_stream* in,
                                   const char* host);
int __real_git_mbedtls__set_cert_location(const char* file, const char* path);
int __real_git_transport_ssh_global_init(void);
int __real_git_smart_subtransport_ssh(git_smart_subtransport** out,
                                      git_transport* owner, void* param);
}

namespace {

// Runs `init` the first time, and returns its result every time.
template <int (*Init)()>
int Ready() {
  static std::once_flag once;
  static int status = 0;
  std::call_once(once, [] { status = Init(); });
  return status;
}

}  // namespace

extern "C" {
int __wrap_git_mbedtls_stream_global_init(void) { return 0; }
int __wrap_git_transport_ssh_global_init(void) { return 0; }

int __wrap_git_mbedtls_stream_new(git_stream** out, const char* host,
                                  const char* port) {
  if (int e = Ready<__real_git_mbedtls_stream_global_init>(); e < 0) return e;
  return __real_git_mbedtls_stream_new(out, host, port);
}
int __wrap_git_mbedtls_stream_wrap(git_stream** out, git_stream* in,
                                   const char* host) {
  if (int e = Ready<__real_git_mbedtls_stream_global_init>(); e < 0) return e;
  return __real_git_mbedtls_stream_wrap(out, in, host);
}
int __wrap_git_mbedtls__set_cert_location(const char* file, const char* path) {
  if (int e = Ready<__real_git_mbedtls_stream_global_init>(); e < 0) return e;
  return __real_git_mbedtls__set_cert_location(file, path);
}
int __wrap_git_smart_subtransport_ssh(git_smart_subtransport** out,
                                      git_transport* owner, void* param) {
  if (int e = Ready<__real_git_transport_ssh_global_init>(); e < 0) return e;
  return __real_git_smart_subtransport_ssh(out, owner, param);
}
}
#endif

namespace evrepo {

namespace fs = std::filesystem;

namespace {

void EnsureInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // As git itself, do not hash every object again on each read: a tree of
    // thousands of documents is read whole for each diff.  `git fsck` and
    // the checksums of packs are what guard against a corrupt store.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  });
}

std::string LastError() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

Status Fail(const std::string& what) {
  return Status::Io(what + ": " + LastError());
}

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using RepoPtr = Handle<git_repository, git_repository_free>;
using CommitPtr = Handle<git_commit, git_commit_free>;
using TreePtr = Handle<git_tree, git_tree_free>;
using TreeEntryPtr = Handle<git_tree_entry, git_tree_entry_free>;
using IndexPtr = Handle<git_index, git_index_free>;
using BlobPtr = Handle<git_blob, git_blob_free>;
using ObjectPtr = Handle<git_object, git_object_free>;
using WalkPtr = Handle<git_revwalk, git_revwalk_free>;
using SignaturePtr = Handle<git_signature, git_signature_free>;
using ReferencePtr = Handle<git_reference, git_reference_free>;
using RemotePtr = Handle<git_remote, git_remote_free>;
using DiffPtr = Handle<git_diff, git_diff_free>;
using AnnotatedPtr = Handle<git_annotated_commit, git_annotated_commit_free>;
using ConfigPtr = Handle<git_config, git_config_free>;
using FilterListPtr = Handle<git_filter_list, git_filter_list_free>;
using OdbPtr = Handle<git_odb, git_odb_free>;
using OdbObjectPtr = Handle<git_odb_object, git_odb_object_free>;
using ConflictIterPtr =
    Handle<git_index_conflict_iterator, git_index_conflict_iterator_free>;

// A git_buf that frees itself.
struct Buf {
  git_buf buf = GIT_BUF_INIT;
  ~Buf() { git_buf_dispose(&buf); }
  std::string str() const {
    return buf.ptr ? std::string(buf.ptr, buf.size) : "";
  }
};

std::string Hex(const git_oid* oid) {
  char out[GIT_OID_HEXSZ + 1];
  git_oid_tostr(out, sizeof out, oid);
  return out;
}

bool ParseOid(const ObjectId& hex, git_oid* out) {
  return hex.size() == GIT_OID_HEXSZ && git_oid_fromstr(out, hex.c_str()) == 0;
}

Signature FromGit(const git_signature* s) {
  return {s->name ? s->name : "", s->email ? s->email : "", s->when.time,
          s->when.offset};
}

}  // namespace

std::string DayOf(const Signature& s) {
  std::time_t t = static_cast<std::time_t>(s.time + s.offset * 60LL);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

namespace {

// Parses a date as git accepts it in GIT_AUTHOR_DATE: "@EPOCH [+HHMM]",
// "EPOCH [+HHMM]", RFC 2822 "[Wed, ]31 Jan 2007 16:30:00 +0100", or ISO
// 8601 "YYYY-MM-DD[( |T)HH:MM[:SS]][Z|±HH[:]MM]".
// A date without a zone is in local time.
std::optional<std::pair<std::int64_t, int>> ParseGitDate(std::string s) {
  auto zone = [](std::string_view z) -> std::optional<int> {
    if (z == "Z" || z == "z") return 0;
    std::string d;
    for (char c : z.substr(1)) {
      if (c != ':') d += c;
    }
    if ((z[0] != '+' && z[0] != '-') || d.size() != 4 ||
        !std::all_of(d.begin(), d.end(), ::isdigit)) {
      return std::nullopt;
    }
    int m = std::stoi(d.substr(0, 2)) * 60 + std::stoi(d.substr(2));
    return z[0] == '-' ? -m : m;
  };
  std::string t = s;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) {
    t.pop_back();
  }
  if (t.empty()) return std::nullopt;
  // Epoch forms.
  std::string epoch = t[0] == '@' ? t.substr(1) : t;
  std::size_t sp = epoch.find(' ');
  std::string digits = epoch.substr(0, sp);
  if (!digits.empty() && digits.size() <= 12 &&
      std::all_of(digits.begin(), digits.end(), ::isdigit) &&
      (t[0] == '@' || sp != std::string::npos || digits.size() >= 8)) {
    int offset = 0;
    if (sp != std::string::npos) {
      auto z = zone(epoch.substr(sp + 1));
      if (!z) return std::nullopt;
      offset = *z;
    }
    return std::make_pair(static_cast<std::int64_t>(std::stoll(digits)),
                          offset);
  }
  // RFC 2822, as in mail: "Wed, 31 Jan 2007 16:30:00 +0100".
  for (const char* format : {"%a, %d %b %Y %H:%M:%S", "%d %b %Y %H:%M:%S"}) {
    std::tm tm{};
    const char* end = strptime(t.c_str(), format, &tm);
    if (!end) continue;
    std::string rest(end);
    while (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
    auto z = rest.empty() ? std::optional<int>(0) : zone(rest);
    if (!z) return std::nullopt;
    return std::make_pair(static_cast<std::int64_t>(timegm(&tm)) - *z * 60LL,
                          *z);
  }
  // ISO 8601.
  std::tm tm{};
  int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3) {
    return std::nullopt;
  }
  std::string rest = t.substr(n);
  if (!rest.empty() && (rest[0] == 'T' || rest[0] == ' ')) {
    int m = 0;
    if (std::sscanf(rest.c_str() + 1, "%2d:%2d%n", &h, &mi, &m) != 2) {
      return std::nullopt;
    }
    rest = rest.substr(1 + m);
    if (!rest.empty() && rest[0] == ':') {
      if (std::sscanf(rest.c_str() + 1, "%2d%n", &sec, &m) != 1) {
        return std::nullopt;
      }
      rest = rest.substr(1 + m);
    }
  }
  while (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
    return std::nullopt;
  }
  if (rest.empty()) {
    tm.tm_isdst = -1;
    std::time_t local = std::mktime(&tm);
    if (local == -1) return std::nullopt;
    return std::make_pair(static_cast<std::int64_t>(local),
                          static_cast<int>(tm.tm_gmtoff / 60));
  }
  auto z = zone(rest);
  if (!z) return std::nullopt;
  return std::make_pair(static_cast<std::int64_t>(timegm(&tm)) - *z * 60LL, *z);
}

// The credentials callback: ssh-agent for ssh, EVREPO_GIT_USERNAME and
// EVREPO_GIT_PASSWORD for https; each offered once, so a refusal ends in an
// authentication error instead of a loop.
struct CredentialState {
  bool tried_agent = false;
  bool tried_password = false;
  bool asked = false;
};

int Credentials(git_credential** out, const char* /*url*/,
                const char* username_from_url, unsigned int allowed,
                void* payload) {
  auto* state = static_cast<CredentialState*>(payload);
  state->asked = true;
  if ((allowed & GIT_CREDENTIAL_SSH_KEY) && !state->tried_agent) {
    state->tried_agent = true;
    const char* user = username_from_url ? username_from_url : "git";
    return git_credential_ssh_key_from_agent(out, user);
  }
  const char* user = std::getenv("EVREPO_GIT_USERNAME");
  const char* pass = std::getenv("EVREPO_GIT_PASSWORD");
  if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && pass &&
      !state->tried_password) {
    state->tried_password = true;
    if (!user) user = username_from_url ? username_from_url : "git";
    return git_credential_userpass_plaintext_new(out, user, pass);
  }
  if ((allowed & GIT_CREDENTIAL_USERNAME) && username_from_url) {
    return git_credential_username_new(out, username_from_url);
  }
  return GIT_EUSER;
}

std::string RemoteUrl(git_remote* remote) {
  const char* url = git_remote_url(remote);
  return url ? url : "";
}

Status RemoteFailure(const std::string& verb, const std::string& name,
                     git_remote* remote, const CredentialState& creds, int rc) {
  std::string url = RemoteUrl(remote);
  std::string where = "'" + name + "' (" + url + ")";
  // A local path (not scp-like host:path) or file:// URL that is not there.
  bool file_url = url.rfind("file://", 0) == 0;
  bool plain_path = url.find(':') == std::string::npos;
  std::string path = file_url ? url.substr(7) : url;
  std::error_code ec;
  if ((file_url || plain_path) && !fs::exists(path, ec)) {
    return Status::Io("cannot " + verb + " " + where +
                      ": there is no repository at '" + path + "'")
        .WithHint("is the drive or share mounted? nothing was changed");
  }
  if (creds.asked && rc == GIT_EUSER) {
    return Status::Io("authentication failed for " + where)
        .WithHint(
            "for ssh, add your key to ssh-agent; for https, set "
            "EVREPO_GIT_USERNAME and EVREPO_GIT_PASSWORD (a token)");
  }
  return Status::Io("cannot " + verb + " " + where + ": " + LastError())
      .WithHint("is the remote reachable? nothing was changed");
}

// The files changed locally (staged, unstaged or untracked) that differ
// between HEAD and `theirs`: what a merge of `theirs` would overwrite.
std::vector<std::string> LocalChangesIn(git_repository* repo,
                                        const ObjectId& theirs) {
  std::vector<std::string> out;
  git_object* head = nullptr;
  git_object* other = nullptr;
  if (git_revparse_single(&head, repo, "HEAD^{tree}") != 0) return out;
  ObjectPtr head_owned(head);
  if (git_revparse_single(&other, repo, (theirs + "^{tree}").c_str()) != 0) {
    return out;
  }
  ObjectPtr other_owned(other);
  git_diff* raw = nullptr;
  if (git_diff_tree_to_tree(&raw, repo, reinterpret_cast<git_tree*>(head),
                            reinterpret_cast<git_tree*>(other), nullptr) != 0) {
    return out;
  }
  DiffPtr diff(raw);
  std::set<std::string> incoming;
  for (std::size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    incoming.insert(d->old_file.path);
    incoming.insert(d->new_file.path);
  }
  git_status_options opts = GIT_STATUS_OPTIONS_INIT;
  opts.flags =
      GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
  git_status_list* list = nullptr;
  if (git_status_list_new(&list, repo, &opts) != 0) return out;
  for (std::size_t i = 0; i < git_status_list_entrycount(list); ++i) {
    const git_status_entry* e = git_status_byindex(list, i);
    const git_diff_delta* d =
        e->head_to_index ? e->head_to_index : e->index_to_workdir;
    if (d && incoming.count(d->new_file.path)) out.push_back(d->new_file.path);
  }
  git_status_list_free(list);
  return out;
}

// Collects the paths a checkout refuses to overwrite.
int CollectConflicts(git_checkout_notify_t, const char* path,
                     const git_diff_file*, const git_diff_file*,
                     const git_diff_file*, void* payload) {
  static_cast<std::vector<std::string>*>(payload)->push_back(path);
  return 0;
}

}  // namespace

std::optional<fs::path> FindGitWorkdir(const fs::path& dir) {
  EnsureInit();
  Buf buf;
  if (git_repository_discover(&buf.buf, dir.c_str(), 0, nullptr) != 0) {
    return std::nullopt;
  }
  git_repository* raw = nullptr;
  if (git_repository_open(&raw, buf.buf.ptr) != 0) return std::nullopt;
  RepoPtr repo(raw);
  const char* workdir = git_repository_workdir(repo.get());
  if (!workdir) return std::nullopt;  // a bare repository has no work tree
  fs::path p = fs::path(workdir).lexically_normal();
  return p.has_filename() ? p : p.parent_path();
}

Status InitGitRepository(const fs::path& dir) {
  EnsureInit();
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  opts.flags = GIT_REPOSITORY_INIT_MKPATH;
  opts.initial_head = "main";
  git_repository* raw = nullptr;
  if (git_repository_init_ext(&raw, dir.c_str(), &opts) != 0) {
    return Status::Io("cannot create a Git repository in '" + dir.string() +
                      "': " + LastError());
  }
  RepoPtr repo(raw);
  return Status::Ok();
}

namespace {

std::atomic<long> g_worktree_reads{0};

// A working-tree file and what Git's index recorded of it (ReadBlob).
struct IndexedFile {
  std::string top;  // relative to the top of the working tree
  std::uint32_t size = 0, ino = 0;
  git_index_time mtime{}, ctime{};
};

bool SameTime(const git_index_time& t, const struct timespec& ts) {
  return t.seconds == static_cast<std::int32_t>(ts.tv_sec) &&
         t.nanoseconds == static_cast<std::uint32_t>(ts.tv_nsec);
}

// True when `st` is the file the index entry `f` describes.
bool Matches(const IndexedFile& f, const struct stat& st) {
  return S_ISREG(st.st_mode) &&
         static_cast<std::uint64_t>(st.st_size) == f.size &&
         static_cast<std::uint32_t>(st.st_ino) == f.ino &&
         SameTime(f.mtime, st.st_mtim) && SameTime(f.ctime, st.st_ctim);
}

bool Earlier(const git_index_time& a, const struct timespec& b) {
  return a.seconds < b.tv_sec || (a.seconds == b.tv_sec &&
                                  static_cast<long>(a.nanoseconds) < b.tv_nsec);
}

// The index's clean files by blob id: those whose stat data Git can trust.
// The index file is looked at before it is read, so an index rewritten
// meanwhile only makes fewer entries count as older than it.
std::unordered_map<std::string, IndexedFile> ReadIndexedFiles(
    git_repository* repo) {
  std::unordered_map<std::string, IndexedFile> out;
  const char* gitdir = git_repository_path(repo);
  if (!gitdir) return out;
  std::string file = std::string(gitdir) + "index";
  struct stat st;
  if (stat(file.c_str(), &st) != 0) return out;
  git_index* raw = nullptr;
  if (git_index_open(&raw, file.c_str()) != 0) return out;
  IndexPtr index(raw);
  std::size_t n = git_index_entrycount(index.get());
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(index.get(), i);
    // Regular files only, merged, neither assumed unchanged nor outside
    // the sparse checkout, and older than the index file: an entry as new
    // as the index may have been changed within the same tick (racily
    // clean, in Git's words).
    if ((e->mode != GIT_FILEMODE_BLOB &&
         e->mode != GIT_FILEMODE_BLOB_EXECUTABLE) ||
        GIT_INDEX_ENTRY_STAGE(e) != 0 || (e->flags & GIT_INDEX_ENTRY_VALID) ||
        (e->flags_extended &
         (GIT_INDEX_ENTRY_SKIP_WORKTREE | GIT_INDEX_ENTRY_INTENT_TO_ADD)) ||
        !Earlier(e->mtime, st.st_mtim) || !Earlier(e->ctime, st.st_mtim)) {
      continue;
    }
    out.emplace(
        std::string(reinterpret_cast<const char*>(e->id.id), GIT_OID_RAWSZ),
        IndexedFile{e->path, e->file_size, e->ino, e->mtime, e->ctime});
  }
  return out;
}

}  // namespace

struct Repository::Impl {
  RepoPtr repo;
  fs::path workdir;
  std::string prefix;

  bool prefer_worktree = false;
  // By raw blob id; filled on first use.  An empty map when the index
  // cannot be read.
  std::optional<std::unordered_map<std::string, IndexedFile>> indexed;

  // The blob `oid` as the working tree holds it, when the index vouches for
  // the file (see PreferWorktree); nullopt to read it from the objects.
  std::optional<std::string> ReadFromWorktree(const git_oid& oid,
                                              std::size_t limit) {
    if (!indexed) indexed = ReadIndexedFiles(get());
    auto it = indexed->find(
        std::string(reinterpret_cast<const char*>(oid.id), GIT_OID_RAWSZ));
    if (it == indexed->end() || it->second.size > limit) return std::nullopt;
    const IndexedFile& f = it->second;
    git_filter_list* filters = nullptr;
    if (git_filter_list_load(&filters, get(), nullptr, f.top.c_str(),
                             GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT) != 0) {
      git_error_clear();
      return std::nullopt;
    }
    if (filters) {
      git_filter_list_free(filters);
      return std::nullopt;
    }
    int fd = open((workdir / f.top).c_str(),
                  O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return std::nullopt;
    std::string text(f.size, '\0');
    struct stat before, after;
    // Nothing more than the index said, and unchanged while read.
    bool ok = fstat(fd, &before) == 0 && Matches(f, before) &&
              ReadWhole(fd, text.data(), text.size()) &&
              fstat(fd, &after) == 0 && Matches(f, after);
    close(fd);
    if (!ok) return std::nullopt;
    g_worktree_reads.fetch_add(1, std::memory_order_relaxed);
    return text;
  }

  git_repository* get() const { return repo.get(); }

  // Strips the corpus prefix; nullopt for paths outside the corpus.
  std::optional<std::string> Relative(std::string_view top) const {
    if (top.substr(0, prefix.size()) != prefix) return std::nullopt;
    return std::string(top.substr(prefix.size()));
  }

  Result<CommitPtr> LookupCommit(const ObjectId& id) const {
    git_oid oid;
    if (!ParseOid(id, &oid)) return Status::Usage("bad commit id '" + id + "'");
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, get(), &oid) != 0) {
      return Fail("cannot read commit " + ShortId(id));
    }
    return CommitPtr(raw);
  }

  // The corpus directory's tree in a commit; null when it has none.
  Result<TreePtr> CorpusTree(const ObjectId& commit_id) const {
    auto commit = LookupCommit(commit_id);
    if (!commit) return commit.status();
    git_tree* root = nullptr;
    if (git_commit_tree(&root, commit->get()) != 0) {
      return Fail("cannot read the tree of " + ShortId(commit_id));
    }
    TreePtr tree(root);
    if (prefix.empty()) return tree;
    git_tree_entry* raw = nullptr;
    std::string dir = prefix.substr(0, prefix.size() - 1);
    if (git_tree_entry_bypath(&raw, tree.get(), dir.c_str()) != 0) {
      return TreePtr();
    }
    TreeEntryPtr entry(raw);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) return TreePtr();
    git_tree* sub = nullptr;
    if (git_tree_lookup(&sub, get(), git_tree_entry_id(entry.get())) != 0) {
      return Fail("cannot read '" + dir + "' in " + ShortId(commit_id));
    }
    return TreePtr(sub);
  }

  // The tree `id` as stored, read (inflated) from the object database.
  Result<std::string> ReadTree(const std::string& path,
                               std::string_view id) const {
    git_odb* raw_odb = nullptr;
    if (git_repository_odb(&raw_odb, get()) != 0) {
      return Fail("cannot open the object database");
    }
    OdbPtr odb(raw_odb);
    git_oid oid;
    std::memcpy(oid.id, id.data(), GIT_OID_RAWSZ);
    git_odb_object* raw = nullptr;
    std::string shown = path.empty() ? "." : path;
    if (git_odb_read(&raw, odb.get(), &oid) != 0) {
      return Fail("cannot read '" + shown + "'");
    }
    OdbObjectPtr object(raw);
    if (git_odb_object_type(raw) != GIT_OBJECT_TREE) {
      return Status::Invalid("'" + shown + "' is not a tree (" +
                             ShortId(rawtree::Hex(id)) + ")");
    }
    return std::string(static_cast<const char*>(git_odb_object_data(raw)),
                       git_odb_object_size(raw));
  }

  // The tree `id` for one side of a diff: from `cache` when it is kept
  // there, else read, and then kept for the new side.
  Result<std::string> DiffSide(const std::string& path, std::string_view id,
                               bool old_side, TreeCache* cache) const {
    if (!cache) return ReadTree(path, id);
    ObjectId hex = rawtree::Hex(id);
    if (old_side) {
      cache->Retire(hex);
    } else {
      cache->Hold(hex);
    }
    if (auto kept = cache->Find(hex)) return std::move(*kept);
    auto raw = ReadTree(path, id);
    if (raw && !old_side) cache->Keep(hex, *raw);
    return raw;
  }

  // The raw id of the corpus directory's tree in a commit; "" when the
  // commit has none.  Only the trees above the corpus are read.
  Result<std::string> CorpusTreeId(const ObjectId& commit_id) const {
    auto commit = LookupCommit(commit_id);
    if (!commit) return commit.status();
    const git_oid* top = git_commit_tree_id(commit->get());
    std::string id(reinterpret_cast<const char*>(top->id), GIT_OID_RAWSZ);
    std::string_view rest = prefix;  // "" or "dir/sub/"
    std::string walked;
    while (!rest.empty()) {
      std::size_t slash = rest.find('/');
      std::string_view name = rest.substr(0, slash);
      rest.remove_prefix(slash + 1);
      auto tree = ReadTree(walked, id);
      if (!tree) return tree.status();
      std::string found;
      rawtree::Entry e;
      for (std::size_t pos = 0; pos < tree->size();) {
        if (!rawtree::Next(*tree, &pos, &e)) {
          return Status::Invalid("malformed tree object at '" +
                                 (walked.empty() ? "." : walked) + "' in " +
                                 ShortId(commit_id));
        }
        if (e.name == name) {
          if (e.tree()) found = std::string(e.id);
          break;
        }
      }
      if (found.empty()) return std::string();
      id = std::move(found);
      walked += std::string(name) + "/";
    }
    return id;
  }

  // The corpus-relative paths `index` holds unresolved (paths outside the
  // corpus keep a leading '/').
  Result<std::vector<std::string>> Conflicts(git_index* index) const {
    git_index_conflict_iterator* raw = nullptr;
    if (git_index_conflict_iterator_new(&raw, index) != 0) {
      return Fail("cannot read the conflicts");
    }
    ConflictIterPtr it(raw);
    std::set<std::string> paths;
    const git_index_entry *ancestor, *ours, *theirs;
    while (git_index_conflict_next(&ancestor, &ours, &theirs, it.get()) == 0) {
      for (const git_index_entry* e : {ancestor, ours, theirs}) {
        if (e)
          paths.insert(Relative(e->path).value_or("/" + std::string(e->path)));
      }
    }
    return std::vector<std::string>(paths.begin(), paths.end());
  }

  // Git decides whether an index entry may have changed unseen ("racily
  // clean") by comparing whole seconds with the index file's time; libgit2
  // compares nanoseconds, so rewriting the index could make git trust a
  // stale entry.  Before writing, an entry from the same second as the old
  // index file whose file no longer matches is smudged (size 0), as git
  // itself does, so git looks at the file again.
  void SmudgeRacyEntries(git_index* index,
                         const std::vector<FileWrite>& writes) const {
    struct stat old_index;
    fs::path index_file = fs::path(git_repository_path(get())) / "index";
    if (stat(index_file.c_str(), &old_index) != 0) return;
    std::set<std::string> written;
    for (const FileWrite& w : writes) written.insert(prefix + w.path);
    // Copies: the index owns its entries' paths until they are replaced.
    std::vector<std::pair<git_index_entry, std::string>> smudged;
    for (std::size_t i = 0; i < git_index_entrycount(index); ++i) {
      const git_index_entry* e = git_index_get_byindex(index, i);
      if (GIT_INDEX_ENTRY_STAGE(e) != 0 || written.count(e->path) ||
          e->mtime.seconds < old_index.st_mtim.tv_sec || e->file_size == 0) {
        continue;
      }
      git_oid now;
      fs::path file = workdir / e->path;
      if (git_repository_hashfile(&now, get(), file.c_str(), GIT_OBJECT_BLOB,
                                  e->path) == 0 &&
          !git_oid_equal(&now, &e->id)) {
        smudged.emplace_back(*e, e->path);
        smudged.back().first.file_size = 0;
      }
    }
    for (auto& [e, path] : smudged) {
      e.path = path.c_str();
      git_index_add(index, &e);
    }
  }

  Result<IndexPtr> RepositoryIndex() const {
    git_index* raw = nullptr;
    if (git_repository_index(&raw, get()) != 0) {
      return Fail("cannot open the Git index");
    }
    IndexPtr index(raw);
    if (git_index_read(index.get(), 1) != 0) {
      return Fail("cannot read the Git index");
    }
    return index;
  }

  Result<std::string> BranchRef() const {
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, get(), "HEAD") != 0) {
      return Fail("cannot read HEAD");
    }
    ReferencePtr head(raw);
    if (git_reference_type(head.get()) != GIT_REFERENCE_SYMBOLIC) {
      return Status::Invalid("HEAD is detached (not on a branch)")
          .WithHint("switch to a branch first, e.g. 'git switch main'");
    }
    return std::string(git_reference_symbolic_target(head.get()));
  }

  Result<Signature> Identity(const char* role) const {
    std::string upper = role;
    for (char& c : upper) c = static_cast<char>(std::toupper(c));
    auto env = [&](const char* what) -> std::optional<std::string> {
      const char* v = std::getenv(("GIT_" + upper + "_" + what).c_str());
      if (v && *v) return std::string(v);
      return std::nullopt;
    };
    Signature sig;
    git_config* raw = nullptr;
    if (git_repository_config_snapshot(&raw, get()) != 0) {
      return Fail("cannot read the Git configuration");
    }
    ConfigPtr config(raw);
    auto get_config = [&](const char* key) -> std::string {
      const char* v = nullptr;
      if (git_config_get_string(&v, config.get(), key) != 0 || !v) return "";
      return v;
    };
    sig.name = env("NAME").value_or(get_config("user.name"));
    sig.email = env("EMAIL").value_or(get_config("user.email"));
    if (sig.name.empty() || sig.email.empty()) {
      std::string missing = sig.name.empty() ? "user.name" : "user.email";
      return Status::Invalid("no Git identity to commit with: " + missing +
                             " is not set")
          .WithHint(
              "tell Git who you are: git config --global user.name \"Your "
              "Name\" and git config --global user.email you@example.org");
    }
    if (auto date = env("DATE")) {
      auto parsed = ParseGitDate(*date);
      if (!parsed) {
        return Status::Invalid("GIT_" + upper + "_DATE is not a date: '" +
                               *date + "'")
            .WithHint("use ISO 8601, e.g. 2007-01-31T10:00:00+00:00");
      }
      sig.time = parsed->first;
      sig.offset = parsed->second;
    } else {
      git_signature* now = nullptr;
      if (git_signature_now(&now, sig.name.c_str(), sig.email.c_str()) != 0) {
        return Status::Invalid("cannot use the Git identity '" + sig.name +
                               " <" + sig.email + ">': " + LastError());
      }
      SignaturePtr owned(now);
      sig.time = now->when.time;
      sig.offset = now->when.offset;
    }
    return sig;
  }

  // Adds `write` to `index` (as a top-level path), its blob already stored.
  Status Apply(git_index* index, const FileWrite& write,
               const git_oid* blob) const {
    std::string path = prefix + write.path;
    git_index_conflict_remove(index, path.c_str());  // this resolves it
    if (!write.content) {
      if (git_index_remove_bypath(index, path.c_str()) != 0) {
        return Fail("cannot remove '" + write.path + "' from the index");
      }
      return Status::Ok();
    }
    git_index_entry entry{};
    entry.mode =
        write.executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
    entry.id = *blob;
    entry.path = path.c_str();
    entry.file_size = static_cast<std::uint32_t>(write.content->size());
    // Record the file's stat data when the working tree holds exactly this
    // content, so `git status` need not re-read it.  Stat before reading:
    // a later change moves the mtime and git looks again.
    struct stat st;
    fs::path file = workdir / path;
    if (lstat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      git_oid seen;
      auto clean = CleanContent(write.path, bytes.str());
      if (clean &&
          git_odb_hash(&seen, clean->data(), clean->size(), GIT_OBJECT_BLOB) ==
              0 &&
          git_oid_equal(&seen, blob)) {
        entry.ctime.seconds = static_cast<std::int32_t>(st.st_ctim.tv_sec);
        entry.ctime.nanoseconds =
            static_cast<std::uint32_t>(st.st_ctim.tv_nsec);
        entry.mtime.seconds = static_cast<std::int32_t>(st.st_mtim.tv_sec);
        entry.mtime.nanoseconds =
            static_cast<std::uint32_t>(st.st_mtim.tv_nsec);
        entry.dev = static_cast<std::uint32_t>(st.st_dev);
        entry.ino = static_cast<std::uint32_t>(st.st_ino);
        entry.uid = st.st_uid;
        entry.gid = st.st_gid;
        entry.file_size = static_cast<std::uint32_t>(st.st_size);
      }
    }
    if (git_index_add(index, &entry) != 0) {
      return Fail("cannot stage '" + write.path + "'");
    }
    return Status::Ok();
  }

  Result<std::string> CleanContent(const std::string& path,
                                   const std::string& bytes) const {
    git_filter_list* raw = nullptr;
    std::string top = prefix + path;
    if (git_filter_list_load(&raw, get(), nullptr, top.c_str(),
                             GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT) != 0) {
      return Fail("cannot load Git filters for '" + path + "'");
    }
    if (!raw) return bytes;
    FilterListPtr filters(raw);
    Buf out;
    if (git_filter_list_apply_to_buffer(&out.buf, filters.get(), bytes.data(),
                                        bytes.size()) != 0) {
      return Fail("cannot filter '" + path + "'");
    }
    return out.str();
  }
};

Repository::Repository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;
Repository::~Repository() = default;

Result<Repository> Repository::Discover(const fs::path& corpus_root) {
  EnsureInit();
  Buf buf;
  if (git_repository_discover(&buf.buf, corpus_root.c_str(), 0, nullptr) != 0) {
    return Status::NotFound("the corpus at '" + corpus_root.string() +
                            "' is not in a Git repository")
        .WithHint("run 'git init' there, or 'evrepo init' for a new corpus");
  }
  git_repository* raw = nullptr;
  if (git_repository_open(&raw, buf.buf.ptr) != 0) {
    return Fail("cannot open the Git repository at '" + buf.str() + "'");
  }
  auto impl = std::make_unique<Impl>();
  impl->repo.reset(raw);
  const char* workdir = git_repository_workdir(raw);
  if (!workdir) {
    return Status::Invalid("the Git repository at '" + buf.str() +
                           "' is bare: a corpus needs a working tree");
  }
  std::error_code ec;
  fs::path top = fs::weakly_canonical(workdir, ec);
  fs::path root = fs::weakly_canonical(corpus_root, ec);
  if (!top.has_filename()) top = top.parent_path();
  impl->workdir = top;
  std::string rel = root.lexically_relative(top).generic_string();
  if (rel.empty() || rel.rfind("..", 0) == 0) {
    return Status::Internal("the corpus '" + root.string() +
                            "' is not inside the working tree '" +
                            top.string() + "'");
  }
  impl->prefix = rel == "." ? "" : rel + "/";
  return Repository(std::move(impl));
}

const fs::path& Repository::workdir() const { return impl_->workdir; }
const std::string& Repository::prefix() const { return impl_->prefix; }

Result<fs::path> Repository::HooksDir() const {
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, impl_->get()) != 0) {
    return Fail("cannot read the Git configuration");
  }
  ConfigPtr config(raw);
  Buf path;
  if (git_config_get_path(&path.buf, config.get(), "core.hooksPath") == 0) {
    fs::path p = path.str();
    return p.is_absolute() ? p : impl_->workdir / p;
  }
  return fs::path(git_repository_commondir(impl_->get())) / "hooks";
}

Result<std::optional<ObjectId>> Repository::Head() const {
  int unborn = git_repository_head_unborn(impl_->get());
  if (unborn == 1) return std::optional<ObjectId>();
  if (unborn < 0) return Fail("cannot read HEAD");
  git_oid oid;
  if (git_reference_name_to_id(&oid, impl_->get(), "HEAD") != 0) {
    return Fail("cannot read HEAD");
  }
  return std::optional<ObjectId>(Hex(&oid));
}

Result<std::string> Repository::CurrentBranch() const {
  auto ref = impl_->BranchRef();
  if (!ref) return ref.status();
  const std::string kHeads = "refs/heads/";
  return ref->rfind(kHeads, 0) == 0 ? ref->substr(kHeads.size()) : *ref;
}

Result<ObjectId> Repository::ResolveCommit(const std::string& rev) const {
  git_object* raw = nullptr;
  int rc = git_revparse_single(&raw, impl_->get(), rev.c_str());
  if (rc != 0) {
    if (rc == GIT_EAMBIGUOUS) {
      return Status::NotFound("'" + rev + "' is ambiguous")
          .WithHint("give more digits of the commit id");
    }
    if (rev == "HEAD" && git_repository_head_unborn(impl_->get()) == 1) {
      return Status::NotFound("there are no commits yet")
          .WithHint("commit documents with 'evrepo add PATH... -m MESSAGE'");
    }
    return Status::NotFound("unknown revision '" + rev + "'")
        .WithHint("give a commit id, a branch, a tag, or a date (YYYY-MM-DD)");
  }
  ObjectPtr obj(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT) != 0) {
    return Status::Invalid("'" + rev + "' does not name a commit");
  }
  ObjectPtr commit(peeled);
  return Hex(git_object_id(commit.get()));
}

Result<ObjectId> Repository::CommitAsOf(const std::string& date,
                                        const ObjectId& from) const {
  ObjectId id = from;
  for (;;) {
    auto commit = impl_->LookupCommit(id);
    if (!commit) return commit.status();
    const git_signature* c = git_commit_committer(commit->get());
    if (DayOf(FromGit(c)) <= date) return id;
    if (git_commit_parentcount(commit->get()) == 0) break;
    id = Hex(git_commit_parent_id(commit->get(), 0));
  }
  return Status::NotFound("no commit on or before " + date)
      .WithHint("the history starts later; see 'evrepo log'");
}

Result<CommitInfo> Repository::ReadCommit(const ObjectId& id) const {
  auto commit = impl_->LookupCommit(id);
  if (!commit) return commit.status();
  CommitInfo info;
  info.id = id;
  Buf shorter;
  if (git_object_short_id(&shorter.buf,
                          reinterpret_cast<git_object*>(commit->get())) == 0) {
    info.short_id = shorter.str();
  }
  if (info.short_id.size() < 7) info.short_id = ShortId(id);
  info.author = FromGit(git_commit_author(commit->get()));
  info.committer = FromGit(git_commit_committer(commit->get()));
  const char* message = git_commit_message(commit->get());
  info.message = message ? message : "";
  const char* summary = git_commit_summary(commit->get());
  info.summary = summary ? summary : "";
  for (unsigned i = 0; i < git_commit_parentcount(commit->get()); ++i) {
    info.parents.push_back(Hex(git_commit_parent_id(commit->get(), i)));
  }
  return info;
}

Result<std::vector<ObjectId>> Repository::Walk(
    const ObjectId& from, const std::optional<ObjectId>& since) const {
  git_oid oid, hide;
  if (!ParseOid(from, &oid)) return Status::Usage("bad commit id");
  if (since && !ParseOid(*since, &hide)) return Status::Usage("bad commit id");
  git_revwalk* raw = nullptr;
  if (git_revwalk_new(&raw, impl_->get()) != 0) {
    return Fail("cannot walk the history");
  }
  WalkPtr walk(raw);
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  if (git_revwalk_push(walk.get(), &oid) != 0) {
    return Fail("cannot walk the history from " + ShortId(from));
  }
  if (since && git_revwalk_hide(walk.get(), &hide) != 0) {
    return Fail("cannot walk the history since " + ShortId(*since));
  }
  std::vector<ObjectId> out;
  while (git_revwalk_next(&oid, walk.get()) == 0) out.push_back(Hex(&oid));
  return out;
}

Result<bool> Repository::IsAncestor(const ObjectId& ancestor,
                                    const ObjectId& commit) const {
  git_oid a, c;
  if (!ParseOid(ancestor, &a) || !ParseOid(commit, &c)) {
    return Status::Usage("bad commit id");
  }
  if (git_oid_equal(&a, &c)) return true;
  int r = git_graph_descendant_of(impl_->get(), &c, &a);
  if (r < 0)
    return Fail("cannot compare " + ShortId(ancestor) + " and " +
                ShortId(commit));
  return r == 1;
}

Result<ObjectId> Repository::CorpusTree(const ObjectId& commit) const {
  auto tree = impl_->CorpusTree(commit);
  if (!tree) return tree.status();
  return *tree ? Hex(git_tree_id(tree->get())) : ObjectId();
}

Result<std::vector<TreeFile>> Repository::ListCommit(
    const ObjectId& commit) const {
  auto tree = impl_->CorpusTree(commit);
  if (!tree) return tree.status();
  std::vector<TreeFile> out;
  if (!*tree) return out;
  auto visit = [](const char* root, const git_tree_entry* entry,
                  void* payload) -> int {
    git_filemode_t mode = git_tree_entry_filemode(entry);
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
      return 0;  // trees are walked into; links and submodules are skipped
    }
    auto* files = static_cast<std::vector<TreeFile>*>(payload);
    files->push_back({std::string(root) + git_tree_entry_name(entry),
                      Hex(git_tree_entry_id(entry)),
                      mode == GIT_FILEMODE_BLOB_EXECUTABLE, 0});
    return 0;
  };
  if (git_tree_walk(tree->get(), GIT_TREEWALK_PRE, visit, &out) != 0) {
    return Fail("cannot list " + ShortId(commit));
  }
  std::sort(out.begin(), out.end(), [](const TreeFile& a, const TreeFile& b) {
    return a.path < b.path;
  });
  return out;
}

Result<std::vector<TreeFile>> Repository::ListIndex() const {
  IndexPtr index;
  if (const char* file = std::getenv("GIT_INDEX_FILE"); file && *file) {
    // As git does in hooks: a relative path is relative to the top of the
    // working tree.
    fs::path p = file;
    if (p.is_relative()) p = impl_->workdir / p;
    git_index* raw = nullptr;
    if (git_index_open(&raw, p.c_str()) != 0) {
      return Fail("cannot read the Git index '" + p.string() + "'");
    }
    index.reset(raw);
  } else {
    auto repo_index = impl_->RepositoryIndex();
    if (!repo_index) return repo_index.status();
    index = std::move(*repo_index);
  }
  std::vector<TreeFile> out;
  std::size_t n = git_index_entrycount(index.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(index.get(), i);
    if (e->mode != GIT_FILEMODE_BLOB &&
        e->mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
      continue;
    }
    auto rel = impl_->Relative(e->path);
    if (!rel) continue;
    out.push_back({*rel, Hex(&e->id), e->mode == GIT_FILEMODE_BLOB_EXECUTABLE,
                   GIT_INDEX_ENTRY_STAGE(e)});
  }
  std::sort(out.begin(), out.end(), [](const TreeFile& a, const TreeFile& b) {
    return std::tie(a.path, a.stage) < std::tie(b.path, b.stage);
  });
  return out;
}

Result<std::vector<TreeChange>> Repository::Diff(
    const std::optional<ObjectId>& old_commit, const ObjectId& new_commit,
    TreeCache* cache) const {
  auto failed = [&](const Status& s) {
    return Status::Io(
        "cannot compare " +
        (old_commit ? ShortId(*old_commit) : std::string("(none)")) + " with " +
        ShortId(new_commit) + ": " + s.message());
  };
  std::string old_id, new_id;
  if (old_commit) {
    auto id = impl_->CorpusTreeId(*old_commit);
    if (!id) return id.status();
    old_id = std::move(*id);
  }
  auto id = impl_->CorpusTreeId(new_commit);
  if (!id) return id.status();
  new_id = std::move(*id);
  std::vector<TreeChange> out;
  if (old_id == new_id) return out;  // the same corpus content
  auto read = [&](const std::string& path, std::string_view tree,
                  bool old_side) {
    return impl_->DiffSide(path, tree, old_side, cache);
  };
  Result<std::string> a =
      old_id.empty() ? std::string() : read("", old_id, true);
  if (!a) return failed(a.status());
  Result<std::string> b =
      new_id.empty() ? std::string() : read("", new_id, false);
  if (!b) return failed(b.status());
  if (Status s = rawtree::Diff(*a, *b, "", read, &out); !s.ok())
    return failed(s);
  std::stable_sort(
      out.begin(), out.end(),
      [](const TreeChange& a, const TreeChange& b) { return a.path < b.path; });
  return out;
}

Status Repository::KeepTrees(const ObjectId& commit, TreeCache* cache) const {
  if (!cache) return Status::Ok();
  auto id = impl_->CorpusTreeId(commit);
  if (!id) return id.status();
  if (id->empty()) return Status::Ok();
  // Each tree read is kept; its subtrees are read in turn.
  std::vector<std::pair<std::string, std::string>> pending = {{"", *id}};
  while (!pending.empty()) {
    auto [path, tree] = std::move(pending.back());
    pending.pop_back();
    std::optional<std::string> raw = cache->Find(rawtree::Hex(tree));
    if (!raw) {
      auto read = impl_->ReadTree(path, tree);
      if (!read) return read.status();
      raw = std::move(*read);
      cache->Keep(rawtree::Hex(tree), *raw);
    }
    rawtree::Entry e;
    for (std::size_t pos = 0; pos < raw->size();) {
      if (!rawtree::Next(*raw, &pos, &e)) {
        return Status::Invalid("malformed tree object at '" +
                               (path.empty() ? "." : path) + "'");
      }
      if (e.tree())
        pending.emplace_back(path + std::string(e.name) + "/", e.id);
    }
  }
  cache->Save();
  return Status::Ok();
}

void Repository::PreferWorktree() const { impl_->prefer_worktree = true; }

long Repository::WorktreeReads() { return g_worktree_reads.load(); }

Result<std::string> Repository::ReadBlob(const ObjectId& blob,
                                         std::size_t limit) const {
  git_oid oid;
  if (!ParseOid(blob, &oid)) return Status::Usage("bad blob id '" + blob + "'");
  if (impl_->prefer_worktree) {
    if (auto text = impl_->ReadFromWorktree(oid, limit))
      return std::move(*text);
  }
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, impl_->get()) != 0) {
    return Fail("cannot open the object database");
  }
  OdbPtr odb(raw_odb);
  std::size_t size = 0;
  git_object_t type;
  if (git_odb_read_header(&size, &type, odb.get(), &oid) != 0) {
    return Fail("cannot read blob " + ShortId(blob));
  }
  if (size > limit) {
    return Status::Invalid(std::to_string(size) + " bytes, over the limit of " +
                           std::to_string(limit));
  }
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, impl_->get(), &oid) != 0) {
    return Fail("cannot read blob " + ShortId(blob));
  }
  BlobPtr b(raw);
  return std::string(static_cast<const char*>(git_blob_rawcontent(b.get())),
                     static_cast<std::size_t>(git_blob_rawsize(b.get())));
}

Result<std::string> Repository::CleanContent(const std::string& path,
                                             const std::string& bytes) const {
  return impl_->CleanContent(path, bytes);
}

Result<ObjectId> Repository::HashBlob(const std::string& bytes) const {
  git_oid oid;
  if (git_odb_hash(&oid, bytes.data(), bytes.size(), GIT_OBJECT_BLOB) != 0) {
    return Fail("cannot hash content");
  }
  return Hex(&oid);
}

bool Repository::IsIgnored(const std::string& path) const {
  int ignored = 0;
  std::string top = impl_->prefix + path;
  return git_ignore_path_is_ignored(&ignored, impl_->get(), top.c_str()) == 0 &&
         ignored == 1;
}

Result<Signature> Repository::Author() const {
  return impl_->Identity("author");
}
Result<Signature> Repository::Committer() const {
  return impl_->Identity("committer");
}

bool Repository::IsMerging() const {
  return git_repository_state(impl_->get()) == GIT_REPOSITORY_STATE_MERGE;
}

Result<ObjectId> Repository::Commit(const std::vector<FileWrite>& writes,
                                    const std::string& message) {
  git_repository* repo = impl_->get();
  auto author = Author();
  if (!author) return author.status();
  auto committer = Committer();
  if (!committer) return committer.status();
  auto branch = impl_->BranchRef();
  if (!branch) return branch.status();
  auto head = Head();
  if (!head) return head.status();
  bool merging = IsMerging();

  // Store the blobs first: objects nobody references are harmless.
  std::vector<git_oid> blobs(writes.size());
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const FileWrite& w = writes[i];
    if (w.content &&
        git_blob_create_from_buffer(&blobs[i], repo, w.content->data(),
                                    w.content->size()) != 0) {
      return Fail("cannot store '" + w.path + "'");
    }
  }

  auto index = impl_->RepositoryIndex();
  if (!index) return index.status();
  for (std::size_t i = 0; i < writes.size(); ++i) {
    Status s = impl_->Apply(index->get(), writes[i], &blobs[i]);
    if (!s.ok()) return s;
  }

  git_oid tree_oid;
  std::vector<git_oid> parents;
  if (*head) {
    git_oid oid;
    ParseOid(**head, &oid);
    parents.push_back(oid);
  }
  if (merging) {
    if (git_index_has_conflicts(index->get())) {
      auto paths = impl_->Conflicts(index->get());  // with `writes` applied
      std::string list;
      if (paths) {
        for (const std::string& p : *paths)
          list += (list.empty() ? "" : ", ") + p;
      }
      return Status::Conflict("the merge still has unresolved files: " + list)
          .WithHint("edit them to combine both versions, then add them too");
    }
    if (git_index_write_tree(&tree_oid, index->get()) != 0) {
      return Fail("cannot write the merged tree");
    }
    auto collect = [](const git_oid* oid, void* payload) -> int {
      static_cast<std::vector<git_oid>*>(payload)->push_back(*oid);
      return 0;
    };
    if (git_repository_mergehead_foreach(repo, collect, &parents) != 0) {
      return Fail("cannot read MERGE_HEAD");
    }
  } else {
    // The commit is HEAD plus `writes`, whatever else is staged.
    git_index* raw = nullptr;
    if (git_index_new(&raw) != 0) return Fail("cannot make an index");
    IndexPtr scratch(raw);
    if (*head) {
      auto commit = impl_->LookupCommit(**head);
      if (!commit) return commit.status();
      git_tree* tree = nullptr;
      if (git_commit_tree(&tree, commit->get()) != 0) {
        return Fail("cannot read HEAD's tree");
      }
      TreePtr owned(tree);
      if (git_index_read_tree(scratch.get(), tree) != 0) {
        return Fail("cannot read HEAD's tree");
      }
    }
    for (std::size_t i = 0; i < writes.size(); ++i) {
      const FileWrite& w = writes[i];
      std::string path = impl_->prefix + w.path;
      if (!w.content) {
        git_index_remove(scratch.get(), path.c_str(), 0);
        continue;
      }
      git_index_entry entry{};
      entry.mode =
          w.executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
      entry.id = blobs[i];
      entry.path = path.c_str();
      if (git_index_add(scratch.get(), &entry) != 0) {
        return Fail("cannot add '" + w.path + "' to the commit");
      }
    }
    if (git_index_write_tree_to(&tree_oid, scratch.get(), repo) != 0) {
      return Fail("cannot write the commit's tree");
    }
  }

  git_tree* raw_tree = nullptr;
  if (git_tree_lookup(&raw_tree, repo, &tree_oid) != 0) {
    return Fail("cannot read the new tree");
  }
  TreePtr tree(raw_tree);
  std::vector<CommitPtr> parent_commits;
  std::vector<const git_commit*> parent_ptrs;
  for (const git_oid& p : parents) {
    auto c = impl_->LookupCommit(Hex(&p));
    if (!c) return c.status();
    parent_ptrs.push_back(c->get());
    parent_commits.push_back(std::move(*c));
  }
  if (!merging && !parent_ptrs.empty() &&
      git_oid_equal(git_commit_tree_id(parent_ptrs[0]), &tree_oid)) {
    return Status::Invalid("nothing to commit: the files match HEAD");
  }

  git_signature* raw_author = nullptr;
  git_signature* raw_committer = nullptr;
  if (git_signature_new(&raw_author, author->name.c_str(),
                        author->email.c_str(), author->time,
                        author->offset) != 0) {
    return Status::Invalid("cannot use the author '" + author->name + " <" +
                           author->email + ">': " + LastError());
  }
  SignaturePtr author_sig(raw_author);
  if (git_signature_new(&raw_committer, committer->name.c_str(),
                        committer->email.c_str(), committer->time,
                        committer->offset) != 0) {
    return Status::Invalid("cannot use the committer '" + committer->name +
                           " <" + committer->email + ">': " + LastError());
  }
  SignaturePtr committer_sig(raw_committer);

  git_oid commit_oid;
  if (git_commit_create(&commit_oid, repo, nullptr, author_sig.get(),
                        committer_sig.get(), nullptr, message.c_str(),
                        tree.get(), parent_ptrs.size(),
                        parent_ptrs.data()) != 0) {
    return Fail("cannot create the commit");
  }

  // Stage, then move the branch: a kill in between leaves staged changes.
  impl_->SmudgeRacyEntries(index->get(), writes);
  if (git_index_write(index->get()) != 0) {
    return Fail("cannot write the Git index");
  }
  std::string summary = message.substr(0, message.find('\n'));
  std::string log = std::string("commit") +
                    (merging ? " (merge)"
                     : *head ? ""
                             : " (initial)") +
                    ": " + summary;
  git_reference* raw_ref = nullptr;
  int rc;
  if (*head) {
    git_oid old;
    ParseOid(**head, &old);
    rc = git_reference_create_matching(&raw_ref, repo, branch->c_str(),
                                       &commit_oid, 1, &old, log.c_str());
  } else {
    rc = git_reference_create(&raw_ref, repo, branch->c_str(), &commit_oid, 0,
                              log.c_str());
  }
  if (rc != 0) {
    if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
      return Status::Conflict("the branch moved while committing")
          .WithHint("the files are staged; run the command again");
    }
    return Fail("cannot update " + *branch);
  }
  ReferencePtr ref(raw_ref);
  if (merging && git_repository_state_cleanup(repo) != 0) {
    return Fail("cannot clear the merge state");
  }
  return Hex(&commit_oid);
}

Result<std::optional<ObjectId>> Repository::Fetch(const std::string& name,
                                                  const std::string& branch) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, impl_->get(), name.c_str()) != 0) {
    return Status::NotFound("no remote '" + name + "'");
  }
  RemotePtr remote(raw);
  CredentialState creds;
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  opts.callbacks.credentials = Credentials;
  opts.callbacks.payload = &creds;
  int rc = git_remote_fetch(remote.get(), nullptr, &opts, "evrepo sync: fetch");
  if (rc != 0)
    return RemoteFailure("fetch from", name, remote.get(), creds, rc);
  git_oid oid;
  std::string ref = "refs/remotes/" + name + "/" + branch;
  if (git_reference_name_to_id(&oid, impl_->get(), ref.c_str()) != 0) {
    return std::optional<ObjectId>();
  }
  return std::optional<ObjectId>(Hex(&oid));
}

Result<MergeResult> Repository::Merge(const ObjectId& theirs,
                                      const std::string& label) {
  git_repository* repo = impl_->get();
  git_oid oid;
  if (!ParseOid(theirs, &oid)) return Status::Usage("bad commit id");
  git_annotated_commit* raw = nullptr;
  if (git_annotated_commit_lookup(&raw, repo, &oid) != 0) {
    return Fail("cannot read " + ShortId(theirs));
  }
  AnnotatedPtr their_head(raw);
  const git_annotated_commit* heads[] = {their_head.get()};
  git_merge_analysis_t analysis;
  git_merge_preference_t preference;
  if (git_merge_analysis(&analysis, &preference, repo, heads, 1) != 0) {
    return Fail("cannot analyse the merge");
  }
  if (analysis & GIT_MERGE_ANALYSIS_UP_TO_DATE) return MergeResult::kUpToDate;

  std::vector<std::string> blocked;
  git_checkout_options checkout = GIT_CHECKOUT_OPTIONS_INIT;
  checkout.checkout_strategy = GIT_CHECKOUT_SAFE;
  checkout.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
  checkout.notify_cb = CollectConflicts;
  checkout.notify_payload = &blocked;
  if (!label.empty()) checkout.their_label = label.c_str();
  auto refuse = [&]() -> Status {
    std::string list;
    for (const std::string& p : blocked) {
      std::string shown = impl_->Relative(p).value_or(p);
      list += (list.empty() ? "'" : ", '") + shown + "'";
    }
    return Status::Conflict("local changes would be overwritten" +
                            (list.empty() ? std::string() : ": " + list))
        .WithHint(
            "commit them with 'evrepo add', or set them aside, then sync "
            "again; nothing was changed");
  };

  if (analysis & (GIT_MERGE_ANALYSIS_FASTFORWARD | GIT_MERGE_ANALYSIS_UNBORN)) {
    auto branch = impl_->BranchRef();
    if (!branch) return branch.status();
    git_commit* target = nullptr;
    if (git_commit_lookup(&target, repo, &oid) != 0) {
      return Fail("cannot read " + ShortId(theirs));
    }
    CommitPtr target_commit(target);
    if (git_checkout_tree(repo, reinterpret_cast<git_object*>(target),
                          &checkout) != 0) {
      if (!blocked.empty()) return refuse();
      return Fail("cannot update the working tree");
    }
    git_reference* ref = nullptr;
    if (git_reference_create(&ref, repo, branch->c_str(), &oid, 1,
                             "evrepo sync: fast-forward") != 0) {
      return Fail("cannot move " + *branch);
    }
    ReferencePtr owned(ref);
    return MergeResult::kFastForward;
  }

  git_merge_options merge = GIT_MERGE_OPTIONS_INIT;
  int rc = git_merge(repo, heads, 1, &merge, &checkout);
  if (rc != 0) {
    if (rc == GIT_ECONFLICT && blocked.empty()) {
      // git_merge checks local changes before its checkout and names none:
      // they are the changed files that the merge would also change.
      blocked = LocalChangesIn(repo, theirs);
    }
    if (!blocked.empty() || rc == GIT_ECONFLICT) return refuse();
    return Fail("cannot merge " + ShortId(theirs));
  }
  auto index = impl_->RepositoryIndex();
  if (!index) return index.status();
  return git_index_has_conflicts(index->get()) ? MergeResult::kConflicts
                                               : MergeResult::kMerged;
}

Result<std::vector<std::string>> Repository::ConflictedPaths() const {
  auto index = impl_->RepositoryIndex();
  if (!index) return index.status();
  return impl_->Conflicts(index->get());
}

Status Repository::Push(const std::string& name, const std::string& branch) {
  auto local = impl_->BranchRef();
  if (!local) return local.status();
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, impl_->get(), name.c_str()) != 0) {
    return Status::NotFound("no remote '" + name + "'");
  }
  RemotePtr remote(raw);
  struct Payload {
    CredentialState creds;
    std::string rejected;
  } payload;
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks.credentials = [](git_credential** out, const char* url,
                                  const char* user, unsigned int allowed,
                                  void* p) {
    return Credentials(out, url, user, allowed,
                       &static_cast<Payload*>(p)->creds);
  };
  opts.callbacks.push_update_reference = [](const char* ref, const char* status,
                                            void* p) {
    if (status) {
      static_cast<Payload*>(p)->rejected = std::string(ref) + ": " + status;
    }
    return 0;
  };
  opts.callbacks.payload = &payload;
  std::string spec = *local + ":refs/heads/" + branch;
  char* specs[] = {spec.data()};
  git_strarray refspecs = {specs, 1};
  int rc = git_remote_push(remote.get(), &refspecs, &opts);
  if (rc == GIT_ENONFASTFORWARD ||
      (rc != 0 && LastError().find("non-fast") != std::string::npos)) {
    return Status::Conflict("the remote '" + name +
                            "' moved on since the fetch")
        .WithHint("run 'evrepo sync' again to merge its new commits");
  }
  if (rc != 0) {
    return RemoteFailure("push to", name, remote.get(), payload.creds, rc);
  }
  if (!payload.rejected.empty()) {
    return Status::Conflict("the remote '" + name +
                            "' refused the push: " + payload.rejected);
  }
  return Status::Ok();
}

Result<std::pair<std::size_t, std::size_t>> Repository::AheadBehind(
    const ObjectId& local, const ObjectId& upstream) const {
  git_oid a, b;
  if (!ParseOid(local, &a) || !ParseOid(upstream, &b)) {
    return Status::Usage("bad commit id");
  }
  std::size_t ahead = 0, behind = 0;
  if (git_graph_ahead_behind(&ahead, &behind, impl_->get(), &a, &b) != 0) {
    return Fail("cannot compare " + ShortId(local) + " with " +
                ShortId(upstream));
  }
  return std::make_pair(ahead, behind);
}

Result<std::vector<std::string>> Repository::Remotes() const {
  git_strarray names{};
  if (git_remote_list(&names, impl_->get()) != 0) {
    return Fail("cannot list the remotes");
  }
  std::vector<std::string> out(names.strings, names.strings + names.count);
  git_strarray_dispose(&names);
  return out;
}

Result<std::pair<std::string, std::string>> Repository::Upstream() const {
  auto ref = impl_->BranchRef();
  if (!ref) return ref.status();
  auto branch = CurrentBranch();
  if (!branch) return branch.status();
  Buf remote, merge;
  if (git_branch_upstream_remote(&remote.buf, impl_->get(), ref->c_str()) ==
          0 &&
      git_branch_upstream_merge(&merge.buf, impl_->get(), ref->c_str()) == 0) {
    std::string m = merge.str();
    const std::string kHeads = "refs/heads/";
    if (m.rfind(kHeads, 0) == 0) m = m.substr(kHeads.size());
    return std::make_pair(remote.str(), m);
  }
  auto remotes = Remotes();
  if (!remotes) return remotes.status();
  if (std::find(remotes->begin(), remotes->end(), "origin") != remotes->end()) {
    return std::make_pair(std::string("origin"), *branch);
  }
  if (remotes->size() == 1) return std::make_pair(remotes->front(), *branch);
  if (remotes->empty()) {
    return Status::NotFound("the repository has no remote to sync with")
        .WithHint("add one: git remote add origin URL");
  }
  return Status::Usage("several remotes and no upstream for '" + *branch +
                       "': name the remote")
      .WithHint("evrepo sync REMOTE");
}

bool Repository::HasUpstream() const {
  auto ref = impl_->BranchRef();
  if (!ref) return false;
  Buf remote;
  return git_branch_upstream_remote(&remote.buf, impl_->get(), ref->c_str()) ==
         0;
}

Status Repository::SetUpstream(const std::string& remote,
                               const std::string& branch) {
  auto local = CurrentBranch();
  if (!local) return local.status();
  git_config* raw = nullptr;
  if (git_repository_config(&raw, impl_->get()) != 0) {
    return Fail("cannot open the Git configuration");
  }
  ConfigPtr config(raw);
  std::string key = "branch." + *local;
  if (git_config_set_string(config.get(), (key + ".remote").c_str(),
                            remote.c_str()) != 0 ||
      git_config_set_string(config.get(), (key + ".merge").c_str(),
                            ("refs/heads/" + branch).c_str()) != 0) {
    return Fail("cannot record the upstream of '" + *local + "'");
  }
  return Status::Ok();
}

}  // namespace evrepo
