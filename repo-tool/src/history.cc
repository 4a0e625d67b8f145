// History of the corpus and of single documents.
//
// A document is followed by its id, not its path: walking from the newest
// commit to the oldest, each commit hands its parents the path the document
// had there.  When the path appears as added in a commit, the deletions of
// the same commit are searched for the same id (or the same content, for
// generic documents) and the walk continues at the old path.
#include "evrepo/history.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "evrepo/check.h"
#include "evrepo/store.h"
#include "evrepo/text.h"

namespace evrepo {

namespace {

// Parses blobs into documents with their identities, once per blob.
class DocumentCache {
 public:
  DocumentCache(const Corpus& corpus, const Repository& repo)
      : corpus_(corpus), repo_(repo) {}

  Result<const Document*> Get(const std::string& path, const ObjectId& blob) {
    auto key = blob + "\n" + path;
    if (auto it = docs_.find(key); it != docs_.end()) return &it->second;
    auto doc = ReadBlobDocument(repo_, path, blob);
    if (!doc) return doc.status();
    ResolveIdentity(corpus_.schema(), *doc);
    return &docs_.emplace(key, std::move(*doc)).first->second;
  }

 private:
  const Corpus& corpus_;
  const Repository& repo_;
  std::unordered_map<std::string, Document> docs_;
};

std::string RenderNode(const YamlNode& n) {
  switch (n.kind) {
    case YamlNode::Kind::kNull:
      return "";
    case YamlNode::Kind::kScalar:
      return n.scalar;
    case YamlNode::Kind::kSequence: {
      std::string out = "[";
      for (const YamlNode& i : n.items) {
        out += (out.size() > 1 ? ", " : "") + RenderNode(i);
      }
      return out + "]";
    }
    case YamlNode::Kind::kMapping: {
      std::string out = "{";
      for (const auto& e : n.entries) {
        out +=
            (out.size() > 1 ? ", " : "") + e.key + ": " + RenderNode(e.value);
      }
      return out + "}";
    }
  }
  return "";
}

std::vector<std::string> Items(const YamlNode& n) {
  std::vector<std::string> out;
  if (n.kind == YamlNode::Kind::kSequence) {
    for (const YamlNode& i : n.items) out.push_back(RenderNode(i));
  } else if (!n.IsNull()) {
    out.push_back(RenderNode(n));
  }
  return out;
}

const YamlNode* ValueOf(const Document& d, const std::string& key) {
  const Field* f = d.Find(key);
  return f ? &f->value : nullptr;
}

// Pairs the deletions and additions of a diff that are one document moved:
// same id, or (generic documents) same content.
struct Moves {
  std::map<std::string, std::string> old_of_new;  // new path → old path
  std::set<std::string> moved_away;               // old paths
};

}  // namespace

std::string FormatValue(const YamlNode& value) { return RenderNode(value); }

std::vector<FieldChange> CompareFields(const Document& before,
                                       const Document& after) {
  std::vector<std::string> keys;
  for (const Field& f : after.fields) keys.push_back(f.key);
  for (const Field& f : before.fields) {
    if (!after.Find(f.key)) keys.push_back(f.key);
  }
  std::vector<FieldChange> out;
  static const YamlNode kNull;
  for (const std::string& key : keys) {
    const YamlNode* a = ValueOf(before, key);
    const YamlNode* b = ValueOf(after, key);
    const YamlNode& x = a ? *a : kNull;
    const YamlNode& y = b ? *b : kNull;
    FieldChange c;
    c.field = key;
    if (x.kind == YamlNode::Kind::kSequence ||
        y.kind == YamlNode::Kind::kSequence) {
      std::vector<std::string> xs = Items(x), ys = Items(y);
      c.list = true;
      for (const std::string& v : ys) {
        if (std::find(xs.begin(), xs.end(), v) == xs.end())
          c.added.push_back(v);
      }
      for (const std::string& v : xs) {
        if (std::find(ys.begin(), ys.end(), v) == ys.end()) {
          c.removed.push_back(v);
        }
      }
      if (c.added.empty() && c.removed.empty()) {
        if (xs == ys) continue;
        c.list = false;  // same items, new order
        c.before = RenderNode(x);
        c.after = RenderNode(y);
      }
    } else {
      c.before = RenderNode(x);
      c.after = RenderNode(y);
      if (c.before == c.after) continue;
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string SummariseChange(const DocumentChange& change) {
  constexpr std::size_t kShort = 40;
  std::vector<std::string> parts;
  for (const FieldChange& f : change.fields) {
    if (f.list) {
      std::string s = f.field + ":";
      for (const std::string& v : f.added) s += " +" + v;
      for (const std::string& v : f.removed) s += " -" + v;
      parts.push_back(s);
    } else if (f.before.size() > kShort || f.after.size() > kShort ||
               f.before.find('\n') != std::string::npos ||
               f.after.find('\n') != std::string::npos) {
      parts.push_back(f.field + (f.before.empty()  ? " added"
                                 : f.after.empty() ? " removed"
                                                   : " changed"));
    } else {
      parts.push_back(f.field + ": " +
                      (f.before.empty() ? "(none)" : f.before) + " → " +
                      (f.after.empty() ? "(none)" : f.after));
    }
  }
  if (change.body_changed) parts.push_back("body changed");
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

namespace {

class Historian {
 public:
  Historian(const Corpus& corpus, const Repository& repo)
      : corpus_(corpus), repo_(repo), cache_(corpus, repo) {}

  Result<std::vector<TreeChange>> DiffOf(const std::optional<ObjectId>& from,
                                         const ObjectId& to) {
    auto d = repo_.Diff(from, to);
    if (!d) return d.status();
    return std::move(*d);
  }

  Result<Moves> FindMoves(const std::vector<TreeChange>& diff) {
    Moves m;
    std::vector<const TreeChange*> gone, came;
    for (const TreeChange& c : diff) {
      if (!corpus_.IsDocumentPath(c.path)) continue;
      if (c.kind == TreeChange::Kind::kDeleted) gone.push_back(&c);
      if (c.kind == TreeChange::Kind::kAdded) came.push_back(&c);
    }
    if (gone.empty() || came.empty()) return m;
    for (const TreeChange* n : came) {
      auto nd = cache_.Get(n->path, n->new_blob);
      if (!nd) return nd.status();
      for (const TreeChange* o : gone) {
        if (m.moved_away.count(o->path)) continue;
        auto od = cache_.Get(o->path, o->old_blob);
        if (!od) return od.status();
        bool same_id = !(*nd)->id.empty() && (*nd)->id == (*od)->id;
        if (same_id || n->new_blob == o->old_blob) {
          m.old_of_new[n->path] = o->path;
          m.moved_away.insert(o->path);
          break;
        }
      }
    }
    return m;
  }

  // One DocumentChange from two versions (either may be absent).
  Result<DocumentChange> Describe(const std::string& old_path,
                                  const ObjectId& old_blob,
                                  const std::string& new_path,
                                  const ObjectId& new_blob) {
    DocumentChange c;
    const Document* before = nullptr;
    const Document* after = nullptr;
    bool is_doc =
        corpus_.IsDocumentPath(new_blob.empty() ? old_path : new_path);
    if (is_doc && !old_blob.empty()) {
      auto d = cache_.Get(old_path, old_blob);
      if (!d) return d.status();
      before = *d;
    }
    if (is_doc && !new_blob.empty()) {
      auto d = cache_.Get(new_path, new_blob);
      if (!d) return d.status();
      after = *d;
    }
    if (old_blob.empty()) {
      c.kind = DocumentChange::Kind::kAdded;
      c.path = new_path;
    } else if (new_blob.empty()) {
      c.kind = DocumentChange::Kind::kDeleted;
      c.path = old_path;
    } else {
      c.kind = old_path == new_path ? DocumentChange::Kind::kModified
                                    : DocumentChange::Kind::kRenamed;
      c.path = new_path;
      if (old_path != new_path) c.old_path = old_path;
    }
    const Document* shown = after ? after : before;
    if (shown) {
      c.id = shown->id;
      c.title = shown->title;
    }
    if (before && after) {
      c.fields = CompareFields(*before, *after);
      c.body_changed = before->body != after->body;
    }
    return c;
  }

  Result<std::vector<DocumentChange>> Changes(
      const std::optional<ObjectId>& parent, const ObjectId& commit) {
    auto diff = DiffOf(parent, commit);
    if (!diff) return diff.status();
    auto moves = FindMoves(*diff);
    if (!moves) return moves.status();
    std::map<std::string, ObjectId> deleted_blobs;
    for (const TreeChange& t : *diff) {
      if (t.kind == TreeChange::Kind::kDeleted)
        deleted_blobs[t.path] = t.old_blob;
    }
    std::vector<DocumentChange> out;
    for (const TreeChange& t : *diff) {
      if (t.kind == TreeChange::Kind::kDeleted &&
          moves->moved_away.count(t.path)) {
        continue;
      }
      auto m = moves->old_of_new.find(t.path);
      auto c = m != moves->old_of_new.end()
                   ? Describe(m->second, deleted_blobs[m->second], t.path,
                              t.new_blob)
                   : Describe(t.path, t.old_blob, t.path, t.new_blob);
      if (!c) return c.status();
      out.push_back(std::move(*c));
    }
    return out;
  }

  Result<std::vector<LogEntry>> CorpusLog(const std::vector<ObjectId>& walk,
                                          int max_count) {
    std::vector<LogEntry> out;
    for (const ObjectId& id : walk) {
      if (max_count >= 0 && static_cast<int>(out.size()) >= max_count) break;
      auto info = repo_.ReadCommit(id);
      if (!info) return info.status();
      auto tree = repo_.CorpusTree(id);
      if (!tree) return tree.status();
      bool same_as_a_parent = info->parents.empty() && tree->empty();
      for (const ObjectId& p : info->parents) {
        auto pt = repo_.CorpusTree(p);
        if (!pt) return pt.status();
        if (*pt == *tree) same_as_a_parent = true;
      }
      if (same_as_a_parent) continue;
      std::optional<ObjectId> first;
      if (!info->parents.empty()) first = info->parents[0];
      auto changes = Changes(first, id);
      if (!changes) return changes.status();
      out.push_back({std::move(*info), std::move(*changes)});
    }
    return out;
  }

  // The id of the document at `path`, from the newest commit that has it.
  Result<std::string> IdOfPath(const std::vector<ObjectId>& walk,
                               const std::string& path) {
    for (const ObjectId& id : walk) {
      auto files = repo_.ListCommit(id);
      if (!files) return files.status();
      for (const TreeFile& f : *files) {
        if (f.path != path) continue;
        auto doc = cache_.Get(f.path, f.blob);
        if (!doc) return doc.status();
        return (*doc)->id;
      }
    }
    return Status::NotFound("'" + path + "' is in no commit of the history")
        .WithHint("commit it first: evrepo add " + path + " -m MESSAGE");
  }

  // Where the document `id` is in `commit`: (path, blob), or nullopt.
  Result<std::optional<TreeFile>> Locate(const ObjectId& commit,
                                         const std::string& id) {
    auto files = ListCommitDocuments(corpus_, repo_, commit);
    if (!files) return files.status();
    // Most documents are named after their id: look there first.
    std::stable_partition(files->begin(), files->end(), [&](const TreeFile& f) {
      std::string stem = f.path.substr(f.path.rfind('/') + 1);
      return stem == id + ".md";
    });
    for (const TreeFile& f : *files) {
      auto doc = cache_.Get(f.path, f.blob);
      if (!doc) return doc.status();
      if ((*doc)->id == id) return std::optional<TreeFile>(f);
    }
    return std::optional<TreeFile>();
  }

  Result<std::vector<LogEntry>> DocumentLog(const std::vector<ObjectId>& walk,
                                            const std::string& id,
                                            int max_count) {
    struct State {
      std::string path;  // empty: the document is not in this commit
      ObjectId blob;
    };
    std::map<ObjectId, State> state;
    if (!walk.empty()) {
      auto here = Locate(walk.front(), id);
      if (!here) return here.status();
      if (*here) state[walk.front()] = {(*here)->path, (*here)->blob};
    }
    std::vector<LogEntry> out;
    bool seen = false;
    for (const ObjectId& cid : walk) {
      if (max_count >= 0 && static_cast<int>(out.size()) >= max_count) break;
      State st = state.count(cid) ? state[cid] : State{};
      if (!st.path.empty()) seen = true;
      auto info = repo_.ReadCommit(cid);
      if (!info) return info.status();
      auto tree = repo_.CorpusTree(cid);
      if (!tree) return tree.status();
      std::vector<State> parent_states;
      for (const ObjectId& p : info->parents) {
        auto pt = repo_.CorpusTree(p);
        if (!pt) return pt.status();
        State ps;
        if (*pt == *tree) {
          ps = st;
        } else {
          auto diff = DiffOf(p, cid);
          if (!diff) return diff.status();
          const TreeChange* mine = nullptr;
          for (const TreeChange& t : *diff) {
            if (!st.path.empty() && t.path == st.path) mine = &t;
          }
          if (!st.path.empty() &&
              (!mine || mine->kind == TreeChange::Kind::kModified)) {
            ps = {st.path, mine ? mine->old_blob : st.blob};
          } else if (!st.path.empty()) {
            // Added here: moved from elsewhere, or created.
            auto moves = FindMoves(*diff);
            if (!moves) return moves.status();
            if (auto m = moves->old_of_new.find(st.path);
                m != moves->old_of_new.end()) {
              for (const TreeChange& t : *diff) {
                if (t.path == m->second) ps = {t.path, t.old_blob};
              }
            }
          } else {
            // Not here: deleted by this commit?
            for (const TreeChange& t : *diff) {
              if (t.kind != TreeChange::Kind::kDeleted ||
                  !corpus_.IsDocumentPath(t.path)) {
                continue;
              }
              auto doc = cache_.Get(t.path, t.old_blob);
              if (!doc) return doc.status();
              if ((*doc)->id == id) {
                ps = {t.path, t.old_blob};
                break;
              }
            }
          }
        }
        parent_states.push_back(ps);
        State& slot = state[p];
        if (slot.path.empty()) slot = ps;
      }
      bool changed = !st.path.empty() || !parent_states.empty();
      for (const State& ps : parent_states) {
        if (ps.blob == st.blob && ps.path == st.path) changed = false;
      }
      if (changed) {
        State p0 = parent_states.empty() ? State{} : parent_states[0];
        auto c = Describe(p0.path, p0.blob, st.path.empty() ? p0.path : st.path,
                          st.blob);
        if (!c) return c.status();
        out.push_back({std::move(*info), {std::move(*c)}});
      }
      state.erase(cid);
    }
    if (!seen && out.empty() && max_count != 0) {
      return Status::NotFound("no document '" + id + "' in the history")
          .WithHint("'evrepo check --summary' lists what the corpus holds");
    }
    return out;
  }

 private:
  const Corpus& corpus_;
  const Repository& repo_;
  DocumentCache cache_;
};

bool LooksLikePath(const std::string& s) {
  return s.find('/') != std::string::npos ||
         (s.size() > 3 && s.substr(s.size() - 3) == ".md");
}

}  // namespace

Result<std::vector<LogEntry>> Log(const Corpus& corpus, const Repository& repo,
                                  const LogOptions& options) {
  auto from = ResolveRevision(repo, options.from);
  if (!from) return from.status();
  auto walk = repo.Walk(*from);
  if (!walk) return walk.status();
  Historian h(corpus, repo);
  if (options.target.empty()) return h.CorpusLog(*walk, options.max_count);
  std::string id = options.target;
  if (LooksLikePath(id)) {
    auto found = h.IdOfPath(*walk, id);
    if (!found) return found.status();
    id = *found;
  }
  return h.DocumentLog(*walk, id, options.max_count);
}

Result<Version> Show(const Corpus& corpus, const Repository& repo,
                     const std::string& spec) {
  std::string name = spec, rev = "HEAD";
  if (std::size_t at = spec.find('@'); at != std::string::npos) {
    name = spec.substr(0, at);
    rev = spec.substr(at + 1);
    if (rev.empty()) return Status::Usage("'" + spec + "' names no revision");
  }
  if (name.empty()) return Status::Usage("'" + spec + "' names no document");
  auto commit = ResolveRevision(repo, rev);
  if (!commit) return commit.status();
  auto files = ListCommitDocuments(corpus, repo, *commit);
  if (!files) return files.status();
  DocumentCache cache(corpus, repo);
  const TreeFile* found = nullptr;
  std::vector<std::string> ids;
  if (LooksLikePath(name)) {
    for (const TreeFile& f : *files) {
      if (f.path == name) found = &f;
    }
  } else {
    // Most documents are named after their id: look there first.
    for (int pass = 0; pass < 2 && !found; ++pass) {
      for (const TreeFile& f : *files) {
        std::string stem = f.path.substr(f.path.rfind('/') + 1);
        if ((stem == name + ".md") != (pass == 0)) continue;
        auto doc = cache.Get(f.path, f.blob);
        if (!doc) return doc.status();
        if ((*doc)->id == name) {
          found = &f;
          break;
        }
        if (pass == 1) ids.push_back((*doc)->id);
      }
    }
  }
  std::string where = rev == "HEAD" ? "at HEAD" : "at " + rev;
  if (!found) {
    Status s = Status::NotFound("no document '" + name + "' " + where + " (" +
                                ShortId(*commit) + ")");
    if (auto g = Suggest(name, ids)) {
      s.WithHint("did you mean '" + *g + "'?");
    } else {
      s.WithHint("'evrepo log " + name + "' shows when it existed");
    }
    return s;
  }
  Version v;
  v.commit = *commit;
  v.path = found->path;
  auto bytes = repo.ReadBlob(found->blob, kMaxDocumentBytes);
  if (!bytes) {
    return Status::Invalid("'" + found->path + "' " + where + " is " +
                           bytes.status().message());
  }
  v.bytes = std::move(*bytes);
  v.document = ParseDocument(v.path, v.bytes);
  ResolveIdentity(corpus.schema(), v.document);
  return v;
}

}  // namespace evrepo
