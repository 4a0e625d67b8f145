// Tests of Schema::LoadCached: a hit gives exactly what parsing gives, every
// change to what the schema is read from is a miss, and a damaged or
// foreign cache is never trusted.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "evrepo/schema.h"
#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Sets every attribute a field, type, vocabulary and term can have, so that
// a member the cache forgot shows in Dump.
const char kEverything[] = R"(<schema>
  <type name="record" abstract="true" label="Record" folder="records"
        description="Abstract: only extended.">
    <field name="ref" kind="string" required="true" pattern="slug"
           index="boolean" prefix="XZREF" query="ref" dc="identifier"
           label="Reference" description="A slug." default="r-1"/>
  </type>
  <type name="memo" extends="record" label="Memo" folder="memos/internal"
        description="A memo.">
    <field name="pages" kind="integer" min="-3" max="900"
           index="boolean sortable facet" weight="3" prefix="XZPAGES"
           query="pages" label="Pages"/>
    <field name="level" kind="enum" values="low mid high" default="mid"
           index="boolean facet" prefix="XZLEVEL" query="memo_level"/>
    <field name="colours" kind="list" of="enum" vocabulary="colours"
           index="text boolean" weight="2" prefix="XZHUE" query="colour"
           dc="subject"/>
    <field name="body_note" kind="text" index="text" weight="4"/>
  </type>
  <vocabulary name="colours" label="Colours">
    <term value="red" label="Red" alias="r"/>
    <term value="green"/>
  </vocabulary>
</schema>
)";

std::string Dump(const FieldDef& f) {
  std::ostringstream o;
  o << f.name << '|' << f.label << '|' << f.description << '|'
    << KindName(f.kind) << '|' << KindName(f.item_kind) << '|' << f.required
    << '|';
  for (const std::string& v : f.values) o << v << ',';
  o << '|' << f.vocabulary << '|' << f.default_value << '|' << f.slug << '|'
    << (f.min ? std::to_string(*f.min) : "-") << '|'
    << (f.max ? std::to_string(*f.max) : "-") << '|' << f.index_text
    << f.index_boolean << f.index_sortable << f.index_facet << '|' << f.weight
    << '|' << f.prefix << '|' << f.query << '|' << f.dc << '|' << f.source;
  return o.str();
}

// Every member of the named types and vocabularies, and the document types.
std::string Dump(const Schema& s) {
  std::ostringstream o;
  for (const char* name : {"base", "case-study", "toolkit", "record", "memo"}) {
    const TypeDef* t = s.FindType(name);
    if (!t) continue;
    o << "type " << t->name << '|' << t->label << '|' << t->description << '|'
      << t->folder << '|' << t->extends << '|' << t->abstract << '|'
      << t->source << '\n';
    for (const FieldDef& f : t->fields) o << "  " << Dump(f) << '\n';
  }
  for (const char* name : {"partners", "tags", "colours"}) {
    const Vocabulary* v = s.FindVocabulary(name);
    if (!v) continue;
    o << "vocabulary " << v->name << '|' << v->label << '|' << v->source
      << '\n';
    for (const Term& t : v->terms)
      o << "  " << t.value << '|' << t.label << '|' << t.alias << '\n';
  }
  for (const std::string& n : s.DocumentTypeNames()) o << n << ' ';
  return o.str();
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

void WriteAll(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

// The cache file's inode: a hit leaves the file alone, a miss replaces it.
ino_t Inode(const fs::path& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 ? st.st_ino : 0;
}

class SchemaCacheTest : public ::testing::Test {
 protected:
  SchemaCacheTest() : old_cwd_(fs::current_path()) {
    fs::current_path(dir_.path());
    fs::create_directories("own");
    dir_.Write("own/everything.xml", kEverything);
    dirs_ = {BuiltinSchemaDir(), dir_.path() / "own"};
    cache_ = dir_.path() / "schemas.cache";
  }
  ~SchemaCacheTest() override { fs::current_path(old_cwd_); }

  // What parsing gives now.
  std::string Parsed() {
    auto s = Schema::Load(dirs_);
    EXPECT_TRUE(s) << s.status().message();
    return s ? Dump(*s) : "";
  }
  std::string Cached() {
    auto s = Schema::LoadCached(dirs_, cache_);
    EXPECT_TRUE(s) << s.status().message();
    return s ? Dump(*s) : "";
  }

  TempDir dir_;
  fs::path old_cwd_;
  std::vector<fs::path> dirs_;
  fs::path cache_;
};

TEST_F(SchemaCacheTest, AHitGivesWhatParsingGives) {
  std::string parsed = Parsed();
  ASSERT_NE(parsed.find("memo|Memo|A memo.|memos/internal|record|0|"),
            std::string::npos)
      << parsed;
  ASSERT_NE(parsed.find("r-1|1|-|-|0100|1|XZREF|ref|identifier|"),
            std::string::npos)
      << parsed;
  ASSERT_NE(parsed.find("-3|900|0111|3|XZPAGES"), std::string::npos) << parsed;
  ASSERT_NE(parsed.find("red|Red|r"), std::string::npos) << parsed;
  EXPECT_EQ(Cached(), parsed);  // a miss: parses and writes the cache
  ino_t written = Inode(cache_);
  ASSERT_NE(written, 0u);
  EXPECT_EQ(Cached(), parsed);  // a hit
  EXPECT_EQ(Inode(cache_), written);
}

TEST_F(SchemaCacheTest, EveryChangeToTheFilesIsAMiss) {
  Cached();
  // The same size, one byte different.
  std::string xml = kEverything;
  xml.replace(xml.find("label=\"Memo\""), 12, "label=\"Mema\"");
  dir_.Write("own/everything.xml", xml);
  EXPECT_EQ(Cached(), Parsed());
  EXPECT_NE(Cached().find("|Mema|"), std::string::npos);
  // A file more, then a file fewer.
  dir_.Write("own/more.xml",
             "<schema><vocabulary name=\"tags\" label=\"Mine\">"
             "<term value=\"x\"/></vocabulary></schema>");
  EXPECT_NE(Cached().find("vocabulary tags|Mine|"), std::string::npos);
  EXPECT_EQ(Cached(), Parsed());
  fs::remove("own/more.xml");
  EXPECT_EQ(Cached().find("vocabulary tags|Mine|"), std::string::npos);
  EXPECT_EQ(Cached(), Parsed());
}

// Where a field was declared is shown relative to the working directory.
TEST_F(SchemaCacheTest, AnotherWorkingDirectoryIsAMiss) {
  std::string here = Cached();
  EXPECT_NE(here.find("own/everything.xml:"), std::string::npos) << here;
  fs::current_path("own");
  std::string below = Cached();
  EXPECT_EQ(below, Parsed());
  EXPECT_EQ(below.find("own/everything.xml:"), std::string::npos) << below;
  EXPECT_NE(below.find("|everything.xml:"), std::string::npos) << below;
}

// Every truncation and many single-byte changes of a good cache: each is a
// miss, never a crash or another schema.
TEST_F(SchemaCacheTest, ADamagedCacheIsNeverTrusted) {
  std::string parsed = Parsed();
  Cached();
  const std::string good = ReadAll(cache_);
  ASSERT_GT(good.size(), 1000u);
  auto check = [&](const std::string& bytes, const std::string& what) {
    WriteAll(cache_, bytes);
    ino_t damaged = Inode(cache_);
    ASSERT_EQ(Cached(), parsed) << what;
    EXPECT_NE(Inode(cache_), damaged) << what << ": not rewritten";
  };
  for (std::size_t n = 0; n < good.size(); n += n < 64 ? 1 : 97) {
    check(good.substr(0, n), "truncated to " + std::to_string(n));
  }
  for (std::size_t at = 0; at < good.size(); at += at < 64 ? 1 : 89) {
    std::string bytes = good;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x20);
    check(bytes, "byte " + std::to_string(at) + " changed");
  }
  check(good + "x", "a byte more");
  check(std::string(good.size(), '\0'), "zeros");
}

TEST_F(SchemaCacheTest, ABrokenSchemaIsAnErrorEveryTimeAndNotCached) {
  dir_.Write("own/broken.xml", "<schema><type name=\"x\"></schema>");
  for (int i = 0; i < 2; ++i) {
    auto s = Schema::LoadCached(dirs_, cache_);
    ASSERT_FALSE(s);
    EXPECT_NE(s.status().message().find("own/broken.xml:1: malformed XML"),
              std::string::npos)
        << s.status().message();
  }
  EXPECT_FALSE(fs::exists(cache_));
  fs::remove("own/broken.xml");
  EXPECT_EQ(Cached(), Parsed());
}

TEST_F(SchemaCacheTest, NoCachePathOrAnUnwritableOneStillLoads) {
  auto s = Schema::LoadCached(dirs_, fs::path());
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(Dump(*s), Parsed());
  cache_ = dir_.path() / "missing-dir" / "schemas.cache";
  EXPECT_EQ(Cached(), Parsed());
  EXPECT_FALSE(fs::exists(cache_));
  EXPECT_FALSE(fs::exists(dir_.path() / "schemas.cache"));
}

TEST_F(SchemaCacheTest, AMissingDirectoryIsStillAnError) {
  dirs_.push_back(dir_.path() / "nowhere");
  auto s = Schema::LoadCached(dirs_, cache_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace evrepo
