// Word splitting for the site's search index, with Xapian's Unicode tables
// (the only use of Xapian in the core library).
#include "site_words.h"

#include <xapian.h>

namespace evrepo {

namespace {

bool IsWordChar(unsigned ch) {
  switch (Xapian::Unicode::get_category(ch)) {
    case Xapian::Unicode::UPPERCASE_LETTER:
    case Xapian::Unicode::LOWERCASE_LETTER:
    case Xapian::Unicode::TITLECASE_LETTER:
    case Xapian::Unicode::MODIFIER_LETTER:
    case Xapian::Unicode::OTHER_LETTER:
    case Xapian::Unicode::DECIMAL_DIGIT_NUMBER:
    case Xapian::Unicode::LETTER_NUMBER:
    case Xapian::Unicode::OTHER_NUMBER:
      return true;
    default:
      return false;
  }
}

bool EndsWith(const std::u32string& w, std::u32string_view s) {
  return w.size() >= s.size() &&
         w.compare(w.size() - s.size(), s.size(), s.data(), s.size()) == 0;
}

std::string Utf8(const std::u32string& w) {
  std::string out;
  for (char32_t c : w) Xapian::Unicode::append_utf8(out, c);
  return out;
}

}  // namespace

std::u32string SiteStem(std::u32string w) {
  if (EndsWith(w, U"ies") && w.size() > 4) {
    w.replace(w.size() - 3, 3, U"y");
  } else if (EndsWith(w, U"es") && w.size() > 4 &&
             (std::u32string_view(U"sxz").find(w[w.size() - 3]) !=
                  std::u32string_view::npos ||
              EndsWith(w, U"ches") || EndsWith(w, U"shes"))) {
    w.resize(w.size() - 2);
  } else if (EndsWith(w, U"s") && w.size() > 3 && !EndsWith(w, U"ss") &&
             !EndsWith(w, U"us") && !EndsWith(w, U"is")) {
    w.resize(w.size() - 1);
  }
  if (EndsWith(w, U"ing") && w.size() > 5) {
    w.resize(w.size() - 3);
  } else if (EndsWith(w, U"ed") && w.size() > 4) {
    w.resize(w.size() - 2);
  }
  return w;
}

namespace site_words_internal {

// SiteStem for a word of ASCII letters and digits, on its bytes: the same
// rules, without the conversions (most words of English prose).
void StemAscii(std::string& w) {
  auto ends = [&w](std::string_view s) {
    return w.size() >= s.size() &&
           w.compare(w.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("ies") && w.size() > 4) {
    w.replace(w.size() - 3, 3, "y");
  } else if (ends("es") && w.size() > 4 &&
             (std::string_view("sxz").find(w[w.size() - 3]) !=
                  std::string_view::npos ||
              ends("ches") || ends("shes"))) {
    w.resize(w.size() - 2);
  } else if (ends("s") && w.size() > 3 && !ends("ss") && !ends("us") &&
             !ends("is")) {
    w.resize(w.size() - 1);
  }
  if (ends("ing") && w.size() > 5) {
    w.resize(w.size() - 3);
  } else if (ends("ed") && w.size() > 4) {
    w.resize(w.size() - 2);
  }
}

std::size_t ReadWideWord(std::string_view text, std::size_t begin,
                         std::string* word) {
  // The word so far: in `ascii` while all its characters are ASCII, in
  // `wide` (code points) once one is not.
  std::string ascii;
  std::u32string wide;
  bool is_wide = false;
  auto finish = [&] {
    if (is_wide) {
      *word = Utf8(SiteStem(std::move(wide)));
    } else {
      StemAscii(ascii);
      *word = std::move(ascii);
    }
  };
  std::size_t i = begin;
  while (i < text.size()) {
    auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      if (!kAlnum.is[b]) break;
      char c = static_cast<char>(b >= 'A' && b <= 'Z' ? b | 0x20 : b);
      if (is_wide) {
        wide += static_cast<char32_t>(c);
      } else {
        ascii += c;
      }
      continue;
    }
    // One code point, decoded as Xapian decodes it (invalid bytes too).
    Xapian::Utf8Iterator it(text.data() + i, text.size() - i);
    unsigned ch = *it;
    std::size_t before = it.left();
    ++it;
    i += before - it.left();
    if (!IsWordChar(ch)) break;
    if (!is_wide) {
      wide.assign(ascii.begin(), ascii.end());
      ascii.clear();
      is_wide = true;
    }
    wide += static_cast<char32_t>(Xapian::Unicode::tolower(ch));
  }
  finish();
  return i;
}

}  // namespace site_words_internal

std::vector<std::string> SiteSearchWords(std::string_view text) {
  std::vector<std::string> out;
  ForEachSiteSearchWord(text,
                        [&out](std::string_view w) { out.emplace_back(w); });
  return out;
}

}  // namespace evrepo
