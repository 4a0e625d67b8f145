// Reading documents from commits and from the index.
#include "evrepo/store.h"

#include "evrepo/text.h"

namespace evrepo {

Result<std::vector<TreeFile>> ListCommitDocuments(const Corpus& corpus,
                                                  const Repository& repo,
                                                  const ObjectId& commit) {
  auto files = repo.ListCommit(commit);
  if (!files) return files.status();
  std::vector<TreeFile> out;
  for (TreeFile& f : *files) {
    if (corpus.IsDocumentPath(f.path)) out.push_back(std::move(f));
  }
  return out;
}

Result<std::string> ReadDocumentBlob(const Repository& repo,
                                     const ObjectId& blob) {
  return repo.ReadBlob(blob, kMaxDocumentBytes);
}

Result<Document> BlobDocument(const std::string& path,
                              const Result<std::string>& bytes) {
  if (!bytes) {
    if (bytes.status().code() != Status::Code::kInvalid) {
      return bytes.status();
    }
    Document doc;
    doc.path = path;
    doc.diagnostics.push_back({path, 0, 0, Severity::kError, "file-size",
                               "document is " + bytes.status().message(), ""});
    return doc;
  }
  return ParseDocument(path, *bytes);
}

Result<Document> ReadBlobDocument(const Repository& repo,
                                  const std::string& path,
                                  const ObjectId& blob) {
  return BlobDocument(path, ReadDocumentBlob(repo, blob));
}

Result<std::vector<Document>> ReadCommitDocuments(const Corpus& corpus,
                                                  const Repository& repo,
                                                  const ObjectId& commit) {
  auto files = ListCommitDocuments(corpus, repo, commit);
  if (!files) return files.status();
  std::vector<Document> docs;
  docs.reserve(files->size());
  for (const TreeFile& f : *files) {
    auto doc = ReadBlobDocument(repo, f.path, f.blob);
    if (!doc) return doc.status();
    docs.push_back(std::move(*doc));
  }
  return docs;
}

Result<std::vector<Document>> ReadStagedDocuments(const Corpus& corpus,
                                                  const Repository& repo) {
  auto files = repo.ListIndex();
  if (!files) return files.status();
  std::vector<Document> docs;
  for (std::size_t i = 0; i < files->size(); ++i) {
    const TreeFile& f = (*files)[i];
    if (!corpus.IsDocumentPath(f.path)) continue;
    if (f.stage != 0) {
      // One stand-in per unresolved path, however many sides it has.
      if (i > 0 && (*files)[i - 1].path == f.path) continue;
      Document doc;
      doc.path = f.path;
      doc.diagnostics.push_back(
          {f.path, 0, 0, Severity::kError, "unmerged",
           "unresolved merge conflict",
           "edit the file to combine both versions, then stage it"});
      docs.push_back(std::move(doc));
      continue;
    }
    auto doc = ReadBlobDocument(repo, f.path, f.blob);
    if (!doc) return doc.status();
    docs.push_back(std::move(*doc));
  }
  return docs;
}

Result<ObjectId> ResolveRevision(const Repository& repo,
                                 const std::string& rev) {
  if (IsCalendarDate(rev)) {
    auto head = repo.ResolveCommit("HEAD");
    if (!head) return head.status();
    return repo.CommitAsOf(rev, *head);
  }
  return repo.ResolveCommit(rev);
}

}  // namespace evrepo
