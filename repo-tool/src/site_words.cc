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

std::vector<std::string> SiteSearchWords(std::string_view text) {
  std::vector<std::string> out;
  std::u32string word;
  for (Xapian::Utf8Iterator it(text.data(), text.size());
       it != Xapian::Utf8Iterator(); ++it) {
    unsigned ch = *it;
    if (IsWordChar(ch)) {
      word += static_cast<char32_t>(Xapian::Unicode::tolower(ch));
    } else if (!word.empty()) {
      out.push_back(Utf8(SiteStem(word)));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(Utf8(SiteStem(word)));
  return out;
}

}  // namespace evrepo
