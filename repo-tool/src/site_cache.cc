// The publish cache's file: a header line, then every value as a netstring
// ("LENGTH:BYTES"), so any byte may appear in a title and reading is a
// bounds-checked walk with no parser to speak of.
#include "site_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "evrepo/fsutil.h"
#include "evrepo/parallel.h"
#include "evrepo/text.h"

namespace evrepo {

namespace {

constexpr char kHeader[] = "evrepo-site-cache 7\n";

// The file ends with where its parts begin, so that they can be read at
// once on two threads: a netstring of four 16-digit hex numbers, the
// number of the document the second half of the records begins with, and
// the offsets of that document, of the dates and of the page keys.
constexpr std::size_t kLayoutSize = 3 + 4 * 16;

// Writes values to a file through a buffer of its own: the file can be
// tens of megabytes, which as one string was a tenth of a re-publish.
class Writer {
 public:
  explicit Writer(int fd) : fd_(fd) { out_.reserve(kBuffer + 4096); }
  void Raw(std::string_view s) {
    if (out_.size() + s.size() > kBuffer) Flush();
    if (s.size() > kBuffer) {
      ok_ = ok_ && WriteAll(fd_, s);
      written_ += s.size();
      return;
    }
    out_.append(s);
  }
  void Str(std::string_view s) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits - 1, s.size()).ptr;
    *end++ = ':';
    Raw(std::string_view(digits, static_cast<std::size_t>(end - digits)));
    Raw(s);
  }
  void Num(std::size_t n) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    Str(std::string_view(digits, static_cast<std::size_t>(end - digits)));
  }
  void Strs(const std::vector<std::string>& v) {
    Num(v.size());
    for (const std::string& s : v) Str(s);
  }
  // False once a write failed (errno says why).
  bool Flush() {
    ok_ = ok_ && WriteAll(fd_, out_);
    written_ += out_.size();
    out_.clear();
    return ok_;
  }
  // The bytes written so far, buffered or not.
  std::uint64_t offset() const { return written_ + out_.size(); }

 private:
  static constexpr std::size_t kBuffer = 1 << 20;
  int fd_;
  std::string out_;
  std::uint64_t written_ = 0;
  bool ok_ = true;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Str(std::string* s) {
    std::string_view v;
    if (!View(&v)) return false;
    s->assign(v);
    return true;
  }
  bool Num(std::size_t* n) {
    std::string_view v;
    if (!View(&v) || v.empty() || v.size() > 12) return false;
    *n = 0;
    for (char c : v) {
      if (c < '0' || c > '9') return false;
      *n = *n * 10 + static_cast<std::size_t>(c - '0');
    }
    return true;
  }
  // The next value, in place.
  bool View(std::string_view* v) {
    std::size_t n = 0, i = pos_;
    for (; i < in_.size() && in_[i] >= '0' && in_[i] <= '9'; ++i) {
      if (i - pos_ == 12) return false;
      n = n * 10 + static_cast<std::size_t>(in_[i] - '0');
    }
    if (i == pos_ || i == in_.size() || in_[i] != ':' ||
        n > in_.size() - i - 1) {
      return false;
    }
    *v = in_.substr(i + 1, n);
    pos_ = i + 1 + n;
    return true;
  }
  bool Strs(std::vector<std::string>* v) {
    std::size_t n = 0;
    if (!Num(&n) || n > in_.size()) return false;
    v->resize(n);
    for (std::string& s : *v) {
      if (!Str(&s)) return false;
    }
    return true;
  }
  // A list as Strs reads it, checked but left as it is: its bytes.
  bool StoredList(std::string_view* v) {
    std::size_t start = pos_, n = 0;
    if (!Num(&n) || n > in_.size()) return false;
    std::string_view item;
    for (std::size_t i = 0; i < n; ++i) {
      if (!View(&item)) return false;
    }
    *v = in_.substr(start, pos_ - start);
    return true;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

// A plain file name, for a file beside the cache.
bool IsFileName(std::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

std::string Hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

bool ParseHex64(std::string_view s, std::uint64_t* v) {
  if (s.size() != 16) return false;
  *v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                   : -1;
    if (d < 0) return false;
    *v = *v << 4 | static_cast<std::uint64_t>(d);
  }
  return true;
}

// Where a record's words are in the words file.
struct WordsRef {
  std::uint64_t at = 0, size = 0, sum = 0;
};

// Reads `n` document records into `docs`, in path order.  Their lists but
// `supersedes` are left stored, in the file's mapping `owner` (two thirds
// of the strings of a cache, which a publish needs of a few documents, or
// walks in place).
bool ReadDocs(Reader& r, std::size_t n,
              const std::shared_ptr<const char>& owner,
              std::map<std::string, DocRecord>* docs) {
  auto stored = [&owner](std::string_view v) {
    return StoredStrings(std::shared_ptr<const char>(owner, v.data()),
                         v.size());
  };
  for (std::size_t i = 0; i < n; ++i) {
    std::string path;
    std::string_view flag, sum, tags, partners, authors, related, links, cites;
    std::size_t at = 0, size = 0;
    DocRecord d;
    if (!r.Str(&path) || !r.Str(&d.blob) || !r.View(&flag)) return false;
    d.publishable = flag == "1";
    if (d.publishable &&
        !(r.Str(&d.id) && r.Str(&d.title) && r.Str(&d.type) && r.Str(&d.date) &&
          r.Str(&d.summary) && r.StoredList(&tags) && r.StoredList(&partners) &&
          r.StoredList(&authors) && r.StoredList(&related) &&
          r.Strs(&d.supersedes) && r.StoredList(&links) &&
          r.StoredList(&cites) && r.Num(&at) && r.Num(&size) && r.View(&sum) &&
          ParseHex64(sum, &d.words_sum) && r.Num(&d.length))) {
      return false;
    }
    if (d.publishable) {
      d.stored_tags = stored(tags);
      d.stored_partners = stored(partners);
      d.stored_authors = stored(authors);
      d.stored_related = stored(related);
      d.stored_links = stored(links);
      d.stored_cites = stored(cites);
    }
    d.words_stored = d.publishable;
    d.words_at = at;
    d.words_size = size;
    // Written in path order: a path out of order, or twice, is not a file
    // evrepo wrote.
    if (!docs->empty() && !(docs->rbegin()->first < path)) return false;
    docs->emplace_hint(docs->end(), std::move(path), std::move(d));
  }
  return true;
}

bool ReadDates(Reader& r, std::map<std::string, PathDates>* dates) {
  std::size_t n = 0;
  if (!r.Num(&n)) return false;
  for (std::size_t i = 0; i < n; ++i) {
    std::string path;
    PathDates d;
    if (!r.Str(&path) || !r.Str(&d.first) || !r.Str(&d.last) ||
        !r.Str(&d.last_change)) {
      return false;
    }
    if (!dates->empty() && !(dates->rbegin()->first < path)) return false;
    dates->emplace_hint(dates->end(), std::move(path), std::move(d));
  }
  return true;
}

bool ReadKeys(Reader& r, std::map<std::string, std::string>* keys) {
  std::size_t n = 0;
  if (!r.Num(&n)) return false;
  for (std::size_t i = 0; i < n; ++i) {
    std::string path, key;
    if (!r.Str(&path) || !r.Str(&key)) return false;
    keys->emplace_hint(keys->end(), std::move(path), std::move(key));
  }
  return true;
}

// Reads the cache in `text`; with `salt` and `token`, nullopt unless they
// are the cache's.  The second half of the records and the page keys are
// read on a thread of their own (a tenth of a re-publish at 10,000
// documents); every part must end exactly where the next begins.
std::optional<SiteCache> Parse(std::string_view text,
                               const std::shared_ptr<const char>& owner,
                               const std::string_view* salt,
                               const std::string_view* token) {
  std::string_view header = kHeader;
  if (text.size() < header.size() + kLayoutSize ||
      text.substr(0, header.size()) != header) {
    return std::nullopt;
  }
  // The layout: its four numbers, each within the file and in order.
  std::string_view layout = text.substr(text.size() - kLayoutSize);
  std::uint64_t mid = 0, mid_at = 0, dates_at = 0, keys_at = 0;
  if (layout.substr(0, 3) != "64:" || !ParseHex64(layout.substr(3, 16), &mid) ||
      !ParseHex64(layout.substr(19, 16), &mid_at) ||
      !ParseHex64(layout.substr(35, 16), &dates_at) ||
      !ParseHex64(layout.substr(51, 16), &keys_at)) {
    return std::nullopt;
  }
  const std::size_t end = text.size() - kLayoutSize;
  if (mid_at < header.size() || mid_at > dates_at || dates_at > keys_at ||
      keys_at > end) {
    return std::nullopt;
  }
  Reader r(text.substr(header.size(), mid_at - header.size()));
  SiteCache c;
  std::size_t docs = 0;
  if (!r.Str(&c.salt) || !r.Str(&c.token) ||
      (salt && (c.salt != *salt || c.token != *token)) || !r.Str(&c.commit) ||
      !r.Str(&c.words_file) || !IsFileName(c.words_file) ||
      !r.Str(&c.mapping) || !r.Str(&c.listings) || !r.Num(&docs) ||
      mid > docs) {
    return std::nullopt;
  }
  auto part = [&](std::uint64_t from, std::uint64_t to) {
    return Reader(text.substr(from, to - from));
  };
  // On the other thread: the second half of the records, and the keys.
  std::map<std::string, DocRecord> second;
  Pending<bool> other = Async([&] {
    Reader half = part(mid_at, dates_at);
    Reader keys = part(keys_at, end);
    return ReadDocs(half, docs - mid, owner, &second) && half.AtEnd() &&
           ReadKeys(keys, &c.keys) && keys.Str(&c.spare_token) &&
           ReadKeys(keys, &c.spare_keys) && keys.AtEnd();
  });
  Reader dates = part(dates_at, keys_at);
  bool ok = ReadDocs(r, mid, owner, &c.docs) && r.AtEnd() &&
            ReadDates(dates, &c.dates) && dates.AtEnd();
  ok = other.get() && ok;
  if (!ok || (!c.docs.empty() && !second.empty() &&
              !(c.docs.rbegin()->first < second.begin()->first))) {
    return std::nullopt;
  }
  while (!second.empty()) {
    c.docs.insert(c.docs.end(), second.extract(second.begin()));
  }
  return c;
}

std::optional<SiteCache> Load(const std::filesystem::path& file,
                              const std::string_view* salt,
                              const std::string_view* token) {
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  if (ok && salt) {
    // The header, salt and token come first: a cache for another site or
    // salt is known by them without reading the rest.
    std::string head(
        std::min<std::size_t>(static_cast<std::size_t>(st.st_size), 4096),
        '\0');
    ok = ReadAllAt(fd, head.data(), head.size(), 0);
    Reader r(std::string_view(head).substr(
        std::min(head.size(), sizeof(kHeader) - 1)));
    std::string s, t;
    ok = ok && head.compare(0, sizeof(kHeader) - 1, kHeader) == 0 &&
         r.Str(&s) && r.Str(&t) && s == *salt && t == *token;
  }
  // Mapped rather than read: the tens of megabytes are then neither copied
  // nor given fresh pages, a sixth of a re-publish's page faults.  The
  // file is only ever replaced by a rename, never rewritten in place, and
  // stays mapped while a record's stored strings point into it.
  auto size = ok ? static_cast<std::size_t>(st.st_size) : 0;
  void* data =
      ok ? mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)
         : MAP_FAILED;
  close(fd);
  if (data == MAP_FAILED) return std::nullopt;
  std::shared_ptr<const char> mapping(
      static_cast<const char*>(data),
      [size](const char* p) { munmap(const_cast<char*>(p), size); });
  return Parse(std::string_view(mapping.get(), size), mapping, salt, token);
}

// Writes the file up to its page keys to `fd`: the head, the documents
// (`refs` says where the words of each publishable one are, in order) and
// the dates.
bool WriteRecords(int fd, const SiteCache& c, const std::string& words_file,
                  const std::vector<WordsRef>& refs, CacheLayout* layout) {
  Writer w(fd);
  w.Raw(kHeader);
  w.Str(c.salt);
  w.Str(c.token);
  w.Str(c.commit);
  w.Str(words_file);
  w.Str(c.mapping);
  w.Str(c.listings);
  w.Num(c.docs.size());
  std::size_t k = 0, i = 0;
  layout->mid = c.docs.size() / 2;
  for (const auto& [path, d] : c.docs) {
    if (i++ == layout->mid) layout->mid_at = w.offset();
    w.Str(path);
    w.Str(d.blob);
    w.Str(d.publishable ? "1" : "0");
    if (!d.publishable) continue;
    for (const std::string* s :
         {&d.id, &d.title, &d.type, &d.date, &d.summary}) {
      w.Str(*s);
    }
    // Stored lists go back as they came.
    auto list = [&w](const std::vector<std::string>& v,
                     const StoredStrings& stored) {
      if (stored) {
        w.Raw(stored.bytes());
      } else {
        w.Strs(v);
      }
    };
    list(d.tags, d.stored_tags);
    list(d.partners, d.stored_partners);
    list(d.authors, d.stored_authors);
    list(d.related, d.stored_related);
    w.Strs(d.supersedes);
    list(d.links, d.stored_links);
    list(d.cites, d.stored_cites);
    const WordsRef& ref = refs[k++];
    w.Num(ref.at);
    w.Num(ref.size);
    w.Str(Hex64(ref.sum));
    w.Num(d.length);
  }
  if (layout->mid == c.docs.size()) layout->mid_at = w.offset();
  layout->dates_at = w.offset();
  w.Num(c.dates.size());
  for (const auto& [path, d] : c.dates) {
    w.Str(path);
    w.Str(d.first);
    w.Str(d.last);
    w.Str(d.last_change);
  }
  layout->keys_at = w.offset();
  return w.Flush();
}

// Writes the rest to `fd`: the page keys, the spare site's token and
// keys, and the layout.
bool WriteKeys(int fd, const SiteCache& c, const CacheLayout& layout) {
  Writer w(fd);
  for (const auto* keys : {&c.keys, &c.spare_keys}) {
    if (keys == &c.spare_keys) w.Str(c.spare_token);
    w.Num(keys->size());
    for (const auto& [path, key] : *keys) {
      w.Str(path);
      w.Str(key);
    }
  }
  w.Str(Hex64(layout.mid) + Hex64(layout.mid_at) + Hex64(layout.dates_at) +
        Hex64(layout.keys_at));
  return w.Flush();
}

Status WriteError(const std::filesystem::path& file, int err) {
  return Status::Io("cannot write '" + file.string() +
                    "': " + std::strerror(err));
}

// Writes the words the records of `cache` hold to a words file beside
// `file` (see SiteCacheWriter); returns its name and where each
// publishable record's words are, in order.
Result<std::pair<std::string, std::vector<WordsRef>>> WriteWords(
    const std::filesystem::path& file, const SiteCache& cache,
    const WordsFile* previous) {
  namespace fs = std::filesystem;
  std::uint64_t stored = 0, held = 0;
  for (const auto& [path, d] : cache.docs) {
    if (!d.publishable) continue;
    if (d.words_stored) {
      stored += d.words_size;
    } else {
      held += d.words.size();
    }
  }
  // Appending, unless over half of the file would be words no longer used.
  constexpr std::uint64_t kSlack = 8 << 20;
  bool append = previous && !cache.words_file.empty() &&
                previous->size() <= 2 * (stored + held) + kSlack;
  std::vector<WordsRef> refs;
  std::string bytes;
  auto add = [&](std::string_view words, std::uint64_t base) {
    refs.push_back({base + bytes.size(), words.size(), Hash64(words)});
    bytes.append(words);
  };
  std::string name;
  int fd = -1;
  std::uint64_t base = 0;
  if (append) {
    name = cache.words_file;
    fd = open((file.parent_path() / name).c_str(),
              O_WRONLY | O_APPEND | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0) {
      base = static_cast<std::uint64_t>(st.st_size);
    } else {
      append = false;
      if (fd >= 0) close(fd);
    }
  }
  if (append) {
    bytes.reserve(held);
    for (const auto& [path, d] : cache.docs) {
      if (!d.publishable) continue;
      if (d.words_stored) {
        refs.push_back({d.words_at, d.words_size, d.words_sum});
      } else {
        add(d.words, base);
      }
    }
  } else {
    // A new file, named after the cache file, with every word still used.
    name = file.stem().string() + ".words";
    fd = open((file.parent_path() / name).c_str(),
              O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return WriteError(file.parent_path() / name, errno);
    bytes.reserve(stored + held);
    for (const auto& [path, d] : cache.docs) {
      if (!d.publishable) continue;
      if (!d.words_stored) {
        add(d.words, 0);
        continue;
      }
      auto words = previous ? previous->Get(d) : std::nullopt;
      if (!words) {
        close(fd);
        return Status::Io("the search words the last publish recorded in '" +
                          (file.parent_path() / cache.words_file).string() +
                          "' are damaged")
            .WithHint("publish again with --full");
      }
      add(*words, 0);
    }
  }
  // Not flushed to disk, as the cache is not: checksums tell damage.
  bool ok = WriteAll(fd, bytes);
  int err = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) return WriteError(file.parent_path() / name, err);
  return std::make_pair(std::move(name), std::move(refs));
}

}  // namespace

std::optional<SiteCache> LoadSiteCache(const std::filesystem::path& file) {
  return Load(file, nullptr, nullptr);
}

std::optional<SiteCache> LoadSiteCache(const std::filesystem::path& file,
                                       std::string_view salt,
                                       std::string_view token) {
  return Load(file, &salt, &token);
}

Status SaveSiteCache(const std::filesystem::path& file, const SiteCache& c) {
  auto writer = SiteCacheWriter::Begin(file, c);
  if (!writer) return writer.status();
  return writer->Commit(c);
}

Result<SiteCacheWriter> SiteCacheWriter::Begin(
    const std::filesystem::path& file, const SiteCache& cache,
    const WordsFile* previous) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  std::string tmp =
      (file.parent_path() / ("." + file.filename().string() + ".XXXXXX"))
          .string();
  int fd = mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) {
    return Status::Io("cannot create a file in '" +
                      file.parent_path().string() +
                      "': " + std::strerror(errno));
  }
  SiteCacheWriter w(file, std::move(tmp), fd);
  auto words = WriteWords(file, cache, previous);
  if (!words) return words.status();
  w.words_file_ = std::move(words->first);
  if (!WriteRecords(fd, cache, w.words_file_, words->second, &w.layout_)) {
    return WriteError(file, errno);
  }
  return w;
}

Status SiteCacheWriter::Commit(const SiteCache& cache) {
  if (!WriteKeys(fd_, cache, layout_)) return WriteError(file_, errno);
  fchmod(fd_, 0644);
  // Not flushed to disk: a cache that does not load back whole is no cache.
  int rc = close(fd_);
  fd_ = -1;
  if (rc != 0 || rename(tmp_.c_str(), file_.c_str()) != 0) {
    return WriteError(file_, errno);  // the destructor removes the file
  }
  tmp_.clear();
  return Status::Ok();
}

SiteCacheWriter::SiteCacheWriter(SiteCacheWriter&& other) noexcept
    : file_(std::move(other.file_)),
      tmp_(std::exchange(other.tmp_, std::string())),
      fd_(std::exchange(other.fd_, -1)),
      words_file_(std::move(other.words_file_)),
      layout_(other.layout_) {}

std::optional<WordsFile> WordsFile::Open(const std::filesystem::path& file) {
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return std::nullopt;
  }
  auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0) {
    close(fd);
    return WordsFile(nullptr, 0);
  }
  void* data = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (data == MAP_FAILED) return std::nullopt;
  return WordsFile(static_cast<const char*>(data), size);
}

std::optional<std::string_view> WordsFile::Get(const DocRecord& r) const {
  if (!r.words_stored || r.words_at > size_ ||
      r.words_size > size_ - r.words_at) {
    return std::nullopt;
  }
  std::string_view words(data_ + r.words_at, r.words_size);
  if (Hash64(words) != r.words_sum) return std::nullopt;
  return words;
}

WordsFile::WordsFile(WordsFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

WordsFile& WordsFile::operator=(WordsFile&& other) noexcept {
  std::swap(data_, other.data_);
  std::swap(size_, other.size_);
  return *this;
}

WordsFile::~WordsFile() {
  if (data_) munmap(const_cast<char*>(data_), size_);
}

SiteCacheWriter::~SiteCacheWriter() {
  if (fd_ >= 0) close(fd_);
  if (!tmp_.empty()) unlink(tmp_.c_str());
}

}  // namespace evrepo
