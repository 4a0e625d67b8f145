// Git tree objects as they are stored, and the difference between two.
//
// A tree is a run of entries "<octal mode> <name>\0<20-byte id>" in Git's
// order (by name, a subtree's as if its name ended in '/').  Diffing two
// versions of a folder of thousands of documents this way skips what
// libgit2's tree parser does for every entry (a number parsed, an entry
// made) and, with a memcmp, every entry before the first that differs.
#ifndef EVREPO_RAW_TREE_H_
#define EVREPO_RAW_TREE_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "evrepo/git.h"
#include "evrepo/status.h"

namespace evrepo::rawtree {

constexpr std::size_t kIdSize = 20;  // SHA-1

struct Entry {
  std::string_view name;
  unsigned mode = 0;    // as libgit2 normalises it (0100664 is 0100644)
  std::string_view id;  // kIdSize raw bytes

  bool tree() const { return mode == 0040000; }
  // A regular file, executable or not (not a link, not a submodule).
  bool file() const { return mode == 0100644 || mode == 0100755; }
};

// Reads the entry at raw[*pos] and moves *pos past it.  False for a
// malformed entry: a mode that is not octal, no name, a name that is "." or
// ".." or holds a '/', or fewer than kIdSize bytes left for the id.
bool Next(std::string_view raw, std::size_t* pos, Entry* entry);

// Git's order of two entries of one tree: <0, 0 or >0.
int Compare(const Entry& a, const Entry& b);

// The 40 hexadecimal digits of a raw id.
ObjectId Hex(std::string_view id);

// The raw tree named by `id` (raw bytes), found at `path` ("" for the top);
// `old_side` tells which of the two trees it belongs to.
using Reader = std::function<Result<std::string>(
    const std::string& path, std::string_view id, bool old_side)>;

// Appends the files that differ between raw trees `a` and `b` (either may be
// empty: no tree) under `dir` ("" or ending in '/'), reading subtrees whose
// ids differ through `read`: what libgit2's tree diff without rename or
// type-change detection reports, in Git's order.  Invalid, naming the
// folder, for a malformed tree.
Status Diff(std::string_view a, std::string_view b, const std::string& dir,
            const Reader& read, std::vector<TreeChange>* out);

}  // namespace evrepo::rawtree

#endif  // EVREPO_RAW_TREE_H_
