// Query-biased snippets; see snippet.h.
#include "snippet.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace evrepo::index {

namespace {

// kInfix: joins the word characters on either side of it into one word.
enum class Kind { kWord, kInfix, kSpace, kStop, kOther };

// The kind of each ASCII character.
struct AsciiKinds {
  Kind kind[128];
  constexpr AsciiKinds() : kind() {
    for (int c = 0; c < 128; ++c) {
      kind[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_'
                    ? Kind::kWord
                : c == '\'' || c == '&' ? Kind::kInfix
                : c == '\n'             ? Kind::kStop
                : c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
                    ? Kind::kSpace
                    : Kind::kOther;
    }
  }
};
constexpr AsciiKinds kAscii;

// Whether each byte is an ASCII word character: one lookup a byte in the
// scanner's innermost loop.
struct AsciiWordBytes {
  bool word[256];
  constexpr AsciiWordBytes() : word() {
    for (int c = 0; c < 128; ++c) word[c] = kAscii.kind[c] == Kind::kWord;
  }
};
constexpr AsciiWordBytes kWordBytes;

bool IsAsciiWord(unsigned char c) { return kWordBytes.word[c]; }

// Classify for a byte from 0x80 up.
Kind ClassifyUtf8(std::string_view t, std::size_t i, std::size_t* len) {
  auto c = static_cast<unsigned char>(t[i]);
  // A UTF-8 sequence; a malformed one is a single byte of punctuation.
  std::size_t n = c >= 0xf8   ? 0
                  : c >= 0xf0 ? 4
                  : c >= 0xe0 ? 3
                  : c >= 0xc0 ? 2
                              : 0;
  if (n == 0 || i + n > t.size()) return Kind::kOther;
  char32_t cp = c & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    auto b = static_cast<unsigned char>(t[i + k]);
    if ((b & 0xc0) != 0x80) return Kind::kOther;
    cp = (cp << 6) | (b & 0x3f);
  }
  *len = n;
  if (cp == 0x2019 || cp == 0x201b || cp == 0xb7 || cp == 0x5f4 ||
      cp == 0x2027 || (cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 ||
      cp == 0xfeff)
    return Kind::kInfix;
  if (Xapian::Unicode::is_wordchar(cp)) return Kind::kWord;
  if (Xapian::Unicode::is_whitespace(cp)) return Kind::kSpace;
  return Kind::kOther;
}

// The kind of the character at `t[i]`, and its length in bytes.  Word
// characters, white space and the characters that join words are those of
// Xapian's word splitter, which reads the same Unicode tables.
inline Kind Classify(std::string_view t, std::size_t i, std::size_t* len) {
  auto c = static_cast<unsigned char>(t[i]);
  *len = 1;
  return c < 0x80 ? kAscii.kind[c] : ClassifyUtf8(t, i, len);
}

bool EndsSentence(char c) { return c == '.' || c == '!' || c == '?'; }

constexpr std::uint64_t kEachByte = 0x0101010101010101;

// Up to eight bytes from p, of which n are there, NULs after them.
std::uint64_t Load8(const unsigned char* p, std::size_t n) {
  std::uint64_t x = 0;
  std::memcpy(&x, p, std::min<std::size_t>(n, 8));
  return x;
}

// Each byte of x in ASCII lower case, those from 0x80 up as they are.  The
// sums cannot carry from one byte into the next.
std::uint64_t LowerAscii8(std::uint64_t x) {
  std::uint64_t t = x & (kEachByte * 0x7f);
  std::uint64_t upper = (t + kEachByte * (0x80 - 'A')) &
                        ~(t + kEachByte * (0x80 - 'Z' - 1)) & ~x &
                        (kEachByte * 0x80);
  return x | (upper >> 2);
}

// Appends `s` with each run of white space as one space.
void AppendCollapsed(std::string& out, std::string_view s) {
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
        c == '\v') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (space) out += ' ';
}

// `s` cut to at most `n` bytes, not inside a UTF-8 sequence.
std::string_view CutBytes(std::string_view s, std::size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
  return s.substr(0, n);
}

constexpr std::string_view kEllipsis = "…";

}  // namespace

SnippetCutter::SnippetCutter(
    const std::vector<std::pair<std::string, double>>& terms, Scan scan)
    : scan_(scan) {
  for (const auto& [term, weight] : terms) {
    if (term.empty()) continue;
    auto first = static_cast<unsigned char>(term[0]);
    bool stem = term[0] == 'Z' && term.size() > 1 &&
                !std::isupper(static_cast<unsigned char>(term[1]));
    if (!stem && std::isupper(first)) continue;  // a field's term
    std::string word = stem ? term.substr(1) : term;
    auto& ids = stem ? stems_ : exact_;
    if (ids.count(word)) continue;
    ids.emplace(word, static_cast<int>(weights_.size()));
    weights_.push_back(weight > 0 ? weight : 1.0);
    // A stem of two letters is kept whole, as its word's first two.
    std::size_t n = std::min<std::size_t>(
        stem ? std::max<std::size_t>(word.size() - 1, 2) : word.size(), 8);
    n = std::min(n, word.size());
    std::size_t ascii = 0;
    while (ascii < n && static_cast<unsigned char>(word[ascii]) < 0x80) ++ascii;
    // A word begun by a lead byte is always looked up; one begun by any
    // other byte that is not a word character is no word.
    if (ascii == 0 || !IsAsciiWord(static_cast<unsigned char>(word[0])))
      continue;
    unsigned char ones[8] = {};
    std::memset(ones, 0xff, ascii);
    Key key{Load8(reinterpret_cast<const unsigned char*>(word.data()), ascii),
            Load8(ones, 8)};
    keys_.push_back(key);
    Splat splat;
    std::memset(splat.first, word[0] | 0x20, 16);
    std::memset(splat.second, ascii > 1 ? word[1] | 0x20 : 0, 16);
    std::memset(splat.any_second, ascii > 1 ? 0 : 0xff, 16);
    bool known = false;
    for (const Splat& s : splats_) {
      known = known || std::memcmp(&s, &splat, sizeof s) == 0;
    }
    if (!known) splats_.push_back(splat);
  }
}

bool SnippetCutter::MayBegin(const unsigned char* p, std::size_t n) const {
  if (p[0] >= 0x80) return true;
  std::uint64_t x = Load8(p, n);
  std::uint64_t high = x & (kEachByte * 0x80);
  std::uint64_t lower = LowerAscii8(x);
  for (const Key& k : keys_) {
    if (((lower ^ k.bytes) & k.mask) == 0 || (high & k.mask) != 0) return true;
  }
  return false;
}

int SnippetCutter::Match(std::string_view word) {
  lower_.clear();
  for (std::size_t i = 0; i < word.size();) {
    auto c = static_cast<unsigned char>(word[i]);
    if (c < 0x80) {
      lower_ += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      ++i;
      continue;
    }
    // Split() passed only well-formed sequences as word characters.
    std::size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    unsigned cp = c & (0x7f >> n);
    for (std::size_t k = 1; k < n && i + k < word.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(word[i + k]) & 0x3f);
    i += n;
    if (cp == 0x2019 || cp == 0x201b) {
      lower_ += '\'';  // as Xapian indexes them
    } else if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff) {
      // ignored inside words, as by Xapian
    } else {
      Xapian::Unicode::append_utf8(lower_, Xapian::Unicode::tolower(cp));
    }
  }
  if (lower_.empty() ||
      !MayBegin(reinterpret_cast<const unsigned char*>(lower_.data()),
                lower_.size())) {
    return -1;
  }
  // Words recur: each is looked up, and stemmed, once.
  auto [it, added] = matched_.try_emplace(lower_, -1);
  if (!added) return it->second;
  if (auto e = exact_.find(lower_); e != exact_.end()) {
    it->second = e->second;
  } else if (!stems_.empty()) {
    auto s = stems_.find(english_(lower_));
    if (s != stems_.end()) it->second = s->second;
  }
  return it->second;
}

std::size_t SnippetCutter::WordEnd(std::string_view text, std::size_t i) {
  // Word characters, joined by single infix characters.
  std::size_t len = 0;
  while (i < text.size()) {
    while (i < text.size() && IsAsciiWord(static_cast<unsigned char>(text[i])))
      ++i;
    if (i == text.size()) break;
    Kind w = Classify(text, i, &len);
    if (w == Kind::kWord) {
      i += len;
      continue;
    }
    std::size_t next_len = 0;
    if (w == Kind::kInfix && i + len < text.size() &&
        Classify(text, i + len, &next_len) == Kind::kWord) {
      i += len;
      continue;
    }
    // "2.5", "1,000": a full stop, comma or semicolon between digits.
    if ((text[i] == '.' || text[i] == ',' || text[i] == ';') &&
        i + 1 < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
        std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      ++i;
      continue;
    }
    break;
  }
  return i;
}

namespace {

// The kind of the character that ends at text[p] (p > 0), as a split from
// the beginning would read it, and where it starts.  UTF-8 is
// self-synchronising: a lead byte always begins a character of that split,
// and the bytes of a malformed sequence are read one at a time.
Kind KindBefore(std::string_view text, std::size_t p, std::size_t* start) {
  auto c = static_cast<unsigned char>(text[p - 1]);
  *start = p - 1;
  if (c < 0x80) return kAscii.kind[c];
  for (std::size_t back = 2; back <= 4 && back <= p; ++back) {
    auto lead = static_cast<unsigned char>(text[p - back]);
    if (lead < 0x80) break;
    if (lead >= 0xc0) {
      std::size_t len = 1;
      Kind k = ClassifyUtf8(text, p - back, &len);
      if (len != back) break;  // malformed, or not ending at p
      *start = p - back;
      return k;
    }
  }
  return Kind::kOther;  // a byte on its own
}

// Whether the word character at text[p] begins a word, rather than going on
// with one: what Split would do, from the characters before it alone.
bool BeginsWord(std::string_view text, std::size_t p) {
  if (p == 0) return true;
  std::size_t prev = 0;
  switch (KindBefore(text, p, &prev)) {
    case Kind::kWord:
      return false;
    case Kind::kInfix:
      return prev == 0 || KindBefore(text, prev, &prev) != Kind::kWord;
    default:
      break;
  }
  char c = text[p - 1];
  return !((c == '.' || c == ',' || c == ';') && p >= 2 &&
           std::isdigit(static_cast<unsigned char>(text[p - 2])) &&
           std::isdigit(static_cast<unsigned char>(text[p])));
}

// Bit i set when a word may begin at p[i], of 16 bytes: an ASCII word
// character after one that is not (`*after_word` tells of the byte before
// p[0], and is set for the next 16), or a UTF-8 lead byte.  Where SSE2 is
// at hand the scan below does this itself.
[[maybe_unused]] std::uint32_t WordStarts(const unsigned char* p,
                                          bool* after_word) {
  std::uint32_t word = 0, lead = 0;
  for (int i = 0; i < 16; ++i) {
    word |= std::uint32_t{IsAsciiWord(p[i])} << i;
    lead |= std::uint32_t{p[i] >= 0xc0} << i;
  }
  std::uint32_t before = (word << 1) | (*after_word ? 1u : 0u);
  *after_word = (word >> 15) & 1;
  return (word & ~before & 0xffff) | lead;
}

}  // namespace

void SnippetCutter::FindHits(std::string_view text) {
  hits_.clear();
  if (weights_.empty()) return;
  // Where a query word may begin is found 16 bytes at a time: the first
  // two letters of a key, or a UTF-8 lead byte.  The few places found are
  // then held to the whole keys, eight bytes at once, before anything else
  // is read.
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t resume = 0;  // the words before it are read
#if defined(__SSE2__)
  const Splat* splats = splats_.data();
  const Splat* splats_end = splats + splats_.size();
  const __m128i kHigh = _mm_set1_epi8(static_cast<char>(0xc0));
  const __m128i kCase = _mm_set1_epi8(0x20);
  // Bit i set when p[i] and p[i + 1] may begin a key, p[0, 17) readable.
  // Bytes are compared with 0x20 set, which takes in both cases of a
  // letter (and a few control characters for a digit, which MayBegin
  // turns away).  Whether the word begins there is left to BeginsWord.
  auto scan = [&](const unsigned char* p) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    auto lead = static_cast<std::uint32_t>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, kHigh), v)));
    __m128i first = _mm_or_si128(v, kCase);
    __m128i second = _mm_or_si128(next, kCase);
    // A byte from 0x80 up after the first may be lower case of anything.
    __m128i second_high = _mm_cmplt_epi8(next, _mm_setzero_si128());
    __m128i any = _mm_setzero_si128();
    for (const Splat* s = splats; s != splats_end; ++s) {
      __m128i two = _mm_or_si128(
          _mm_cmpeq_epi8(
              second,
              _mm_load_si128(reinterpret_cast<const __m128i*>(s->second))),
          _mm_load_si128(reinterpret_cast<const __m128i*>(s->any_second)));
      any = _mm_or_si128(
          any, _mm_and_si128(
                   _mm_cmpeq_epi8(
                       first, _mm_load_si128(
                                  reinterpret_cast<const __m128i*>(s->first))),
                   _mm_or_si128(two, second_high)));
    }
    return static_cast<std::uint32_t>(_mm_movemask_epi8(any)) | lead;
  };
#else
  // Every word start: MayBegin alone decides.
  bool after_word = false;
  auto scan = [&](const unsigned char* p) {
    return WordStarts(p, &after_word);
  };
#endif
  unsigned char tail[17];
  for (std::size_t at = 0; at < n; at += 16) {
    const unsigned char* chunk = bytes + at;
    if (at + 17 > n) {
      std::memset(tail, 0, sizeof tail);  // NULs: neither word nor lead
      std::memcpy(tail, chunk, n - at);
      chunk = tail;
    }
    std::uint32_t starts = scan(chunk);
    for (; starts; starts &= starts - 1) {
      std::size_t p = at + static_cast<std::size_t>(__builtin_ctz(starts));
      if (p < resume) continue;
      if (bytes[p] < 0x80) {
        if (!MayBegin(bytes + p, n - p)) continue;
      } else {
        std::size_t len = 1;
        if (ClassifyUtf8(text, p, &len) != Kind::kWord) continue;
      }
      if (!BeginsWord(text, p)) continue;
      std::size_t end = WordEnd(text, p);
      resume = end;
      if (MayMatch(text, p, end)) {
        int term = Match(text.substr(p, end - p));
        if (term >= 0) hits_.push_back({p, end, term});
      }
    }
  }
}

void SnippetCutter::Split(std::string_view text, std::size_t from,
                          std::size_t to, bool sentence) {
  words_.clear();
  bool stop = false;  // a full stop since the last word
  std::size_t i = from, len = 0;
  while (i < to) {
    Kind k = Classify(text, i, &len);
    if (k != Kind::kWord) {
      if (k == Kind::kStop || (k == Kind::kSpace && stop)) {
        sentence = true;
      } else if (EndsSentence(text[i])) {
        stop = true;
      }
      i += len;
      continue;
    }
    std::size_t begin = i;
    i = WordEnd(text, i);
    int term = -1;
    if (!weights_.empty() && MayMatch(text, begin, i)) {
      term = Match(text.substr(begin, i - begin));
    }
    words_.push_back({begin, i, term, sentence});
    sentence = stop = false;
  }
}

// The first and last hit of the stretch of at most `length` bytes with the
// most weight: each distinct query word counts fully, repeats a tenth.
std::pair<std::size_t, std::size_t> SnippetCutter::Best(
    std::size_t length) const {
  const std::vector<Hit>& hits = hits_;
  std::vector<int> count(weights_.size(), 0);
  double score = 0, best = -1;
  std::pair<std::size_t, std::size_t> out{0, 0};
  auto add = [&](std::size_t h, int delta) {
    int t = hits[h].term;
    if (delta < 0) count[t] += delta;
    double part = count[t] == 0 ? weights_[t] : weights_[t] / 10;
    if (delta > 0) count[t] += delta;
    score += delta * part;
  };
  std::size_t j = 0;  // hits[i, j) are in the window
  for (std::size_t i = 0; i < hits.size(); ++i) {
    if (j <= i) {
      add(i, 1);
      j = i + 1;
    }
    while (j < hits.size() && hits[j].end - hits[i].begin <= length) {
      add(j, 1);
      ++j;
    }
    if (score > best + 1e-9) {
      best = score;
      out = {i, j - 1};
    }
    add(i, -1);
  }
  return out;
}

namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

// Whether a word ends at text[p]: an ASCII word character before it and
// white space at it.  The splitter's state there is known (just after a
// word), so a split may start there and agree with a split of all the text.
bool WordEndsAt(std::string_view text, std::size_t p) {
  return p > 0 && p < text.size() && IsAsciiSpace(text[p]) &&
         IsAsciiWord(static_cast<unsigned char>(text[p - 1]));
}

}  // namespace

std::string SnippetCutter::Cut(std::string_view text, std::size_t length,
                               std::string_view start, std::string_view end) {
  if (length == 0) return {};
  // The stretch to show is first chosen among the query's words: from the
  // beginning of one to the end of another (the first word of the text
  // when none is there).
  std::size_t core_begin = 0, core_end = 0;
  // The words split, text[from, to), and whether there are more either side.
  std::size_t from = 0, to = text.size();
  bool more_before = false, more_after = false;
  if (scan_ == Scan::kWholeText) {
    Split(text, 0, text.size(), true);
    hits_.clear();
    for (const Word& w : words_) {
      if (w.term >= 0) hits_.push_back({w.begin, w.end, w.term});
    }
  } else {
    FindHits(text);
  }
  if (!hits_.empty()) {
    auto [h, k] = Best(length);
    core_begin = hits_[h].begin;
    core_end = hits_[k].end;
  } else if (scan_ == Scan::kWholeText) {
    if (words_.empty()) return {};
    core_begin = words_.front().begin;
    core_end = words_.front().end;
  } else {
    std::size_t i = 0, len = 0;
    while (i < text.size() && Classify(text, i, &len) != Kind::kWord) i += len;
    if (i == text.size()) return {};  // no word at all
    core_begin = i;
    core_end = WordEnd(text, i);
  }
  if (scan_ == Scan::kAroundHits) {
    // Every word the stretch may take in lies within `length` bytes of it:
    // the split starts at the end of a word before that, and stops at the
    // end of one after it.
    std::size_t back =
        std::min(core_begin, core_end > length ? core_end - length : 0);
    from = back;
    while (from > 0 && !WordEndsAt(text, from)) --from;
    more_before = from > 0;
    std::size_t ahead = std::max(core_end, core_begin + length) + 1;
    to = std::min(ahead, text.size());
    while (to < text.size() && !WordEndsAt(text, to)) ++to;
    for (std::size_t i = to, len = 0; i < text.size() && !more_after;
         i += len) {
      more_after = Classify(text, i, &len) == Kind::kWord;
    }
    Split(text, from, to, !more_before);
  }
  // The stretch in words_.
  auto at = [&](std::size_t begin) {
    return static_cast<std::size_t>(
        std::lower_bound(
            words_.begin(), words_.end(), begin,
            [](const Word& w, std::size_t b) { return w.begin < b; }) -
        words_.begin());
  };
  std::size_t first = at(core_begin);
  std::size_t last = at(core_end) - 1;
  if (!more_before && !more_after &&
      words_.back().end - words_.front().begin <= length) {
    first = 0;  // the whole text fits
    last = words_.size() - 1;
  }
  core_begin = words_[first].begin;
  core_end = words_[last].end;
  // Begin at the sentence the first match is in when it fits; else lead in
  // with about a third of the bytes to spare.
  bool at_sentence = false;
  for (std::size_t k = first + 1; k-- > 0;) {
    if (core_end - words_[k].begin > length) break;
    if (words_[k].sentence) {
      first = k;
      at_sentence = true;
      break;
    }
  }
  if (!at_sentence && core_end - core_begin < length) {
    std::size_t lead = (length - (core_end - core_begin)) / 3;
    while (first > 0 && core_begin - words_[first - 1].begin <= lead) --first;
  }
  while (last + 1 < words_.size() &&
         words_[last + 1].end - words_[first].begin <= length) {
    ++last;
  }
  // At the end of the text: what is left goes before.
  if (last + 1 == words_.size() && !more_after && !at_sentence) {
    while (first > 0 && words_[last].end - words_[first - 1].begin <= length)
      --first;
  }

  std::string out;
  if (first > 0 || more_before) out += kEllipsis;
  if (words_[last].end - words_[first].begin > length) {
    // One word longer than the snippet.
    out += CutBytes(text.substr(words_[first].begin), length);
    out += kEllipsis;
    return out;
  }
  for (std::size_t k = first; k <= last; ++k) {
    const Word& w = words_[k];
    if (k > first) {
      AppendCollapsed(
          out, text.substr(words_[k - 1].end, w.begin - words_[k - 1].end));
    }
    std::string_view word = text.substr(w.begin, w.end - w.begin);
    if (w.term >= 0 && !start.empty()) {
      out.append(start).append(word).append(end);
    } else {
      out.append(word);
    }
  }
  // The punctuation right after the last word (a full stop, a comma).
  std::size_t tail = words_[last].end;
  std::size_t len = 0;
  while (tail < text.size() && Classify(text, tail, &len) == Kind::kOther &&
         tail + len - words_[first].begin <= length) {
    tail += len;
  }
  out.append(text.substr(words_[last].end, tail - words_[last].end));
  // More text follows; a whole sentence needs no mark.
  if ((last + 1 < words_.size() || more_after) &&
      !(tail > words_[last].end && EndsSentence(text[tail - 1]))) {
    out += kEllipsis;
  }
  return out;
}

}  // namespace evrepo::index
