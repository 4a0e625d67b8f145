// Raw Git trees and their difference; see raw_tree.h.
#include "raw_tree.h"

#include <algorithm>
#include <cstring>

namespace evrepo::rawtree {

namespace {

// libgit2's normalize_filemode: what it reports for a mode as stored.
unsigned Normalise(unsigned mode) {
  unsigned type = mode & 0170000;
  if (type == 0040000) return 0040000;  // a tree
  if (mode & 0111) return 0100755;      // any x bit: an executable file
  if (type == 0160000) return 0160000;  // a submodule's commit
  if (type == 0120000) return 0120000;  // a symbolic link
  return 0100644;
}

// The length of the run of whole entries at the front of `a` and `b` that
// are the same byte for byte: entries both trees share need no parsing.
std::size_t SameEntries(std::string_view a, std::string_view b) {
  std::size_t n = std::min(a.size(), b.size());
  std::size_t m = 0;
  constexpr std::size_t kBlock = 256;
  while (m + kBlock <= n &&
         std::memcmp(a.data() + m, b.data() + m, kBlock) == 0)
    m += kBlock;
  while (m < n && a[m] == b[m]) ++m;
  if (m == a.size() && m == b.size()) return m;  // the same to the end
  // Entries that end within the first m bytes.  The first NUL after an
  // entry's start ends its name: modes and names hold none.
  std::size_t k = 0;
  while (k < m) {
    const void* nul = std::memchr(a.data() + k, '\0', m - k);
    if (!nul) break;
    std::size_t end =
        static_cast<std::size_t>(static_cast<const char*>(nul) - a.data()) + 1 +
        kIdSize;
    if (end > m) break;
    k = end;
  }
  return k;
}

Status Malformed(const std::string& dir) {
  return Status::Invalid("malformed tree object at '" +
                         (dir.empty() ? std::string(".") : dir) + "'");
}

}  // namespace

bool Next(std::string_view raw, std::size_t* pos, Entry* entry) {
  std::size_t i = *pos;
  unsigned mode = 0;
  std::size_t digits = 0;
  for (; i < raw.size() && raw[i] != ' '; ++i, ++digits) {
    if (raw[i] < '0' || raw[i] > '7' || digits == 7) return false;
    mode = mode * 8 + static_cast<unsigned>(raw[i] - '0');
  }
  if (digits == 0 || i == raw.size()) return false;
  std::size_t name = i + 1;
  const void* nul = std::memchr(raw.data() + name, '\0', raw.size() - name);
  if (!nul) return false;
  std::size_t end =
      static_cast<std::size_t>(static_cast<const char*>(nul) - raw.data());
  if (end == name || raw.size() - end - 1 < kIdSize) return false;
  std::string_view n = raw.substr(name, end - name);
  if (n == "." || n == ".." || n.find('/') != std::string_view::npos)
    return false;
  entry->name = n;
  entry->mode = Normalise(mode);
  entry->id = raw.substr(end + 1, kIdSize);
  *pos = end + 1 + kIdSize;
  return true;
}

int Compare(const Entry& a, const Entry& b) {
  std::size_t n = std::min(a.name.size(), b.name.size());
  if (int c = std::memcmp(a.name.data(), b.name.data(), n); c != 0) return c;
  auto next = [n](const Entry& e) -> int {
    if (e.name.size() > n) return static_cast<unsigned char>(e.name[n]);
    return e.tree() ? '/' : 0;
  };
  return next(a) - next(b);
}

ObjectId Hex(std::string_view id) {
  static constexpr char kDigits[] = "0123456789abcdef";
  ObjectId out(id.size() * 2, '0');
  for (std::size_t i = 0; i < id.size(); ++i) {
    auto c = static_cast<unsigned char>(id[i]);
    out[2 * i] = kDigits[c >> 4];
    out[2 * i + 1] = kDigits[c & 15];
  }
  return out;
}

Status Diff(std::string_view a, std::string_view b, const std::string& dir,
            const Reader& read, std::vector<TreeChange>* out) {
  std::size_t i = 0, j = 0;
  while (true) {
    std::size_t same = SameEntries(a.substr(i), b.substr(j));
    i += same;
    j += same;
    bool has_x = i < a.size(), has_y = j < b.size();
    if (!has_x && !has_y) break;
    Entry x, y;
    std::size_t next_i = i, next_j = j;
    if (has_x && !Next(a, &next_i, &x)) return Malformed(dir);
    if (has_y && !Next(b, &next_j, &y)) return Malformed(dir);
    int cmp = !has_x ? 1 : !has_y ? -1 : Compare(x, y);
    if (cmp == 0 && x.id == y.id && x.mode == y.mode) {
      i = next_i;  // the same content: nothing below differs
      j = next_j;
      continue;
    }
    const Entry& e = cmp < 0 ? x : y;
    std::string path = dir + std::string(e.name);
    if (e.tree()) {
      // Equal names and one a tree: both are (see Compare).
      std::string ta, tb;
      if (cmp <= 0) {
        auto t = read(path, x.id, true);
        if (!t) return t.status();
        ta = std::move(*t);
      }
      if (cmp >= 0) {
        auto t = read(path, y.id, false);
        if (!t) return t.status();
        tb = std::move(*t);
      }
      if (Status s = Diff(ta, tb, path + "/", read, out); !s.ok()) return s;
    } else {
      bool had = cmp <= 0 && x.file();
      bool has = cmp >= 0 && y.file();
      if (had && has) {
        out->push_back(
            {TreeChange::Kind::kModified, path, Hex(x.id), Hex(y.id)});
      } else if (has) {
        out->push_back({TreeChange::Kind::kAdded, path, "", Hex(y.id)});
      } else if (had) {
        out->push_back({TreeChange::Kind::kDeleted, path, Hex(x.id), ""});
      }
    }
    if (cmp <= 0) i = next_i;
    if (cmp >= 0) j = next_j;
  }
  return Status::Ok();
}

}  // namespace evrepo::rawtree
