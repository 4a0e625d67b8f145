// What one publish remembers for the next, so that publishing again after a
// small change reads only the documents that changed and renders only the
// pages whose inputs changed.
//
// The cache lives outside the site (the CLI keeps it in the index
// directory), one file per output directory, written atomically.  It holds
// a summary of every document of the commit published (nothing of a
// withheld document but its path, blob and dates), the commit dates of every
// document path, and a digest of the inputs of every page written.  It is
// trusted only for the site whose marker carries the same token and only
// when its salt (tool version, theme, schema, options) is the same; anything
// else, including a cache that does not parse, means a full publish.
#ifndef EVREPO_SITE_CACHE_H_
#define EVREPO_SITE_CACHE_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evrepo/git.h"
#include "evrepo/status.h"

namespace evrepo {

// A list of strings as a cache file holds it (its count, then each, as
// netstrings), left undecoded until it is needed: most of the records a
// publish carries over never need their links, and their tags are only
// walked.  It keeps the file's
// mapping alive; the list was checked when the file was read.
class StoredStrings {
 public:
  StoredStrings() = default;
  StoredStrings(std::shared_ptr<const char> data, std::size_t size)
      : data_(std::move(data)), size_(size) {}
  // False for a list that was not left stored (or never read).
  explicit operator bool() const { return data_ != nullptr; }
  // The bytes as the file holds them.
  std::string_view bytes() const { return {data_.get(), size_}; }
  // Calls f(std::string_view) on each string, in order.
  template <class F>
  void ForEach(F&& f) const {
    std::string_view in = bytes();
    bool count = true;
    while (!in.empty()) {
      std::size_t colon = in.find(':');
      if (colon == std::string_view::npos) return;
      std::size_t n = 0;
      for (char c : in.substr(0, colon)) {
        n = n * 10 + static_cast<std::size_t>(c - '0');
      }
      if (n > in.size() - colon - 1) return;
      if (!count) f(in.substr(colon + 1, n));
      count = false;
      in.remove_prefix(colon + 1 + n);
    }
  }
  std::vector<std::string> Decode() const {
    std::vector<std::string> out;
    ForEach([&out](std::string_view s) { out.emplace_back(s); });
    return out;
  }

 private:
  std::shared_ptr<const char> data_;
  std::size_t size_ = 0;
};

// What the site needs of a document without rendering it.
struct DocRecord {
  ObjectId blob;
  bool publishable = false;  // the rest is filled only when true
  std::string id, title, type, date, summary;
  std::vector<std::string> tags, partners, authors, related, supersedes;
  std::vector<std::string> links;  // link destinations in the body
  // The ids of the published documents those links lead to (but its own),
  // as SiteCache::mapping had them.
  std::vector<std::string> cites;
  // Lists as the cache they were read from holds them, left undecoded (the
  // lists above are then empty): see ListOf and ForEachOf.
  StoredStrings stored_tags, stored_partners, stored_authors, stored_related,
      stored_links, stored_cites;
  // The search words and their counts, "word n word n ...", when this
  // publish read the body; else they are in the cache's words file:
  // `words_size` bytes at `words_at`, whose Hash64 is `words_sum`.
  std::string words;
  bool words_stored = false;
  std::uint64_t words_at = 0, words_size = 0, words_sum = 0;
  std::size_t length = 0;  // how many search words, repeats counted
  // Set when this publish took the record over, unchanged, from the last
  // one's cache (the same blob), which then no longer holds it.  Not saved.
  bool carried = false;
};

// One of a record's lists (`list`, or as `stored` holds it if it does),
// decoded.
inline std::vector<std::string> ListOf(const std::vector<std::string>& list,
                                       const StoredStrings& stored) {
  return stored ? stored.Decode() : list;
}

// Calls f(std::string_view) on each string of one of a record's lists, in
// place.
template <class F>
void ForEachOf(const std::vector<std::string>& list,
               const StoredStrings& stored, F&& f) {
  if (stored) {
    stored.ForEach(f);
  } else {
    for (const std::string& s : list) f(std::string_view(s));
  }
}

// When a document path was first and last changed (days), and by which
// commit last.
struct PathDates {
  std::string first, last;
  ObjectId last_change;
  bool operator==(const PathDates&) const = default;
};

struct SiteCache {
  std::string salt;   // digest of everything every page depends on
  std::string token;  // the same as in the site's marker
  ObjectId commit;    // the commit published
  std::map<std::string, DocRecord> docs;   // by document path
  std::map<std::string, PathDates> dates;  // by document path
  // The file beside the cache that holds the documents' search words (most
  // of what the cache keeps: 55 MB at 10,000 documents), kept apart so that
  // a publish reads only the words it needs and adds only those it made.
  std::string words_file;
  // A digest of which published document is at which path with which id:
  // while it stays the same, so do the records' `cites`.
  std::string mapping;
  // A digest of what the listings show: while it stays the same, so do
  // they.
  std::string listings;
  std::map<std::string, std::string> keys;  // site path → input digest
  // The site this one replaced, kept beside it for the next publish to
  // build in: the token in its marker and its page keys.  Empty when not
  // known.
  std::string spare_token;
  std::map<std::string, std::string> spare_keys;
};

// nullopt when the file is missing or is not a cache of this format.
std::optional<SiteCache> LoadSiteCache(const std::filesystem::path& file);
// The same, but nullopt unless the cache has this salt and token; for any
// other cache only its first bytes are read (a cache can be tens of MB).
std::optional<SiteCache> LoadSiteCache(const std::filesystem::path& file,
                                       std::string_view salt,
                                       std::string_view token);
Status SaveSiteCache(const std::filesystem::path& file, const SiteCache& cache);

// A words file, mapped read-only.
class WordsFile {
 public:
  // nullopt when it cannot be opened and mapped.
  static std::optional<WordsFile> Open(const std::filesystem::path& file);
  // The words of a record stored here; nullopt when they are past the end
  // of the file or their checksum fails (a damaged file).
  std::optional<std::string_view> Get(const DocRecord& r) const;
  std::size_t size() const { return size_; }

  WordsFile(WordsFile&& other) noexcept;
  WordsFile& operator=(WordsFile&& other) noexcept;
  ~WordsFile();

 private:
  WordsFile(const char* data, std::size_t size) : data_(data), size_(size) {}
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Where the parts of a cache file begin (site_cache.cc).
struct CacheLayout {
  std::uint64_t mid = 0;  // the first record of the second half
  std::uint64_t mid_at = 0, dates_at = 0, keys_at = 0;
};

// SaveSiteCache in two steps, so that the bulk of the file (the documents'
// records and dates) is written while the site's pages are still being
// made: Begin writes it to a temporary file beside `file`, and Commit adds
// the page keys and the spare site's, known only at the end (Begin ignores
// them), then where each part begins, and renames the file into place.  A
// writer that is never committed removes its temporary file.
//
// Begin also writes the words the records hold (those this publish read)
// to a words file beside `file`: at the end of the cache's `words_file`,
// `previous`, which holds the other records' words; or, when there is none
// or it has grown to more than twice what is still used, to a new file
// named after `file`, with the stored words that are still used copied
// into it.  words_file() says which.
class SiteCacheWriter {
 public:
  static Result<SiteCacheWriter> Begin(const std::filesystem::path& file,
                                       const SiteCache& cache,
                                       const WordsFile* previous = nullptr);
  const std::string& words_file() const { return words_file_; }
  Status Commit(const SiteCache& cache);

  SiteCacheWriter(SiteCacheWriter&& other) noexcept;
  SiteCacheWriter& operator=(SiteCacheWriter&&) = delete;
  ~SiteCacheWriter();

 private:
  SiteCacheWriter(std::filesystem::path file, std::string tmp, int fd)
      : file_(std::move(file)), tmp_(std::move(tmp)), fd_(fd) {}
  std::filesystem::path file_;
  std::string tmp_;
  int fd_ = -1;
  std::string words_file_;
  CacheLayout layout_;
};

}  // namespace evrepo

#endif  // EVREPO_SITE_CACHE_H_
