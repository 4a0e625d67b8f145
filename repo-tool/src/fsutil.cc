// Atomic and exclusive file creation with POSIX calls.
#include "evrepo/fsutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace evrepo {

namespace fs = std::filesystem;

namespace {

// Writes `content` to a fresh temporary file in `dir`; returns its path.
Result<std::string> WriteTemp(const fs::path& target, std::string_view content,
                              bool flush = true) {
  std::string tmpl =
      (target.parent_path() / ("." + target.filename().string() + ".XXXXXX"))
          .string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    return Status::Io("cannot create a file in '" +
                      target.parent_path().string() +
                      "': " + std::strerror(errno));
  }
  if (!WriteAll(fd, content)) {
    int err = errno;
    close(fd);
    unlink(tmpl.c_str());
    return Status::Io("cannot write '" + target.string() +
                      "': " + std::strerror(err));
  }
  fchmod(fd, 0644);
  if ((flush && fsync(fd) != 0) || close(fd) != 0) {
    int err = errno;
    unlink(tmpl.c_str());
    return Status::Io("cannot write '" + target.string() +
                      "': " + std::strerror(err));
  }
  return tmpl;
}

}  // namespace

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool ReadAllAt(int fd, char* buffer, std::size_t n, off_t offset) {
  while (n > 0) {
    ssize_t got = pread(fd, buffer, n, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    buffer += got;
    n -= static_cast<std::size_t>(got);
    offset += got;
  }
  return true;
}

bool ReadWhole(int fd, char* buffer, std::size_t n) {
  char extra;
  return ReadAllAt(fd, buffer, n, 0) &&
         pread(fd, &extra, 1, static_cast<off_t>(n)) == 0;
}

Status WriteFileAtomic(const fs::path& path, std::string_view content,
                       bool flush) {
  auto tmp = WriteTemp(path, content, flush);
  if (!tmp) return tmp.status();
  if (rename(tmp->c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp->c_str());
    return Status::Io("cannot write '" + path.string() +
                      "': " + std::strerror(err));
  }
  return Status::Ok();
}

Result<std::string> ReadFileLimited(const fs::path& path, std::size_t limit,
                                    const std::string& shown) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return Status::Io("cannot read '" + shown + "': " + ec.message());
  if (size > limit) {
    return Status::Invalid("'" + shown + "' is larger than " +
                           std::to_string(limit) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  std::string out(static_cast<std::size_t>(size), '\0');
  if (!in.read(out.data(), static_cast<std::streamsize>(size))) {
    return Status::Io("cannot read '" + shown + "'");
  }
  return out;
}

Status CreateFileExclusive(const fs::path& path, std::string_view content) {
  auto tmp = WriteTemp(path, content);
  if (!tmp) return tmp.status();
  int rc = link(tmp->c_str(), path.c_str());
  int err = errno;
  unlink(tmp->c_str());
  if (rc != 0) {
    if (err == EEXIST) {
      return Status::Conflict("'" + path.string() + "' already exists");
    }
    return Status::Io("cannot create '" + path.string() +
                      "': " + std::strerror(err));
  }
  return Status::Ok();
}

}  // namespace evrepo
