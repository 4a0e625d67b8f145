// File writes that never leave a half-written file or clobber a document.
#ifndef EVREPO_FSUTIL_H_
#define EVREPO_FSUTIL_H_

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "evrepo/status.h"

namespace evrepo {

// Writes `content` to a temporary file beside `path`, flushes it to disk and
// renames it over `path`: readers see the old file or the new one, never a
// mix.  Io error on failure (the temporary file is removed).  With `flush`
// false the file is not flushed first: for a file that checks itself when
// read (a cache), which a power cut may leave empty or broken but a killed
// process never leaves half-written.
Status WriteFileAtomic(const std::filesystem::path& path,
                       std::string_view content, bool flush = true);

// The whole of `path`, which must be at most `limit` bytes; messages name
// the file `shown`.
Result<std::string> ReadFileLimited(const std::filesystem::path& path,
                                    std::size_t limit,
                                    const std::string& shown);

// All of `bytes` written to `fd`, going on after EINTR and short writes;
// false on failure, with errno set (EIO for a write that wrote nothing).
bool WriteAll(int fd, std::string_view bytes);

// Exactly `n` bytes read from `fd` at `offset` into `buffer`, going on
// after EINTR and short reads; false on failure or at the end of the file.
bool ReadAllAt(int fd, char* buffer, std::size_t n, off_t offset);

// The whole of `fd`, read into `buffer`, when it is exactly `n` bytes long:
// false when it is shorter or longer (say, a file growing while read).
bool ReadWhole(int fd, char* buffer, std::size_t n);

// Like WriteFileAtomic, but fails with Conflict when `path` already exists
// (checked atomically, with link(2)): an existing file is never replaced.
Status CreateFileExclusive(const std::filesystem::path& path,
                           std::string_view content);

}  // namespace evrepo

#endif  // EVREPO_FSUTIL_H_
