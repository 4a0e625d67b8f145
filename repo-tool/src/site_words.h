// The words of the site's search index.  theme/assets/search.js finds words
// in a query the same way; the two must agree exactly (the rules are
// written out at the top of search.js).
#ifndef EVREPO_SITE_WORDS_H_
#define EVREPO_SITE_WORDS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace evrepo {

// Runs of Unicode letters and digits (categories L* and N*), lower-cased
// code point by code point, stemmed; UTF-8.
std::vector<std::string> SiteSearchWords(std::string_view text);

// The same words, one call each, in order; `f`'s view lasts for its call.
template <class F>
void ForEachSiteSearchWord(std::string_view text, F&& f);

// The light English stemmer shared with search.js, on a lower-case word.
std::u32string SiteStem(std::u32string word);

namespace site_words_internal {

// ASCII letters and digits.
struct AsciiAlnum {
  bool is[128];
  constexpr AsciiAlnum() : is() {
    for (int c = 0; c < 128; ++c) {
      is[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9');
    }
  }
};
inline constexpr AsciiAlnum kAlnum;

// SiteStem on a word of ASCII letters and digits, in place.
void StemAscii(std::string& w);

// The word that begins at text[begin] and reaches a byte from 0x80 up, read
// code point by code point into `word` (empty when it is none: a character
// that is not a letter or digit); returns where reading goes on.
std::size_t ReadWideWord(std::string_view text, std::size_t begin,
                         std::string* word);

}  // namespace site_words_internal

// Most words are ASCII: they are read here, inline, and the rest by
// ReadWideWord.
template <class F>
void ForEachSiteSearchWord(std::string_view text, F&& f) {
  using namespace site_words_internal;
  const char* p = text.data();
  const std::size_t n = text.size();
  std::string word;
  for (std::size_t i = 0; i < n;) {
    auto b = static_cast<unsigned char>(p[i]);
    if (b < 0x80 && !kAlnum.is[b]) {
      ++i;
      continue;
    }
    std::size_t begin = i;
    while (i < n && static_cast<unsigned char>(p[i]) < 0x80 &&
           kAlnum.is[static_cast<unsigned char>(p[i])]) {
      ++i;
    }
    if (i < n && static_cast<unsigned char>(p[i]) >= 0x80) {
      i = ReadWideWord(text, begin, &word);
      if (!word.empty()) f(std::string_view(word));
      continue;
    }
    word.resize(i - begin);
    for (std::size_t k = 0; k < word.size(); ++k) {
      char c = p[begin + k];
      word[k] = c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
    }
    StemAscii(word);
    f(std::string_view(word));
  }
}

}  // namespace evrepo

#endif  // EVREPO_SITE_WORDS_H_
