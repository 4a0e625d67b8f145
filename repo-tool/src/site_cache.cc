// The publish cache's file: a header line, then every value as a netstring
// ("LENGTH:BYTES"), so any byte may appear in a title and reading is a
// bounds-checked walk with no parser to speak of.
#include "site_cache.h"

#include <cstdio>
#include <fstream>

#include "evrepo/fsutil.h"

namespace evrepo {

namespace {

constexpr char kHeader[] = "evrepo-site-cache 2\n";

class Writer {
 public:
  void Str(std::string_view s) {
    out_ += std::to_string(s.size());
    out_ += ':';
    out_ += s;
  }
  void Num(std::size_t n) { Str(std::to_string(n)); }
  void Strs(const std::vector<std::string>& v) {
    Num(v.size());
    for (const std::string& s : v) Str(s);
  }
  void Reserve(std::size_t bytes) { out_.reserve(bytes); }
  std::string& out() { return out_; }

 private:
  std::string out_ = kHeader;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Str(std::string* s) {
    std::size_t colon = in_.find(':', pos_);
    if (colon == std::string_view::npos || colon == pos_ || colon - pos_ > 12) {
      return false;
    }
    std::size_t n = 0;
    for (std::size_t i = pos_; i < colon; ++i) {
      if (in_[i] < '0' || in_[i] > '9') return false;
      n = n * 10 + static_cast<std::size_t>(in_[i] - '0');
    }
    if (n > in_.size() - colon - 1) return false;
    s->assign(in_.substr(colon + 1, n));
    pos_ = colon + 1 + n;
    return true;
  }
  bool Num(std::size_t* n) {
    std::string s;
    if (!Str(&s) || s.empty() || s.size() > 12) return false;
    *n = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      *n = *n * 10 + static_cast<std::size_t>(c - '0');
    }
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
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<SiteCache> LoadSiteCache(const std::filesystem::path& file) {
  // Read whole, in one piece: the file can be tens of megabytes.
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (!in || ec) return std::nullopt;
  std::string text(size, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size)) ||
      in.peek() != std::char_traits<char>::eof()) {
    return std::nullopt;
  }
  std::string_view header = kHeader;
  if (text.compare(0, header.size(), header) != 0) return std::nullopt;
  Reader r(std::string_view(text).substr(header.size()));
  SiteCache c;
  std::size_t docs = 0, dates = 0, keys = 0;
  if (!r.Str(&c.salt) || !r.Str(&c.token) || !r.Str(&c.commit) ||
      !r.Num(&docs)) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < docs; ++i) {
    std::string path, flag;
    DocRecord d;
    if (!r.Str(&path) || !r.Str(&d.blob) || !r.Str(&flag)) return std::nullopt;
    d.publishable = flag == "1";
    if (d.publishable &&
        !(r.Str(&d.id) && r.Str(&d.title) && r.Str(&d.type) && r.Str(&d.date) &&
          r.Str(&d.summary) && r.Strs(&d.tags) && r.Strs(&d.partners) &&
          r.Strs(&d.authors) && r.Strs(&d.related) && r.Strs(&d.supersedes) &&
          r.Strs(&d.links) && r.Str(&d.words) && r.Num(&d.length))) {
      return std::nullopt;
    }
    c.docs.emplace(std::move(path), std::move(d));
  }
  if (!r.Num(&dates)) return std::nullopt;
  for (std::size_t i = 0; i < dates; ++i) {
    std::string path;
    PathDates d;
    if (!r.Str(&path) || !r.Str(&d.first) || !r.Str(&d.last) ||
        !r.Str(&d.last_change)) {
      return std::nullopt;
    }
    c.dates.emplace(std::move(path), std::move(d));
  }
  if (!r.Num(&keys)) return std::nullopt;
  for (std::size_t i = 0; i < keys; ++i) {
    std::string path, key;
    if (!r.Str(&path) || !r.Str(&key)) return std::nullopt;
    c.keys.emplace(std::move(path), std::move(key));
  }
  if (!r.AtEnd()) return std::nullopt;
  return c;
}

Status SaveSiteCache(const std::filesystem::path& file, const SiteCache& c) {
  Writer w;
  std::size_t estimate = 1 << 16;
  for (const auto& [path, d] : c.docs) estimate += d.words.size() + 1024;
  w.Reserve(estimate + c.keys.size() * 64 + c.dates.size() * 128);
  w.Str(c.salt);
  w.Str(c.token);
  w.Str(c.commit);
  w.Num(c.docs.size());
  for (const auto& [path, d] : c.docs) {
    w.Str(path);
    w.Str(d.blob);
    w.Str(d.publishable ? "1" : "0");
    if (!d.publishable) continue;
    for (const std::string* s :
         {&d.id, &d.title, &d.type, &d.date, &d.summary}) {
      w.Str(*s);
    }
    for (const auto* v : {&d.tags, &d.partners, &d.authors, &d.related,
                          &d.supersedes, &d.links}) {
      w.Strs(*v);
    }
    w.Str(d.words);
    w.Num(d.length);
  }
  w.Num(c.dates.size());
  for (const auto& [path, d] : c.dates) {
    w.Str(path);
    w.Str(d.first);
    w.Str(d.last);
    w.Str(d.last_change);
  }
  w.Num(c.keys.size());
  for (const auto& [path, key] : c.keys) {
    w.Str(path);
    w.Str(key);
  }
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  // Not flushed to disk: a cache that does not load back whole is no cache.
  return WriteFileAtomic(file, w.out(), /*flush=*/false);
}

}  // namespace evrepo
