// Documents read from Git: a commit's tree or the index, without a checkout.
//
// This is how everything that must see committed content (check --rev and
// --staged, add, log, show, and later index and publish) reads documents:
// blobs straight from the object database, parsed exactly as a working-tree
// file would be.  Which files are documents is decided by the corpus's
// configuration (Corpus::IsDocumentPath).
#ifndef EVREPO_STORE_H_
#define EVREPO_STORE_H_

#include <string>
#include <vector>

#include "evrepo/corpus.h"
#include "evrepo/document.h"
#include "evrepo/git.h"
#include "evrepo/status.h"

namespace evrepo {

// The document files of a commit, sorted by path.
Result<std::vector<TreeFile>> ListCommitDocuments(const Corpus& corpus,
                                                  const Repository& repo,
                                                  const ObjectId& commit);

// Parses one blob as the document at `path`.  An over-size blob becomes a
// document with a "file-size" diagnostic; fails only when Git cannot read it.
Result<Document> ReadBlobDocument(const Repository& repo,
                                  const std::string& path,
                                  const ObjectId& blob);

// The same in two steps, so that parsing can run on other threads than the
// one reading from Git: the blob's bytes as ReadBlobDocument reads them, and
// the document those bytes (or that failure) make.
Result<std::string> ReadDocumentBlob(const Repository& repo,
                                     const ObjectId& blob);
Result<Document> BlobDocument(const std::string& path,
                              const Result<std::string>& bytes);

// Every document of a commit, parsed, sorted by path.
Result<std::vector<Document>> ReadCommitDocuments(const Corpus& corpus,
                                                  const Repository& repo,
                                                  const ObjectId& commit);

// Every document staged in the index (GIT_INDEX_FILE when set).  A path the
// index holds unresolved (a merge conflict) becomes a document with an
// "unmerged" error.
Result<std::vector<Document>> ReadStagedDocuments(const Corpus& corpus,
                                                  const Repository& repo);

// A commit named by a revision: any commit-ish, or a date YYYY-MM-DD for
// the last commit on or before that day (on the first-parent line of HEAD).
Result<ObjectId> ResolveRevision(const Repository& repo,
                                 const std::string& rev);

}  // namespace evrepo

#endif  // EVREPO_STORE_H_
