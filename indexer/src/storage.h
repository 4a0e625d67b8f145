// Where the live database is, and swapping in a new one (see index.cc).
#ifndef EVREPO_INDEX_STORAGE_H_
#define EVREPO_INDEX_STORAGE_H_

#include <filesystem>
#include <optional>
#include <string>

#include "evrepo/status.h"

namespace evrepo::index {

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

}  // namespace evrepo::index

#endif  // EVREPO_INDEX_STORAGE_H_
