// Tests of the text utilities: UTF-8 validation, positions, slugs and
// "did you mean" suggestions.
#include "evrepo/text.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace evrepo {
namespace {

TEST(FindInvalidUtf8, AcceptsValidText) {
  EXPECT_EQ(FindInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("plain ASCII"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("\xF4\x8F\xBF\xBF"), std::nullopt);  // U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xED\x9F\xBF"), std::nullopt);      // U+D7FF
}

TEST(FindInvalidUtf8, RefusesOverlongForms) {
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);  // '/' in two bytes
  EXPECT_EQ(FindInvalidUtf8("ab\xC1\xBF"), 2u);
  EXPECT_EQ(FindInvalidUtf8("a\xE0\x80\xAF"), 1u);      // three bytes
  EXPECT_EQ(FindInvalidUtf8("a\xF0\x80\x80\xAF"), 1u);  // four bytes
}

TEST(FindInvalidUtf8, RefusesSurrogates) {
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);  // U+D800
  EXPECT_EQ(FindInvalidUtf8("x\xED\xBF\xBF"), 1u);  // U+DFFF
}

TEST(FindInvalidUtf8, RefusesCodePointsPastU10FFFF) {
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(FindInvalidUtf8("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xFF"), 0u);
}

TEST(FindInvalidUtf8, RefusesTruncatedSequences) {
  EXPECT_EQ(FindInvalidUtf8("abc\xE2\x82"), 3u);   // at the end
  EXPECT_EQ(FindInvalidUtf8("abc\xE2\x82x"), 3u);  // interrupted
  EXPECT_EQ(FindInvalidUtf8("\xC3"), 0u);
}

TEST(FindInvalidUtf8, RefusesStrayContinuationByte) {
  EXPECT_EQ(FindInvalidUtf8("ok\x80"), 2u);
}

TEST(FindInvalidUtf8, Windows1252Byte) {
  EXPECT_EQ(FindInvalidUtf8("Caf\xE9 au lait"), 3u);
}

TEST(LineColumn, CountsLinesAndByteColumns) {
  std::string_view s = "ab\ncd\n\nef";
  EXPECT_EQ(LineColumn(s, 0), std::make_pair(1, 1));
  EXPECT_EQ(LineColumn(s, 1), std::make_pair(1, 2));
  EXPECT_EQ(LineColumn(s, 2), std::make_pair(1, 3));  // the newline itself
  EXPECT_EQ(LineColumn(s, 3), std::make_pair(2, 1));
  EXPECT_EQ(LineColumn(s, 6), std::make_pair(3, 1));
  EXPECT_EQ(LineColumn(s, 8), std::make_pair(4, 2));
}

TEST(LineColumn, ColumnsCountBytesNotCharacters) {
  EXPECT_EQ(LineColumn("\xC3\xA9x", 2), std::make_pair(1, 3));
}

TEST(LineColumn, OffsetPastEndIsClamped) {
  EXPECT_EQ(LineColumn("ab", 99), std::make_pair(1, 3));
}

TEST(IsSlug, AcceptsLowerCaseWordsJoinedByHyphens) {
  EXPECT_TRUE(IsSlug("case-study-2"));
  EXPECT_TRUE(IsSlug("a"));
  EXPECT_TRUE(IsSlug("2006"));
}

TEST(IsSlug, RefusesEverythingElse) {
  EXPECT_FALSE(IsSlug(""));
  EXPECT_FALSE(IsSlug("-a"));
  EXPECT_FALSE(IsSlug("a-"));
  EXPECT_FALSE(IsSlug("a--b"));
  EXPECT_FALSE(IsSlug("Case-study"));
  EXPECT_FALSE(IsSlug("a_b"));
  EXPECT_FALSE(IsSlug("a b"));
  EXPECT_FALSE(IsSlug("caf\xC3\xA9"));
}

TEST(Slugify, LowerCasesAndJoinsWords) {
  EXPECT_EQ(Slugify("Harbour Kitchen, wave 4"), "harbour-kitchen-wave-4");
}

TEST(Slugify, FoldsRunsOfPunctuationAndTrimsEnds) {
  EXPECT_EQ(Slugify("  --Social -- Value!?  "), "social-value");
  EXPECT_EQ(Slugify("Acme_Wave"), "acme-wave");
  EXPECT_EQ(Slugify("a/b.c"), "a-b-c");
}

TEST(Slugify, RemovesAccents) {
  EXPECT_EQ(Slugify("Caf\xC3\xA9 na\xC3\xAFve \xC3\x85ngstr\xC3\xB6m"),
            "cafe-naive-angstrom");
  EXPECT_EQ(Slugify("\xC3\x89"
                    "COLE"),
            "ecole");
}

TEST(Slugify, DropsAsciiApostrophes) {
  EXPECT_EQ(Slugify("Pathfinder's guide"), "pathfinders-guide");
}

TEST(Slugify, DropsTypographicApostrophes) {
  // U+2019 RIGHT SINGLE QUOTATION MARK, as word processors write "'".
  EXPECT_EQ(Slugify("Pathfinder\xE2\x80\x99s guide"), "pathfinders-guide");
}

TEST(Slugify, NonLatinTextBecomesHyphens) {
  EXPECT_EQ(Slugify("\xE6\x97\xA5\xE6\x9C\xAC report"), "report");
  EXPECT_EQ(Slugify("2006 \xC3\x97 3"), "2006-3");  // multiplication sign
}

TEST(Slugify, EmptyWhenNothingUsable) {
  EXPECT_EQ(Slugify(""), "");
  EXPECT_EQ(Slugify("!!! ---"), "");
  EXPECT_EQ(Slugify("\xE6\x97\xA5\xE6\x9C\xAC"), "");
}

TEST(Slugify, ResultIsASlug) {
  for (const char* s : {"Hello, World", "  x  ", "A--B", "caf\xC3\xA9!"}) {
    EXPECT_TRUE(IsSlug(Slugify(s))) << s;
  }
}

const std::vector<std::string> kTypes = {"case-study", "policy-response",
                                         "research-report", "toolkit"};

TEST(Suggest, FindsATypo) {
  EXPECT_EQ(Suggest("case-stdy", kTypes), "case-study");
  EXPECT_EQ(Suggest("toolkitt", kTypes), "toolkit");
}

TEST(Suggest, FindsATransposition) {
  EXPECT_EQ(Suggest("toolkti", kTypes), "toolkit");
  EXPECT_EQ(Suggest("grwoing", {"start-up", "growing", "established"}),
            "growing");
}

TEST(Suggest, IgnoresCase) {
  EXPECT_EQ(Suggest("TOOLKIT", kTypes), "toolkit");
  EXPECT_EQ(Suggest("Case-Study", kTypes), "case-study");
}

TEST(Suggest, NothingWhenNothingIsClose) {
  EXPECT_EQ(Suggest("zebra", kTypes), std::nullopt);
  EXPECT_EQ(Suggest("x", kTypes), std::nullopt);
  EXPECT_EQ(Suggest("", kTypes), std::nullopt);
  EXPECT_EQ(Suggest("toolkit", {}), std::nullopt);
}

TEST(Suggest, ContainedWordIsAGuess) {
  EXPECT_EQ(Suggest("coalition",
                    {"Northfield City Council", "Social Enterprise Coalition"}),
            "Social Enterprise Coalition");
}

TEST(Suggest, TiesGoToTheEarlierCandidate) {
  EXPECT_EQ(Suggest("cat", {"bat", "hat"}), "bat");
}

TEST(Suggest, VeryLongWordsAreNotTypos) {
  EXPECT_EQ(Suggest(std::string(500, 'a'), {std::string(500, 'a')}),
            std::nullopt);
}

TEST(Trim, RemovesAsciiWhiteSpaceAtBothEnds) {
  EXPECT_EQ(Trim("  a b \t\n"), "a b");
  EXPECT_EQ(Trim(" \n "), "");
}

TEST(Digest, IsFnv1a64InHexStableAndTellsInputsApart) {
  EXPECT_EQ(Digest(""), "cbf29ce484222325");  // FNV-1a's offset basis
  EXPECT_EQ(Digest("a"), "af63dc4c8601ec8c");
  EXPECT_NE(Digest("ab"), Digest("ba"));
  EXPECT_EQ(Digest("index.html"), Digest(std::string("index.html")));
}

TEST(KeyDigest, DoesNotDependOnHowTheBytesArePieced) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>('a' + i * 7 % 26);
  const std::string whole = KeyDigest(text);
  EXPECT_EQ(whole.size(), 16u);
  for (std::size_t step : {1u, 2u, 3u, 5u, 7u, 8u, 9u, 15u, 16u, 17u, 64u}) {
    KeyDigester d;
    for (std::size_t at = 0; at < text.size(); at += step) {
      d.Add(std::string_view(text).substr(at, step));
    }
    EXPECT_EQ(d.Hex(), whole) << "pieces of " << step;
  }
  KeyDigester d;
  d.Add("");
  d.Add(std::string_view());
  d.Add(text);
  d.Add("");
  EXPECT_EQ(d.Hex(), whole);
  EXPECT_EQ(d.Hex(), whole);  // Hex leaves the digester as it was
}

TEST(KeyDigest, TellsInputsApart) {
  std::set<std::string> seen;
  std::vector<std::string> inputs = {"",
                                     std::string(1, '\0'),
                                     std::string(2, '\0'),
                                     "a",
                                     "b",
                                     "ab",
                                     "ba",
                                     "abcdefgh",
                                     "abcdefgh" + std::string(1, '\0'),
                                     "abcdefghi",
                                     "abcdefgi"};
  for (int i = 0; i < 1000; ++i) inputs.push_back("page-" + std::to_string(i));
  for (const std::string& in : inputs) {
    EXPECT_TRUE(seen.insert(KeyDigest(in)).second) << "for '" << in << "'";
  }
}

}  // namespace
}  // namespace evrepo
