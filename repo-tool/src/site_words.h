// The words of the site's search index.  theme/assets/search.js finds words
// in a query the same way; the two must agree exactly (the rules are
// written out at the top of search.js).
#ifndef EVREPO_SITE_WORDS_H_
#define EVREPO_SITE_WORDS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace evrepo {

// Runs of Unicode letters and digits (categories L* and N*), lower-cased
// code point by code point, stemmed; UTF-8.
std::vector<std::string> SiteSearchWords(std::string_view text);

// The same words, one call each, in order; `f`'s view lasts for its call.
void ForEachSiteSearchWord(std::string_view text,
                           const std::function<void(std::string_view)>& f);

// The light English stemmer shared with search.js, on a lower-case word.
std::u32string SiteStem(std::u32string word);

}  // namespace evrepo

#endif  // EVREPO_SITE_WORDS_H_
