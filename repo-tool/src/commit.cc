// evrepo add: the would-be commit is assembled in memory (the base tree with
// the working-tree files laid over it), checked as a whole corpus, and only
// then written.  Errors count against the commit when they sit in the files
// it changes or did not exist before it (so a deletion that breaks a
// reference elsewhere is refused, but an old problem in an untouched file
// does not hold up unrelated work).
#include "evrepo/commit.h"

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "evrepo/store.h"
#include "evrepo/text.h"

namespace evrepo {

namespace fs = std::filesystem;

namespace {

// Non-document files (images, schemas, evrepo.yml) may be committed too,
// up to this size.
constexpr std::size_t kMaxFileBytes = 64 * 1024 * 1024;

struct Candidate {
  std::string path;
  bool on_disk;
};

bool Under(const std::string& path, const std::string& dir) {
  return dir.empty() || path == dir || path.rfind(dir + "/", 0) == 0;
}

// The files named by one selection: working-tree files at or under it, and
// base files under it that are gone from the working tree.
Status Expand(const Corpus& corpus, const Repository& repo,
              const std::map<std::string, TreeFile>& base,
              const std::string& sel, std::map<std::string, bool>* out) {
  fs::path full = sel.empty() ? corpus.root() : corpus.root() / sel;
  std::error_code ec;
  fs::file_status st = fs::symlink_status(full, ec);
  std::size_t before = out->size();
  if (fs::is_symlink(st)) {
    return Status::Usage("'" + sel + "' is a symbolic link")
        .WithHint("evrepo commits regular files only");
  }
  if (fs::is_regular_file(st)) {
    if (repo.IsIgnored(sel)) {
      return Status::Usage("'" + sel + "' is ignored by Git (.gitignore)");
    }
    (*out)[sel] = true;
    return Status::Ok();
  }
  if (fs::is_directory(st)) {
    fs::recursive_directory_iterator it(full, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      std::string rel =
          it->path().lexically_relative(corpus.root()).generic_string();
      bool dir = it->is_directory(ec);
      // Dot-directories (.git, .evrepo) are never evidence; dot-files
      // (.gitignore, .gitattributes) are committed like any other file.
      if (dir && !name.empty() && name[0] == '.') {
        it.disable_recursion_pending();
        continue;
      }
      // The search index is derived data wherever evrepo.yml puts it.
      if (dir && rel == corpus.config().index) {
        it.disable_recursion_pending();
        continue;
      }
      if (repo.IsIgnored(dir ? rel + "/" : rel)) {
        if (dir) it.disable_recursion_pending();
        continue;
      }
      if (!dir && it->is_regular_file(ec) && !it->is_symlink(ec)) {
        (*out)[rel] = true;
      }
    }
    if (ec) {
      return Status::Io("cannot list '" + sel + "': " + ec.message());
    }
  } else if (fs::exists(st)) {
    return Status::Usage("'" + sel + "' is not a regular file");
  }
  for (const auto& [path, file] : base) {
    if (Under(path, sel) && !out->count(path)) {
      if (!fs::exists(fs::symlink_status(corpus.root() / path, ec))) {
        (*out)[path] = false;
      }
    }
  }
  if (out->size() == before && !fs::exists(st)) {
    return Status::Usage("'" + sel + "' matches no file")
        .WithHint("name files or directories of the corpus");
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const fs::path& p, const std::string& rel) {
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  if (ec) return Status::Io("cannot read '" + rel + "': " + ec.message());
  if (size > kMaxFileBytes) {
    return Status::Invalid("'" + rel + "' is " + std::to_string(size) +
                           " bytes, over the limit of " +
                           std::to_string(kMaxFileBytes));
  }
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) return Status::Io("cannot read '" + rel + "'");
  return ss.str();
}

bool IsExecutable(const fs::path& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && (st.st_mode & S_IXUSR);
}

using DiagnosticKey =
    std::tuple<std::string, int, int, std::string, std::string>;

DiagnosticKey KeyOf(const Diagnostic& d) {
  return {d.path, d.line, d.column, d.rule, d.message};
}

}  // namespace

Result<AddResult> AddAndCommit(const Corpus& corpus, Repository& repo,
                               const AddOptions& options) {
  if (Trim(options.message).empty()) {
    return Status::Usage("a commit message is required")
        .WithHint("say why with -m MESSAGE");
  }
  AddResult result;
  result.merge = repo.IsMerging();

  // The base the commit builds on: HEAD, or the index during a merge.
  std::map<std::string, TreeFile> base;
  std::set<std::string> unresolved;
  if (result.merge) {
    auto files = repo.ListIndex();
    if (!files) return files.status();
    for (TreeFile& f : *files) {
      if (f.stage != 0) {
        unresolved.insert(f.path);
      } else {
        base[f.path] = std::move(f);
      }
    }
  } else {
    auto head = repo.Head();
    if (!head) return head.status();
    if (*head) {
      auto files = repo.ListCommit(**head);
      if (!files) return files.status();
      for (TreeFile& f : *files) base[f.path] = std::move(f);
    }
  }

  std::map<std::string, bool> selected;  // path → present in working tree
  for (std::string sel : options.paths) {
    while (!sel.empty() && sel.back() == '/') sel.pop_back();  // "toolkits/"
    Status s = Expand(corpus, repo, base, sel, &selected);
    if (!s.ok()) return s;
  }

  std::vector<FileWrite> writes;
  std::map<std::string, std::string> contents;  // documents being written
  for (const auto& [path, on_disk] : selected) {
    auto it = base.find(path);
    if (!on_disk) {
      writes.push_back({path, std::nullopt, false});
      result.files.push_back({'D', path});
      continue;
    }
    fs::path full = corpus.root() / path;
    auto bytes = ReadFile(full, path);
    if (!bytes) return bytes.status();
    auto clean = repo.CleanContent(path, *bytes);
    if (!clean) return clean.status();
    bool exec = IsExecutable(full);
    auto blob = repo.HashBlob(*clean);
    if (!blob) return blob.status();
    if (it != base.end() && it->second.blob == *blob &&
        it->second.executable == exec && !unresolved.count(path)) {
      continue;  // unchanged
    }
    result.files.push_back(
        {it == base.end() && !unresolved.count(path) ? 'A' : 'M', path});
    if (corpus.IsDocumentPath(path)) contents[path] = *clean;
    writes.push_back({path, std::move(*clean), exec});
  }
  if (writes.empty() && !result.merge) {
    return Status::Invalid("nothing to commit: the files match HEAD");
  }

  // The corpus as it would be committed.
  std::set<std::string> changed;
  for (const FileWrite& w : writes) changed.insert(w.path);
  std::vector<Document> docs;
  auto add_base = [&](std::vector<Document>& out, bool with_writes) -> Status {
    for (const auto& [path, file] : base) {
      if (!corpus.IsDocumentPath(path)) continue;
      if (with_writes && changed.count(path)) continue;
      auto doc = ReadBlobDocument(repo, path, file.blob);
      if (!doc) return doc.status();
      out.push_back(std::move(*doc));
    }
    for (const std::string& path : unresolved) {
      if (!corpus.IsDocumentPath(path) ||
          (with_writes && changed.count(path))) {
        continue;
      }
      Document doc;
      doc.path = path;
      doc.diagnostics.push_back({path, 0, 0, Severity::kError, "unmerged",
                                 "unresolved merge conflict",
                                 "edit the file to combine both versions, "
                                 "then add it too"});
      out.push_back(std::move(doc));
    }
    return Status::Ok();
  };
  if (Status s = add_base(docs, true); !s.ok()) return s;
  for (const auto& [path, bytes] : contents) {
    if (bytes.size() > kMaxDocumentBytes) {
      Document doc;
      doc.path = path;
      doc.diagnostics.push_back({path, 0, 0, Severity::kError, "file-size",
                                 "document is " + std::to_string(bytes.size()) +
                                     " bytes, over the limit of " +
                                     std::to_string(kMaxDocumentBytes),
                                 ""});
      docs.push_back(std::move(doc));
    } else {
      docs.push_back(ParseDocument(path, bytes));
    }
  }
  CheckReport after =
      CheckDocuments(corpus.schema(), std::move(docs), {options.strict});

  // Errors outside the changed files block only when the commit causes them.
  std::set<DiagnosticKey> before;
  bool compared = false;
  for (const Diagnostic& d : after.diagnostics) {
    bool mine = changed.count(d.path) > 0;
    if (!mine && d.severity == Severity::kError && !compared) {
      std::vector<Document> base_docs;
      if (Status s = add_base(base_docs, false); !s.ok()) return s;
      CheckReport was = CheckDocuments(corpus.schema(), std::move(base_docs),
                                       {options.strict});
      for (const Diagnostic& b : was.diagnostics) before.insert(KeyOf(b));
      compared = true;
    }
    if (!mine) {
      if (d.severity != Severity::kError) continue;
      if (before.count(KeyOf(d))) {
        ++result.preexisting_errors;
        continue;
      }
    }
    (d.severity == Severity::kError ? result.errors : result.warnings)++;
    result.diagnostics.push_back(d);
  }
  if (result.errors > 0) return result;

  auto commit = repo.Commit(writes, options.message);
  if (!commit) return commit.status();
  result.commit = *commit;
  return result;
}

}  // namespace evrepo
