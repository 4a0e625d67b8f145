// Helpers for the core unit tests: temporary directories and the schemas.
#ifndef EVREPO_TESTS_CORE_TEST_UTIL_H_
#define EVREPO_TESTS_CORE_TEST_UTIL_H_

#include <filesystem>
#include <string>

#include "evrepo/schema.h"

namespace evrepo::testing {

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `content` to `rel` (parent directories created).
  void Write(const std::string& rel, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

// The whole content of a file ("" when it cannot be read).
std::string ReadAll(const std::filesystem::path& path);

// The project's schemas/ (the built-in schema set), loaded once.
const Schema& ProjectSchema();

}  // namespace evrepo::testing

#endif  // EVREPO_TESTS_CORE_TEST_UTIL_H_
