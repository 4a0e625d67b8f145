// The site search's word splitting and stemming, against the examples that
// theme/assets/search.js is also checked against (tests/site/words.tsv).
#include "site_words.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace evrepo {
namespace {

TEST(SiteSearchWords, AgreeWithTheSharedExamples) {
  std::ifstream in(std::string(EVREPO_TEST_FIXTURES) + "/../site/words.tsv");
  ASSERT_TRUE(in) << "tests/site/words.tsv is missing";
  int cases = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    std::string got;
    for (const std::string& w : SiteSearchWords(line.substr(0, tab))) {
      got += (got.empty() ? "" : " ") + w;
    }
    EXPECT_EQ(got, line.substr(tab + 1)) << "for: " << line.substr(0, tab);
    ++cases;
  }
  EXPECT_GE(cases, 5);
}

TEST(SiteSearchWords, LengthsCountCodePointsNotBytes) {
  // "cafés" is 5 code points (6 bytes): long enough to lose its "s".
  EXPECT_EQ(SiteSearchWords("cafés"), std::vector<std::string>{"café"});
  // "ñus" keeps "us"; "ñes" is too short for the "es" rule.
  EXPECT_EQ(SiteSearchWords("años"), std::vector<std::string>{"año"});
}

// Words are read as bytes while they are ASCII and as code points once
// they are not; a word that turns wide midway keeps its first letters.
TEST(SiteSearchWords, WordsThatTurnWideMidwayAreWhole) {
  EXPECT_EQ(SiteSearchWords("Naïve Zürichs co-opérations"),
            (std::vector<std::string>{"naïve", "zürich", "co", "opération"}));
  EXPECT_EQ(SiteSearchWords("ABCé"), std::vector<std::string>{"abcé"});
}

// The ASCII path stems exactly as SiteStem does, on every word of the
// sample corpus.
TEST(SiteSearchWords, AsciiWordsStemAsSiteStemDoes) {
  std::set<std::string> words;
  for (const auto& e : std::filesystem::recursive_directory_iterator(
           std::string(EVREPO_TEST_FIXTURES) + "/../../corpus")) {
    if (e.path().extension() != ".md") continue;
    std::ifstream in(e.path());
    std::string word;
    for (char c; in.get(c);) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (!word.empty()) {
        words.insert(word);
        word.clear();
      }
    }
  }
  ASSERT_GT(words.size(), 3000u);
  for (const std::string& w : words) {
    std::u32string stemmed = SiteStem(std::u32string(w.begin(), w.end()));
    std::string expected(stemmed.begin(), stemmed.end());
    EXPECT_EQ(SiteSearchWords(w), std::vector<std::string>{expected}) << w;
  }
}

}  // namespace
}  // namespace evrepo
