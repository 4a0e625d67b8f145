// Small text utilities shared by the core: UTF-8 checks, slugs, suggestions.
#ifndef EVREPO_TEXT_H_
#define EVREPO_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evrepo {

// The byte offset of the first byte that is not part of well-formed UTF-8
// (overlong forms, surrogates and code points past U+10FFFF included), or
// nullopt when `s` is valid.
std::optional<std::size_t> FindInvalidUtf8(std::string_view s);

// 1-based line and byte column of `offset` in `s`.
std::pair<int, int> LineColumn(std::string_view s, std::size_t offset);

// True for lower-case ASCII words joined by single hyphens: "case-study-2".
bool IsSlug(std::string_view s);

// A slug made from free text: ASCII letters and digits kept (lower-cased),
// everything else folded into single hyphens; common Latin accented letters
// lose their accents.  Empty when nothing usable is left.
std::string Slugify(std::string_view text);

// A fast 64-bit hash of `w`, for hash tables and checksums (not stable
// across versions, not for security): eight bytes at a time, then
// splitmix64's finaliser, so that every byte reaches the low bits.
inline std::uint64_t Hash64(std::string_view w) {
  const char* p = w.data();
  const std::size_t n = w.size();
  auto load64 = [](const char* at) {
    std::uint64_t v;
    std::memcpy(&v, at, 8);
    return v;
  };
  auto load32 = [](const char* at) {
    std::uint32_t v;
    std::memcpy(&v, at, 4);
    return std::uint64_t{v};
  };
  std::uint64_t h = n * 0x9e3779b97f4a7c15ull;
  if (n >= 8) {
    // Whole blocks, then the last eight bytes (overlapping the last block).
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      h = (h ^ load64(p + i)) * 0x9e3779b97f4a7c15ull;
      h ^= h >> 32;
    }
    h ^= load64(p + n - 8);
  } else if (n >= 4) {
    h ^= load32(p) << 32 | load32(p + n - 4);
  } else if (n > 0) {
    h ^= std::uint64_t{static_cast<unsigned char>(p[0])} << 16 |
         std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
         static_cast<unsigned char>(p[n - 1]);
  }
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

// A 64-bit FNV-1a digest of `bytes`, as 16 hex digits: stable across runs
// and builds, for telling inputs apart (not for security).
std::string Digest(std::string_view bytes);

// The same digest over bytes added piece by piece: Digest(a + b) equals
// adding a, then b.
class Digester {
 public:
  void Add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      h_ ^= c;
      h_ *= 1099511628211ull;
    }
  }
  std::string Hex() const;

 private:
  std::uint64_t h_ = 14695981039346656037ull;
};

// A digest of bytes added piece by piece, like Digester, but eight bytes
// at a time: about six times as fast.  For the keys a publish compares
// with those the same build recorded (a page's inputs, what the listings
// show), not for names that must stay the same across builds.  How the
// bytes are cut into pieces does not matter: KeyDigest(a + b) equals
// adding a, then b.
class KeyDigester {
 public:
  void Add(std::string_view bytes);
  std::string Hex() const;

 private:
  void Mix(const char* word);
  std::uint64_t h_ = 0x9e3779b97f4a7c15ull, total_ = 0;
  char pending_[8];
  std::size_t held_ = 0;  // bytes in pending_
};

// KeyDigester over `bytes`.
std::string KeyDigest(std::string_view bytes);

// The candidate closest to `word` by edit distance (case-insensitive), if it
// is close enough to be a plausible typo; ties go to the earlier candidate.
std::optional<std::string> Suggest(std::string_view word,
                                   const std::vector<std::string>& candidates);

// Leading and trailing ASCII white space removed.
std::string_view Trim(std::string_view s);

// True for "YYYY-MM-DD" naming a real calendar day.
bool IsCalendarDate(std::string_view s);

}  // namespace evrepo

#endif  // EVREPO_TEXT_H_
