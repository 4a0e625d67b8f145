// The site search index's term parts: what TermChunker writes,
// ParseTermPart reads back whole, and it refuses anything TermChunker
// would not have written (a re-publish then makes the index afresh).
#include "site_terms.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

namespace evrepo {
namespace {

using Terms = std::map<std::string, std::vector<Posting>>;

bool Same(const Terms& a, const Terms& b) {
  if (a.size() != b.size()) return false;
  for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
    if (i->first != j->first || i->second.size() != j->second.size()) {
      return false;
    }
    for (std::size_t k = 0; k < i->second.size(); ++k) {
      if (i->second[k].doc != j->second[k].doc ||
          i->second[k].value != j->second[k].value) {
        return false;
      }
    }
  }
  return true;
}

// Every part TermChunker cuts `terms` into, read back and merged.
Terms RoundTrip(const Terms& terms, std::size_t* parts = nullptr) {
  TermChunker chunker;
  for (const auto& [term, list] : terms) chunker.Add(term, list);
  chunker.Flush();
  Terms back;
  std::vector<TermPart> cut = chunker.Take();
  if (parts) *parts = cut.size();
  for (const TermPart& part : cut) {
    Terms one;
    EXPECT_TRUE(ParseTermPart(part.json, &one)) << part.json.substr(0, 200);
    EXPECT_EQ(one.begin()->first, part.first);
    back.insert(one.begin(), one.end());
  }
  return back;
}

TEST(SiteTerms, WhatIsWrittenIsReadBack) {
  Terms terms = {
      {"2009", {{0, 3}, {7, 61}}},
      {"café", {{4294967290u, 60}, {4294967295u, 2}}},
      {"procur", {{0, 2}, {1, 2}, {2, 5}, {1000, 59}}},
      {"quote\"and\\slash", {{5, 7}}},
      {"zero", {{0, 0}}},
  };
  Terms back = RoundTrip(terms);
  EXPECT_TRUE(Same(back, terms));
}

TEST(SiteTerms, ManyTermsAreCutIntoPartsThatEachRead) {
  Terms terms;
  for (int i = 0; i < 3000; ++i) {
    auto& list = terms["term" + std::to_string(100000 + i)];
    for (std::uint32_t d = 0; d < 12; ++d) list.push_back({d * 37 + i % 5, d});
  }
  std::size_t parts = 0;
  Terms back = RoundTrip(terms, &parts);
  EXPECT_GT(parts, 5u);
  EXPECT_TRUE(Same(back, terms));
}

// Written by hand when no escape is needed, a term is what the JSON
// serialiser writes, whatever its bytes.
TEST(SiteTerms, TermsAreWrittenAsTheJsonSerialiserWritesThem) {
  const std::vector<std::string> terms = {"procur",
                                          "café",
                                          "2009",
                                          "a\"b",
                                          "back\\slash",
                                          "tab\there",
                                          {"nul\0byte", 8},
                                          "del\x7f",
                                          "bad\xff\xfeutf8",
                                          "\xe2\x82",
                                          "emoji\xf0\x9f\x98\x80"};
  for (const std::string& term : terms) {
    TermChunker chunker;
    chunker.Add(term, {{0, 1}});
    chunker.Flush();
    std::vector<TermPart> parts = chunker.Take();
    ASSERT_EQ(parts.size(), 1u);
    std::string expected =
        "{" +
        nlohmann::json(term).dump(-1, ' ', false,
                                  nlohmann::json::error_handler_t::replace) +
        ":[0,1]}";
    EXPECT_EQ(parts[0].json, expected) << term;
  }
}

TEST(SiteTerms, AnEmptyPartIsEmpty) {
  Terms terms;
  EXPECT_TRUE(ParseTermPart("{}", &terms));
  EXPECT_TRUE(terms.empty());
  EXPECT_TRUE(ParseTermPart(R"({"a":[]})", &terms));
  EXPECT_TRUE(terms.at("a").empty());
}

TEST(SiteTerms, AnythingElseIsRefused) {
  for (const char* json : {
           "",
           "{",
           "[]",
           R"({"a":[1]})",  // a document without its value
           R"({"a":[1,2,3]})",
           R"({"a":[01,2]})",  // a leading zero
           R"({"a":[-1,2]})",  // a sign
           R"({"a":[+1,2]})",
           R"({"a":[1.5,2]})",
           R"({"a":[1,2e3]})",
           R"({"a": [1,2]})",  // spacing
           R"({ "a":[1,2]})",
           R"({"a":[1,2]} )",
           R"({"a":[1,2]}x)",  // bytes after it
           R"({"a":[1,2],})",
           R"({"a":[1,2],"a":[3,4]})",     // a term twice
           R"({"a":[4294967296,1]})",      // past 32 bits
           R"({"a":[4294967295,1,1,1]})",  // a gap past 32 bits
           R"({"a:[1,2]})",                // an unterminated string
           R"({"a\":[1,2]})",
           R"({"a\x":[1,2]})",  // a bad escape
           R"({a:[1,2]})",
           R"({"a":1})",
       }) {
    Terms terms;
    EXPECT_FALSE(ParseTermPart(json, &terms)) << json;
  }
}

TEST(SiteTerms, EscapedTermsAreDecoded) {
  Terms terms;
  ASSERT_TRUE(ParseTermPart(R"({"a\"b":[1,2],"caf\u00e9":[3,4]})", &terms));
  EXPECT_EQ(terms.count("a\"b"), 1u);
  EXPECT_EQ(terms.count("café"), 1u);
}

}  // namespace
}  // namespace evrepo
