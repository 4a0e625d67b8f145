// The static site: documents, listings, feed, sitemap and search index,
// rendered from the published set only (see site.h), through the theme's
// Mustache templates.
#include "evrepo/site.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "evrepo/check.h"
#include "evrepo/fsutil.h"
#include "evrepo/markdown.h"
#include "evrepo/parallel.h"
#include "evrepo/store.h"
#include "evrepo/text.h"
#include "site_cache.h"
#include "site_mustache.h"
#include "site_terms.h"
#include "site_words.h"
#include "site_xml.h"

namespace evrepo {

namespace fs = std::filesystem;

namespace {

constexpr char kMarker[] = ".evrepo-site";
// In the replaced site kept beside the new one: Git ignores all of it.
constexpr char kSpareIgnore[] = ".gitignore";
constexpr std::size_t kPageSize = 50;
constexpr std::size_t kNavAround = 2;  // pages linked on each side
constexpr char kSearchMeta[] = "assets/search-index.js";
constexpr char kSearchDir[] = "assets/search/";
constexpr std::size_t kDocsPerPart = 5;

// A published document: its record, and what the site derives from it.
struct PubDoc {
  const std::string* path = nullptr;
  const DocRecord* rec = nullptr;
  std::string id, title, type, type_label, date, summary, url;
  PathDates dates;
  std::string links;  // Site::Links, once every document is known
};

using Json = nlohmann::json;

// Adds a JSON value to a digest as its structure: the same values give the
// same digest, and (with every string's length before it) different ones a
// different digest, without serialising the value first.
void AddJson(KeyDigester& d, const Json& j) {
  auto add_string = [&d](std::string_view s) {
    d.Add(std::to_string(s.size()));
    d.Add(":");
    d.Add(s);
  };
  switch (j.type()) {
    case Json::value_t::object:
      d.Add("{" + std::to_string(j.size()));
      for (const auto& [k, v] : j.items()) {
        add_string(k);
        AddJson(d, v);
      }
      return;
    case Json::value_t::array:
      d.Add("[" + std::to_string(j.size()));
      for (const Json& v : j) AddJson(d, v);
      return;
    case Json::value_t::string:
      d.Add("s");
      add_string(j.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      d.Add(j.get<bool>() ? "t" : "f");
      return;
    case Json::value_t::null:
    case Json::value_t::discarded:
      d.Add("z");
      return;
    default:  // numbers, in JSON
      d.Add("n" + j.dump() + ";");
      return;
  }
}

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A file-name key for a tag, partner or type: a slug, never empty.
std::string Key(const std::string& s) {
  std::string k = Slugify(s);
  return k.empty() ? "other" : k;
}

// A year for file names: four digits, whatever the field holds.
std::string Year(const std::string& date) {
  bool digits = date.size() >= 4 &&
                std::all_of(date.begin(), date.begin() + 4,
                            [](char c) { return c >= '0' && c <= '9'; });
  return digits ? date.substr(0, 4) : "undated";
}

class Theme {
 public:
  Theme(const Repository& repo, const std::vector<TreeFile>& files)
      : repo_(repo) {
    for (const TreeFile& f : files) {
      if (f.path.rfind("theme/", 0) == 0) corpus_[f.path.substr(6)] = f.blob;
    }
  }
  // A theme file: the corpus's own, from the commit, else the built-in one.
  Result<std::string> Get(const std::string& name) const {
    if (auto it = corpus_.find(name); it != corpus_.end()) {
      return repo_.ReadBlob(it->second, 16 << 20);
    }
    fs::path p = BuiltinThemeDir() / name;
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      return Status::Io("the theme has no '" + name + "' (looked in '" +
                        BuiltinThemeDir().string() + "')");
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // A digest of every file of the theme: built-in bytes, corpus blob ids.
  std::string Digest() const {
    std::string all;
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::recursive_directory_iterator it(BuiltinThemeDir(), ec), end;
         !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      all += f.string() + '\n' + evrepo::Digest(s.str()) + '\n';
    }
    for (const auto& [name, blob] : corpus_) all += name + ' ' + blob + '\n';
    return evrepo::Digest(all);
  }

 private:
  const Repository& repo_;
  std::map<std::string, ObjectId> corpus_;
};

// What a document's page and listings show depends on these parts of the
// schema: they go into the cache's salt.
std::string SchemaDigest(const Schema& schema) {
  std::string all;
  for (const TypeDef* t : schema.DocumentTypes()) {
    all += t->name + '\t' + t->label + '\n';
    for (const FieldDef& f : t->fields) {
      all += f.name + '\t' + f.label + '\t' + std::string(KindName(f.kind)) +
             '\t' + std::string(KindName(f.item_kind)) + '\t' + f.dc + '\n';
    }
  }
  return Digest(all);
}

// The summary of a parsed document that the cache keeps, but for what its
// body gives (AddBody).
DocRecord Summarise(const Document& d, const ObjectId& blob) {
  DocRecord r;
  r.blob = blob;
  r.publishable = IsPublishable(d);
  if (!r.publishable) return r;
  r.id = d.id;
  r.title = d.title;
  r.type = d.type;
  r.date = d.Scalar("date");
  r.summary = d.Scalar("summary");
  r.tags = d.List("tags");
  r.partners = d.List("partners");
  r.authors = d.List("authors");
  r.related = d.List("related");
  r.supersedes = d.List("supersedes");
  return r;
}

// A hash of a search word for the open-addressed tables below (std::hash
// reads a byte at a time).
inline std::size_t WordHash(std::string_view w) {
  return static_cast<std::size_t>(Hash64(w));
}

// What a publishable document's body adds to its record: its links, and its
// search words (with the title's and the summary's).
void AddBody(DocRecord& r, MarkdownText text) {
  r.links = std::move(text.links);
  r.words.clear();
  r.length = 0;
  // Each distinct word and its count, in the order of first use: the words
  // kept end to end in one string, found through an open-addressed table
  // (a map made a node for each of a document's distinct words).
  struct Word {
    std::uint32_t at, size, count;
  };
  std::string pool;
  std::vector<Word> seen;
  std::vector<std::uint32_t> table(1024, 0);  // 1 + index into `seen`
  auto count = [&](std::string_view w) {
    ++r.length;
    std::size_t mask = table.size() - 1;
    std::size_t i = WordHash(w) & mask;
    for (; table[i] != 0; i = (i + 1) & mask) {
      Word& s = seen[table[i] - 1];
      if (std::string_view(pool).substr(s.at, s.size) == w) {
        ++s.count;
        return;
      }
    }
    table[i] = static_cast<std::uint32_t>(seen.size() + 1);
    seen.push_back({static_cast<std::uint32_t>(pool.size()),
                    static_cast<std::uint32_t>(w.size()), 1});
    pool += w;
    if (seen.size() * 2 > table.size()) {
      std::fill(table.begin(), table.end(), 0);
      table.resize(table.size() * 2, 0);
      mask = table.size() - 1;
      for (std::size_t k = 0; k < seen.size(); ++k) {
        std::string_view v =
            std::string_view(pool).substr(seen[k].at, seen[k].size);
        std::size_t j = WordHash(v) & mask;
        while (table[j] != 0) j = (j + 1) & mask;
        table[j] = static_cast<std::uint32_t>(k + 1);
      }
    }
  };
  for (std::string_view part :
       {std::string_view(r.title), std::string_view(r.summary),
        std::string_view(text.headings), std::string_view(text.text)}) {
    ForEachSiteSearchWord(part, count);
  }
  r.words.reserve(pool.size() + seen.size() * 4);
  for (const Word& w : seen) {
    if (!r.words.empty()) r.words += ' ';
    r.words.append(pool, w.at, w.size);
    r.words += ' ';
    char digits[16];
    r.words.append(digits,
                   std::to_chars(digits, digits + sizeof digits, w.count).ptr);
  }
}

// The id of a document blob; empty when it cannot be read.
std::string IdOf(const Corpus& corpus, const Repository& repo,
                 const std::string& path, const ObjectId& blob) {
  auto doc = ReadBlobDocument(repo, path, blob);
  if (!doc) return "";
  ResolveIdentity(corpus.schema(), *doc);
  return doc->id;
}

// Pairs documents deleted and added in one commit, as (from, to) moves: by
// content first, then by id (each blob read once).
void Pair(const Corpus& corpus, const Repository& repo,
          const std::vector<const TreeChange*>& added,
          const std::vector<const TreeChange*>& deleted,
          std::vector<std::pair<std::string, std::string>>* moves) {
  std::multimap<ObjectId, const TreeChange*> by_blob;
  for (const TreeChange* d : deleted) by_blob.emplace(d->old_blob, d);
  std::vector<const TreeChange*> rest;
  for (const TreeChange* a : added) {
    auto it = by_blob.find(a->new_blob);
    if (it == by_blob.end()) {
      rest.push_back(a);
      continue;
    }
    moves->emplace_back(it->second->path, a->path);
    by_blob.erase(it);
  }
  if (rest.empty() || by_blob.empty()) return;
  std::map<std::string, std::string> by_id;
  for (const auto& [blob, d] : by_blob) {
    by_id.emplace(IdOf(corpus, repo, d->path, blob), d->path);
  }
  for (const TreeChange* a : rest) {
    auto it = by_id.find(IdOf(corpus, repo, a->path, a->new_blob));
    if (it == by_id.end() || it->first.empty()) continue;
    moves->emplace_back(it->second, a->path);
    by_id.erase(it);
  }
}

// Paths' dates before a change: nothing for a path that had none.
using ChangedFrom = std::map<std::string, std::optional<PathDates>>;

// The dates of every document path, as History finds them.
struct Dated {
  std::map<std::string, PathDates> dates;
  // When only the commits since the last publish's were read: what the
  // paths they changed had then.  Every other path's dates are the last
  // publish's.  Else nullopt.
  std::optional<ChangedFrom> changed_from;
};

// When each document path was first and last changed.  A document moved to
// another path (deleted and added in one commit, with the same content or
// the same id) keeps its first date.  With the previous publish's dates for
// an ancestor commit, only the commits since are read, and those dates are
// taken from `old` rather than copied (a few milliseconds at 10,000 paths).
Dated History(const Corpus& corpus, const Repository& repo,
              const ObjectId& commit, SiteCache* old) {
  Dated out;
  std::map<std::string, PathDates>& dates = out.dates;
  std::optional<ObjectId> since;
  if (old && !old->commit.empty()) {
    auto ancestor = repo.IsAncestor(old->commit, commit);
    if (ancestor && *ancestor) {
      dates = std::move(old->dates);
      old->dates.clear();
      out.changed_from.emplace();
      since = old->commit;
    }
  }
  // A path's dates, about to change: what they were is noted first.
  auto& changed_from = out.changed_from;
  auto entry = [&](const std::string& path) -> PathDates& {
    auto [it, added] = dates.try_emplace(path);
    if (changed_from && !changed_from->count(path)) {
      changed_from->emplace(
          path, added ? std::nullopt : std::optional<PathDates>(it->second));
    }
    return it->second;
  };
  std::set<std::string> seen;
  std::vector<std::pair<std::string, std::string>> moves;  // newest first
  auto walk = repo.Walk(commit, since);
  if (!walk) return out;  // dates are a nicety; the site stands without
  for (const ObjectId& id : *walk) {
    auto info = repo.ReadCommit(id);
    if (!info) return out;
    std::optional<ObjectId> parent;
    if (!info->parents.empty()) parent = info->parents[0];
    auto diff = repo.Diff(parent, id);
    if (!diff) return out;
    std::string day = DayOf(info->committer);
    std::vector<const TreeChange*> added, deleted;
    for (const TreeChange& c : *diff) {
      if (!corpus.IsDocumentPath(c.path)) continue;
      if (c.kind == TreeChange::Kind::kDeleted) {
        deleted.push_back(&c);
        continue;
      }
      if (c.kind == TreeChange::Kind::kAdded) added.push_back(&c);
      PathDates& d = entry(c.path);
      if (seen.insert(c.path).second) {  // walking back: the newest first
        d.last = day;
        d.last_change = id;
      }
      // Unless dated before the walk, the oldest commit gives the first.
      if (!changed_from || !changed_from->at(c.path)) d.first = day;
    }
    if (!added.empty() && !deleted.empty()) {
      Pair(corpus, repo, added, deleted, &moves);
    }
  }
  // Oldest move first, so that a document moved twice keeps its first date.
  for (auto it = moves.rbegin(); it != moves.rend(); ++it) {
    auto from = dates.find(it->first);
    if (from == dates.end() || from->second.first.empty()) continue;
    std::string& first = entry(it->second).first;
    if (first.empty() || from->second.first < first) {
      first = from->second.first;
    }
  }
  return out;
}

// Markup characters only occur inside JSON strings: escaped as \uXXXX, a
// search file stays inert even if someone pastes it into a page.
std::string Inert(const std::string& text) {
  std::string safe;
  safe.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      safe += "\\u003c";
    } else if (c == '>') {
      safe += "\\u003e";
    } else if (c == '&') {
      safe += "\\u0026";
    } else {
      safe += c;
    }
  }
  return safe;
}

// A test seam for crash safety: EVREPO_PUBLISH_KILL_AFTER=N kills the
// process (SIGKILL) after N files are written; =swap kills it just before
// the new site is swapped in (the cache for it already saved).
void MaybeDie(std::size_t written, bool swapping = false) {
  static const std::string when = [] {
    const char* v = std::getenv("EVREPO_PUBLISH_KILL_AFTER");
    return std::string(v ? v : "");
  }();
  if (when.empty()) return;
  if (swapping ? when == "swap"
               : when != "swap" &&
                     static_cast<long>(written) >= std::atol(when.c_str())) {
    raise(SIGKILL);
  }
}

std::string ReadIfExists(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return "";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// True when `p` is a regular file holding exactly `text`.
bool HoldsBytes(const fs::path& p, std::string_view text) {
  int fd = open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              static_cast<std::size_t>(st.st_size) == text.size();
  if (same && !text.empty()) {
    std::string bytes(text.size(), '\0');
    same = ReadWhole(fd, bytes.data(), bytes.size()) && bytes == text;
  }
  close(fd);
  return same;
}

std::string Marker(const std::string& token) {
  return "This directory is a site published by evrepo; "
         "'evrepo publish' replaces it whole.\npublish: " +
         token + "\n";
}

// The token in the marker of the site at `out`; empty when there is none.
std::string MarkerToken(const fs::path& out) {
  std::string text = ReadIfExists(out / kMarker);
  std::size_t at = text.find("\npublish: ");
  if (at == std::string::npos) return "";
  at += 10;
  return text.substr(at, text.find('\n', at) - at);
}

// A token as NewToken makes them: it goes into a file name.
bool IsToken(std::string_view token) {
  return token.size() == 16 &&
         std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string NewToken() {
  std::random_device rd;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

// The entry of `map` for `key`, looked for from `from` on, which is left
// at the first entry not before `key`: keys looked up in order walk the
// map once.  The map's end when it has none there.
template <typename Map, typename It>
It Seek(Map& map, It& from, const std::string& key) {
  while (from != map.end() && from->first < key) ++from;
  return from != map.end() && from->first == key ? from : map.end();
}

// Documents' paths and records, in path order.
using RecordRefs = std::vector<std::pair<const std::string*, const DocRecord*>>;

// Of `records`, the documents the site shows (their numbers in the search
// index): publishable, with an id that is a slug (no "../" can come of one)
// and not taken by an earlier path (a duplicate would overwrite the first
// document's page).
RecordRefs Shown(const RecordRefs& records) {
  RecordRefs shown;
  std::unordered_set<std::string_view> ids;
  ids.reserve(records.size());
  for (const auto& [path, r] : records) {
    if (r->publishable && IsSlug(r->id) && ids.insert(r->id).second) {
      shown.emplace_back(path, r);
    }
  }
  return shown;
}

RecordRefs Shown(const std::map<std::string, DocRecord>& records) {
  RecordRefs all;
  all.reserve(records.size());
  for (const auto& [path, r] : records) all.emplace_back(&path, &r);
  return Shown(all);
}

// The last publish's records, in path order: those its cache `old` still
// holds, and those this publish's `records` carried over from it.
RecordRefs LastRecords(const std::map<std::string, DocRecord>& old,
                       const std::map<std::string, DocRecord>& records) {
  RecordRefs last;
  last.reserve(old.size() + records.size());
  auto a = old.begin();
  for (const auto& [path, r] : records) {
    if (!r.carried) continue;
    for (; a != old.end() && a->first < path; ++a) {
      last.emplace_back(&a->first, &a->second);
    }
    last.emplace_back(&path, &r);
  }
  for (; a != old.end(); ++a) last.emplace_back(&a->first, &a->second);
  return last;
}

// A term's posting in a document: twice its count there, plus one when
// the term is a word of the title.  The count, not a weight: search.js
// applies BM25's length normalisation from the lengths part, so a document
// whose length changes rewrites that part and the postings of the words
// whose counts changed, not those of every word it has (a weight rounded
// from its length moved for hundreds of words at once).
std::uint32_t PostingValue(std::size_t count, bool in_title) {
  constexpr std::size_t kMaxCount = std::size_t{1} << 30;
  return static_cast<std::uint32_t>(2 * std::min(count, kMaxCount) +
                                    (in_title ? 1 : 0));
}

// Calls f(word, count) for each word of a DocRecord's "word n word n ...".
template <class F>
void ForEachWord(std::string_view words, F&& f) {
  while (!words.empty()) {
    std::size_t sp = words.find(' ');
    std::string_view w = words.substr(0, sp);
    words = sp == std::string_view::npos ? "" : words.substr(sp + 1);
    sp = words.find(' ');
    std::size_t n = 0;
    for (char c : words.substr(0, sp)) n = n * 10 + (c - '0');
    words = sp == std::string_view::npos ? "" : words.substr(sp + 1);
    f(w, n);
  }
}

std::set<std::string, std::less<>> TitleWords(const std::string& title) {
  std::vector<std::string> words = SiteSearchWords(title);
  return {std::make_move_iterator(words.begin()),
          std::make_move_iterator(words.end())};
}

// Terms and their postings, for a whole site: an open-addressed table of
// the words as the records hold them (which outlive it).  A
// std::unordered_map keyed by a string made for each of the 4.9 million
// postings of 10,000 documents took a third longer to fill.
class PostingTable {
 public:
  void Add(std::string_view word, Posting p) {
    if ((lists_.size() + 1) * 2 > slots_.size()) Grow();
    std::size_t hash = WordHash(word);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.list == kEmpty) {
        s = {word, hash, lists_.size()};
        lists_.push_back({p});
        return;
      }
      if (s.hash == hash && s.word == word) {
        lists_[s.list].push_back(p);
        return;
      }
    }
  }
  // Every term and its postings, in term order.
  std::vector<std::pair<std::string_view, const std::vector<Posting>*>> Sorted()
      const {
    std::vector<std::pair<std::string_view, const std::vector<Posting>*>> out;
    out.reserve(lists_.size());
    for (const Slot& s : slots_) {
      if (s.list != kEmpty) out.emplace_back(s.word, &lists_[s.list]);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  static constexpr std::size_t kEmpty = SIZE_MAX;
  struct Slot {
    std::string_view word;
    std::size_t hash = 0, list = kEmpty;
  };
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(1024, old.size() * 2), Slot());
    std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.list == kEmpty) continue;
      std::size_t i = s.hash & mask;
      while (slots_[i].list != kEmpty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  std::vector<std::vector<Posting>> lists_;
};

// Names parts as a fresh build does: "t-" and the digest of the first
// term, salted while it is an earlier part's name.  False when a part kept
// from the previous site would be named otherwise than it is.
bool NameParts(std::vector<TermPart>& parts) {
  std::set<std::string> ids;
  for (TermPart& t : parts) {
    std::string id;
    for (int salt = 0; id.empty() || ids.count(id); ++salt) {
      id = "t-" +
           Digest(t.first + (salt ? std::to_string(salt) : "")).substr(0, 8);
    }
    ids.insert(id);
    if (t.json.empty() && t.id != id) return false;
    t.id = id;
  }
  return true;
}

// The terms and postings of a term part file as written; nullopt when it
// is not one.
std::optional<std::map<std::string, std::vector<Posting>>> ReadTermPart(
    const fs::path& file, const std::string& id) {
  std::string text = ReadIfExists(file);
  std::string head = "EVREPO_SEARCH_PART(\"" + id + "\", ";
  constexpr std::string_view kTail = ");\n";
  if (text.size() < head.size() + kTail.size() ||
      text.compare(0, head.size(), head) != 0 ||
      text.compare(text.size() - kTail.size(), kTail.size(), kTail) != 0) {
    return std::nullopt;
  }
  std::map<std::string, std::vector<Posting>> terms;
  if (!ParseTermPart(std::string_view(text).substr(
                         head.size(), text.size() - head.size() - kTail.size()),
                     &terms)) {
    return std::nullopt;
  }
  return terms;
}

// The new site, written into a directory beside `out` while it is built
// -- pages as they are rendered (from any thread), hard links to the
// previous site's files for the pages kept or rendered the same -- then
// swapped in atomically.  Until the swap the site at `out` is untouched.
//
// The site a publish replaces stays beside the new one (".NAME.old-*"),
// and the next publish builds in it: it holds the site of two publishes
// ago, so only the files that changed since need writing or linking, not
// every file of the site (linking 13,000 files into a fresh directory and
// removing the replaced tree took a quarter of a one-document publish).
// It is used only when its marker names the site the last publish recorded
// as replaced (the caller's `spare_token`), whose page keys say what each
// of its files holds; the marker goes before anything in it changes, so a
// directory left by a publish killed while building is never used again.
// Any other leftover is removed while this publish builds.
class Staging {
 public:
  // Conflict when `out` exists and is not a site evrepo published.
  static Result<std::unique_ptr<Staging>> Create(
      const fs::path& out, const std::string& spare_token,
      std::map<std::string, std::string> spare_keys) {
    std::error_code ec;
    fs::path parent = out.parent_path().empty() ? "." : out.parent_path();
    fs::create_directories(parent, ec);
    bool existing = fs::exists(out, ec);
    if (existing && !fs::exists(out / kMarker, ec)) {
      return Status::Conflict("'" + out.string() +
                              "' exists and is not a site evrepo published")
          .WithHint("choose another --out, or remove it first");
    }
    const std::string name = out.filename().string();
    std::vector<fs::path> leftovers;
    fs::path spare;
    for (const auto& e : fs::directory_iterator(parent, ec)) {
      std::string f = e.path().filename().string();
      bool old = f.rfind("." + name + ".old-", 0) == 0;
      if (!old && f.rfind("." + name + ".new-", 0) != 0) continue;
      if (old && existing && spare.empty() && !spare_token.empty() &&
          MarkerToken(e.path()) == spare_token &&
          unlink((e.path() / kMarker).c_str()) == 0) {
        unlink((e.path() / kSpareIgnore).c_str());
        spare = e.path();
      } else {
        leftovers.push_back(e.path());
      }
    }
    std::unique_ptr<Staging> staging;
    if (!spare.empty()) {
      staging.reset(new Staging(out, spare, existing));
      staging->spare_keys_ = std::move(spare_keys);
      staging->reused_ = true;
    } else {
      std::string tmpl = (parent / ("." + name + ".new-XXXXXX")).string();
      if (!mkdtemp(tmpl.data())) {
        return Status::Io("cannot create a directory beside '" + out.string() +
                          "': " + std::strerror(errno));
      }
      staging.reset(new Staging(out, tmpl, existing));
    }
    if (!leftovers.empty()) {
      staging->clearing_ = Async([leftovers = std::move(leftovers)] {
        std::error_code ec;
        for (const fs::path& p : leftovers) fs::remove_all(p, ec);
      });
    }
    return staging;
  }
  ~Staging() {
    std::error_code ec;
    if (!swapped_) fs::remove_all(fresh_, ec);
    // clearing_ waits for its thread.
  }

  // Writes a file of the new site, or hard-links the previous site's when
  // it holds the same bytes.  Safe to call from several threads.
  Status Put(const std::string& path, const std::string& text) {
    fs::path target = MakeParent(path);
    std::error_code ec;
    if (reused_) {
      if (HoldsBytes(target, text)) {
        ++unchanged_;
        return Status::Ok();
      }
      unlink(target.c_str());
    }
    fs::path old = out_ / path;
    if (existing_ && HoldsBytes(old, text)) {
      fs::create_hard_link(old, target, ec);
      if (!ec) {
        ++unchanged_;
        return Status::Ok();
      }
    }
    int fd =
        open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && WriteAll(fd, text);
    if (fd >= 0 && close(fd) != 0) ok = false;
    if (!ok) {
      return Status::Io("cannot write '" + target.string() +
                        "': " + std::strerror(errno));
    }
    MaybeDie(++written_);
    return Status::Ok();
  }
  // True when Keep can keep the file for `path` made from `key` (which the
  // previous site's is): the directory being built holds it already, or
  // the previous site has it.  Safe to call from several threads.
  bool CanKeep(const std::string& path, const std::string& key) const {
    if (reused_) {
      auto it = spare_keys_.find(path);
      if (it != spare_keys_.end() && it->second == key) return true;
    }
    std::error_code ec;
    return fs::is_regular_file(out_ / path, ec);
  }
  // The previous site's file: the page did not change, and its input
  // digest is `key`.  Nothing to do when the directory being built already
  // holds the file for that key; else a hard link.
  Status Keep(const std::string& path, const std::string& key) {
    if (reused_) {
      auto it = spare_keys_.find(path);
      if (it != spare_keys_.end() && it->second == key) {
        ++unchanged_;
        return Status::Ok();
      }
    }
    fs::path target = MakeParent(path);
    if (reused_) unlink(target.c_str());
    std::error_code ec;
    fs::create_hard_link(out_ / path, target, ec);
    if (ec) {
      return Status::Io("cannot keep '" + (out_ / path).string() +
                        "' from the previous site: " + ec.message());
    }
    ++unchanged_;
    return Status::Ok();
  }
  // Removes what the directory being built holds of a site before and the
  // new one does not: `keys` has every file of the new site.
  void Prune(const std::map<std::string, std::string>& keys) {
    if (!reused_) return;
    for (const auto& [path, key] : spare_keys_) {
      if (keys.count(path)) continue;
      fs::path target = fresh_ / path;
      if (unlink(target.c_str()) != 0) continue;
      // Its folders too, once empty (as a fresh build would not make them).
      for (fs::path dir = target.parent_path(); dir != fresh_;
           dir = dir.parent_path()) {
        if (rmdir(dir.c_str()) != 0) break;
      }
    }
  }
  // Writes the marker and, once `commit` succeeds, swaps the new site in.
  Status Finish(const std::string& marker,
                const std::function<Status()>& commit) {
    if (Status s = WriteFileAtomic(fresh_ / kMarker, marker); !s.ok()) {
      return s;
    }
    std::error_code ec;
    fs::permissions(fresh_,
                    fs::perms::owner_all | fs::perms::group_read |
                        fs::perms::group_exec | fs::perms::others_read |
                        fs::perms::others_exec,
                    ec);
    if (Status s = commit(); !s.ok()) return s;
    MaybeDie(written_, /*swapping=*/true);
    if (existing_) {
      // One atomic step: readers see the old site or the new one.
      if (renameat2(AT_FDCWD, fresh_.c_str(), AT_FDCWD, out_.c_str(),
                    RENAME_EXCHANGE) != 0) {
        return Status::Io("cannot swap in the new site at '" + out_.string() +
                          "': " + std::strerror(errno));
      }
      // `fresh_` now holds the previous site, kept for the next publish to
      // build in (see above).  Git ignores it, should *DIR* be in a work
      // tree: `git add -A` must not take a second copy of the site.
      std::string name = fresh_.filename().string();
      std::size_t at = name.rfind(".new-");
      fs::path old = fresh_;
      if (at == std::string::npos) {
        swapped_ = true;  // already ".NAME.old-*"
      } else {
        old = fresh_.parent_path() / name.replace(at, 5, ".old-");
        swapped_ = rename(fresh_.c_str(), old.c_str()) == 0;
      }
      // (Best effort: without it, only `git status` would tell.)
      if (swapped_) {
        Status ignored = WriteFileAtomic(old / kSpareIgnore, "*\n",
                                         /*flush=*/false);
        (void)ignored;
      }
    } else {
      if (rename(fresh_.c_str(), out_.c_str()) != 0) {
        return Status::Io("cannot move the new site to '" + out_.string() +
                          "': " + std::strerror(errno));
      }
      swapped_ = true;
    }
    return Status::Ok();
  }
  std::size_t written() const { return written_; }
  std::size_t unchanged() const { return unchanged_; }

 private:
  Staging(fs::path out, fs::path fresh, bool existing)
      : out_(std::move(out)), fresh_(std::move(fresh)), existing_(existing) {}
  // The path in the new site, its directory made.
  fs::path MakeParent(const std::string& path) {
    fs::path target = fresh_ / path;
    std::lock_guard<std::mutex> lock(dirs_mutex_);
    if (dirs_.insert(target.parent_path()).second) {
      std::error_code ec;
      fs::create_directories(target.parent_path(), ec);
    }
    return target;
  }

  const fs::path out_, fresh_;
  const bool existing_;
  bool reused_ = false;  // building in the site of two publishes ago
  std::map<std::string, std::string> spare_keys_;  // what it holds
  bool swapped_ = false;
  std::mutex dirs_mutex_;
  std::set<fs::path> dirs_;
  std::atomic<std::size_t> written_{0}, unchanged_{0};
  Pending<void> clearing_;  // removes what earlier publishes left
};

class Site {
 public:
  Site(const Corpus& corpus, const Repository& repo, const Theme& theme,
       const PublishOptions& options, const CommitInfo& commit,
       const SiteCache* old, const WordsFile* words, Staging& staging)
      : corpus_(corpus),
        repo_(repo),
        theme_(theme),
        options_(options),
        commit_(commit),
        old_(old),
        words_(words),
        staging_(staging),
        site_title_(corpus.config().name.empty() ? "Evidence"
                                                 : corpus.config().name) {}

  // Fills in the records of the documents in `parsed` from their bodies,
  // and calls `records_done` as soon as no record will change again.
  // `changed_from`, when known, says which dates changed since the last
  // publish (see Dated); else every path's are compared with its.
  Status Build(std::map<std::string, DocRecord>& records,
               const std::map<std::string, PathDates>& dates,
               const ChangedFrom* changed_from,
               std::map<std::string, Document>& parsed,
               const std::function<void()>& records_done);
  const std::vector<std::string>& kept() const { return kept_; }
  std::size_t rendered() const { return rendered_; }
  // The digest of which document is at which path with which id.
  const std::string& mapping() const { return mapping_; }
  // The digest of what the listings show.
  const std::string& listings() const { return listings_; }
  // Every page's key; called once Build is done.
  std::map<std::string, std::string> TakeKeys() { return std::move(keys_); }
  std::size_t documents() const { return docs_.size(); }
  // True when Build failed on search words the words file holds damaged.
  bool damaged_words() const { return damaged_words_; }

 private:
  // What a page adds to its description when it is rendered.
  using Completion = std::function<void(Json& ctx, Json& head)>;
  // A page to render, and the digest of its description.
  struct Job {
    std::string path, tmpl;
    Json ctx, head;
    Completion complete;
    std::string key;
  };
  // Queues a page for rendering through its template and the layout,
  // unless the last publish wrote the same page from the same description
  // (`ctx` and `head`).  True when queued.
  bool Render(const std::string& path, const std::string& tmpl, Json ctx,
              Json head);
  // The same in two steps: the page described (from any thread), then
  // queued unless kept.  The key is the digest of the description unless
  // given: a page with a `complete` step must give one that covers what
  // that step adds.
  Job Describe(const std::string& path, const std::string& tmpl, Json ctx,
               Json head, Completion complete = nullptr,
               std::string key = "") const;
  bool Queue(Job job);
  // Reads and checks every page template (from Git for a corpus's own
  // theme: on this thread, before rendering starts).
  Status ReadTemplates();
  // Renders the pages, on every core, and empties `jobs`.
  Status RenderQueued(std::vector<Job>& jobs);
  // A file that is not a page: produced only when `key` changed.
  Status Raw(const std::string& path, const std::string& key,
             const std::function<Result<std::string>()>& produce);
  bool Keep(const std::string& path, const std::string& key);
  std::string RootOf(const std::string& path) const {
    return std::count(path.begin(), path.end(), '/') ? "../" : "";
  }
  Json Item(const PubDoc& d, const std::string& root) const;
  // The published documents a document's page lists.
  struct Refs {
    std::vector<const PubDoc*> related, supersedes, superseded_by, cited_by;
  };
  Refs RefsOf(const PubDoc& d) const;
  // A document's path and blob, and where each of its links leads; the ids
  // of the documents they lead to go to `cites`, when given.
  std::string Links(const PubDoc& d, std::vector<std::string>* cites) const;
  // The digest of everything a document's page shows, without describing
  // the page: the document (path and blob, and what the page shows of its
  // record), its dates, the documents it lists, where its links lead.
  std::string DocumentKey(const PubDoc& d) const;
  // A document's page, described, with its DocumentKey `key`; `parsed` is
  // only read.
  Job DocumentPage(const PubDoc& d,
                   const std::map<std::string, Document>& parsed,
                   std::string key) const;
  void Listing(const std::string& dir, const std::string& key,
               const std::string& heading, std::vector<const PubDoc*> docs);
  void Groups(const std::string& dir, const std::string& heading,
              const std::map<std::string, std::vector<const PubDoc*>>& g,
              const std::map<std::string, std::string>& labels);
  // The site's search index, with the term parts `made_terms` makes (see
  // TermParts).
  Status SearchIndex(Pending<std::optional<std::vector<TermPart>>>& made_terms);
  // The search words of a record: its own, or the words file's; nullopt
  // when the words file holds them damaged.
  std::optional<std::string_view> WordsOf(const DocRecord& r) const {
    if (!r.words_stored) return std::string_view(r.words);
    return words_ ? words_->Get(r) : std::nullopt;
  }
  // The search index's term parts: patched from the previous site's when
  // only a few documents' words changed, else made afresh; the same bytes
  // either way.  nullopt when some document's stored words are damaged.
  std::optional<std::vector<TermPart>> TermParts() const;
  std::optional<std::vector<TermPart>> FreshTermParts() const;
  std::optional<std::vector<TermPart>> PatchedTermParts() const;
  Status MakeFiles(const std::vector<const PubDoc*>& recent);
  std::optional<std::string> Rewrite(const PubDoc& from,
                                     const std::string& url) const;
  // Rewrite, given what Target says of `url`.
  static std::optional<std::string> RewriteTo(
      const std::string& url, const std::optional<std::string>& id);
  std::optional<std::string> Target(const PubDoc& from,
                                    const std::string& url) const;

  const Corpus& corpus_;
  const Repository& repo_;
  const Theme& theme_;
  const PublishOptions& options_;
  const CommitInfo& commit_;
  // The last publish's, when it can be trusted.  The records of documents
  // whose blob is unchanged are no longer in it: they were carried over.
  const SiteCache* old_;
  const WordsFile* words_;  // the words its records refer to
  std::string mapping_, listings_;
  // When the last publish showed the documents at the same paths: each
  // document's record then, by its index in docs_; else empty.
  std::vector<const DocRecord*> before_;
  bool damaged_words_ = false;
  Staging& staging_;  // where the new site is written
  const std::string site_title_;
  std::vector<PubDoc> docs_;
  // By id and by path; the keys are the documents' own (docs_ is not
  // changed once they are made).
  std::unordered_map<std::string_view, PubDoc*> by_id_, by_path_;
  std::unordered_map<std::string, std::set<std::string>> cited_by_;  // id → ids
  std::unordered_map<std::string, std::vector<std::string>>
      successors_;         // id → ids
  std::vector<Job> jobs_;  // pages to render
  // The HTML of each document's body, by its index in docs_, where Build
  // made it with the record (taken when its page is rendered).
  mutable std::vector<std::string> html_;
  std::map<std::string, std::unique_ptr<JsonMustache>> templates_;
  std::atomic<std::size_t> rendered_{0};  // pages rendered afresh
  // Written by Keep, from the search index's thread too.
  std::mutex keep_mutex_;
  std::vector<std::string> kept_;            // kept from the last publish
  std::map<std::string, std::string> keys_;  // every path → input digest
};

bool Site::Keep(const std::string& path, const std::string& key) {
  // Decided without the lock (a file may be looked at): the last publish's
  // keys and the staging's CanKeep are read-only here.
  bool keep = false;
  if (old_) {
    auto it = old_->keys.find(path);
    keep = it != old_->keys.end() && it->second == key &&
           staging_.CanKeep(path, key);
  }
  std::lock_guard<std::mutex> lock(keep_mutex_);
  keys_[path] = key;
  if (keep) kept_.push_back(path);
  return keep;
}

bool Site::Render(const std::string& path, const std::string& tmpl, Json ctx,
                  Json head) {
  return Queue(Describe(path, tmpl, std::move(ctx), std::move(head)));
}

Site::Job Site::Describe(const std::string& path, const std::string& tmpl,
                         Json ctx, Json head, Completion complete,
                         std::string key) const {
  std::string root = RootOf(path);
  ctx["root"] = root;
  ctx["site_title"] = site_title_;
  head["root"] = root;
  head["site_title"] = site_title_;
  if (path == "index.html") {
    // Only the home page says which commit it is: every other page stays
    // byte for byte the same until its own content changes.
    head["commit_short"] = ShortId(commit_.id);
    head["generated"] = DayOf(commit_.committer);
  }
  if (key.empty()) {
    KeyDigester digest;
    digest.Add(tmpl + '\n');
    AddJson(digest, ctx);
    AddJson(digest, head);
    key = digest.Hex();
  }
  return {
      path,          tmpl, std::move(ctx), std::move(head), std::move(complete),
      std::move(key)};
}

bool Site::Queue(Job job) {
  if (Keep(job.path, job.key)) return false;
  jobs_.push_back(std::move(job));
  return true;
}

Status Site::ReadTemplates() {
  for (std::string name : {"layout.html", "document.html", "listing.html",
                           "home.html", "search.html", "404.html"}) {
    auto text = theme_.Get(name);
    if (!text) return text.status();
    auto m = std::make_unique<JsonMustache>(*text);
    if (!m->is_valid()) {
      return Status::Invalid("theme template '" + name +
                             "': " + m->error_message());
    }
    templates_.emplace(name, std::move(m));
  }
  return Status::Ok();
}

Status Site::RenderQueued(std::vector<Job>& jobs) {
  // The templates are only read while rendering: every thread shares them.
  auto get = [this](const std::string& name) -> const JsonMustache& {
    return *templates_.at(name);
  };
  std::vector<std::string> errors(jobs.size());
  ParallelFor(jobs.size(), [&](std::size_t i, unsigned) {
    Job& j = jobs[i];
    try {
      if (j.complete) j.complete(j.ctx, j.head);
      if (!j.head.contains("dc")) j.head["dc"] = Json::array();
      j.head["has_dc"] = !j.head["dc"].empty();
      if (!j.head.contains("scripts")) j.head["scripts"] = Json::array();
      j.head["content"] = get(j.tmpl).Render(j.ctx);
      Status s = staging_.Put(j.path, get("layout.html").Render(j.head));
      if (!s.ok()) errors[i] = s.message();
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
    j.ctx = Json();
    j.head = Json();
  });
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (!errors[i].empty()) {
      return Status::Invalid("cannot render '" + jobs[i].path +
                             "': " + errors[i]);
    }
  }
  rendered_ += jobs.size();
  jobs.clear();
  return Status::Ok();
}

Status Site::Raw(const std::string& path, const std::string& key,
                 const std::function<Result<std::string>()>& produce) {
  if (Keep(path, key)) return Status::Ok();
  auto text = produce();
  if (!text) return text.status();
  ++rendered_;
  return staging_.Put(path, *text);
}

Json Site::Item(const PubDoc& d, const std::string& root) const {
  Json item = {{"title", d.title}, {"url", root + d.url}};
  // An empty string is "true" to Mustache: absent values stay unset.
  if (!d.type_label.empty()) item["type_label"] = d.type_label;
  if (!d.date.empty()) item["date"] = d.date;
  if (!d.summary.empty()) item["summary"] = d.summary;
  return item;
}

std::optional<std::string> Site::Target(const PubDoc& from,
                                        const std::string& url) const {
  std::string target = url.substr(0, url.find('#'));
  if (target.rfind("doc:", 0) == 0) {
    auto it = by_id_.find(target.substr(4));
    return it == by_id_.end() ? std::nullopt
                              : std::optional<std::string>(it->second->id);
  }
  if (target.empty() || target.find(':') != std::string::npos ||
      target.front() == '/' || target.back() == '/') {
    return std::nullopt;
  }
  // The target's path from the corpus root ("." and ".." resolved, empty
  // parts dropped, as lexically_normal does); none above the root.
  std::vector<std::string_view> parts;
  auto walk = [&parts](std::string_view p, bool last_is_file) {
    while (!p.empty()) {
      std::size_t slash = p.find('/');
      std::string_view part = p.substr(0, slash);
      p = slash == std::string_view::npos ? "" : p.substr(slash + 1);
      if (slash == std::string_view::npos && last_is_file) break;
      if (part.empty() || part == ".") continue;
      if (part != "..") {
        parts.push_back(part);
      } else if (parts.empty()) {
        return false;
      } else {
        parts.pop_back();
      }
    }
    return true;
  };
  if (!walk(*from.path, /*last_is_file=*/true) || !walk(target, false) ||
      parts.empty()) {
    return std::nullopt;
  }
  std::string path;
  for (std::string_view part : parts) {
    if (!path.empty()) path += '/';
    path += part;
  }
  auto it = by_path_.find(path);
  return it == by_path_.end() ? std::nullopt
                              : std::optional<std::string>(it->second->id);
}

std::optional<std::string> Site::Rewrite(const PubDoc& from,
                                         const std::string& url) const {
  return RewriteTo(url, Target(from, url));
}

std::optional<std::string> Site::RewriteTo(
    const std::string& url, const std::optional<std::string>& id) {
  if (!url.empty() && url[0] == '#') return url;
  std::string lower = url.substr(0, 8);
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  if (lower.rfind("https://", 0) == 0 || lower.rfind("http://", 0) == 0 ||
      lower.rfind("mailto:", 0) == 0) {
    return url;
  }
  // A link to a document: to its page when published, else no link at all
  // (not even a dead one: its address would say it exists).
  if (!id) return std::nullopt;
  std::size_t hash = url.find('#');
  std::string frag = hash == std::string::npos ? "" : url.substr(hash);
  return *id + ".html" + frag;
}

Site::Refs Site::RefsOf(const PubDoc& d) const {
  auto published = [&](const auto& ids) {
    std::vector<const PubDoc*> out;
    for (const std::string& id : ids) {
      // A document not published is not mentioned.
      if (auto it = by_id_.find(id); it != by_id_.end()) {
        out.push_back(it->second);
      }
    }
    return out;
  };
  Refs refs;
  refs.related = published(ListOf(d.rec->related, d.rec->stored_related));
  refs.supersedes = published(d.rec->supersedes);
  if (auto it = successors_.find(d.id); it != successors_.end()) {
    refs.superseded_by = published(it->second);
  }
  if (auto it = cited_by_.find(d.id); it != cited_by_.end()) {
    refs.cited_by = published(it->second);
  }
  return refs;
}

std::string Site::Links(const PubDoc& d,
                        std::vector<std::string>* cites) const {
  std::string links = *d.path + '\n' + d.rec->blob + '\n';
  for (const std::string& url : ListOf(d.rec->links, d.rec->stored_links)) {
    auto id = Target(d, url);
    links += url + '\t' + RewriteTo(url, id).value_or("-") + '\n';
    if (cites && id && *id != d.id) cites->push_back(std::move(*id));
  }
  return links;
}

std::string Site::DocumentKey(const PubDoc& d) const {
  KeyDigester key;
  auto add = [&key](const std::string& s) {
    key.Add(std::to_string(s.size()) + ':');
    key.Add(s);
  };
  add("document.html");
  for (const std::string* s :
       {&d.id, &d.title, &d.summary, &d.date, &d.dates.first, &d.dates.last,
        d.dates.last_change.empty() ? &commit_.id : &d.dates.last_change}) {
    add(*s);
  }
  for (const std::string& a : ListOf(d.rec->authors, d.rec->stored_authors)) {
    add(a);
  }
  Refs refs = RefsOf(d);
  for (const auto* list :
       {&refs.related, &refs.supersedes, &refs.superseded_by, &refs.cited_by}) {
    add(std::to_string(list->size()));
    for (const PubDoc* p : *list) {
      add(p->id);
      add(p->title);
    }
  }
  add(d.links);
  return key.Hex();
}

Site::Job Site::DocumentPage(const PubDoc& d,
                             const std::map<std::string, Document>& parsed,
                             std::string key) const {
  // Everything read here is in DocumentKey: pages are rendered again only
  // when it changes.
  const DocRecord& r = *d.rec;
  Json ctx = {{"id", d.id}, {"title", d.title}, {"summary", d.summary}};
  auto refs = [&](const std::vector<const PubDoc*>& docs) {
    Json out = Json::array();
    for (const PubDoc* p : docs) {
      out.push_back({{"title", p->title}, {"url", p->id + ".html"}});
    }
    return out;
  };
  // Mustache shows a list's heading only through a flag of its own.
  auto set_list = [&](const std::string& name, Json list) {
    ctx["has_" + name] = !list.empty();
    ctx[name] = std::move(list);
  };
  Refs listed = RefsOf(d);
  set_list("related", refs(listed.related));
  set_list("supersedes", refs(listed.supersedes));
  ctx["superseded_by"] = refs(listed.superseded_by);
  set_list("cited_by", refs(listed.cited_by));
  if (!d.dates.first.empty()) ctx["first_commit"] = d.dates.first;
  if (!d.dates.last.empty()) ctx["last_commit"] = d.dates.last;

  std::string authors_bib, ris;
  for (const std::string& a : ListOf(r.authors, r.stored_authors)) {
    authors_bib += (authors_bib.empty() ? "" : " and ") + a;
    ris += "AU  - " + a + "\n";
  }
  auto bib = [](std::string s) {
    s.erase(std::remove_if(s.begin(), s.end(),
                           [](char c) { return c == '{' || c == '}'; }),
            s.end());
    return s;
  };
  // The version cited is the commit that last changed the document, which
  // stays the same however often the site is published again.
  std::string note =
      "evrepo document " + d.id + ", version " +
      ShortId(d.dates.last_change.empty() ? commit_.id : d.dates.last_change);
  ctx["cite_bibtex"] = "@misc{" + bib(d.id) + ",\n  title = {" + bib(d.title) +
                       "},\n  author = {" + bib(authors_bib) +
                       "},\n  year = {" + Year(d.date) + "},\n  note = {" +
                       bib(note) + "}\n}";
  ctx["cite_ris"] = "TY  - RPRT\nTI  - " + d.title + "\n" + ris + "PY  - " +
                    Year(d.date) + "\nDA  - " + d.date + "\nID  - " + d.id +
                    "\nN1  - " + note + "\nER  - ";
  Json head = {{"page_title", d.title}};
  if (!d.summary.empty()) head["description"] = d.summary;

  // The rest comes from the document itself (its blob) and from where its
  // links lead.
  // Runs on a rendering thread: reads only what Build has finished.
  auto complete = [this, &d, &parsed](Json& ctx, Json& head) {
    const Document& doc = parsed.at(*d.path);
    std::string& html = html_[&d - docs_.data()];
    if (html.empty()) {
      html = RenderHtml(
          doc.body, [&](const std::string& url) { return Rewrite(d, url); },
          /*drop_title=*/true);
    }
    ctx["body"] = std::move(html);
    Json meta = Json::array();
    Json dc = Json::array();
    static const std::set<std::string> kShownElsewhere = {
        "id", "title", "summary", "confidentiality", "related", "supersedes"};
    static const std::vector<FieldDef> kNoFields;
    const TypeDef* type = corpus_.schema().FindType(doc.type);
    for (const FieldDef& f : type ? type->fields : kNoFields) {
      std::vector<std::string> values = doc.List(f.name);
      if (values.empty()) continue;
      if (!f.dc.empty() && f.ScalarKind() != FieldKind::kReference) {
        for (const std::string& v : values) {
          dc.push_back({{"name", "DC." + f.dc}, {"content", v}});
        }
      }
      if (kShownElsewhere.count(f.name) ||
          f.ScalarKind() == FieldKind::kReference) {
        continue;
      }
      Json vs = Json::array();
      for (std::size_t i = 0; i < values.size(); ++i) {
        const std::string& v = values[i];
        Json value = {{"text", f.name == "type" ? d.type_label : v},
                      {"last", i + 1 == values.size()}};
        std::string url;
        if (f.name == "tags") url = "../tags/" + Key(v) + ".html";
        if (f.name == "partners") url = "../partners/" + Key(v) + ".html";
        if (f.name == "type") url = "../types/" + d.type + ".html";
        if (f.name == "date") url = "../years/" + Year(v) + ".html";
        if (f.ScalarKind() == FieldKind::kUrl &&
            (v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0)) {
          url = v;
        }
        if (!url.empty()) value["url"] = url;
        vs.push_back(std::move(value));
      }
      meta.push_back(
          {{"label", f.label.empty() ? f.name : f.label}, {"values", vs}});
    }
    ctx["meta"] = std::move(meta);
    head["dc"] = std::move(dc);
  };
  return Describe(d.url, "document.html", std::move(ctx), std::move(head),
                  complete, std::move(key));
}

void Site::Listing(const std::string& dir, const std::string& key,
                   const std::string& heading,
                   std::vector<const PubDoc*> docs) {
  std::sort(docs.begin(), docs.end(), [](const PubDoc* a, const PubDoc* b) {
    return std::tie(b->date, a->title) < std::tie(a->date, b->title);
  });
  std::size_t pages =
      std::max<std::size_t>(1, (docs.size() + kPageSize - 1) / kPageSize);
  auto name = [&](std::size_t n) {
    return key + (n == 1 ? "" : "-" + std::to_string(n)) + ".html";
  };
  for (std::size_t n = 1; n <= pages; ++n) {
    // The digest of all the page shows, without describing it first.
    KeyDigester key;
    auto add = [&key](const std::string& s) {
      key.Add(std::to_string(s.size()) + ':');
      key.Add(s);
    };
    for (const std::string& s :
         {std::string("listing.html"), heading, dir, name(n), std::to_string(n),
          std::to_string(pages)}) {
      add(s);
    }
    for (std::size_t i = (n - 1) * kPageSize;
         i < docs.size() && i < n * kPageSize; ++i) {
      for (const std::string* s :
           {&docs[i]->url, &docs[i]->title, &docs[i]->type_label,
            &docs[i]->date, &docs[i]->summary}) {
        add(*s);
      }
    }
    std::string path = dir + "/" + name(n);
    std::string page_key = key.Hex();
    if (Keep(path, page_key)) continue;
    Json ctx = {{"heading", heading}};
    Json items = Json::array();
    for (std::size_t i = (n - 1) * kPageSize;
         i < docs.size() && i < n * kPageSize; ++i) {
      items.push_back(Item(*docs[i], "../"));
    }
    ctx["items"] = std::move(items);
    if (pages > 1) {
      // The first and last pages and those near this one: a nav of every
      // page would grow with the square of a long listing.
      Json nav = Json::array();
      std::size_t shown = 0;
      for (std::size_t k = 1; k <= pages; ++k) {
        if (k != 1 && k != pages &&
            (k + kNavAround < n || k > n + kNavAround)) {
          continue;
        }
        Json page = {{"number", std::to_string(k)},
                     {"url", name(k)},
                     {"current", k == n}};
        page["gap_before"] = k > shown + 1;
        nav.push_back(std::move(page));
        shown = k;
      }
      ctx["pages"] = std::move(nav);
      ctx["has_pages"] = true;
      if (n > 1) ctx["prev_url"] = name(n - 1);
      if (n < pages) ctx["next_url"] = name(n + 1);
    }
    std::string title =
        pages > 1 ? heading + " (page " + std::to_string(n) + ")" : heading;
    jobs_.push_back(Describe(path, "listing.html", std::move(ctx),
                             {{"page_title", title}}, nullptr, page_key));
  }
}

void Site::Groups(const std::string& dir, const std::string& heading,
                  const std::map<std::string, std::vector<const PubDoc*>>& g,
                  const std::map<std::string, std::string>& labels) {
  Json groups = Json::array();
  for (const auto& [key, docs] : g) {
    std::string label = labels.count(key) ? labels.at(key) : key;
    groups.push_back({{"label", label},
                      {"url", key + ".html"},
                      {"count", std::to_string(docs.size())}});
    Listing(dir, key, label, docs);
  }
  Render(dir + "/index.html", "listing.html",
         {{"heading", heading}, {"groups", groups}}, {{"page_title", heading}});
}

// The search page's index (format 3; theme/assets/search.js describes it):
// a small assets/search-index.js that the page loads with a <script>
// element (browsers refuse fetch() of file:// URLs), and parts under
// assets/search/ that it loads the same way as a query needs them -- term
// parts in term order, the documents' lengths, document parts of
// kDocsPerPart, and the filters' data -- so a query reads a few small
// files, not the whole index.
Status Site::SearchIndex(
    Pending<std::optional<std::vector<TermPart>>>& made_terms) {
  // What every part shows comes of what the listings show (`listings_`),
  // which document is where (`mapping_`) and the documents' words (their
  // blobs).
  KeyDigester all;
  all.Add(listings_);
  all.Add(mapping_);
  for (const PubDoc& p : docs_) all.Add(p.rec->blob);
  std::string key = all.Hex();
  if (old_ && old_->keys.count(kSearchMeta) &&
      old_->keys.at(kSearchMeta) == key) {
    // Nothing any part shows changed: keep them all.
    bool whole = true;
    std::vector<std::pair<std::string, std::string>> parts;
    for (const auto& [path, k] : old_->keys) {
      if (path.rfind(kSearchDir, 0) == 0) parts.emplace_back(path, k);
    }
    for (const auto& [path, k] : parts) {
      whole = whole && staging_.CanKeep(path, k);
    }
    if (whole && Keep(kSearchMeta, key)) {
      for (const auto& [path, k] : parts) Keep(path, k);
      return Status::Ok();
    }
  }
  Status failed = Status::Ok();
  auto add = [&](const std::string& path, const std::string& text) {
    std::string safe = Inert(text);
    if (Keep(path, KeyDigest(safe)) || !failed.ok()) return;
    ++rendered_;
    failed = staging_.Put(path, safe);
  };
  auto part = [](const std::string& id, const std::string& json) {
    return "EVREPO_SEARCH_PART(\"" + id + "\", " + json + ");\n";
  };

  // Term parts, made on a thread of their own (get() throws what it threw).
  std::optional<std::vector<TermPart>> made = made_terms.get();
  if (!made) {
    damaged_words_ = true;
    return Status::Io("the search words the last publish recorded are damaged")
        .WithHint("publish again with --full");
  }
  std::vector<TermPart> terms = std::move(*made);
  Json parts = Json::array();
  for (const TermPart& t : terms) {
    parts.push_back({parts.empty() ? "" : t.first, t.id});
    std::string path = std::string(kSearchDir) + t.id + ".js";
    if (t.json.empty()) {
      // Unchanged: its file was there when the parts were patched.
      if (!Keep(path, old_->keys.at(path))) {
        return Status::Io("'" + (options_.out / path).string() +
                          "' went missing while publishing")
            .WithHint("publish again");
      }
    } else {
      add(path, part(t.id, t.json));
    }
  }

  // Document parts and filters show only what the listings do, of the
  // same documents in the same order: while that is as it was, they are
  // kept as they are.
  std::vector<std::string> shown_parts = {std::string(kSearchDir) + "f.js"};
  for (std::size_t k = 0; k * kDocsPerPart < docs_.size(); ++k) {
    shown_parts.push_back(std::string(kSearchDir) + "d-" + std::to_string(k) +
                          ".js");
  }
  bool keep_shown =
      old_ && old_->listings == listings_ && old_->mapping == mapping_ &&
      std::all_of(
          shown_parts.begin(), shown_parts.end(), [&](const std::string& path) {
            auto it = old_->keys.find(path);
            return it != old_->keys.end() && staging_.CanKeep(path, it->second);
          });
  if (keep_shown) {
    for (const std::string& path : shown_parts) {
      if (!Keep(path, old_->keys.at(path))) {
        return Status::Io("'" + (options_.out / path).string() +
                          "' went missing while publishing")
            .WithHint("publish again");
      }
    }
  }

  // Document parts: what a result shows.
  for (std::size_t k = 0; !keep_shown && k * kDocsPerPart < docs_.size(); ++k) {
    Json list = Json::array();
    for (std::size_t i = k * kDocsPerPart;
         i < docs_.size() && i < (k + 1) * kDocsPerPart; ++i) {
      const PubDoc& p = docs_[i];
      list.push_back({p.url, p.title, p.type_label, p.date, p.summary});
    }
    std::string id = "d-" + std::to_string(k);
    add(std::string(kSearchDir) + id + ".js", part(id, Dump(list)));
  }

  // Filters: type, date and tags of every document, and their labels.
  std::map<std::string, std::string> type_labels, tag_labels;
  std::set<std::string, std::greater<>> years;
  // Each tag's key, made once: a few dozen tags over thousands of documents.
  std::unordered_map<std::string_view, std::string> tag_keys;
  auto tag_key = [&tag_keys](std::string_view t) -> const std::string& {
    auto it = tag_keys.find(t);
    if (it == tag_keys.end())
      it = tag_keys.emplace(t, Key(std::string(t))).first;
    return it->second;
  };
  // The last document's label for a key wins: walked backwards, the first
  // one met is kept (assigning each document's was a fifth of this thread).
  for (auto p = docs_.rbegin(); p != docs_.rend(); ++p) {
    type_labels.try_emplace(p->type, p->type_label);
    ForEachOf(p->rec->tags, p->rec->stored_tags, [&](std::string_view t) {
      tag_labels.try_emplace(tag_key(t), t);
    });
    if (std::string year = Year(p->date); year != "undated") {
      years.insert(std::move(year));
    }
  }
  auto by_label = [](const std::map<std::string, std::string>& m) {
    std::vector<std::pair<std::string, std::string>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.second < b.second;
    });
    return v;
  };
  auto types = by_label(type_labels), tags = by_label(tag_labels);
  std::map<std::string, std::size_t> type_index, tag_index;
  for (std::size_t i = 0; i < types.size(); ++i) type_index[types[i].first] = i;
  for (std::size_t i = 0; i < tags.size(); ++i) tag_index[tags[i].first] = i;
  Json ftype = Json::array(), fdate = Json::array(), ftags = Json::array();
  for (std::size_t i = 0; !keep_shown && i < docs_.size(); ++i) {
    const PubDoc& p = docs_[i];
    ftype.push_back(type_index[p.type]);
    std::string digits;
    for (char c : p.date) {
      if (c >= '0' && c <= '9') digits += c;
    }
    fdate.push_back(IsCalendarDate(p.date) ? std::stol(digits) : 0);
    Json g = Json::array();
    ForEachOf(p.rec->tags, p.rec->stored_tags,
              [&](std::string_view t) { g.push_back(tag_index[tag_key(t)]); });
    ftags.push_back(std::move(g));
  }
  if (!keep_shown) {
    add(std::string(kSearchDir) + "f.js",
        part("f", Dump({{"type", ftype}, {"date", fdate}, {"tags", ftags}})));
  }

  // Lengths: every document's count of search words, for BM25's length
  // normalisation (see PostingValue).  Rewritten as one file whenever a
  // body changes; kept when its bytes are the same.
  {
    std::string lengths = "[";
    for (const PubDoc& p : docs_) {
      if (lengths.size() > 1) lengths += ',';
      lengths += std::to_string(p.rec->length);
    }
    lengths += ']';
    add(std::string(kSearchDir) + "l.js", part("l", lengths));
  }

  Json meta = {
      {"v", 3},
      {"n", docs_.size()},
      {"per", kDocsPerPart},
      {"types", Json::array()},
      {"tags", Json::array()},
      {"years", Json(std::vector<std::string>(years.begin(), years.end()))},
      {"parts", parts}};
  for (const auto& [k, label] : types) meta["types"].push_back({k, label});
  for (const auto& [k, label] : tags) meta["tags"].push_back({k, label});
  // Written whenever anything above changed (the parts only when their
  // own bytes did): its key is the digest of everything.
  {
    std::lock_guard<std::mutex> lock(keep_mutex_);
    keys_[kSearchMeta] = key;
  }
  if (!failed.ok()) return failed;
  ++rendered_;
  return staging_.Put(kSearchMeta,
                      Inert("window.EVREPO_SEARCH = " + Dump(meta) + ";\n"));
}

std::optional<std::vector<TermPart>> Site::TermParts() const {
  if (auto patched = PatchedTermParts(); patched) return patched;
  return FreshTermParts();
}

std::optional<std::vector<TermPart>> Site::FreshTermParts() const {
  PostingTable postings;
  for (std::size_t i = 0; i < docs_.size(); ++i) {
    auto words = WordsOf(*docs_[i].rec);
    if (!words) return std::nullopt;
    std::vector<std::string> title = SiteSearchWords(docs_[i].title);
    ForEachWord(*words, [&](std::string_view w, std::size_t n) {
      bool in_title = std::find(title.begin(), title.end(), w) != title.end();
      postings.Add(w,
                   {static_cast<std::uint32_t>(i), PostingValue(n, in_title)});
    });
  }
  std::vector<std::pair<std::string_view, const std::vector<Posting>*>> terms =
      postings.Sorted();
  TermChunker chunker;
  for (const auto& [t, list] : terms) chunker.Add(std::string(t), *list);
  chunker.Flush();
  std::vector<TermPart> parts = chunker.Take();
  NameParts(parts);
  return parts;
}

std::optional<std::vector<TermPart>> Site::PatchedTermParts() const {
  // The documents must be the same, numbered the same, and few of them
  // changed.
  constexpr std::size_t kMaxChanged = 64;
  if (!old_) return std::nullopt;
  // The records of the same documents last time, in the same order.
  const std::vector<const DocRecord*>& before = before_;
  if (before.size() != docs_.size()) return std::nullopt;
  std::vector<std::uint32_t> changed;
  for (std::size_t i = 0; i < docs_.size(); ++i) {
    const DocRecord &was = *before[i], &is = *docs_[i].rec;
    if (was.blob != is.blob || was.title != is.title) {
      if (!WordsOf(was) || !WordsOf(is)) return std::nullopt;
      changed.push_back(static_cast<std::uint32_t>(i));
    }
  }
  if (changed.size() > kMaxChanged) return std::nullopt;

  // The previous site's parts, as its meta file lists them.
  std::string text = ReadIfExists(options_.out / kSearchMeta);
  constexpr std::string_view kHead = "window.EVREPO_SEARCH = ", kTail = ";\n";
  if (text.size() < kHead.size() + kTail.size() ||
      text.compare(0, kHead.size(), kHead) != 0) {
    return std::nullopt;
  }
  Json meta =
      Json::parse(text.begin() + kHead.size(), text.end() - kTail.size(),
                  nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object() || !meta.contains("parts") ||
      !meta["parts"].is_array() || meta["parts"].empty()) {
    return std::nullopt;
  }
  std::vector<TermPart> old_parts;
  for (const Json& e : meta["parts"]) {
    if (!e.is_array() || e.size() != 2 || !e[0].is_string() ||
        !e[1].is_string()) {
      return std::nullopt;
    }
    TermPart t{e[0].get<std::string>(), e[1].get<std::string>(), ""};
    std::string path = std::string(kSearchDir) + t.id + ".js";
    auto key = old_->keys.find(path);
    if (key == old_->keys.end() || !staging_.CanKeep(path, key->second)) {
      return std::nullopt;
    }
    old_parts.push_back(std::move(t));
  }
  auto read = [&](std::size_t k) {
    return ReadTermPart(options_.out / kSearchDir / (old_parts[k].id + ".js"),
                        old_parts[k].id);
  };
  // The part that holds a term: the last whose first term is not after it
  // (the first part's is listed as "").
  auto part_of = [&](std::string_view term) {
    auto it = std::upper_bound(
        old_parts.begin() + 1, old_parts.end(), term,
        [](std::string_view t, const TermPart& p) { return t < p.first; });
    return static_cast<std::size_t>(it - old_parts.begin()) - 1;
  };

  // The changed documents' postings now, and the parts where one of them
  // differs from before (most of a document's words keep their count).
  std::vector<bool> affected(old_parts.size());
  std::map<std::string, std::vector<Posting>, std::less<>> fresh;
  for (std::uint32_t i : changed) {
    const DocRecord &was = *before[i], &is = *docs_[i].rec;
    std::unordered_map<std::string_view, std::uint32_t> values;
    auto old_title = TitleWords(was.title);
    ForEachWord(*WordsOf(was), [&](std::string_view w, std::size_t n) {
      values[w] = PostingValue(n, old_title.count(w));
    });
    auto title = TitleWords(is.title);
    ForEachWord(*WordsOf(is), [&](std::string_view w, std::size_t n) {
      std::uint32_t value = PostingValue(n, title.count(w));
      fresh[std::string(w)].push_back({i, value});
      auto it = values.find(w);
      if (it == values.end() || it->second != value) {
        affected[part_of(w)] = true;
      }
      if (it != values.end()) values.erase(it);
    });
    for (const auto& [w, value] : values) affected[part_of(w)] = true;
  }
  auto is_changed = [&](const Posting& p) {
    return std::binary_search(changed.begin(), changed.end(), p.doc);
  };

  // Unaffected parts are kept; from an affected one on, terms are cut
  // afresh until a cut falls where one did before an unaffected part.
  std::vector<TermPart> parts;
  for (std::size_t k = 0; k < old_parts.size();) {
    if (!affected[k]) {
      TermPart kept = old_parts[k];
      if (parts.empty()) {
        // Named after its first term, which the meta file leaves out for
        // the first part.
        auto terms = read(k);
        if (!terms || terms->empty()) return std::nullopt;
        kept.first = terms->begin()->first;
      }
      parts.push_back(std::move(kept));
      ++k;
      continue;
    }
    TermChunker chunker;
    do {
      auto terms = read(k);
      if (!terms) return std::nullopt;
      for (auto& [term, list] : *terms) {
        list.erase(std::remove_if(list.begin(), list.end(), is_changed),
                   list.end());
      }
      auto from = fresh.lower_bound(old_parts[k].first);
      auto to = k + 1 < old_parts.size()
                    ? fresh.lower_bound(old_parts[k + 1].first)
                    : fresh.end();
      for (auto it = from; it != to; ++it) {
        std::vector<Posting>& list = (*terms)[it->first];
        for (const Posting& p : it->second) {
          list.insert(std::lower_bound(list.begin(), list.end(), p,
                                       [](const Posting& a, const Posting& b) {
                                         return a.doc < b.doc;
                                       }),
                      p);
        }
      }
      for (const auto& [term, list] : *terms) {
        if (!list.empty()) chunker.Add(term, list);
      }
      ++k;
    } while (k < old_parts.size() && (!chunker.AtCut() || affected[k]));
    chunker.Flush();
    for (TermPart& t : chunker.Take()) parts.push_back(std::move(t));
  }
  if (!NameParts(parts)) return std::nullopt;
  return parts;
}

Status Site::Build(std::map<std::string, DocRecord>& records,
                   const std::map<std::string, PathDates>& dates,
                   const ChangedFrom* changed_from,
                   std::map<std::string, Document>& parsed,
                   const std::function<void()>& records_done) {
  const Schema& schema = corpus_.schema();
  auto shown = Shown(records);
  docs_.reserve(shown.size());
  auto next_dates = dates.begin();  // both in path order
  for (const auto& [path_ptr, rec] : shown) {
    const std::string& path = *path_ptr;
    const DocRecord& r = *rec;
    PubDoc p;
    p.path = &path;
    p.rec = &r;
    p.id = r.id;
    p.title = r.title;
    p.type = Key(r.type);
    const TypeDef* t = schema.FindType(r.type);
    p.type_label = t && !t->label.empty() ? t->label : r.type;
    p.date = r.date;
    p.summary = r.summary;
    p.url = "documents/" + r.id + ".html";
    if (auto it = Seek(dates, next_dates, path); it != dates.end()) {
      p.dates = it->second;
    }
    docs_.push_back(std::move(p));
  }
  by_id_.reserve(docs_.size());
  by_path_.reserve(docs_.size());
  for (PubDoc& p : docs_) {
    by_id_.emplace(p.id, &p);
    by_path_.emplace(*p.path, &p);
  }
  // The bodies read for this publish, parsed once on every core: for their
  // records' links and words and, for the pages shown, the HTML, its links
  // rewritten now that every document is known.
  html_.assign(docs_.size(), std::string());
  std::vector<std::pair<Document*, DocRecord*>> bodies;
  for (auto& [path, doc] : parsed) bodies.emplace_back(&doc, &records.at(path));
  ParallelFor(bodies.size(), [&](std::size_t k, unsigned) {
    auto [doc, rec] = bodies[k];
    auto shown = by_path_.find(doc->path);
    if (shown == by_path_.end() || shown->second->rec != rec) {
      AddBody(*rec, ExtractText(doc->body));
      return;
    }
    const PubDoc& d = *shown->second;
    std::string& html = html_[&d - docs_.data()];
    AddBody(*rec, ExtractAndRender(
                      doc->body,
                      [&](const std::string& url) { return Rewrite(d, url); },
                      /*drop_title=*/true, html));
    // The page needs the HTML, not the body.
    std::string().swap(doc->body);
  });
  // Which documents' pages may show something else than last time.  Where
  // a document's links lead depends on which document is at which path
  // with which id (`mapping_`); while that is as it was, a page can change
  // only for its own document (its blob, its dates) or for a changed
  // document it shows or that shows it: related, superseded, citing.  The
  // others keep their keys, and their links' targets (the record's
  // `cites`), unworked.
  KeyDigester mapping;
  for (const PubDoc& p : docs_) {
    mapping.Add(*p.path);
    mapping.Add(std::string_view("\t", 1));
    mapping.Add(p.id);
    mapping.Add(std::string_view("\n", 1));
  }
  mapping_ = mapping.Hex();
  // The previous records of the same documents at the same paths: an
  // unchanged one's is its record now.
  bool reuse = old_ && old_->mapping == mapping_;
  std::vector<const DocRecord*> before(docs_.size(), nullptr);
  if (reuse) {
    auto next = old_->docs.begin();  // in path order, as docs_ are
    for (std::size_t i = 0; reuse && i < docs_.size(); ++i) {
      auto it = Seek(old_->docs, next, *docs_[i].path);
      before[i] = it != old_->docs.end()  ? &it->second
                  : docs_[i].rec->carried ? docs_[i].rec
                                          : nullptr;
      reuse = before[i] && before[i]->publishable;
    }
    if (reuse) before_ = before;
  } else if (old_) {
    // Which document is where changed (one added, removed or moved, or its
    // id changed); the search index can still be patched if the documents
    // shown are at the same paths.
    RecordRefs last = Shown(LastRecords(old_->docs, records));
    bool same = last.size() == docs_.size();
    for (std::size_t i = 0; same && i < docs_.size(); ++i) {
      same = *last[i].first == *docs_[i].path;
    }
    for (std::size_t i = 0; same && i < docs_.size(); ++i) {
      before_.push_back(last[i].second);
    }
  }
  // The search index's term parts need nothing more: they are made on a
  // thread of their own while the listings' digest is worked out, and the
  // rest of the index on another once it is known, while the pages are
  // described and rendered.  (Each future waits for its thread on every
  // way out, the one that uses the other's first.)
  Pending<std::optional<std::vector<TermPart>>> terms =
      Async([this] { return TermParts(); });
  // What the listings show (types, tags, partners, years): while it is the
  // same, so is every listing page.
  KeyDigester listed;
  auto add_sized = [&listed](std::string_view v) {
    std::uint64_t n = v.size();
    listed.Add(std::string_view(reinterpret_cast<const char*>(&n), sizeof n));
    listed.Add(v);
  };
  std::vector<std::string_view> list_items;  // of one list
  for (const PubDoc& p : docs_) {
    for (const std::string* v :
         {&p.url, &p.title, &p.type, &p.type_label, &p.date, &p.summary}) {
      add_sized(*v);
    }
    for (auto [list, stored] :
         {std::pair(&p.rec->tags, &p.rec->stored_tags),
          std::pair(&p.rec->partners, &p.rec->stored_partners)}) {
      list_items.clear();
      ForEachOf(*list, *stored,
                [&](std::string_view v) { list_items.push_back(v); });
      add_sized(std::to_string(list_items.size()));
      for (std::string_view v : list_items) add_sized(v);
    }
  }
  listings_ = listed.Hex();
  Pending<Status> searched =
      Async([this, &terms] { return SearchIndex(terms); });
  std::vector<char> affected(docs_.size(), 1);
  std::vector<std::vector<std::string>> cites(docs_.size());
  if (reuse) {
    std::fill(affected.begin(), affected.end(), 0);
    std::unordered_set<std::string_view> changed_ids;
    std::vector<std::size_t> changed_docs;
    auto next_was = old_->dates.begin();  // in path order, as docs_ are
    for (std::size_t i = 0; i < docs_.size(); ++i) {
      const PubDoc& p = docs_[i];
      bool redated;
      if (changed_from) {
        auto was = changed_from->find(*p.path);
        redated = was != changed_from->end() &&
                  (!was->second || *was->second != p.dates);
      } else {
        auto was = Seek(old_->dates, next_was, *p.path);
        redated = was == old_->dates.end() || was->second != p.dates;
      }
      if (p.dates.last_change.empty() || redated) affected[i] = 1;
      // An unchanged document's links lead where its record says.
      if (before[i]->blob != p.rec->blob) {
        changed_docs.push_back(i);
        changed_ids.insert(p.id);
      }
    }
    auto touch_id = [&](std::string_view id) {
      if (auto it = by_id_.find(id); it != by_id_.end()) {
        affected[it->second - docs_.data()] = 1;
      }
    };
    auto touch = [&](const std::vector<std::string>& ids) {
      for (const std::string& id : ids) touch_id(id);
    };
    for (std::size_t i : changed_docs) {
      docs_[i].links = Links(docs_[i], &cites[i]);
      affected[i] = 1;
      for (const DocRecord* r : {docs_[i].rec, before[i]}) {
        ForEachOf(r->related, r->stored_related, touch_id);
        touch(r->supersedes);
        ForEachOf(r->cites, r->stored_cites, touch_id);
      }
      touch(cites[i]);
    }
    if (!changed_ids.empty()) {
      for (std::size_t i = 0; i < docs_.size(); ++i) {
        auto check = [&](std::string_view id) {
          if (changed_ids.count(id)) affected[i] = 1;
        };
        const DocRecord& r = *docs_[i].rec;
        ForEachOf(r.related, r.stored_related, check);
        for (const std::string& id : r.supersedes) check(id);
      }
    }
  }
  // Where each affected document's links lead, on every core.
  ParallelFor(docs_.size(), [&](std::size_t i, unsigned) {
    if (affected[i] && docs_[i].links.empty()) {
      cites[i].clear();
      docs_[i].links = Links(docs_[i], &cites[i]);
    }
  });
  // From here on, every record says where its links lead.
  for (std::size_t i = 0; i < docs_.size(); ++i) {
    if (affected[i]) {
      DocRecord& r = records.at(*docs_[i].path);
      r.cites = std::move(cites[i]);
      r.stored_cites = StoredStrings();
    }
  }
  records_done();
  // The pages whose keys are worked out now: the affected ones, and any
  // the last publish has no key for.
  std::vector<std::string> page_keys(docs_.size());
  std::vector<char> keyed(docs_.size(), 1);
  for (std::size_t i = 0; i < docs_.size(); ++i) {
    if (affected[i]) continue;
    if (auto it = old_->keys.find(docs_[i].url); it != old_->keys.end()) {
      page_keys[i] = it->second;
      keyed[i] = 0;
    }
  }
  // Backlinks and successors, among published documents only, of the
  // documents whose pages are keyed (or, with `all`, of every one).
  auto backlinks = [&](bool all) {
    std::unordered_set<std::string_view> keyed_ids;  // usually a few
    for (std::size_t i = 0; !all && i < docs_.size(); ++i) {
      if (keyed[i]) keyed_ids.insert(docs_[i].id);
    }
    auto wanted = [&](std::string_view id) {
      return all ? by_id_.count(id) > 0 : keyed_ids.count(id) > 0;
    };
    cited_by_.clear();
    successors_.clear();
    for (std::size_t i = 0; (all || !keyed_ids.empty()) && i < docs_.size();
         ++i) {
      const PubDoc& p = docs_[i];
      ForEachOf(p.rec->cites, p.rec->stored_cites, [&](std::string_view id) {
        if (wanted(id)) cited_by_[std::string(id)].insert(p.id);
      });
      ForEachOf(p.rec->related, p.rec->stored_related, [&](std::string_view r) {
        if (r != p.id && wanted(r)) {
          cited_by_[std::string(r)].insert(p.id);
        }
      });
      for (const std::string& s : p.rec->supersedes) {
        if (all || wanted(s)) successors_[s].push_back(p.id);
      }
    }
  };
  backlinks(/*all=*/false);

  // Document pages are described on every core; those that changed are
  // queued, and read from Git if they were not parsed above (a page is
  // rendered again for what it shows of others).
  ParallelFor(docs_.size(), [&](std::size_t i, unsigned) {
    if (!keyed[i]) return;
    if (docs_[i].links.empty()) docs_[i].links = Links(docs_[i], nullptr);
    page_keys[i] = DocumentKey(docs_[i]);
  });
  std::vector<std::size_t> changed;
  bool unkeyed_changed = false;  // a page kept by its key but gone
  for (std::size_t i = 0; i < docs_.size(); ++i) {
    if (!Keep(docs_[i].url, page_keys[i])) {
      changed.push_back(i);
      unkeyed_changed = unkeyed_changed || !keyed[i];
    }
  }
  if (unkeyed_changed) backlinks(/*all=*/true);
  std::vector<Job> described(changed.size());
  ParallelFor(changed.size(), [&](std::size_t k, unsigned) {
    described[k] = DocumentPage(docs_[changed[k]], parsed,
                                std::move(page_keys[changed[k]]));
  });
  for (std::size_t k = 0; k < changed.size(); ++k) {
    const PubDoc& d = docs_[changed[k]];
    jobs_.push_back(std::move(described[k]));
    if (parsed.count(*d.path)) continue;
    auto doc = ReadBlobDocument(repo_, *d.path, d.rec->blob);
    if (!doc) return doc.status();
    ResolveIdentity(corpus_.schema(), *doc);
    parsed.emplace(*d.path, std::move(*doc));
  }
  described.clear();
  // The document pages render on every core while the rest are described.
  // (Async's result waits for its thread on every way out.)
  if (Status s = ReadTemplates(); !s.ok()) return s;
  std::vector<Job> pages = std::move(jobs_);
  jobs_.clear();
  Pending<Status> pages_rendered =
      Async([this, &pages] { return RenderQueued(pages); });
  std::map<std::string, std::vector<const PubDoc*>> by_type, by_tag, by_partner,
      by_year;
  std::map<std::string, std::string> type_labels, tag_labels, partner_labels;
  for (const PubDoc& p : docs_) {
    by_type[p.type].push_back(&p);
    type_labels[p.type] = p.type_label;
  }
  // The listings, unless they show what they showed last time: then their
  // pages are kept as they are.
  constexpr std::array<std::string_view, 4> kListings = {"types/", "tags/",
                                                         "partners/", "years/"};
  auto listing = [&](const std::string& path) {
    return std::any_of(kListings.begin(), kListings.end(),
                       [&](std::string_view dir) {
                         return path.compare(0, dir.size(), dir) == 0;
                       });
  };
  bool listings_kept = old_ && old_->listings == listings_;
  std::vector<std::pair<const std::string*, const std::string*>> listed_pages;
  if (listings_kept) {
    for (const auto& [path, key] : old_->keys) {
      if (!listing(path)) continue;
      listed_pages.emplace_back(&path, &key);
      listings_kept = listings_kept && staging_.CanKeep(path, key);
    }
  }
  if (listings_kept) {
    for (const auto& [path, key] : listed_pages) Keep(*path, *key);
  } else {
    for (const PubDoc& p : docs_) {
      by_year[Year(p.date)].push_back(&p);
      ForEachOf(p.rec->tags, p.rec->stored_tags, [&](std::string_view t) {
        std::string key = Key(std::string(t));
        by_tag[key].push_back(&p);
        tag_labels[key] = t;
      });
      ForEachOf(p.rec->partners, p.rec->stored_partners,
                [&](std::string_view t) {
                  std::string key = Key(std::string(t));
                  by_partner[key].push_back(&p);
                  partner_labels[key] = t;
                });
    }
  }
  for (auto [dir, heading, groups, labels] :
       {std::tuple{"types", "Documents by type", &by_type, &type_labels},
        std::tuple{"tags", "Documents by tag", &by_tag, &tag_labels},
        std::tuple{"partners", "Documents by partner", &by_partner,
                   &partner_labels},
        std::tuple{
            "years", "Documents by year", &by_year,
            static_cast<std::map<std::string, std::string>*>(nullptr)}}) {
    static const std::map<std::string, std::string> kNone;
    if (!listings_kept) Groups(dir, heading, *groups, labels ? *labels : kNone);
  }

  // Home: the most recent documents and what each type holds.
  std::vector<const PubDoc*> recent;
  for (const PubDoc& p : docs_) recent.push_back(&p);
  std::sort(recent.begin(), recent.end(), [](const PubDoc* a, const PubDoc* b) {
    return std::tie(b->date, a->title) < std::tie(a->date, b->title);
  });
  Json items = Json::array();
  for (std::size_t i = 0; i < recent.size() && i < 10; ++i) {
    items.push_back(Item(*recent[i], ""));
  }
  Json types = Json::array();
  for (const auto& [key, docs] : by_type) {
    types.push_back({{"label", type_labels[key]},
                     {"url", "types/" + key + ".html"},
                     {"count", std::to_string(docs.size())}});
  }
  // The layout adds the site's name to every title.
  Render("index.html", "home.html",
         {{"recent", items},
          {"types", types},
          {"count", std::to_string(docs_.size())}},
         {{"page_title", "Home"}});

  // Search: the page, and the index it loads with a <script>.
  Json scripts = Json::array();
  for (const char* src : {"assets/search-index.js", "assets/search.js"}) {
    scripts.push_back({{"src", src}});
  }
  Render("search.html", "search.html", Json::object(),
         {{"page_title", "Search"}, {"scripts", scripts}});
  Render("404.html", "404.html", Json::object(), {{"page_title", "Not found"}});

  // The other pages render on every core while the search index is
  // finished and the files that are not pages are made on this thread.
  Pending<Status> rendered = Async([this] { return RenderQueued(jobs_); });
  // The sitemap lists every path with a key: the search index's too.
  Status made = searched.get();  // get() throws what it threw
  if (made.ok()) made = MakeFiles(recent);
  Status pages_status = pages_rendered.get();
  Status rest_status = rendered.get();
  if (!pages_status.ok()) return pages_status;
  return made.ok() ? rest_status : made;
}

// The files that are not pages but the search index: assets, feed,
// sitemap.
Status Site::MakeFiles(const std::vector<const PubDoc*>& recent) {
  for (const char* asset :
       {"assets/style.css", "assets/print.css", "assets/search.js"}) {
    // The theme is in the salt: an asset changes only with it.
    if (Status s = Raw(asset, "theme", [&] { return theme_.Get(asset); });
        !s.ok()) {
      return s;
    }
  }

  std::vector<FeedEntry> entries;
  for (std::size_t i = 0; i < recent.size() && i < 50; ++i) {
    entries.push_back(
        {recent[i]->id, recent[i]->title, recent[i]->summary, recent[i]->date,
         recent[i]->url,
         ListOf(recent[i]->rec->authors, recent[i]->rec->stored_authors)});
  }
  std::string feed_key;
  for (const FeedEntry& e : entries) {
    feed_key += Dump(Json{e.id, e.title, e.summary, e.date, e.url, e.authors});
  }
  if (Status s = Raw("feed.xml", KeyDigest(feed_key),
                     [&]() -> Result<std::string> {
                       return AtomFeed(site_title_, options_.base_url, entries);
                     });
      !s.ok()) {
    return s;
  }
  std::vector<std::string> urls = {"index.html", "search.html"};
  for (const auto& [path, key] : keys_) {
    if (path.size() > 5 && path.compare(path.size() - 5, 5, ".html") == 0 &&
        path != "404.html" && path != "index.html" && path != "search.html") {
      urls.push_back(path);
    }
  }
  if (Status s = Raw("sitemap.xml", KeyDigest(Dump(Json(urls))),
                     [&]() -> Result<std::string> {
                       return Sitemap(options_.base_url, urls);
                     });
      !s.ok()) {
    return s;
  }
  return Status::Ok();
}

// The caches' files are named "STEM.TOKEN.cache": STEM a digest of the
// output directory, TOKEN the one in the marker of the site it describes.
// A new cache is written beside the old one, never over it: renaming onto
// a file of tens of megabytes makes ext4 write the new one out there and
// then (30 ms at 10,000 documents).
fs::path CacheFile(const fs::path& dir, const std::string& stem,
                   const std::string& token) {
  return dir / (stem + "." + token + ".cache");
}

// Keeps the caches of the kMaxCaches output directories published most
// recently (a cache can be as large as the corpus); of the new cache's own
// directory (its stem), only the new cache, `cache`, and its words file,
// `words`.  A cache's temporary file left a day ago was left by a publish
// that was killed.
void PruneCaches(const fs::path& dir, const std::string& cache,
                 const std::string& words) {
  constexpr std::size_t kMaxCaches = 4;
  auto stem_of = [](const std::string& name) {
    return name.substr(0, name.find('.'));
  };
  const std::string keep_stem = stem_of(cache);
  std::error_code ec;
  std::map<std::string, std::vector<fs::path>> files;  // by stem
  std::map<std::string, fs::file_time_type> newest;    // by stem
  const auto day_ago =
      fs::file_time_type::clock::now() - std::chrono::hours(24);
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    std::string ext = e.path().extension().string();
    if (name[0] != '.' && (ext == ".cache" || ext == ".words")) {
      if (name == cache || name == words) continue;
      std::string stem = stem_of(name);
      files[stem].push_back(e.path());
      auto time = e.last_write_time(ec);
      if (ext == ".cache" && !ec &&
          (!newest.count(stem) || newest[stem] < time)) {
        newest[stem] = time;
      }
    } else if (name[0] == '.' && name.find(".cache.") != std::string::npos &&
               e.last_write_time(ec) < day_ago && !ec) {
      fs::remove(e.path(), ec);
    }
  }
  std::vector<std::pair<fs::file_time_type, std::string>> others;
  for (const auto& [stem, time] : newest) {
    if (stem != keep_stem) others.emplace_back(time, stem);
  }
  std::sort(others.begin(), others.end(), std::greater<>());
  std::set<std::string> kept_stems;
  for (std::size_t i = 0; i < others.size() && i + 1 < kMaxCaches; ++i) {
    kept_stems.insert(others[i].second);
  }
  for (const auto& [stem, paths] : files) {
    if (kept_stems.count(stem)) continue;
    for (const fs::path& p : paths) fs::remove(p, ec);
  }
}

// Held while a site is published from the repository: a second publish to
// the same directory would remove the first one's as a leftover, or build
// in the same one.  (One lock for every output directory: a lock file per
// directory could not be removed with its cache safely.)
class PublishLock {
 public:
  static Result<PublishLock> Take(const fs::path& file) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    int fd = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return Status::Io("cannot create '" + file.string() +
                        "': " + std::strerror(errno));
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      close(fd);
      if (err == EWOULDBLOCK) {
        return Status::Conflict(
                   "another 'evrepo publish' of this repository is running")
            .WithHint("wait for it to finish, then run the command again");
      }
      return Status::Io("cannot lock '" + file.string() +
                        "': " + std::strerror(err));
    }
    return PublishLock(fd);
  }
  PublishLock(PublishLock&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)) {}
  PublishLock& operator=(PublishLock&&) = delete;
  ~PublishLock() {
    if (fd_ >= 0) close(fd_);
  }

 private:
  explicit PublishLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace

bool IsPublishable(const Document& doc) {
  return !doc.type.empty() && doc.Scalar("confidentiality") == "public" &&
         doc.Scalar("status") != "draft";
}

fs::path BuiltinThemeDir() {
  if (const char* env = std::getenv("EVREPO_THEME_DIR"); env && *env) {
    return env;
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed =
        exe.parent_path().parent_path() / "share" / "evrepo" / "theme";
    if (fs::is_directory(installed, ec)) return installed;
  }
  return EVREPO_SOURCE_THEME_DIR;
}

namespace {

// Publish, once; `damaged` is set when the last publish's record could not
// be used after all (its search words damaged), for Publish to start over.
Result<PublishReport> PublishOnce(const Corpus& corpus, const Repository& repo,
                                  const PublishOptions& options,
                                  bool* damaged) {
  auto started = std::chrono::steady_clock::now();
  auto commit = ResolveRevision(repo, options.rev);
  if (!commit) return commit.status();
  auto info = repo.ReadCommit(*commit);
  if (!info) return info.status();
  auto files = repo.ListCommit(*commit);
  if (!files) return files.status();
  Theme theme(repo, *files);

  // The last publish's record, trusted only for the very site at `out`
  // (the marker's token) built with the same salt, and not with --full.
  SiteCache cache;
  cache.salt = Digest(std::string("site-2\n") + EVREPO_VERSION + '\n' +
                      theme.Digest() + '\n' + SchemaDigest(corpus.schema()) +
                      '\n' + corpus.config().name + '\n' + options.base_url);
  cache.token = NewToken();
  cache.commit = *commit;
  // One cache per output directory and site (CacheFile); one publish at a
  // time.
  fs::path cache_file;
  std::optional<PublishLock> lock;
  const std::string stem = Digest(options.out.string());
  if (!options.cache_dir.empty()) {
    cache_file = CacheFile(options.cache_dir, stem, cache.token);
    auto taken = PublishLock::Take(options.cache_dir / "lock");
    if (!taken) return taken.status();
    lock.emplace(std::move(*taken));
  }
  std::optional<SiteCache> old;
  std::optional<WordsFile> words;  // the words the old records refer to
  if (!cache_file.empty() && !options.full) {
    std::string token = MarkerToken(options.out);
    if (IsToken(token)) {
      old = LoadSiteCache(CacheFile(options.cache_dir, stem, token), cache.salt,
                          token);
    }
    if (old) words = WordsFile::Open(options.cache_dir / old->words_file);
    bool whole = words.has_value();
    if (whole) {
      for (const auto& [path, r] : old->docs) {
        if (r.words_stored && (r.words_at > words->size() ||
                               r.words_size > words->size() - r.words_at)) {
          whole = false;
          break;
        }
      }
    }
    if (!whole) old.reset();  // its words are gone
  }
  const bool trusted = old.has_value();
  if (trusted) cache.words_file = old->words_file;
  // The new site is written beside the old one as it is built, in the site
  // the last publish replaced when it is there as that publish left it.
  auto staging = trusted ? Staging::Create(options.out, old->spare_token,
                                           std::move(old->spare_keys))
                         : Staging::Create(options.out, "", {});
  if (!staging) return staging.status();

  // The documents' dates come from walking the history, on a thread and
  // with a repository of their own, while the records are carried over
  // and the documents read.  (The future waits on every way out.)
  SiteCache* previous = trusted ? &*old : nullptr;
  Pending<std::optional<Dated>> dating = Async([&]() -> std::optional<Dated> {
    auto own = Repository::Discover(corpus.root());
    if (!own) return std::nullopt;
    return History(corpus, *own, *commit, previous);
  });
  // Documents: the cache's summary while the blob is the same, else parsed
  // (read from Git here, parsed and summarised on every core).
  std::vector<const TreeFile*> changed;
  std::map<std::string, DocRecord>::iterator next_old;
  if (trusted) next_old = old->docs.begin();
  for (const TreeFile& f : *files) {
    if (!corpus.IsDocumentPath(f.path)) continue;
    if (trusted) {
      // Both are in path order, mostly: look at the next record first.
      auto it = Seek(old->docs, next_old, f.path);
      if (it == old->docs.end()) it = old->docs.find(f.path);
      if (it != old->docs.end() && it->second.blob == f.blob) {
        // The record moves, node and all, to this publish's (copying
        // 9,210 records was a tenth of a re-publish), and its search words
        // stay where they are, in the words file.
        if (next_old == it) ++next_old;
        auto node = old->docs.extract(it);
        node.mapped().carried = true;
        cache.docs.insert(cache.docs.end(), std::move(node));
        continue;
      }
    }
    changed.push_back(&f);
  }
  // Each worker reads blobs through a repository of its own (libgit2's
  // objects are not shared between threads); many blobs are read from the
  // working tree where Git vouches for it, which spares inflating them.
  constexpr std::size_t kManyBlobs = 64;
  const bool worktree = changed.size() >= kManyBlobs;
  if (worktree) repo.PreferWorktree();
  std::vector<std::optional<Repository>> repos(Workers());
  std::vector<Status> failures(Workers(), Status::Ok());
  std::vector<std::optional<Document>> docs(changed.size());
  std::vector<DocRecord> records(changed.size());
  ParallelFor(changed.size(), [&](std::size_t i, unsigned worker) {
    if (!failures[worker].ok()) return;
    const Repository* own = &repo;
    if (worker > 0) {
      if (!repos[worker]) {
        auto r = Repository::Discover(corpus.root());
        if (!r) {
          failures[worker] = r.status();
          return;
        }
        repos[worker].emplace(std::move(*r));
        if (worktree) repos[worker]->PreferWorktree();
      }
      own = &*repos[worker];
    }
    auto doc = ReadBlobDocument(*own, changed[i]->path, changed[i]->blob);
    if (!doc) {  // not for an over-size blob: that is a diagnostic
      failures[worker] = doc.status();
      return;
    }
    ResolveIdentity(corpus.schema(), *doc);
    records[i] = Summarise(*doc, changed[i]->blob);
    if (records[i].publishable) docs[i] = std::move(*doc);
  });
  repos.clear();
  for (const Status& s : failures) {
    if (!s.ok()) return s;
  }
  std::map<std::string, Document> parsed;
  for (std::size_t i = 0; i < changed.size(); ++i) {
    cache.docs.emplace(changed[i]->path, std::move(records[i]));
    if (docs[i]) parsed.emplace(changed[i]->path, std::move(*docs[i]));
  }
  std::optional<Dated> dated = dating.get();
  if (!dated) dated = History(corpus, repo, *commit, previous);
  cache.dates = std::move(dated->dates);

  PublishReport report;
  report.commit = *commit;
  report.out = options.out;
  auto site = std::make_unique<Site>(corpus, repo, theme, options, *info,
                                     trusted ? &*old : nullptr,
                                     trusted ? &*words : nullptr, **staging);
  // The cache's records are written out while the pages are made; its
  // page keys are added at the end.  (The future waits on every way out.)
  Pending<Result<SiteCacheWriter>> saving;
  auto records_done = [&] {
    cache.mapping = site->mapping();
    cache.listings = site->listings();
    if (cache_file.empty()) return;
    saving = Async([&] {
      return SiteCacheWriter::Begin(cache_file, cache,
                                    trusted ? &*words : nullptr);
    });
  };
  const ChangedFrom* changed_from =
      dated->changed_from ? &*dated->changed_from : nullptr;
  if (Status s = site->Build(cache.docs, cache.dates, changed_from, parsed,
                             records_done);
      !s.ok()) {
    *damaged = trusted && site->damaged_words();
    return s;
  }
  report.documents = site->documents();
  report.withheld = cache.docs.size() - report.documents;
  report.pages_rendered = site->rendered();
  cache.keys = site->TakeKeys();
  for (const std::string& path : site->kept()) {
    if (Status s = (*staging)->Keep(path, cache.keys.at(path)); !s.ok()) {
      return s;
    }
  }
  (*staging)->Prune(cache.keys);
  // The site at `out` is the one the next publish builds in.
  if (trusted) {
    cache.spare_token = old->token;
    cache.spare_keys = std::move(old->keys);
  }
  // What the build leaves (the parsed documents, the pages' inputs, the
  // records) goes to the report's `remains`, once the cache's writer has
  // the records.  Members are destroyed last to first: the site before
  // what it points into.
  if (saving.valid()) saving.wait();
  struct Remains {
    std::optional<WordsFile> words;
    std::optional<SiteCache> old;
    std::map<std::string, DocRecord> docs;
    std::map<std::string, PathDates> dates;
    std::map<std::string, Document> parsed;
    std::unique_ptr<Site> site;
  };
  report.remains = std::make_shared<Remains>(
      Remains{std::move(words), std::move(old), std::move(cache.docs),
              std::move(cache.dates), std::move(parsed), std::move(site)});
  // The cache is saved before the swap: if the swap never happens, its
  // token matches no site and the next publish starts afresh.
  std::string words_file;
  auto save = [&]() -> Status {
    if (cache_file.empty()) return Status::Ok();
    auto writer = saving.get();
    if (!writer) return writer.status();
    words_file = writer->words_file();
    return writer->Commit(cache);
  };
  if (Status s = (*staging)->Finish(Marker(cache.token), save); !s.ok()) {
    return s;
  }
  // Only now is the previous site's cache of no use.
  if (!cache_file.empty()) {
    PruneCaches(options.cache_dir, cache_file.filename().string(), words_file);
  }
  report.pages_written = (*staging)->written();
  report.pages_unchanged = (*staging)->unchanged();
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  return report;
}

}  // namespace

Result<PublishReport> Publish(const Corpus& corpus, const Repository& repo,
                              const PublishOptions& options) {
  auto started = std::chrono::steady_clock::now();
  bool damaged = false;
  auto report = PublishOnce(corpus, repo, options, &damaged);
  if (report || !damaged) return report;
  // The record of the last publish was damaged after all: publish in full.
  PublishOptions full = options;
  full.full = true;
  report = PublishOnce(corpus, repo, full, &damaged);
  if (report) {
    report->seconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  }
  return report;
}

}  // namespace evrepo
