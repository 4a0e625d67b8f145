// Helpers for the core unit tests.
#include "test_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

namespace evrepo::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl =
      (fs::temp_directory_path() / "evrepo-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) std::abort();
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void TempDir::Write(const std::string& rel, const std::string& content) const {
  fs::path p = path_ / rel;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const Schema& ProjectSchema() {
  static const Schema* schema = [] {
    auto s = Schema::Load({EVREPO_TEST_SCHEMA_DIR});
    if (!s) {
      ADD_FAILURE() << s.status().message();
      std::abort();
    }
    return new Schema(std::move(*s));
  }();
  return *schema;
}

}  // namespace evrepo::testing
