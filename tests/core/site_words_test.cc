// The site search's word splitting and stemming, against the examples that
// theme/assets/search.js is also checked against (tests/site/words.tsv).
#include "site_words.h"

#include <gtest/gtest.h>

#include <fstream>
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

}  // namespace
}  // namespace evrepo
