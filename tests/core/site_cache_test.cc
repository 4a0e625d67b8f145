// Tests of the publish cache's file: what is saved loads back the same, and
// anything that is not such a file -- truncated, altered, another format --
// loads as nothing, so that publish starts afresh instead of trusting it.
#include "site_cache.h"

#include <gtest/gtest.h>

#include <fstream>

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
  c.spare_token = "0badc0de0badc0de";
  c.spare_keys["index.html"] = "00000000000000fe";
  c.spare_keys["tags/small-contracts.html"] = "2";
  return c;
}

void ExpectSame(const SiteCache& a, const SiteCache& b) {
  EXPECT_EQ(a.salt, b.salt);
  EXPECT_EQ(a.token, b.token);
  EXPECT_EQ(a.commit, b.commit);
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
    EXPECT_EQ(d.tags, e.tags);
    EXPECT_EQ(d.partners, e.partners);
    EXPECT_EQ(d.authors, e.authors);
    EXPECT_EQ(d.related, e.related);
    EXPECT_EQ(d.supersedes, e.supersedes);
    EXPECT_EQ(d.links, e.links);
    EXPECT_EQ(d.words, e.words);
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

TEST(SiteCache, WhatIsSavedLoadsBackTheSame) {
  TempDir dir;
  fs::path file = dir.path() / "publish" / "site.cache";
  SiteCache c = Sample();
  ASSERT_TRUE(SaveSiteCache(file, c).ok());
  auto loaded = LoadSiteCache(file);
  ASSERT_TRUE(loaded.has_value());
  ExpectSame(c, *loaded);
}

TEST(SiteCache, AnEmptyCacheRoundTrips) {
  TempDir dir;
  fs::path file = dir.path() / "empty.cache";
  ASSERT_TRUE(SaveSiteCache(file, SiteCache()).ok());
  auto loaded = LoadSiteCache(file);
  ASSERT_TRUE(loaded.has_value());
  ExpectSame(SiteCache(), *loaded);
}

TEST(SiteCache, LoadingForASaltAndTokenRefusesAnyOther) {
  TempDir dir;
  fs::path file = dir.path() / "site.cache";
  SiteCache c = Sample();
  ASSERT_TRUE(SaveSiteCache(file, c).ok());
  auto loaded = LoadSiteCache(file, c.salt, c.token);
  ASSERT_TRUE(loaded.has_value());
  ExpectSame(c, *loaded);
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
  EXPECT_EQ(ReadAll(written), ReadAll(saved));
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(written.parent_path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1u);  // no temporary file left
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
  EXPECT_EQ(files, 1u);
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
  EXPECT_EQ(changed, 46u);  // every value of Sample()
}

TEST(SiteCache, LengthsBeyondTheFileAreRefused) {
  TempDir dir;
  fs::path bad = dir.path() / "bad.cache";
  std::ofstream(bad, std::ios::binary) << "evrepo-site-cache 2\n99999999999:x";
  EXPECT_FALSE(LoadSiteCache(bad).has_value());
  std::ofstream(bad, std::ios::binary)
      << "evrepo-site-cache 2\n0:0:0:1:99999999999";
  EXPECT_FALSE(LoadSiteCache(bad).has_value());
}

}  // namespace
}  // namespace evrepo
