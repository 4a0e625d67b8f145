// Tests of SnippetCutter (snippet.h): the window it picks, its bounds and
// marks, and that it splits words as Xapian's TermGenerator does.
#include "snippet.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <cctype>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace evrepo::index {
namespace {

using Terms = std::vector<std::pair<std::string, double>>;

std::string Cut(const Terms& terms, const std::string& text,
                std::size_t length = 160) {
  SnippetCutter cutter(terms);
  return cutter.Cut(text, length, "[", "]");
}

std::size_t Count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = s.find(what); p != std::string::npos;
       p = s.find(what, p + 1)) {
    ++n;
  }
  return n;
}

TEST(SnippetTest, MarksEveryFormOfAStemmedWord) {
  std::string s = Cut({{"Zclaus", 1}},
                      "A clause here. Two clauses there. Clause, clauses.");
  EXPECT_EQ(s, "A [clause] here. Two [clauses] there. [Clause], [clauses].");
}

// The cutter reads a word only when it begins with all but the last letter
// of a query word's stem (snippet.h).  Every form here, in three cases, is
// marked by its own stem: the suffixes the stemmer rewrites ("-biliti" to
// "-ble", "y" to "i", an "e" put back) and the forms it knows by name.
TEST(SnippetTest, EveryFormIsFoundByTheBeginningOfItsStem) {
  const std::string words[] = {"happy",        "happiness",
                               "happily",      "hoping",
                               "hoped",        "hopping",
                               "conflating",   "organization",
                               "organizer",    "organizational",
                               "generously",   "possibility",
                               "possibly",     "sensitivity",
                               "electricity",  "electrical",
                               "formality",    "presently",
                               "operator",     "operational",
                               "creation",     "rotational",
                               "agreed",       "agreeing",
                               "skies",        "sky",
                               "skis",         "news",
                               "ugly",         "early",
                               "only",         "singly",
                               "gently",       "idly",
                               "running",      "controlled",
                               "communities",  "community",
                               "procurement",  "procuring",
                               "societies",    "socially",
                               "tendering",    "commissioning",
                               "consortia",    "reoffending",
                               "thresholds",   "lotting",
                               "clauses",      "contractors",
                               "enterprising", "cooperatives",
                               "partner's",    "atlas",
                               "bias",         "cosmos",
                               "fully",        "usefulness",
                               "hopefulness",  "decisiveness",
                               "analysis",     "analyses",
                               "criteria",     "us",
                               "is",           "a",
                               "ability",      "liability",
                               "stability",    "responsibility",
                               "feasibility",  "accessibility"};
  Xapian::Stem english("english");
  for (const std::string& word : words) {
    std::string upper = word, title = word;
    for (char& c : upper) c = static_cast<char>(std::toupper(c));
    title[0] = static_cast<char>(std::toupper(title[0]));
    std::string text = "Before " + word + " and " + title + " and " + upper +
                       " after, " + word + "s.";
    std::string s = Cut({{"Z" + english(word), 1}}, text, 1000);
    EXPECT_NE(s.find("[" + word + "]"), std::string::npos) << s;
    EXPECT_NE(s.find("[" + title + "]"), std::string::npos) << s;
    EXPECT_NE(s.find("[" + upper + "]"), std::string::npos) << s;
  }
}

// A word is read through its UTF-8 even where its lower case turns out
// ASCII: the Kelvin sign is a capital K.
TEST(SnippetTest, ALetterWhoseLowerCaseIsAsciiIsStillRead) {
  EXPECT_EQ(Cut({{"key", 1}}, "A \u212aey and a key."),
            "A [\u212aey] and a [key].");
  EXPECT_EQ(Cut({{"Zkey", 1}}, "Two \u212aeys."), "Two [\u212aeys].");
  EXPECT_EQ(Cut({{"Zprocur", 1}}, "Pro\u200bcurement here."),
            "[Pro\u200bcurement] here.");
}

TEST(SnippetTest, ExactTermsMatchTheWordItselfInAnyCase) {
  EXPECT_EQ(
      Cut({{"plate", 1}, {"waste", 1}}, "Plate waste fell; plates wasted."),
      "[Plate] [waste] fell; plates wasted.");
}

TEST(SnippetTest, FieldTermsAreNotLookedFor) {
  EXPECT_EQ(Cut({{"Kclause", 1}, {"XTYPEcase", 1}}, "A clause in a case."),
            "A clause in a case.");
}

TEST(SnippetTest, PicksTheStretchWithTheMostDistinctWords) {
  std::string filler;
  for (int i = 0; i < 40; ++i) filler += "Nothing to see here at all. ";
  std::string text = "Social value. " + filler +
                     "Social clauses in procurement work. " + filler +
                     "Social social social.";
  std::string s = Cut({{"Zsocial", 1}, {"Zclaus", 1}, {"Zprocur", 1}}, text);
  EXPECT_EQ(s.rfind("…[Social] [clauses] in [procurement] work. Nothing", 0),
            0u)
      << s;
}

TEST(SnippetTest, BeginsAtTheSentenceOfTheMatchWhenItFits) {
  std::string text =
      "First sentence is long enough to push things along. Greenway won "
      "its first kerbside contract in 2005. Then more happened later on.";
  std::string s = Cut({{"Zkerbsid", 1}}, text, 80);
  EXPECT_EQ(s.rfind("…Greenway won its first [kerbside] contract", 0), 0u) << s;
}

TEST(SnippetTest, LeadsInMidSentenceWhenTheSentenceIsTooLong) {
  std::string text = "This sentence";
  for (int i = 0; i < 30; ++i) text += " goes on";
  text += " until the kerbside word and stops.";
  std::string s = Cut({{"Zkerbsid", 1}}, text, 60);
  EXPECT_EQ(s.rfind("…", 0), 0u) << s;
  EXPECT_NE(s.find("[kerbside]"), std::string::npos) << s;
  EXPECT_NE(s.find("on until"), std::string::npos) << "some lead-in: " << s;
}

TEST(SnippetTest, StaysWithinTheLengthInWholeWords) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "word" + std::to_string(i) + " ";
  text += "target ";
  for (int i = 0; i < 200; ++i) text += "more" + std::to_string(i) + " ";
  SnippetCutter cutter({{"target", 1}});
  for (std::size_t length : {10u, 40u, 60u, 160u, 400u}) {
    std::string s = cutter.Cut(text, length, "", "");
    std::string body = s;
    for (std::size_t p; (p = body.find("…")) != std::string::npos;)
      body.erase(p, std::string("…").size());
    EXPECT_LE(body.size(), length) << s;
    EXPECT_NE(s.find("target"), std::string::npos) << length << ": " << s;
    EXPECT_EQ(s.find("  "), std::string::npos) << s;
  }
}

TEST(SnippetTest, WithoutMatchesGivesTheBeginning) {
  EXPECT_EQ(Cut({{"Zabsent", 1}}, "One two three four five six.", 14),
            "One two three…");
  EXPECT_EQ(Cut({}, "One two.\nThree."), "One two. Three.");
}

TEST(SnippetTest, CollapsesWhiteSpace) {
  EXPECT_EQ(Cut({{"b", 1}}, "a\n\n  b\t\tc"), "a [b] c");
}

TEST(SnippetTest, EmptyAndWordlessTexts) {
  EXPECT_EQ(Cut({{"a", 1}}, ""), "");
  EXPECT_EQ(Cut({{"a", 1}}, " -- ... !"), "");
  EXPECT_EQ(Cut({{"a", 1}}, "a", 0), "");
}

TEST(SnippetTest, AWordLongerThanTheSnippetIsCutAtACharacter) {
  std::string word;
  for (int i = 0; i < 50; ++i) word += "é";  // two bytes each
  std::string s = Cut({}, word + " end", 15);
  EXPECT_EQ(s, "ééééééé…");
}

TEST(SnippetTest, MarkersCanBeEmpty) {
  SnippetCutter cutter({{"b", 1}});
  EXPECT_EQ(cutter.Cut("a b c", 160, "", ""), "a b c");
}

TEST(SnippetTest, MalformedUtf8IsPassedThroughWithoutReadingPastTheEnd) {
  std::string text = "ok \xff\xfe bad \xe2\x80";
  std::string s = Cut({{"bad", 1}}, text);
  EXPECT_NE(s.find("[bad]"), std::string::npos) << s;
}

// Any bytes at all: no crash, no read past the text, and never more than
// the length asked for plus the two marks of text left out.
TEST(SnippetTest, ArbitraryBytesStayInBounds) {
  std::mt19937 random(6);
  const std::string alphabet[] = {
      "a",        "b", "ab", " ",    ".",    "\n",           "'",
      "&",        "1", ",",  "\xc3", "\xa9", "\xe2\x80\x99", "\xff",
      "\xf0\x9f", "Z"};
  SnippetCutter cutter({{"ab", 1}, {"Zab", 2}, {"b", 1}});
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    std::size_t pieces = random() % 80;
    for (std::size_t i = 0; i < pieces; ++i) text += alphabet[random() % 16];
    std::size_t length = random() % 40;
    std::string s = cutter.Cut(text, length, "", "");
    EXPECT_LE(s.size(), length + 2 * std::string("…").size()) << text;
  }
}

// Splitting only around the stretch chosen gives what splitting the whole
// text gives: for any bytes, and for prose with sentences, paragraphs,
// numbers, apostrophes and accents, at every length.
TEST(SnippetTest, SplittingAroundTheHitsAgreesWithSplittingAll) {
  std::mt19937 random(1127);
  const Terms kTerms[] = {
      {{"ab", 1}, {"Zab", 2}, {"b", 1}, {"éb", 1}, {"1b", 1}},
      {{"Zsocial", 2}, {"Zclaus", 1}, {"procurement", 1}, {"000", 1}, {"5", 1}},
      {{"Zéconomi", 1}, {"o'neill", 1}},
      {{"Zabsent", 1}},
      {}};
  const std::vector<std::string> bytes = {
      "a",        "b", "ab", " ",    ".",    "\n",           "'",
      "&",        "1", ",",  "\xc3", "\xa9", "\xe2\x80\x99", "\xff",
      "\xf0\x9f", "Z", ";",  "é",    "–",    "\xe2\x80\x8b"};
  const std::string words[] = {
      "social",  "Social",     "clauses", "value", "procurement", "the",
      "council", "économie",   "O'Neill", "2.5",   "1,000",       "AT&T",
      "co-op",   "l’économie", "clause.", "works", "ab",          "b"};
  const std::string gaps[] = {" ",    " ",  " ",   ". ", ", ", ".\n",
                              "\n\n", "; ", " – ", "! ", "? ", ".) "};
  for (int round = 0; round < 6000; ++round) {
    std::string text;
    if (round % 2 == 0) {
      std::size_t pieces = random() % 400;
      for (std::size_t i = 0; i < pieces; ++i)
        text += bytes[random() % bytes.size()];
    } else {
      std::size_t n = random() % 300;
      for (std::size_t i = 0; i < n; ++i) {
        text += words[random() % 18];
        text += gaps[random() % 12];
      }
    }
    const Terms& terms = kTerms[random() % 5];
    std::size_t length = random() % 4 == 0 ? random() % 20 : random() % 300;
    SnippetCutter around(terms), whole(terms, SnippetCutter::Scan::kWholeText);
    ASSERT_EQ(around.Cut(text, length, "[", "]"),
              whole.Cut(text, length, "[", "]"))
        << "round " << round << ", length " << length << ": " << text;
  }
}

// Every word Xapian's TermGenerator indexes as an unstemmed term is marked
// exactly as often as the term occurs, and a stemmed term at least as often
// (the cutter also stems capitalised words).
TEST(SnippetTest, SplitsWordsAsXapianDoes) {
  const std::string text =
      "The partner's bid – a “consortium” of co-operatives – won £1,000 "
      "and 2.5% more; AT&T-style deals were not considered. "
      "Économie sociale, l’économie solidaire: ÉCONOMIE! "
      "Pre-qualification questionnaire (PQQ) snake_case words… "
      "Voilà—fin. O’Neill’s firm·s work; 3;4 items, 10,5 units.\n"
      "Ελληνικά κείμενα and 日本語 and emoji 😀 end.";
  Xapian::TermGenerator gen;
  gen.set_stemmer(Xapian::Stem("english"));
  gen.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  Xapian::Document doc;
  gen.set_document(doc);
  gen.index_text(text);
  std::size_t checked = 0;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    std::string term = *t;
    std::string s = Cut({{term, 1}}, text, 10000);
    if (term[0] == 'Z') {
      EXPECT_GE(Count(s, "["), t.get_wdf()) << term << ": " << s;
    } else {
      EXPECT_EQ(Count(s, "["), t.get_wdf()) << term << ": " << s;
    }
    ++checked;
  }
  EXPECT_GT(checked, 40u);
}

}  // namespace
}  // namespace evrepo::index
