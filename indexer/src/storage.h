// Where the live database is, and swapping in a new one (see index.cc).
#ifndef EVREPO_INDEX_STORAGE_H_
#define EVREPO_INDEX_STORAGE_H_

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "evrepo/status.h"

namespace evrepo::index {

// DIR/trees: the trees of the commit indexed, as a TreeCache (git.h).
inline constexpr char kTreeDir[] = "trees";

// The live database named by DIR/current; nullopt when there is none.
std::optional<std::filesystem::path> LiveDatabase(
    const std::filesystem::path& dir);

// A database path in `dir` that is not in use: db-N with N one above any.
std::filesystem::path NewDatabasePath(const std::filesystem::path& dir);

// Removes db-* directories other than `keep` (a name), left by kills.
void RemoveLeftovers(const std::filesystem::path& dir, const std::string& keep);

// Makes `database` the live one, atomically.
Status SwitchTo(const std::filesystem::path& dir,
                const std::filesystem::path& database);

// While alive, has the kernel start writing out the blocks written to the
// tables of the database in `database`, every tenth of a millisecond, on a
// thread of its own.
//
// A Xapian commit writes all its blocks, then syncs the tables one after
// the other.  Each fdatasync waited for its table's blocks to be written
// out: 3.3 of the 13.7 ms of a one-document update, at 10,000 documents.
// Started while the commit still works, that writing overlaps the rest of
// it, and the syncs find little left to wait for.  Nothing else changes:
// Xapian still syncs every table before the version file that names the
// new blocks, so a power cut leaves the last commit or the one before.
class EarlyWriteback {
 public:
  explicit EarlyWriteback(const std::filesystem::path& database);
  ~EarlyWriteback();
  EarlyWriteback(const EarlyWriteback&) = delete;
  EarlyWriteback& operator=(const EarlyWriteback&) = delete;

  // How many times the tables have been asked so far; for tests.
  long passes() const;

 private:
  std::vector<int> tables_;  // read-only descriptors of the table files
  mutable std::mutex mutex_;
  std::condition_variable wake_;  // for the destructor: stop now
  bool stop_ = false;
  long passes_ = 0;
  std::thread thread_;
};

}  // namespace evrepo::index

#endif  // EVREPO_INDEX_STORAGE_H_
