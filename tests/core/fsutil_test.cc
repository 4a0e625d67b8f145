// Tests of atomic and exclusive file writes.
#include "evrepo/fsutil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

using testing::ReadAll;

std::vector<std::string> Names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(WriteFileAtomic, CreatesAndReplaces) {
  TempDir dir;
  fs::path p = dir.path() / "a.txt";
  ASSERT_TRUE(WriteFileAtomic(p, "one").ok());
  EXPECT_EQ(ReadAll(p), "one");
  ASSERT_TRUE(WriteFileAtomic(p, std::string("t\0o", 3)).ok());
  EXPECT_EQ(ReadAll(p), std::string("t\0o", 3));
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"a.txt"});
}

TEST(WriteFileAtomic, MissingDirectoryIsAnIoError) {
  TempDir dir;
  Status s = WriteFileAtomic(dir.path() / "no" / "a.txt", "x");
  EXPECT_EQ(s.code(), Status::Code::kIo);
}

TEST(CreateFileExclusive, CreatesANewFile) {
  TempDir dir;
  fs::path p = dir.path() / "a.md";
  ASSERT_TRUE(CreateFileExclusive(p, "new").ok());
  EXPECT_EQ(ReadAll(p), "new");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"a.md"});
}

TEST(CreateFileExclusive, NeverReplacesAnExistingFile) {
  TempDir dir;
  dir.Write("a.md", "old");
  fs::path p = dir.path() / "a.md";
  Status s = CreateFileExclusive(p, "new");
  EXPECT_EQ(s.code(), Status::Code::kConflict);
  EXPECT_EQ(s.message(), "'" + p.string() + "' already exists");
  EXPECT_EQ(ReadAll(p), "old");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"a.md"});
}

}  // namespace
}  // namespace evrepo
