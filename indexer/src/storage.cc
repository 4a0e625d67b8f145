// The index directory's stub file and its databases.
#include "storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <string_view>
#include <system_error>
#include <vector>

#include "evrepo/fsutil.h"
#include "evrepo/parallel.h"

namespace evrepo::index {

namespace fs = std::filesystem;

namespace {

constexpr char kStub[] = "current";

// N for a directory named db-N, else -1.
long DatabaseNumber(const std::string& name) {
  if (name.rfind("db-", 0) != 0 || name.size() == 3 || name.size() > 12) {
    return -1;  // not ours, or a number too large to be one we wrote
  }
  for (std::size_t i = 3; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return -1;
  }
  return std::stol(name.substr(3));
}

}  // namespace

std::optional<fs::path> LiveDatabase(const fs::path& dir) {
  // "auto db-N", as SwitchTo writes it: two words; what follows is ignored.
  auto stub = ReadFileLimited(dir / kStub, 4096, kStub);
  if (!stub) return std::nullopt;
  std::string_view text = *stub;
  auto word = [&text] {
    auto space = [](char c) {
      return std::isspace(static_cast<unsigned char>(c)) != 0;
    };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    std::size_t n = 0;
    while (n < text.size() && !space(text[n])) ++n;
    std::string_view w = text.substr(0, n);
    text.remove_prefix(n);
    return w;
  };
  std::string_view kind = word();
  std::string name(word());
  if (kind != "auto" || DatabaseNumber(name) < 0) return std::nullopt;
  std::error_code ec;
  if (!fs::is_directory(dir / name, ec)) return std::nullopt;
  return dir / name;
}

fs::path NewDatabasePath(const fs::path& dir) {
  long highest = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    highest = std::max(highest, DatabaseNumber(e.path().filename().string()));
  }
  return dir / ("db-" + std::to_string(highest + 1));
}

void RemoveLeftovers(const fs::path& dir, const std::string& keep) {
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (DatabaseNumber(name) >= 0 && name != keep) doomed.push_back(e.path());
  }
  for (const fs::path& p : doomed) fs::remove_all(p, ec);
}

Status SwitchTo(const fs::path& dir, const fs::path& database) {
  return WriteFileAtomic(dir / kStub,
                         "auto " + database.filename().string() + "\n");
}

EarlyWriteback::EarlyWriteback(const fs::path& database) {
#if defined(__linux__)
  for (const char* table :
       {"postlist", "position", "termlist", "docdata", "spelling", "synonym"}) {
    fs::path file = database / (std::string(table) + ".glass");
    int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) tables_.push_back(fd);
  }
  if (tables_.empty()) return;
  try {
    thread_ = StartThread([this] {
      std::unique_lock lock(mutex_);
      while (!stop_) {
        lock.unlock();
        // Only starts the writing: fdatasync still waits for it.
        for (int fd : tables_) sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        lock.lock();
        ++passes_;
        wake_.wait_for(lock, std::chrono::microseconds(100));
      }
    });
  } catch (const std::system_error&) {
    // No thread to spare: the commit just syncs as it always did.
  }
#else
  (void)database;
#endif
}

EarlyWriteback::~EarlyWriteback() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  for (int fd : tables_) close(fd);
}

long EarlyWriteback::passes() const {
  std::lock_guard lock(mutex_);
  return passes_;
}

}  // namespace evrepo::index
