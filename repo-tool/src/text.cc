// Small text utilities shared by the core.
#include "evrepo/text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace evrepo {

std::optional<std::size_t> FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return std::nullopt;
}

std::pair<int, int> LineColumn(std::string_view s, std::size_t offset) {
  offset = std::min(offset, s.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (s[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

bool IsSlug(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  char prev = 0;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

namespace {

// The ASCII letter a two-byte UTF-8 Latin-1 letter is based on, or 0.
char FoldLatin1(unsigned char lead, unsigned char cont) {
  if (lead != 0xC3) return 0;
  static const char kMap[] =  // U+00C0 .. U+00FF
      "AAAAAAACEEEEIIII"      // C0-CF
      "DNOOOOO*OUUUUYTs"      // D0-DF
      "aaaaaaaceeeeiiii"      // E0-EF
      "dnooooo/ouuuuyty";     // F0-FF
  unsigned idx = cont - 0x80;
  if (idx >= 64) return 0;
  char c = kMap[idx];
  return std::isalpha(static_cast<unsigned char>(c)) ? c : 0;
}

}  // namespace

std::string Slugify(std::string_view text) {
  std::string out;
  bool pending_hyphen = false;
  auto emit = [&](char c) {
    if (pending_hyphen && !out.empty()) out += '-';
    pending_hyphen = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if (std::isalnum(c) && c < 0x80) {
      emit(static_cast<char>(c));
    } else if (c == '\'') {
      // "Pathfinder's" -> "pathfinders", not "pathfinder-s".
    } else if (text.substr(i, 3) == "\xE2\x80\x99") {
      i += 2;  // the typographic apostrophe, likewise
    } else if (c >= 0xC0 && i + 1 < text.size()) {
      if (char f = FoldLatin1(c, static_cast<unsigned char>(text[i + 1]))) {
        emit(f);
        ++i;
      } else {
        pending_hyphen = true;
      }
    } else {
      pending_hyphen = true;
    }
  }
  return out;
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance (Damerau-Levenshtein with adjacent
// transpositions), the measure behind "did you mean".
std::size_t EditDistance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1,
                                          std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

}  // namespace

std::optional<std::string> Suggest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  // Very long inputs are not typos of a short name; keep the quadratic
  // distance computation cheap whatever a document contains.
  if (word.empty() || word.size() > 200) return std::nullopt;
  const std::string w = Lower(word);
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& c : candidates) {
    if (c.size() > 200) continue;
    std::string lc = Lower(c);
    std::size_t dist = EditDistance(w, lc);
    // A candidate that contains the word (or the reverse) is also a good
    // guess: "coalition" for "Social Enterprise Coalition".
    bool contains = w.size() >= 3 && (lc.find(w) != std::string::npos ||
                                      w.find(lc) != std::string::npos);
    std::size_t limit =
        std::max<std::size_t>(1, std::max(w.size(), lc.size()) / 3);
    if (dist == 0) return c;
    if (dist > limit && !contains) continue;
    if (contains && dist > limit) dist = limit;
    if (!best || dist < best_distance) {
      best = c;
      best_distance = dist;
    }
  }
  return best;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

namespace {
bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
}  // namespace

bool IsCalendarDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  int y = std::stoi(std::string(s.substr(0, 4)));
  int m = std::stoi(std::string(s.substr(5, 2)));
  int d = std::stoi(std::string(s.substr(8, 2)));
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  int max = kDays[m - 1] + (m == 2 && IsLeapYear(y) ? 1 : 0);
  return d <= max;
}

std::string Digester::Hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(h_));
  return buf;
}

std::string Digest(std::string_view bytes) {
  Digester d;
  d.Add(bytes);
  return d.Hex();
}

void KeyDigester::Mix(const char* word) {
  std::uint64_t v;
  std::memcpy(&v, word, 8);
  h_ = (h_ ^ v) * 0x9e3779b97f4a7c15ull;
  h_ ^= h_ >> 32;
}

void KeyDigester::Add(std::string_view bytes) {
  if (bytes.empty()) return;  // whose data() may be null, for memcpy
  total_ += bytes.size();
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  if (held_ > 0) {
    std::size_t take = std::min(n, 8 - held_);
    std::memcpy(pending_ + held_, p, take);
    held_ += take;
    p += take;
    n -= take;
    if (held_ < 8) return;
    Mix(pending_);
    held_ = 0;
  }
  for (; n >= 8; p += 8, n -= 8) Mix(p);
  std::memcpy(pending_, p, n);
  held_ = n;
}

std::string KeyDigester::Hex() const {
  KeyDigester last = *this;
  // The bytes left, padded with zeros, then the length: inputs that differ
  // only by trailing zero bytes differ by it.
  std::memset(last.pending_ + held_, 0, 8 - held_);
  last.Mix(last.pending_);
  std::uint64_t h = last.h_ ^ total_;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  h ^= h >> 31;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string KeyDigest(std::string_view bytes) {
  KeyDigester d;
  d.Add(bytes);
  return d.Hex();
}

}  // namespace evrepo
