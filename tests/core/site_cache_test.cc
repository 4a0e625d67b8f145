// Tests of the publish cache's file: what is saved loads back the same, and
// anything that is not such a file -- truncated, altered, another format --
// loads as nothing, so that publish starts afresh instead of trusting it.
// The search words go to a words file beside it, appended to while most of
// it is still used, and checked when read.
#include "site_cache.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::TempDir;

SiteCache Sample() {
  SiteCache c;
  c.salt = "0123456789abcdef";
  c.token = "feedfacecafebeef";
  c.commit = std::string(40, 'a');
  DocRecord pub;
  pub.blob = std::string(40, 'b');
  pub.publishable = true;
  pub.id = "greenway-recycling-wave-1";
  // Separators of the format, newlines and bytes that are not UTF-8.
  pub.title = "Wave 1: 12:34 \"quoted\"\nsecond line \xff\xfe";
  pub.type = "case-study";
  pub.date = "2005-11-18";
  pub.summary = "";
  pub.tags = {"small-contracts", "", "12:"};
  pub.authors = {"Sarah Lindqvist"};
  pub.related = {"x"};
  pub.links = {"../research/a.md#top", "doc:b"};
  pub.cites = {"b"};
  pub.words = "council 3 kerbsid 2";
  pub.length = 5;
  c.docs["case-studies/greenway-recycling-wave-1.md"] = pub;
  DocRecord withheld;
  withheld.blob = std::string(40, 'c');
  c.docs["toolkits/internal.md"] = withheld;
  c.dates["case-studies/greenway-recycling-wave-1.md"] = {
      "2005-11-18", "2006-01-02", std::string(40, 'd')};
  c.keys["index.html"] = "00000000000000ff";
  c.keys["documents/greenway-recycling-wave-1.html"] = "1";
  c.mapping = "3a9d0f11c2b4e5a7";
  c.listings = "77e1c0a95b3d2f48";
  c.spare_token = "0badc0de0badc0de";
  c.spare_keys["index.html"] = "00000000000000fe";
  c.spare_keys["tags/small-contracts.html"] = "2";
  return c;
}

// The words of a record: its own, or those of the words file in `dir`.
std::string WordsOf(const DocRecord& r, const SiteCache& c,
                    const fs::path& dir) {
  if (!r.words_stored) return r.words;
  auto file = WordsFile::Open(dir / c.words_file);
  if (!file) return "<no words file>";
  auto words = file->Get(r);
  return words ? std::string(*words) : "<damaged>";
}

// `b`, loaded from `dir`, holds what `a` held.
void ExpectSame(const SiteCache& a, const SiteCache& b, const fs::path& dir) {
  EXPECT_EQ(a.salt, b.salt);
  EXPECT_EQ(a.token, b.token);
  EXPECT_EQ(a.commit, b.commit);
  EXPECT_EQ(a.mapping, b.mapping);
  EXPECT_EQ(a.listings, b.listings);
  ASSERT_EQ(a.docs.size(), b.docs.size());
  for (const auto& [path, d] : a.docs) {
    ASSERT_TRUE(b.docs.count(path)) << path;
    const DocRecord& e = b.docs.at(path);
    EXPECT_EQ(d.blob, e.blob);
    EXPECT_EQ(d.publishable, e.publishable);
    EXPECT_EQ(d.id, e.id);
    EXPECT_EQ(d.title, e.title);
    EXPECT_EQ(d.type, e.type);
    EXPECT_EQ(d.date, e.date);
    EXPECT_EQ(d.summary, e.summary);
    EXPECT_EQ(ListOf(d.tags, d.stored_tags), ListOf(e.tags, e.stored_tags));
    EXPECT_EQ(ListOf(d.partners, d.stored_partners),
              ListOf(e.partners, e.stored_partners));
    EXPECT_EQ(ListOf(d.authors, d.stored_authors),
              ListOf(e.authors, e.stored_authors));
    EXPECT_EQ(ListOf(d.related, d.stored_related),
              ListOf(e.related, e.stored_related));
    EXPECT_EQ(d.supersedes, e.supersedes);
    EXPECT_EQ(ListOf(d.links, d.stored_links), ListOf(e.links, e.stored_links));
    std::vector<std::string> cites, loaded_cites;
    ForEachOf(d.cites, d.stored_cites,
              [&](std::string_view id) { cites.emplace_back(id); });
    ForEachOf(e.cites, e.stored_cites,
              [&](std::string_view id) { loaded_cites.emplace_back(id); });
    EXPECT_EQ(cites, loaded_cites);
    if (d.publishable) {
      EXPECT_TRUE(e.words_stored);
      EXPECT_EQ(WordsOf(d, a, dir), WordsOf(e, b, dir));
    }
    EXPECT_EQ(d.length, e.length);
  }
  ASSERT_EQ(a.dates.size(), b.dates.size());
  for (const auto& [path, d] : a.dates) {
    ASSERT_TRUE(b.dates.count(path)) << path;
    EXPECT_EQ(d.first, b.dates.at(path).first);
    EXPECT_EQ(d.last, b.dates.at(path).last);
    EXPECT_EQ(d.last_change, b.dates.at(path).last_change);
  }
  EXPECT_EQ(a.keys, b.keys);
  EXPECT_EQ(a.spare_token, b.spare_token);
  EXPECT_EQ(a.spare_keys, b.spare_keys);
}

// Sample(), saved to `file` and loaded back; nullopt when either fails.
std::optional<SiteCache> SavedSample(const fs::path& file) {
  if (!SaveSiteCache(file, Sample()).ok()) return std::nullopt;
  return LoadSiteCache(file);
}

TEST(SiteCache, WhatIsSavedLoadsBackTheSame) {
  TempDir dir;
  fs::path file = dir.path() / "publish" / "site.cache";
  auto loaded = SavedSample(file);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->words_file, "site.words");
  ExpectSame(Sample(), *loaded, file.parent_path());
}

// Loaded records keep their lists (but `supersedes`) as the file held
// them, and write them back so: saved again, the cache loads the same.
TEST(SiteCache, StoredListsSaveBackAsTheyCame) {
  TempDir dir;
  fs::path file = dir.path() / "publish" / "site.cache";
  auto loaded = SavedSample(file);
  ASSERT_TRUE(loaded.has_value());
  const DocRecord& r =
      loaded->docs.at("case-studies/greenway-recycling-wave-1.md");
  EXPECT_TRUE(r.stored_tags && r.stored_partners && r.stored_authors &&
              r.stored_related && r.stored_links && r.stored_cites);
  EXPECT_TRUE(r.tags.empty() && r.partners.empty() && r.authors.empty() &&
              r.related.empty() && r.links.empty() && r.cites.empty());
  EXPECT_FALSE(loaded->docs.at("toolkits/internal.md").stored_links);

  // Over the file they are mapped from, which a rename replaces; the
  // words stay in the words file.
  auto words = WordsFile::Open(file.parent_path() / loaded->words_file);
  ASSERT_TRUE(words.has_value());
  auto writer = SiteCacheWriter::Begin(file, *loaded, &*words);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Commit(*loaded).ok());
  loaded.reset();
  auto reloaded = LoadSiteCache(file);
  ASSERT_TRUE(reloaded.has_value());
  ExpectSame(Sample(), *reloaded, file.parent_path());
}

TEST(SiteCache, AnEmptyCacheRoundTrips) {
  TempDir dir;
  fs::path file = dir.path() / "empty.cache";
  ASSERT_TRUE(SaveSiteCache(file, SiteCache()).ok());
  auto loaded = LoadSiteCache(file);
  ASSERT_TRUE(loaded.has_value());
  ExpectSame(SiteCache(), *loaded, dir.path());
}

TEST(SiteCache, LoadingForASaltAndTokenRefusesAnyOther) {
  TempDir dir;
  fs::path file = dir.path() / "site.cache";
  SiteCache c = Sample();
  ASSERT_TRUE(SaveSiteCache(file, c).ok());
  auto loaded = LoadSiteCache(file, c.salt, c.token);
  ASSERT_TRUE(loaded.has_value());
  ExpectSame(c, *loaded, dir.path());
  EXPECT_FALSE(LoadSiteCache(file, "another salt", c.token).has_value());
  EXPECT_FALSE(LoadSiteCache(file, c.salt, "another token").has_value());
  EXPECT_FALSE(LoadSiteCache(file, c.salt, "").has_value());
}

TEST(SiteCache, AWriterSavesWhatSaveSiteCacheSaves) {
  TempDir dir;
  SiteCache c = Sample();
  fs::path saved = dir.path() / "saved.cache";
  fs::path written = dir.path() / "sub" / "written.cache";
  ASSERT_TRUE(SaveSiteCache(saved, c).ok());
  auto writer = SiteCacheWriter::Begin(written, c);
  ASSERT_TRUE(writer) << writer.status().message();
  EXPECT_FALSE(fs::exists(written));  // not before Commit
  ASSERT_TRUE(writer->Commit(c).ok());
  EXPECT_EQ(writer->words_file(), "written.words");
  std::string text = ReadAll(written);
  std::string name = "13:written.words";
  ASSERT_NE(text.find(name), std::string::npos);
  text.replace(text.find(name), name.size(), "11:saved.words");
  // The same but for the name, and the layout at the end whose offsets
  // follow from it.
  std::string other = ReadAll(saved);
  ASSERT_EQ(text.size(), other.size());
  EXPECT_EQ(text.substr(0, text.size() - 64),
            other.substr(0, other.size() - 64));
  EXPECT_TRUE(LoadSiteCache(written).has_value());
  EXPECT_EQ(ReadAll(dir.path() / "sub" / "written.words"),
            ReadAll(dir.path() / "saved.words"));
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(written.parent_path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 2u);  // the cache and its words, no temporary file
}

TEST(SiteCache, AWriterNeverCommittedLeavesNothing) {
  TempDir dir;
  fs::path file = dir.path() / "site.cache";
  ASSERT_TRUE(SaveSiteCache(file, Sample()).ok());
  std::string before = ReadAll(file);
  {
    SiteCache other = Sample();
    other.salt = "another salt";
    auto writer = SiteCacheWriter::Begin(file, other);
    ASSERT_TRUE(writer);
    auto moved = std::move(*writer);  // only the last owner removes it
  }
  EXPECT_EQ(ReadAll(file), before);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 2u);  // the cache and its words
}

// The next cache's words go at the end of the last one's words file, which
// the last cache still reads as it was; the words of records that were not
// read again are not written again.
TEST(SiteCache, WordsAreAppendedWhileMostOfTheFileIsUsed) {
  TempDir dir;
  SiteCache first = Sample();
  ASSERT_TRUE(SaveSiteCache(dir.path() / "a.cache", first).ok());
  auto loaded = LoadSiteCache(dir.path() / "a.cache");
  ASSERT_TRUE(loaded);
  std::string words_before = ReadAll(dir.path() / "a.words");
  auto words = WordsFile::Open(dir.path() / "a.words");
  ASSERT_TRUE(words);

  SiteCache next = *loaded;  // records with stored words, as publish keeps
  DocRecord added;
  added.blob = std::string(40, 'e');
  added.publishable = true;
  added.id = "added";
  added.words = "procur 4 social 1";
  added.length = 5;
  next.docs["research/added.md"] = added;
  auto writer = SiteCacheWriter::Begin(dir.path() / "b.cache", next, &*words);
  ASSERT_TRUE(writer) << writer.status().message();
  ASSERT_TRUE(writer->Commit(next).ok());
  EXPECT_EQ(writer->words_file(), "a.words");
  EXPECT_FALSE(fs::exists(dir.path() / "b.words"));
  std::string words_after = ReadAll(dir.path() / "a.words");
  EXPECT_EQ(words_after, words_before + "procur 4 social 1");

  auto again = LoadSiteCache(dir.path() / "b.cache");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->words_file, "a.words");
  EXPECT_EQ(WordsOf(again->docs.at("research/added.md"), *again, dir.path()),
            "procur 4 social 1");
  const auto& kept = "case-studies/greenway-recycling-wave-1.md";
  EXPECT_EQ(WordsOf(again->docs.at(kept), *again, dir.path()),
            first.docs.at(kept).words);
  // The first cache still reads its words.
  auto old = LoadSiteCache(dir.path() / "a.cache");
  ASSERT_TRUE(old);
  EXPECT_EQ(WordsOf(old->docs.at(kept), *old, dir.path()),
            first.docs.at(kept).words);
}

// Once most of the words file is words no record uses, the next cache's
// words go to a new file, with only the words still used.
TEST(SiteCache, AWordsFileMostlyUnusedIsWrittenAfresh) {
  TempDir dir;
  SiteCache big = Sample();
  DocRecord& d = big.docs.at("case-studies/greenway-recycling-wave-1.md");
  for (int i = 0; d.words.size() < (20u << 20); ++i) {
    d.words += " word" + std::to_string(i) + " 1";
  }
  ASSERT_TRUE(SaveSiteCache(dir.path() / "a.cache", big).ok());
  auto loaded = LoadSiteCache(dir.path() / "a.cache");
  ASSERT_TRUE(loaded);
  auto words = WordsFile::Open(dir.path() / "a.words");
  ASSERT_TRUE(words);
  SiteCache next = *loaded;
  // The big document was read again, and is small now.
  DocRecord& now = next.docs.at("case-studies/greenway-recycling-wave-1.md");
  now.words_stored = false;
  now.words = "council 3 kerbsid 2";
  auto writer = SiteCacheWriter::Begin(dir.path() / "b.cache", next, &*words);
  ASSERT_TRUE(writer) << writer.status().message();
  ASSERT_TRUE(writer->Commit(next).ok());
  EXPECT_EQ(writer->words_file(), "b.words");
  EXPECT_EQ(ReadAll(dir.path() / "b.words"), "council 3 kerbsid 2");
  auto again = LoadSiteCache(dir.path() / "b.cache");
  ASSERT_TRUE(again);
  EXPECT_EQ(WordsOf(again->docs.at("case-studies/greenway-recycling-wave-1.md"),
                    *again, dir.path()),
            "council 3 kerbsid 2");
}

// Words that are not what was written (a damaged file) or past its end
// are refused, not returned.
TEST(SiteCache, DamagedWordsAreRefused) {
  TempDir dir;
  ASSERT_TRUE(SaveSiteCache(dir.path() / "a.cache", Sample()).ok());
  auto loaded = LoadSiteCache(dir.path() / "a.cache");
  ASSERT_TRUE(loaded);
  const DocRecord& r =
      loaded->docs.at("case-studies/greenway-recycling-wave-1.md");
  std::string good = ReadAll(dir.path() / "a.words");
  ASSERT_EQ(good, "council 3 kerbsid 2");
  {
    auto words = WordsFile::Open(dir.path() / "a.words");
    ASSERT_TRUE(words && words->Get(r));
    EXPECT_EQ(*words->Get(r), good);
  }
  std::string bad = good;
  bad[3] = 'x';
  std::ofstream(dir.path() / "a.words", std::ios::binary) << bad;
  EXPECT_FALSE(WordsFile::Open(dir.path() / "a.words")->Get(r));
  std::ofstream(dir.path() / "a.words", std::ios::binary) << good.substr(0, 10);
  EXPECT_FALSE(WordsFile::Open(dir.path() / "a.words")->Get(r));
  EXPECT_FALSE(WordsFile::Open(dir.path() / "none.words"));
}

TEST(SiteCache, AMissingFileIsNoCache) {
  TempDir dir;
  EXPECT_FALSE(LoadSiteCache(dir.path() / "none.cache").has_value());
}

// Every proper prefix of a good file, and every single-byte change of its
// structure, is refused: a cache is used whole or not at all.
TEST(SiteCache, TruncatedOrAlteredFilesAreNoCache) {
  TempDir dir;
  fs::path file = dir.path() / "site.cache";
  ASSERT_TRUE(SaveSiteCache(file, Sample()).ok());
  std::string good = ReadAll(file);
  fs::path bad = dir.path() / "bad.cache";
  auto load = [&](const std::string& bytes) {
    std::ofstream(bad, std::ios::binary) << bytes;
    return LoadSiteCache(bad);
  };
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(load(good.substr(0, n)).has_value()) << "prefix " << n;
  }
  EXPECT_FALSE(load(good + "0:").has_value()) << "trailing bytes";
  EXPECT_FALSE(load("evrepo-site-cache 1\n" + good.substr(good.find('\n') + 1))
                   .has_value())
      << "another format";
  // The file is a flat run of netstrings: break each one's separator.
  std::size_t changed = 0;
  for (std::size_t i = good.find('\n') + 1; i < good.size();) {
    std::size_t colon = good.find(':', i);
    ASSERT_NE(colon, std::string::npos);
    std::string s = good;
    s[colon] = ';';
    EXPECT_FALSE(load(s).has_value()) << "separator at " << colon;
    ++changed;
    i = colon + 1 + std::stoul(good.substr(i, colon - i));
  }
  EXPECT_EQ(changed, 54u);  // every value of Sample(), and the layout
}

// The file ends with where its parts begin, read on two threads: any
// other layout than the one written is refused.
TEST(SiteCache, ALayoutOtherThanTheOneWrittenIsNoCache) {
  TempDir dir;
  fs::path file = dir.path() / "site.cache";
  SiteCache many = Sample();
  for (int i = 0; i < 5; ++i) {
    DocRecord r = many.docs.begin()->second;
    r.id = "doc-" + std::to_string(i);
    many.docs["research/doc-" + std::to_string(i) + ".md"] = r;
  }
  ASSERT_TRUE(SaveSiteCache(file, many).ok());
  auto loaded = LoadSiteCache(file);
  ASSERT_TRUE(loaded.has_value());
  ExpectSame(many, *loaded, dir.path());

  std::string good = ReadAll(file);
  const std::size_t at = good.size() - 64;
  ASSERT_EQ(good.substr(at - 3, 3), "64:");
  auto number = [&](int k) {
    return std::stoull(good.substr(at + 16 * k, 16), nullptr, 16);
  };
  EXPECT_EQ(number(0), 3u);  // 7 records: the second half begins at the 4th
  fs::path bad = dir.path() / "bad.cache";
  auto load_with = [&](int k, unsigned long long v) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", v);
    std::string s = good;
    s.replace(at + 16 * k, 16, hex);
    std::ofstream(bad, std::ios::binary) << s;
    return LoadSiteCache(bad);
  };
  for (int k = 0; k < 4; ++k) {
    EXPECT_TRUE(load_with(k, number(k)).has_value()) << k;
    EXPECT_FALSE(load_with(k, number(k) + 1).has_value()) << k;
    EXPECT_FALSE(load_with(k, number(k) - 1).has_value()) << k;
    EXPECT_FALSE(load_with(k, 0).has_value()) << k;
    EXPECT_FALSE(load_with(k, ~0ull).has_value()) << k;
  }
}

TEST(SiteCache, LengthsBeyondTheFileAreRefused) {
  TempDir dir;
  fs::path bad = dir.path() / "bad.cache";
  std::ofstream(bad, std::ios::binary) << "evrepo-site-cache 7\n99999999999:x";
  EXPECT_FALSE(LoadSiteCache(bad).has_value());
  std::ofstream(bad, std::ios::binary)
      << "evrepo-site-cache 7\n0:0:0:7:a.words0:0:1:199999999999:x";
  EXPECT_FALSE(LoadSiteCache(bad).has_value());
}

}  // namespace
}  // namespace evrepo
