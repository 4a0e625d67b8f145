// ParseDocument reads the common forms of front matter without yaml-cpp.
// Whatever it reads that way must come out exactly as yaml-cpp's reading
// would: the same fields, values, quoting, lines and columns, and the same
// diagnostics.  Held to that on the sample corpus, on front matter like the
// bench generator's, and on thousands of mutations of both, most of which
// leave the fast path's subset for yaml-cpp to read (or reject).
#include "front_matter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "evrepo/document.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;

std::string Describe(const YamlNode& n) {
  std::ostringstream out;
  out << static_cast<int>(n.kind) << "@" << n.pos.line << ":" << n.pos.column
      << (n.quoted ? "q" : "") << "[" << n.scalar << "]";
  for (const YamlNode& i : n.items) out << " (" << Describe(i) << ")";
  for (const auto& e : n.entries) {
    out << " {" << e.key << "@" << e.key_pos.line << ":" << e.key_pos.column
        << "=" << Describe(e.value) << "}";
  }
  return out.str();
}

// Everything ParseDocument fills, as text.
std::string Describe(const Document& d) {
  std::ostringstream out;
  out << "front matter: " << d.has_front_matter << "\n";
  for (const Field& f : d.fields) {
    out << f.key << "@" << f.key_pos.line << ":" << f.key_pos.column << " = "
        << Describe(f.value) << "\n";
  }
  for (const Diagnostic& g : d.diagnostics) {
    out << "diagnostic " << g.line << ":" << g.column << " "
        << static_cast<int>(g.severity) << " " << g.rule << " " << g.message
        << " / " << g.hint << "\n";
  }
  out << "body from line " << d.body_line << ": " << d.body.size()
      << " bytes\n";
  return out.str();
}

struct Both {
  std::string fast, slow;
  bool took_fast_path;
};

Both Parse(const std::string& text) {
  g_fast_front_matter = true;
  long before = g_fast_front_matter_reads;
  std::string fast = Describe(ParseDocument("doc.md", text));
  bool took = g_fast_front_matter_reads != before;
  g_fast_front_matter = false;
  std::string slow = Describe(ParseDocument("doc.md", text));
  g_fast_front_matter = true;
  return {fast, slow, took};
}

std::vector<std::string> SampleCorpus() {
  std::vector<std::string> docs;
  fs::path corpus = fs::path(EVREPO_TEST_SCHEMA_DIR).parent_path() / "corpus";
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (e.path().extension() != ".md") continue;
    std::ifstream in(e.path(), std::ios::binary);
    docs.emplace_back(std::istreambuf_iterator<char>(in),
                      std::istreambuf_iterator<char>());
  }
  return docs;
}

// Front matter as bench/gen_corpus.py writes it.
const char* const kGenerated[] = {
    "---\n"
    "id: ashby-care-co-operative-wave-1\n"
    "title: \"Ashby Care Co-operative \xE2\x80\x94 Longitudinal Study Wave 1 "
    "(2007)\"\n"
    "type: case-study\n"
    "date: 2007-10-25\n"
    "authors: [Simon Achebe, Margaret Lloyd]\n"
    "partners: [Social Enterprise Coalition, Eastmoor Borough Council]\n"
    "tags: [third-sector, procurement-policy, social-value]\n"
    "summary: \"New Leaf \\\"exactly what they act for\\\" the proportion of "
    "an allowance \\\\ for 2007.\"\n"
    "confidentiality: public\n"
    "status: final\n"
    "related: [moorside-print-cic-wave-5, toolkit-66]\n"
    "organisation: Ashby Care Co-operative\n"
    "wave: 1\n"
    "public_bodies: []\n"
    "contract_value: 366000\n"
    "---\n"
    "# Body\n\nText.\n",
    "---\n"
    "id: x\n"
    "title: Plain title, with commas, 'quotes' and \"doubles\" & more\n"
    "summary: A summary that goes on\n"
    "  over a second line   \n"
    "     and a third\n"
    "tags: [ a ,b,   c d ]\n"
    "id: duplicate\n"
    "---\n"
    "Body.\n",
};

TEST(FrontMatter, FastPathReadsTheSampleCorpusAsYamlCppDoes) {
  std::vector<std::string> docs = SampleCorpus();
  ASSERT_GT(docs.size(), 30u);
  std::size_t fast = 0;
  for (const std::string& d : docs) {
    Both b = Parse(d);
    ASSERT_EQ(b.fast, b.slow) << d.substr(0, 2000);
    fast += b.took_fast_path;
  }
  // The point of it: most real front matter takes the fast path.
  EXPECT_GE(fast * 10, docs.size() * 6) << fast << " of " << docs.size();
}

TEST(FrontMatter, FastPathReadsGeneratedFrontMatter) {
  for (const char* d : kGenerated) {
    Both b = Parse(d);
    EXPECT_TRUE(b.took_fast_path) << d;
    EXPECT_EQ(b.fast, b.slow) << d;
  }
}

TEST(FrontMatter, MutationsReadTheSameEitherWay) {
  std::vector<std::string> bases = SampleCorpus();
  bases.resize(std::min<std::size_t>(bases.size(), 12));
  for (const char* d : kGenerated) bases.push_back(d);
  static const std::vector<std::string> kPieces = {
      ":",   ": ",  " ",       "\n",   "\n  ",     "  ",       "#",
      "\"",  "'",   "\\",      "\\\"", "[",        "]",        ",",
      "{",   "}",   "-",       "- ",   "?",        "~",        "&",
      "*",   "!",   "|",       ">",    "%",        "@",        "`",
      "\t",  "\r",  "null",    "x",    "\xC3\xA9", "\xC2\x85", "\xE2\x80\xA8",
      "---", "...", "key: v\n"};
  std::mt19937 rng(26112026);
  std::size_t fast = 0, total = 0;
  for (const std::string& base : bases) {
    std::size_t end = base.find("\n---", 4);
    ASSERT_NE(end, std::string::npos);
    for (int m = 0; m < 300; ++m) {
      std::string text = base;
      int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits; ++e) {
        std::size_t span = text.find("\n---", 4);
        if (span == std::string::npos || span <= 4) break;
        std::size_t at = 4 + rng() % (span - 4);
        switch (rng() % 3) {
          case 0:
            text.insert(at, kPieces[rng() % kPieces.size()]);
            break;
          case 1:
            text.replace(at, 1, kPieces[rng() % kPieces.size()]);
            break;
          default:
            text.erase(at, 1 + rng() % 3);
        }
      }
      Both b = Parse(text);
      ASSERT_EQ(b.fast, b.slow) << "front matter:\n" << text.substr(0, 1500);
      fast += b.took_fast_path;
      ++total;
    }
  }
  // Both ways are exercised.
  EXPECT_GT(fast, total / 10);
  EXPECT_LT(fast, total - total / 10);
}

}  // namespace
}  // namespace evrepo
