// Query-biased snippets; see snippet.h.
#include "snippet.h"

#include <cctype>

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

char AsciiLower(unsigned char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

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

std::size_t Head(std::string_view w) {
  auto a = static_cast<unsigned char>(w[0]);
  auto b = w.size() > 1 ? static_cast<unsigned char>(w[1]) : 0u;
  return (std::size_t{a} << 8) | b;
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
    const std::vector<std::pair<std::string, double>>& terms) {
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
    heads_.set(Head(word));
  }
}

inline bool SnippetCutter::MayMatch(std::string_view text, std::size_t begin,
                                    std::size_t end) const {
  // Most words cannot begin a query word: when the first two bytes are
  // ASCII, their lower case alone says so.
  auto b0 = static_cast<unsigned char>(text[begin]);
  auto b1 = end - begin > 1 ? static_cast<unsigned char>(text[begin + 1]) : 0u;
  if (b0 >= 0x80 || b1 >= 0x80) return true;
  return heads_.test(
      (std::size_t{static_cast<unsigned char>(AsciiLower(b0))} << 8) |
      static_cast<unsigned char>(AsciiLower(b1)));
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
  if (lower_.empty() || !heads_.test(Head(lower_))) return -1;
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

void SnippetCutter::Split(std::string_view text) {
  words_.clear();
  hits_.clear();
  bool sentence = true;  // the next word begins a sentence
  bool stop = false;     // a full stop since the last word
  std::size_t i = 0, len = 0;
  while (i < text.size()) {
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
    // A word: word characters, joined by single infix characters.
    std::size_t begin = i;
    while (i < text.size()) {
      while (i < text.size() &&
             IsAsciiWord(static_cast<unsigned char>(text[i])))
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
    int term = -1;
    if (!weights_.empty() && MayMatch(text, begin, i)) {
      term = Match(text.substr(begin, i - begin));
    }
    if (term >= 0) hits_.push_back(words_.size());
    words_.push_back({begin, i, term, sentence});
    sentence = stop = false;
  }
}

// The first and last word of the stretch of at most `length` bytes with
// the most weight: each distinct query word counts fully, repeats a tenth.
std::pair<std::size_t, std::size_t> SnippetCutter::Best(
    std::size_t length) const {
  const std::vector<std::size_t>& hits = hits_;
  if (hits.empty()) return {0, 0};
  std::vector<int> count(weights_.size(), 0);
  double score = 0, best = -1;
  std::pair<std::size_t, std::size_t> out{hits[0], hits[0]};
  auto add = [&](std::size_t w, int delta) {
    int t = words_[w].term;
    if (delta < 0) count[t] += delta;
    double part = count[t] == 0 ? weights_[t] : weights_[t] / 10;
    if (delta > 0) count[t] += delta;
    score += delta * part;
  };
  std::size_t j = 0;  // hits[i, j) are in the window
  for (std::size_t i = 0; i < hits.size(); ++i) {
    if (j <= i) {
      add(hits[i], 1);
      j = i + 1;
    }
    while (j < hits.size() &&
           words_[hits[j]].end - words_[hits[i]].begin <= length) {
      add(hits[j], 1);
      ++j;
    }
    if (score > best + 1e-9) {
      best = score;
      out = {hits[i], hits[j - 1]};
    }
    add(hits[i], -1);
  }
  return out;
}

std::string SnippetCutter::Cut(std::string_view text, std::size_t length,
                               std::string_view start, std::string_view end) {
  Split(text);
  if (words_.empty() || length == 0) return {};
  auto [first, last] = Best(length);
  if (words_.back().end - words_.front().begin <= length) {
    first = 0;  // the whole text fits
    last = words_.size() - 1;
  }
  const std::size_t core_begin = words_[first].begin;
  const std::size_t core_end = words_[last].end;
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
  if (last + 1 == words_.size() && !at_sentence) {
    while (first > 0 && words_[last].end - words_[first - 1].begin <= length)
      --first;
  }

  std::string out;
  if (first > 0) out += kEllipsis;
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
  if (last + 1 < words_.size() &&
      !(tail > words_[last].end && EndsSentence(text[tail - 1]))) {
    out += kEllipsis;
  }
  return out;
}

}  // namespace evrepo::index
