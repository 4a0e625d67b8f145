// Tests of the index directory's layout (storage.h): the stub file naming
// the live database, new database paths, leftovers, and the atomic switch.
#include "storage.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.h"

namespace evrepo::index {
namespace {

namespace fs = std::filesystem;

class StorageTest : public ::testing::Test {
 protected:
  void MakeDir(const std::string& name) {
    fs::create_directories(dir() / name);
  }
  std::vector<std::string> Entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir())) {
      out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  const fs::path& dir() const { return tmp_.path(); }

  testing::TempDir tmp_;
};

TEST_F(StorageTest, NoStubNoLiveDatabase) {
  MakeDir("db-1");
  EXPECT_EQ(LiveDatabase(dir()), std::nullopt);
  EXPECT_EQ(LiveDatabase(dir() / "missing"), std::nullopt);
}

TEST_F(StorageTest, StubNamesTheLiveDatabase) {
  MakeDir("db-3");
  tmp_.Write("current", "auto db-3\n");
  EXPECT_EQ(LiveDatabase(dir()), dir() / "db-3");
}

TEST_F(StorageTest, MalformedStubsNameNothing) {
  MakeDir("db-1");
  MakeDir("other");
  for (const char* stub :
       {"", "auto\n", "glass db-1\n", "auto other\n", "auto db-\n",
        "auto db-1x\n", "auto ../db-1\n", "db-1\n"}) {
    tmp_.Write("current", stub);
    EXPECT_EQ(LiveDatabase(dir()), std::nullopt) << stub;
  }
}

TEST_F(StorageTest, StubNamingAMissingDatabaseNamesNothing) {
  tmp_.Write("current", "auto db-2\n");
  EXPECT_EQ(LiveDatabase(dir()), std::nullopt);
  tmp_.Write("db-2", "a file, not a database directory");
  EXPECT_EQ(LiveDatabase(dir()), std::nullopt);
}

// A stub is written by evrepo, but the directory is the user's: whatever it
// holds must not make LiveDatabase (and so every index command) throw.
TEST_F(StorageTest, StubWithAHugeNumberNamesNothing) {
  tmp_.Write("current", "auto db-99999999999999999999\n");
  std::optional<fs::path> live;
  EXPECT_NO_THROW(live = LiveDatabase(dir()));
  EXPECT_EQ(live, std::nullopt);
}

TEST_F(StorageTest, NewDatabasePathIsOneAboveAny) {
  EXPECT_EQ(NewDatabasePath(dir()), dir() / "db-1");
  MakeDir("db-2");
  MakeDir("db-10");
  MakeDir("db-x7");
  MakeDir("dbase-40");
  tmp_.Write("db-30.txt", "");
  EXPECT_EQ(NewDatabasePath(dir()), dir() / "db-11");
  EXPECT_EQ(NewDatabasePath(dir() / "missing"), dir() / "missing" / "db-1");
}

TEST_F(StorageTest, RemoveLeftoversKeepsTheLiveOneAndOtherFiles) {
  MakeDir("db-1");
  MakeDir("db-2");
  MakeDir("db-3");
  MakeDir("backup");
  tmp_.Write("current", "auto db-2\n");
  tmp_.Write("lock", "");
  RemoveLeftovers(dir(), "db-2");
  EXPECT_EQ(Entries(),
            (std::vector<std::string>{"backup", "current", "db-2", "lock"}));
  RemoveLeftovers(dir(), "");
  EXPECT_EQ(Entries(), (std::vector<std::string>{"backup", "current", "lock"}));
}

TEST_F(StorageTest, SwitchToRewritesTheStub) {
  MakeDir("db-1");
  MakeDir("db-2");
  ASSERT_TRUE(SwitchTo(dir(), dir() / "db-1").ok());
  EXPECT_EQ(testing::ReadAll(dir() / "current"), "auto db-1\n");
  EXPECT_EQ(LiveDatabase(dir()), dir() / "db-1");
  ASSERT_TRUE(SwitchTo(dir(), dir() / "db-2").ok());
  EXPECT_EQ(testing::ReadAll(dir() / "current"), "auto db-2\n");
  EXPECT_EQ(LiveDatabase(dir()), dir() / "db-2");
  // Written atomically: no temporary file is left beside it.
  EXPECT_EQ(Entries(), (std::vector<std::string>{"current", "db-1", "db-2"}));
}

TEST_F(StorageTest, SwitchToFailsInAMissingDirectory) {
  Status s = SwitchTo(dir() / "missing", dir() / "missing" / "db-1");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kIo);
}

}  // namespace
}  // namespace evrepo::index
