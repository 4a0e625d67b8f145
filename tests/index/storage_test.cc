// Tests of the index directory's layout (storage.h): the stub file naming
// the live database, new database paths, leftovers, and the atomic switch;
// and EarlyWriteback, which has what is written to tables written out.
#include "storage.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <xapian.h>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>

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

TEST_F(StorageTest, TheStubIsReadAsTwoWords) {
  MakeDir("db-3");
  for (const char* stub :
       {"auto db-3", "  auto\tdb-3 \n", "auto db-3 later\n"}) {
    tmp_.Write("current", stub);
    EXPECT_EQ(LiveDatabase(dir()), dir() / "db-3") << stub;
  }
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

TEST_F(StorageTest, AStubThatIsNoFileNamesNothing) {
  MakeDir("db-1");
  MakeDir("current");
  EXPECT_EQ(LiveDatabase(dir()), std::nullopt);
  fs::remove(dir() / "current");
  ASSERT_EQ(mkfifo((dir() / "current").c_str(), 0600), 0);
  EXPECT_EQ(LiveDatabase(dir()), std::nullopt);  // and does not wait on it
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

// The pages of `fd` that wait to be written out: cachestat(2), Linux 6.5;
// -1 where the kernel does not have it.
long DirtyPages(int fd) {
#if defined(__linux__) && defined(__x86_64__)
  struct {
    std::uint64_t off, len;
  } range{0, 0};  // the whole file
  struct {
    std::uint64_t cache, dirty, writeback, evicted, recently_evicted;
  } stat{};
  if (syscall(451, fd, &range, &stat, 0) != 0) return -1;
  return static_cast<long>(stat.dirty);
#else
  (void)fd;
  return -1;
#endif
}

TEST_F(StorageTest, EarlyWritebackHasTheTablesWrittenOut) {
  MakeDir("db-1");
  struct statfs fs_info {};
  constexpr long kTmpfs = 0x01021994;  // TMPFS_MAGIC
  if (statfs(dir().c_str(), &fs_info) == 0 &&
      static_cast<long>(fs_info.f_type) == kTmpfs) {
    GTEST_SKIP() << "the temporary directory is in memory (tmpfs): its "
                    "pages have no disk to be written out to";
  }
  fs::path table = dir() / "db-1" / "postlist.glass";
  int fd = open(table.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  // Left alone, the kernel writes pages out after 30 seconds, or at once
  // when the machine has much else to write: then the pages are written
  // again, a few times, until some are seen waiting.
  std::string block(8192, 'x');
  long dirty = 0;
  for (int attempt = 0; attempt < 20 && dirty == 0; ++attempt) {
    for (int i = 0; i < 64; ++i) {
      ASSERT_EQ(pwrite(fd, block.data(), block.size(), i * 8192L),
                static_cast<ssize_t>(block.size()));
    }
    dirty = DirtyPages(fd);
  }
  if (dirty <= 0) {
    close(fd);
    GTEST_SKIP() << (dirty < 0 ? "no cachestat(2) to see the pages with"
                               : "the kernel wrote every page out at once");
  }
  {
    EarlyWriteback writeback(dir() / "db-1");
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (DirtyPages(fd) > 0 && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(DirtyPages(fd), 0);
    EXPECT_GT(writeback.passes(), 0);
  }
  close(fd);
}

TEST_F(StorageTest, EarlyWritebackLeavesACommitWhole) {
  fs::path db = dir() / "db-1";
  {
    Xapian::WritableDatabase w(db.string(), Xapian::DB_CREATE_OR_OPEN);
    Xapian::Document d;
    d.add_posting("first", 1);
    w.add_document(d);
    w.commit();
  }
  {
    Xapian::WritableDatabase w(db.string(), Xapian::DB_OPEN);
    EarlyWriteback writeback(db);
    for (int i = 0; i < 500; ++i) {
      Xapian::Document d;
      d.add_posting("word" + std::to_string(i % 50), 1);
      d.add_posting("later", 2);
      w.add_document(d);
    }
    w.commit();
  }
  Xapian::Database r(db.string());
  EXPECT_EQ(r.get_doccount(), 501u);
  EXPECT_EQ(r.get_termfreq("later"), 500u);
}

TEST_F(StorageTest, EarlyWritebackWithoutTablesStartsNoThread) {
  MakeDir("db-1");
  EarlyWriteback writeback(dir() / "db-1");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(writeback.passes(), 0);
}

}  // namespace
}  // namespace evrepo::index
