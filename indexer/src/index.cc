// The index: layout, updates, and what a database holds.
//
// Layout of the index directory (IndexDir):
//
//   current   a Xapian stub file, "auto db-N": the live database
//   db-N/     the live database (glass)
//   lock      held (flock) by whoever writes
//
// A rebuild writes db-N+1 beside the live database and then replaces
// `current` atomically (rename), so readers see the old index or the new one,
// never a mix; databases `current` does not name are leftovers of a killed
// rebuild and are removed by the next writer.  An incremental update changes
// the live database in one Xapian transaction.
//
// One Xapian document per document file:
//
//   P<path>               unique key (a path is unique in a tree; an id might
//                         not be, in a corpus with errors)
//   <prefix><value>       boolean terms of fields indexed "boolean", values
//                         normalised (NormaliseTerm); XY<year> from the date
//   words                 free text: fields indexed "text" at their weights,
//                         headings at 2, the body at 1, stemmed (Z) and
//                         unstemmed, with positions; the same words again
//                         under the field's prefix where it has one
//   XU<field>:words       front-matter fields no schema declares
//   value slots           0: the path; 1: what a hit shows (HitRecord:
//                         path, blob, id, title, type, date,
//                         confidentiality, status, summary); 2: the
//                         body's words, for snippets; from 3: sortable
//                         and facet fields (FieldTable assigns)
//   data                  unused (see kTextSlot in fields.h)
//
// Database metadata: evrepo:commit (the commit indexed), evrepo:fingerprint
// (field table, corpus configuration and kIndexFormat: a change forces a
// rebuild), evrepo:format (kIndexFormat, which search checks),
// evrepo:extra-fields (names of undeclared fields seen, for the query
// parser).  Spelling data holds the unprefixed words with their
// frequencies, kept exact on updates; synonyms come from the corpus's
// synonyms file (one group per line: "SE = social enterprise").
#include "evrepo/index/index.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "evrepo/check.h"
#include "evrepo/fsutil.h"
#include "evrepo/parallel.h"
#include "evrepo/store.h"
#include "evrepo/text.h"
#include "fields.h"
#include "indexing.h"
#include "storage.h"

namespace evrepo::index {

namespace fs = std::filesystem;

namespace {

// Holds the writers' lock for its lifetime.
class WriterLock {
 public:
  ~WriterLock() {
    if (fd_ >= 0) close(fd_);
  }
  Status Acquire(const fs::path& dir,
                 const std::function<void(std::size_t, std::size_t)>& wait) {
    fs::path p = dir / "lock";
    fd_ = open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      return Status::Io("cannot open '" + p.string() +
                        "': " + std::strerror(errno));
    }
    if (flock(fd_, LOCK_EX | LOCK_NB) == 0) return Status::Ok();
    if (wait) wait(0, 0);  // someone else is writing: say so, then wait
    if (flock(fd_, LOCK_EX) != 0) {
      return Status::Io("cannot lock '" + p.string() +
                        "': " + std::strerror(errno));
    }
    return Status::Ok();
  }

 private:
  int fd_ = -1;
};

// A test seam for crash safety: EVREPO_INDEX_KILL_AFTER=N kills the process
// (SIGKILL, as a power cut would) after N documents of an update.
void MaybeDie(std::size_t done) {
  static const long kill_after = [] {
    const char* v = std::getenv("EVREPO_INDEX_KILL_AFTER");
    return v ? std::atol(v) : -1L;
  }();
  if (kill_after >= 0 && static_cast<long>(done) >= kill_after) {
    raise(SIGKILL);
  }
}

// Opens a database for writing.  We hold the writers' lock, so Xapian's own
// lock can only be held by a writer that is dying (Xapian may hold it in a
// helper process that outlives a killed parent for a moment) or by a tool
// other than evrepo: wait a little before giving up.
Xapian::WritableDatabase OpenWritable(const std::string& path, int flags) {
  for (int attempt = 0;; ++attempt) {
    try {
      return Xapian::WritableDatabase(path, flags);
    } catch (const Xapian::DatabaseLockError&) {
      if (attempt >= 100) throw;
      usleep(50 * 1000);
    }
  }
}

std::string ConfigFingerprint(const Corpus& corpus, const FieldTable& table) {
  std::string s = table.fingerprint() + "|" + corpus.config().synonyms;
  for (const std::string& e : corpus.config().exclude) s += "|" + e;
  return Digest(s);
}

// Groups of equivalent words from the synonyms file.
std::vector<std::vector<std::string>> ParseSynonyms(const std::string& text) {
  std::vector<std::vector<std::string>> groups;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (auto hash = line.find('#'); hash != std::string::npos) {
      line.resize(hash);
    }
    std::vector<std::string> group;
    std::size_t start = 0;
    while (start <= line.size()) {
      std::size_t end = line.find_first_of("=,", start);
      if (end == std::string::npos) end = line.size();
      std::string member = NormaliseTerm(line.substr(start, end - start));
      if (!member.empty()) group.push_back(member);
      start = end + 1;
    }
    if (group.size() >= 2) groups.push_back(std::move(group));
  }
  return groups;
}

Status LoadSynonyms(Xapian::WritableDatabase& db, const Repository& repo,
                    const std::vector<TreeFile>& files,
                    const std::string& path) {
  std::vector<std::string> keys(db.synonym_keys_begin(), db.synonym_keys_end());
  for (const std::string& k : keys) db.clear_synonyms(k);
  for (const TreeFile& f : files) {
    if (f.path != path) continue;
    auto text = repo.ReadBlob(f.blob, 1 << 20);
    if (!text) {
      return Status::Invalid("the synonyms file '" + path + "' is " +
                             text.status().message());
    }
    for (const auto& group : ParseSynonyms(*text)) {
      for (const std::string& a : group) {
        for (const std::string& b : group) {
          if (a != b) db.add_synonym(a, b);
        }
      }
    }
  }
  return Status::Ok();
}

void AddSpellings(Xapian::WritableDatabase& db, const Xapian::Document& doc) {
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if (IsWordTerm(*t)) db.add_spelling(*t, t.get_wdf());
  }
}

void RemoveSpellings(Xapian::WritableDatabase& db,
                     const Xapian::Document& doc) {
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if (IsWordTerm(*t)) db.remove_spelling(*t, t.get_wdf());
  }
}

// Moves the spelling data from `before`'s words to `after`'s by their
// difference alone.  Xapian rewrites every word it is told about at commit,
// even one removed and added back at the same frequency, so removing the
// old document's words and adding the new one's would rewrite hundreds of
// entries for a paragraph that changed a dozen.
void ChangeSpellings(Xapian::WritableDatabase& db,
                     const Xapian::Document& before,
                     const Xapian::Document& after) {
  auto a = before.termlist_begin(), a_end = before.termlist_end();
  auto b = after.termlist_begin(), b_end = after.termlist_end();
  while (a != a_end || b != b_end) {
    // Both lists are sorted by term.
    int cmp = a == a_end ? 1 : b == b_end ? -1 : (*a).compare(*b);
    if (cmp < 0) {
      if (IsWordTerm(*a)) db.remove_spelling(*a, a.get_wdf());
      ++a;
    } else if (cmp > 0) {
      if (IsWordTerm(*b)) db.add_spelling(*b, b.get_wdf());
      ++b;
    } else {
      if (IsWordTerm(*a)) {
        Xapian::termcount from = a.get_wdf(), to = b.get_wdf();
        if (to > from) db.add_spelling(*b, to - from);
        if (to < from) db.remove_spelling(*a, from - to);
      }
      ++a;
      ++b;
    }
  }
}

// The docid of the document keyed by `key`; 0 when there is none.
Xapian::docid FindDocument(Xapian::WritableDatabase& db,
                           const std::string& key) {
  auto p = db.postlist_begin(key);
  return p == db.postlist_end(key) ? 0 : *p;
}

std::string JoinLines(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : "\n") + n;
  return out;
}

std::set<std::string> SplitLines(const std::string& s) {
  std::set<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) out.insert(l);
  }
  return out;
}

// What a search reads (SearchMeta) of the index this update leaves.
std::string SearchMetaFor(const FieldTable& table,
                          const std::set<std::string>& extra,
                          const std::string& commit) {
  SearchMeta meta;
  meta.commit = commit;
  meta.extra_fields.assign(extra.begin(), extra.end());
  meta.table = table;
  return EncodeSearchMeta(meta);
}

Result<Document> ReadIndexable(const Corpus& corpus, const Repository& repo,
                               const std::string& path, const ObjectId& blob) {
  auto doc = ReadBlobDocument(repo, path, blob);
  if (!doc) return doc.status();
  ResolveIdentity(corpus.schema(), *doc);
  return doc;
}

// Documents per thread below which a rebuild uses fewer threads, and how
// many documents Xapian holds in memory before a commit (its default,
// 10,000, costs over a gigabyte for long documents).
constexpr std::size_t kShardDocs = 256;
constexpr std::size_t kBatchDocs = 1000;

// A new database at `fresh` holding `docs` (no synonyms or metadata yet).
// Documents are read, parsed and indexed on every core, each thread into a
// shard of its own with a Repository of its own; the shards are then merged
// by Xapian's compaction.  Spelling frequencies are summed in memory and
// written once per word.  `tick` is called once per document, from any
// thread.  EVREPO_INDEX_SHARD_DOCS sets the documents per thread (tests).
Status BuildFresh(const Corpus& corpus, const Repository& repo,
                  const FieldTable& table,
                  const std::vector<const TreeFile*>& docs,
                  const fs::path& fresh, std::set<std::string>* extra,
                  const std::function<void()>& tick) {
  std::size_t per_shard = kShardDocs;
  if (const char* v = std::getenv("EVREPO_INDEX_SHARD_DOCS"); v && *v) {
    per_shard = std::max(1L, std::atol(v));
  }
  std::size_t shards =
      std::clamp<std::size_t>(docs.size() / per_shard, 1, Workers());
  struct Shard {
    fs::path path;
    std::optional<Repository> own_repo;
    const Repository* repo = nullptr;
    std::optional<Xapian::WritableDatabase> db;
    std::optional<DocumentIndexer> indexer;
    std::set<std::string> extra;
    std::unordered_map<std::string, Xapian::termcount> spellings;
    std::size_t pending = 0;
    Status error = Status::Ok();
  };
  long number = std::atol(fresh.filename().string().c_str() + 3);
  std::vector<Shard> parts(shards);
  for (std::size_t w = 0; w < shards; ++w) {
    Shard& p = parts[w];
    // One shard is the database itself; several are merged into it.
    // Shards are named as databases are (db-N+1, ...), so that the next
    // writer removes them as leftovers if this one is killed.
    p.path = shards == 1 ? fresh
                         : fresh.parent_path() /
                               ("db-" + std::to_string(number + 1 + w));
    if (w == 0) {
      p.repo = &repo;
    } else {
      auto r = Repository::Discover(corpus.root());
      if (!r) return r.status();
      p.own_repo.emplace(std::move(*r));
      p.repo = &*p.own_repo;
    }
    // Every document is read: from the working tree where Git vouches for
    // it, which spares inflating each blob.
    p.repo->PreferWorktree();
    p.db.emplace(OpenWritable(p.path.string(), Xapian::DB_CREATE_OR_OVERWRITE));
    p.indexer.emplace(corpus.schema(), table);
  }
  std::mutex tick_mutex;
  // Shard w holds the w-th run of documents in path order, so that the
  // compacted database numbers documents as one built alone would.
  ParallelFor(
      shards, static_cast<unsigned>(shards), [&](std::size_t w, unsigned) {
        Shard& p = parts[w];
        for (std::size_t i = w * docs.size() / shards;
             i < (w + 1) * docs.size() / shards && p.error.ok(); ++i) {
          const TreeFile* f = docs[i];
          try {
            auto d = ReadIndexable(corpus, *p.repo, f->path, f->blob);
            if (!d) {
              p.error = d.status();
              break;
            }
            Xapian::Document xd = p.indexer->Build(*d, f->blob, &p.extra);
            for (auto t = xd.termlist_begin(); t != xd.termlist_end(); ++t) {
              if (IsWordTerm(*t)) p.spellings[*t] += t.get_wdf();
            }
            p.db->add_document(xd);  // a path is unique in a tree: no lookup
            if (++p.pending == kBatchDocs) {
              p.db->commit();
              p.pending = 0;
            }
          } catch (const Xapian::Error& e) {
            p.error = Status::Io("cannot index '" + f->path +
                                 "': " + e.get_description());
            break;
          }
          std::lock_guard<std::mutex> lock(tick_mutex);
          tick();
        }
      });
  std::vector<std::string> paths;
  for (Shard& p : parts) {
    if (!p.error.ok()) return p.error;
    for (const auto& [word, freq] : p.spellings) p.db->add_spelling(word, freq);
    p.db->commit();
    p.db->close();
    extra->insert(p.extra.begin(), p.extra.end());
    paths.push_back(p.path.string());
  }
  if (shards > 1) {
    Xapian::Database all;
    for (const std::string& path : paths)
      all.add_database(Xapian::Database(path));
    all.compact(fresh.string());
    std::error_code ec;
    for (const std::string& path : paths) fs::remove_all(path, ec);
  }
  return Status::Ok();
}

// The live database, opened for an update: what it says it indexed, and
// whether it was built with the present fields (`current`).  No database
// when it is missing or damaged; a lock held by another writer throws.
struct Opened {
  std::optional<Xapian::WritableDatabase> db;
  std::string previous;
  bool current = false;
};

// The commit the live database holds, as soon as OpenLive has read it, for
// Speculate to stop early on a wrong guess.
struct Peek {
  std::atomic<bool> known{false};
  std::string previous;  // written once, before `known`
};

Opened OpenLive(const std::string& path, const std::string& fingerprint,
                Peek* peek) {
  Opened out;
  try {
    out.db.emplace(OpenWritable(path, Xapian::DB_OPEN));
    out.previous = out.db->get_metadata(kMetaCommit);
    out.current = !out.previous.empty() &&
                  out.db->get_metadata(kMetaFingerprint) == fingerprint;
  } catch (const Xapian::DatabaseLockError&) {
    peek->known.store(true, std::memory_order_release);
    throw;
  } catch (const Xapian::DatabaseError&) {
    out = Opened();  // missing or damaged: start again beside it
  }
  peek->previous = out.previous;
  peek->known.store(true, std::memory_order_release);
  return out;
}

// A commit's changes from its first parent, with the changed documents
// already indexed (or the reason one cannot be); see Update.
struct Speculation {
  ObjectId from;
  Result<std::vector<TreeChange>> changes = std::vector<TreeChange>();
  std::map<std::string, Result<Xapian::Document>> built;
  std::set<std::string> extra;
};

// More changed documents than this and the guess is not worth its memory:
// a commit that large takes long enough that the overlap hardly counts.
constexpr std::size_t kSpeculateDocs = 16;

std::optional<Speculation> Speculate(const Corpus& corpus,
                                     const Repository& repo,
                                     const FieldTable& table,
                                     const ObjectId& commit, const Peek& peek,
                                     TreeCache* trees) {
  auto info = repo.ReadCommit(commit);
  if (!info || info->parents.empty()) return std::nullopt;
  Speculation out;
  out.from = info->parents.front();
  auto wrong = [&] {
    return peek.known.load(std::memory_order_acquire) &&
           peek.previous != out.from;
  };
  if (wrong()) return std::nullopt;
  out.changes = repo.Diff(out.from, commit, trees);
  if (!out.changes || wrong()) return std::nullopt;
  std::vector<const TreeChange*> docs;
  for (const TreeChange& c : *out.changes) {
    if (c.kind != TreeChange::Kind::kDeleted && corpus.IsDocumentPath(c.path))
      docs.push_back(&c);
  }
  if (docs.size() > kSpeculateDocs) docs.clear();
  if (docs.empty()) return out;
  DocumentIndexer indexer(corpus.schema(), table);
  for (const TreeChange* c : docs) {
    if (wrong()) return std::nullopt;
    auto d = ReadIndexable(corpus, repo, c->path, c->new_blob);
    if (!d) {
      out.built.emplace(c->path, d.status());
    } else {
      out.built.emplace(c->path, indexer.Build(*d, c->new_blob, &out.extra));
    }
  }
  return out;
}

Result<IndexReport> Update(const Corpus& corpus, const Repository& repo,
                           const IndexOptions& options) {
  auto started = std::chrono::steady_clock::now();
  fs::path dir = IndexDir(corpus);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return Status::Io("cannot create '" + dir.string() + "': " + ec.message());
  }
  WriterLock lock;
  if (Status s = lock.Acquire(dir, options.progress); !s.ok()) return s;

  auto commit = ResolveRevision(repo, options.rev);
  if (!commit) return commit.status();
  FieldTable table = FieldTable::Build(corpus.schema());
  std::string fingerprint = ConfigFingerprint(corpus, table);

  IndexReport report;
  report.commit = *commit;
  auto live = LiveDatabase(dir);
  RemoveLeftovers(dir, live ? live->filename().string() : "");
  bool rebuild = options.rebuild || !live;

  // Opening the live database takes a while; meanwhile, on this thread, the
  // commit is diffed against its first parent and the changed documents
  // are indexed, as the index is usually one commit behind.  The guess is
  // used only if the database turns out to hold that parent.
  Peek peek;
  Pending<Opened> opening;
  if (live) {
    opening = Async([path = live->string(), &fingerprint, &peek] {
      return OpenLive(path, fingerprint, &peek);
    });
  }
  std::optional<Speculation> guess;
  // The trees of the commit indexed, kept for the next update's diff.
  TreeCache trees(dir / kTreeDir);
  if (!rebuild) guess = Speculate(corpus, repo, table, *commit, peek, &trees);

  std::optional<Xapian::WritableDatabase> db;
  if (opening.valid()) {
    Opened opened = opening.get();  // rethrows a lock error
    report.previous = opened.previous;
    if (opened.db && opened.current && repo.ReadCommit(report.previous)) {
      db = std::move(opened.db);
    } else {
      rebuild = true;  // unknown state, new fields, or history rewritten
    }
  }
  if (rebuild || (guess && guess->from != report.previous)) guess.reset();
  if (!rebuild && report.previous == *commit) {
    // A vocabulary's aliases are outside the fingerprint, and an index an
    // earlier evrepo made lacks the entry: either is put right here.
    std::string meta = SearchMetaFor(
        table, SplitLines(db->get_metadata(kMetaExtraFields)), *commit);
    if (db->get_metadata(kMetaSearch) != meta) {
      db->set_metadata(kMetaSearch, meta);
      db->commit();
    }
    report.up_to_date = true;
    report.documents = db->get_doccount();
    return report;
  }

  DocumentIndexer indexer(corpus.schema(), table);
  const std::string& synonyms = corpus.config().synonyms;
  std::size_t done = 0;
  auto tick = [&](std::size_t total) {
    ++done;
    MaybeDie(done);
    if (options.progress && (done % 64 == 0 || done == total)) {
      options.progress(done, total);
    }
  };

  if (rebuild) {
    report.rebuilt = true;
    auto all_files = repo.ListCommit(*commit);
    if (!all_files) return all_files.status();
    fs::path fresh = NewDatabasePath(dir);
    std::set<std::string> extra;
    std::vector<const TreeFile*> docs;
    for (const TreeFile& f : *all_files) {
      if (corpus.IsDocumentPath(f.path)) docs.push_back(&f);
    }
    if (Status s = BuildFresh(corpus, repo, table, docs, fresh, &extra,
                              [&] { tick(docs.size()); });
        !s.ok()) {
      return s;
    }
    report.added = docs.size();
    Xapian::WritableDatabase out =
        OpenWritable(fresh.string(), Xapian::DB_OPEN);
    if (Status s = LoadSynonyms(out, repo, *all_files, synonyms); !s.ok()) {
      return s;
    }
    out.set_metadata(kMetaExtraFields, JoinLines(extra));
    out.set_metadata(kMetaFingerprint, fingerprint);
    out.set_metadata(kMetaFormat, kIndexFormat);
    out.set_metadata(kMetaCommit, *commit);
    out.set_metadata(kMetaSearch, SearchMetaFor(table, extra, *commit));
    out.commit();
    report.documents = out.get_doccount();
    out.close();
    if (Status s = SwitchTo(dir, fresh); !s.ok()) return s;
    if (live) fs::remove_all(*live, ec);
    // Best effort: an update without them reads the trees it needs.
    trees.Clear();
    (void)repo.KeepTrees(*commit, &trees);
  } else {
    auto changes = guess ? std::move(guess->changes)
                         : repo.Diff(report.previous, *commit, &trees);
    if (!changes) return changes.status();
    // The diff's new trees are written while the documents go in.
    Pending<void> saving = Async([&trees] { trees.Save(); });
    std::vector<const TreeChange*> docs;
    bool synonyms_changed = false;
    for (const TreeChange& c : *changes) {
      if (corpus.IsDocumentPath(c.path)) docs.push_back(&c);
      if (c.path == synonyms) synonyms_changed = true;
    }
    std::set<std::string> extra =
        SplitLines(db->get_metadata(kMetaExtraFields));
    if (guess) extra.insert(guess->extra.begin(), guess->extra.end());
    // A changed document, indexed: read ahead by Speculate, or now.
    auto build = [&](const TreeChange& c) -> Result<Xapian::Document> {
      if (guess) {
        auto ahead = guess->built.find(c.path);
        if (ahead != guess->built.end()) return std::move(ahead->second);
      }
      auto d = ReadIndexable(corpus, repo, c.path, c.new_blob);
      if (!d) return d.status();
      return indexer.Build(*d, c.new_blob, &extra);
    };
    // Started before the transaction, the writing out is under way when
    // the commit writes its blocks.
    EarlyWriteback writeback(*live);
    db->begin_transaction();
    for (const TreeChange* c : docs) {
      std::string key = kPathPrefix + c->path;
      // A changed document keeps its docid: Xapian then rewrites only the
      // postings whose wdf changed, where a delete and an add would move
      // every one of the document's postings to a new docid.
      Xapian::docid id = FindDocument(*db, key);
      if (c->kind == TreeChange::Kind::kDeleted) {
        if (id) {
          RemoveSpellings(*db, db->get_document(id));
          db->delete_document(id);
          ++report.removed;
        }
      } else {
        auto xd = build(*c);
        if (!xd) {
          db->cancel_transaction();
          return xd.status();
        }
        if (id) {
          ChangeSpellings(*db, db->get_document(id), *xd);
          db->replace_document(id, *xd);
          ++report.updated;
        } else {
          AddSpellings(*db, *xd);
          db->add_document(*xd);  // no document has the key: no lookup
          ++report.added;
        }
      }
      tick(docs.size());
    }
    if (synonyms_changed) {
      // Only now is the whole tree listed: an update reads the diff alone.
      auto all_files = repo.ListCommit(*commit);
      if (!all_files) {
        db->cancel_transaction();
        return all_files.status();
      }
      if (Status s = LoadSynonyms(*db, repo, *all_files, synonyms); !s.ok()) {
        db->cancel_transaction();
        return s;
      }
    }
    db->set_metadata(kMetaExtraFields, JoinLines(extra));
    db->set_metadata(kMetaCommit, *commit);
    db->set_metadata(kMetaSearch, SearchMetaFor(table, extra, *commit));
    db->commit_transaction();
    saving.wait();
    trees.Forget();  // the old side's trees: the new side is indexed
    report.documents = db->get_doccount();
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  return report;
}

}  // namespace

fs::path IndexDir(const Corpus& corpus) {
  fs::path p = corpus.config().index;
  return p.is_absolute() ? p : corpus.root() / p;
}

Result<IndexReport> UpdateIndex(const Corpus& corpus, const Repository& repo,
                                const IndexOptions& options) {
  try {
    return Update(corpus, repo, options);
  } catch (const Xapian::DatabaseLockError& e) {
    return Status::Conflict(
               "another process holds the index open for "
               "writing: " +
               e.get_msg())
        .WithHint("wait for it to finish, then run the command again");
  } catch (const Xapian::Error& e) {
    return Status::Io("cannot update the index in '" +
                      IndexDir(corpus).string() + "': " + e.get_description())
        .WithHint("'evrepo index --rebuild' builds it again from scratch");
  }
}

Result<bool> IndexIsCurrent(const Corpus& corpus, const ObjectId& commit) {
  try {
    auto live = LiveDatabase(IndexDir(corpus));
    if (!live) return false;
    Xapian::Database db(live->string());
    FieldTable table = FieldTable::Build(corpus.schema());
    auto meta = DecodeSearchMeta(db.get_metadata(kMetaSearch));
    return meta && meta->commit == commit && meta->table == table &&
           db.get_metadata(kMetaFingerprint) ==
               ConfigFingerprint(corpus, table);
  } catch (const Xapian::Error& e) {
    return Status::Io("cannot read the index in '" + IndexDir(corpus).string() +
                      "': " + e.get_description())
        .WithHint("'evrepo index --rebuild' builds it again from scratch");
  }
}

Result<std::optional<ObjectId>> IndexedCommit(const Corpus& corpus) {
  try {
    auto live = LiveDatabase(IndexDir(corpus));
    if (!live) return std::optional<ObjectId>();
    Xapian::Database db(live->string());
    std::string commit = db.get_metadata(kMetaCommit);
    if (commit.empty()) return std::optional<ObjectId>();
    return std::optional<ObjectId>(commit);
  } catch (const Xapian::Error& e) {
    return Status::Io("cannot read the index in '" + IndexDir(corpus).string() +
                      "': " + e.get_description())
        .WithHint("'evrepo index --rebuild' builds it again from scratch");
  }
}

}  // namespace evrepo::index
