// Tests of raw Git trees (raw_tree.h): parsing entries, Git's order, and the
// diff of two trees, against a plain merge of their parsed entries.
#include "raw_tree.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>

namespace evrepo::rawtree {
namespace {

using Kind = TreeChange::Kind;

// A raw id of 20 copies of `c`.
std::string Id(char c) { return std::string(kIdSize, c); }

struct Spec {
  std::string mode, name, id;
};

std::string Raw(const std::vector<Spec>& entries) {
  std::string out;
  for (const Spec& e : entries) out += e.mode + " " + e.name + '\0' + e.id;
  return out;
}

// A Reader over trees in memory, counting its calls.
struct Trees {
  std::map<std::string, std::string> by_id;
  int reads = 0;
  Reader reader() {
    return [this](const std::string& path, std::string_view id,
                  bool) -> Result<std::string> {
      ++reads;
      auto it = by_id.find(std::string(id));
      if (it == by_id.end()) return Status::Io("no tree at '" + path + "'");
      return it->second;
    };
  }
};

std::vector<std::tuple<Kind, std::string, std::string, std::string>> Changes(
    std::string_view a, std::string_view b, Trees* trees = nullptr) {
  Trees none;
  std::vector<TreeChange> out;
  Status s = Diff(a, b, "", (trees ? trees : &none)->reader(), &out);
  EXPECT_TRUE(s.ok()) << s.message();
  std::vector<std::tuple<Kind, std::string, std::string, std::string>> got;
  for (const TreeChange& c : out)
    got.emplace_back(c.kind, c.path, c.old_blob, c.new_blob);
  return got;
}

TEST(RawTree, NextReadsAnEntryAndNormalisesItsMode) {
  std::string raw =
      Raw({{"100664", "a.md", Id('a')}, {"40000", "sub", Id('b')}});
  std::size_t pos = 0;
  Entry e;
  ASSERT_TRUE(Next(raw, &pos, &e));
  EXPECT_EQ(e.name, "a.md");
  EXPECT_EQ(e.mode, 0100644u);  // as libgit2 reports it
  EXPECT_TRUE(e.file());
  EXPECT_EQ(e.id, Id('a'));
  ASSERT_TRUE(Next(raw, &pos, &e));
  EXPECT_TRUE(e.tree());
  EXPECT_FALSE(e.file());
  EXPECT_EQ(pos, raw.size());

  for (auto [mode, want] : {std::pair("100775", 0100755u),
                            {"120000", 0120000u},
                            {"160000", 0160000u},
                            {"100000", 0100644u}}) {
    std::string one = Raw({{mode, "x", Id('c')}});
    pos = 0;
    ASSERT_TRUE(Next(one, &pos, &e)) << mode;
    EXPECT_EQ(e.mode, want) << mode;
  }
}

TEST(RawTree, NextRefusesWhatIsNotAnEntry) {
  const std::string id = Id('a');
  for (const std::string& bad :
       {std::string("100644 a.md"),                      // no NUL
        "100644 a.md" + std::string(1, '\0') + "short",  // id cut short
        "100648 a.md" + std::string(1, '\0') + id,       // not octal
        " a.md" + std::string(1, '\0') + id,             // no mode
        "100644a.md" + std::string(1, '\0') + id,        // no space
        "100644 " + std::string(1, '\0') + id,           // no name
        "100644 ." + std::string(1, '\0') + id,
        "100644 .." + std::string(1, '\0') + id,
        "100644 a/b.md" + std::string(1, '\0') + id,     // a path, not a name
        "10000000 a.md" + std::string(1, '\0') + id}) {  // too long a mode
    std::size_t pos = 0;
    Entry e;
    EXPECT_FALSE(Next(bad, &pos, &e)) << bad;
    EXPECT_EQ(pos, 0u);
  }
}

TEST(RawTree, GitOrdersASubtreeAsIfItsNameEndedInASlash) {
  Entry file{"deep.md", 0100644, Id('a')};
  Entry tree{"deep", 0040000, Id('b')};
  Entry plain{"deep", 0100644, Id('c')};
  EXPECT_LT(Compare(file, tree), 0);   // '.' sorts before '/'
  EXPECT_LT(Compare(plain, file), 0);  // a prefix first
  EXPECT_GT(Compare(tree, plain), 0);
  EXPECT_EQ(Compare(plain, plain), 0);
}

TEST(RawTree, DiffReportsFilesAndWalksOnlySubtreesThatDiffer) {
  Trees trees;
  std::string same = Raw({{"100644", "s.md", Id('s')}});
  std::string sub_a = Raw({{"100644", "x.md", Id('1')}});
  std::string sub_b = Raw({{"100644", "x.md", Id('2')}});
  trees.by_id = {{Id('S'), same}, {Id('A'), sub_a}, {Id('B'), sub_b}};
  std::string a = Raw({{"100644", "gone.md", Id('g')},
                       {"100644", "kept.md", Id('k')},
                       {"100644", "mode.sh", Id('m')},
                       {"40000", "same", Id('S')},
                       {"40000", "sub", Id('A')},
                       {"120000", "was-link.md", Id('l')}});
  std::string b = Raw({{"100644", "kept.md", Id('k')},
                       {"100755", "mode.sh", Id('m')},
                       {"100644", "new.md", Id('n')},
                       {"40000", "same", Id('S')},
                       {"40000", "sub", Id('B')},
                       {"100644", "was-link.md", Id('l')}});
  auto got = Changes(a, b, &trees);
  EXPECT_EQ(
      got,
      (std::vector<std::tuple<Kind, std::string, std::string, std::string>>{
          {Kind::kDeleted, "gone.md", Hex(Id('g')), ""},
          {Kind::kModified, "mode.sh", Hex(Id('m')), Hex(Id('m'))},
          {Kind::kAdded, "new.md", "", Hex(Id('n'))},
          {Kind::kModified, "sub/x.md", Hex(Id('1')), Hex(Id('2'))},
          {Kind::kAdded, "was-link.md", "", Hex(Id('l'))},
      }));
  EXPECT_EQ(trees.reads, 2);  // sub, both sides; never "same"
  // A legacy mode is the same mode: no change.
  EXPECT_TRUE(Changes(Raw({{"100664", "a.md", Id('a')}}),
                      Raw({{"100644", "a.md", Id('a')}}))
                  .empty());
  EXPECT_EQ(Hex(std::string("\x01\xab\xff") + std::string(17, '\0')),
            "01abff" + std::string(34, '0'));
}

TEST(RawTree, DiffNamesTheFolderOfAMalformedTree) {
  Trees trees;
  trees.by_id = {{Id('A'), "100644 broken"}};
  std::string a = Raw({{"40000", "docs", Id('A')}});
  std::string b = Raw({{"40000", "docs", Id('B')}});
  trees.by_id[Id('B')] = Raw({{"100644", "x.md", Id('1')}});
  std::vector<TreeChange> out;
  Status s = Diff(a, b, "", trees.reader(), &out);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.message(), "malformed tree object at 'docs/'");
  // A tree that cannot be read stops the diff with the reader's error.
  trees.by_id.erase(Id('A'));
  s = Diff(a, b, "", trees.reader(), &out);
  EXPECT_EQ(s.message(), "no tree at 'docs'");
}

// The plain merge the diff must agree with: every entry parsed, no skipping.
std::vector<std::tuple<Kind, std::string, std::string, std::string>> Merge(
    const std::vector<Spec>& a, const std::vector<Spec>& b) {
  std::vector<std::tuple<Kind, std::string, std::string, std::string>> out;
  std::map<std::string, std::string> x, y;
  for (const Spec& e : a) x[e.name] = e.id;
  for (const Spec& e : b) y[e.name] = e.id;
  for (const auto& [name, id] : x) {
    auto it = y.find(name);
    if (it == y.end()) {
      out.emplace_back(Kind::kDeleted, name, Hex(id), "");
    } else if (it->second != id) {
      out.emplace_back(Kind::kModified, name, Hex(id), Hex(it->second));
    }
  }
  for (const auto& [name, id] : y) {
    if (!x.count(name)) out.emplace_back(Kind::kAdded, name, "", Hex(id));
  }
  std::sort(out.begin(), out.end(), [](const auto& p, const auto& q) {
    return std::get<1>(p) < std::get<1>(q);
  });
  return out;
}

// Folders of hundreds of files, changed at random at the ends and in the
// middle, a few files at a time: what the memcmp skips must not change what
// is found.
TEST(RawTree, DiffAgreesWithAPlainMergeOfTheEntries) {
  std::mt19937 rng(20261127);
  for (int round = 0; round < 300; ++round) {
    std::map<std::string, std::string> files;
    int n = 1 + static_cast<int>(rng() % 400);
    for (int i = 0; i < n; ++i) {
      // Names that share long prefixes, as a folder's documents do.
      std::string name = "doc-" + std::to_string(rng() % 1000) + ".md";
      std::string id(kIdSize, '\0');
      for (char& c : id) c = static_cast<char>(rng() % 4);  // NULs in ids
      files[name] = id;
    }
    std::map<std::string, std::string> changed = files;
    int edits = static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      int what = static_cast<int>(rng() % 3);
      auto it = changed.begin();
      if (!changed.empty()) std::advance(it, rng() % changed.size());
      if (what == 0 && it != changed.end()) {
        it->second[rng() % kIdSize] ^= 1;  // modified
      } else if (what == 1 && it != changed.end()) {
        changed.erase(it);  // deleted
      } else {
        changed["doc-" + std::to_string(rng() % 1000) + "a.md"] = Id('n');
      }
    }
    std::vector<Spec> a, b;
    for (const auto& [name, id] : files) a.push_back({"100644", name, id});
    for (const auto& [name, id] : changed) b.push_back({"100644", name, id});
    ASSERT_EQ(Changes(Raw(a), Raw(b)), Merge(a, b)) << "round " << round;
  }
}

}  // namespace
}  // namespace evrepo::rawtree
