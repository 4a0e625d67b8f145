// Tests of atomic and exclusive file writes, and of bounded reads.
#include "evrepo/fsutil.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

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

TEST(ReadFileLimited, ReadsTheWholeFileUpToTheLimit) {
  TempDir dir;
  std::string big(100000, 'x');
  big[77777] = '\0';
  dir.Write("big", big);
  dir.Write("empty", "");
  auto read = ReadFileLimited(dir.path() / "big", big.size(), "big");
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, big);
  auto empty = ReadFileLimited(dir.path() / "empty", 0, "empty");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(ReadFileLimited, AFileOverTheLimitIsInvalid) {
  TempDir dir;
  dir.Write("a.md", "12345");
  auto read = ReadFileLimited(dir.path() / "a.md", 4, "a.md");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(read.status().message(), "'a.md' is larger than 4 bytes");
}

// Each refusal names the file as shown and says why; a FIFO where a file
// should be is refused at once rather than waited on.
TEST(ReadFileLimited, WhatIsNotAReadableFileIsAnIoError) {
  TempDir dir;
  fs::create_directory(dir.path() / "sub");
  ASSERT_EQ(mkfifo((dir.path() / "fifo").c_str(), 0600), 0);
  const std::pair<const char*, const char*> cases[] = {
      {"missing", "cannot read 'missing': No such file or directory"},
      {"sub", "cannot read 'sub': Is a directory"},
      {"fifo", "cannot read 'fifo': not a regular file"}};
  for (const auto& [name, message] : cases) {
    auto read = ReadFileLimited(dir.path() / name, 1 << 20, name);
    ASSERT_FALSE(read.ok()) << name;
    EXPECT_EQ(read.status().code(), Status::Code::kIo);
    EXPECT_EQ(read.status().message(), message);
  }
}

}  // namespace
}  // namespace evrepo
