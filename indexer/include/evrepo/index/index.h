// The search index: a Xapian database derived from one commit of the corpus.
//
// The index is built from committed content only (a Git tree, read through
// the store), never from the working tree, and records the commit it
// reflects.  It lives in the corpus's index directory (`.evrepo/` unless
// evrepo.yml says otherwise), which Git ignores.  No Xapian type appears in
// this interface; every Xapian::Error is caught inside and returned as a
// Status.
#ifndef EVREPO_INDEX_INDEX_H_
#define EVREPO_INDEX_INDEX_H_

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "evrepo/corpus.h"
#include "evrepo/git.h"
#include "evrepo/status.h"

namespace evrepo::index {

struct IndexOptions {
  std::string rev = "HEAD";  // commit-ish or YYYY-MM-DD
  bool rebuild = false;      // start from an empty database
  // Called now and then while documents are indexed (done of total); may be
  // empty.  Also called with (0, 0) when waiting for another writer.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct IndexReport {
  ObjectId commit;    // what the index reflects now
  ObjectId previous;  // what it reflected before; empty when new
  bool rebuilt = false;
  bool up_to_date = false;  // nothing had to be done
  std::size_t added = 0, updated = 0, removed = 0;
  std::size_t documents = 0;  // in the index afterwards
  double seconds = 0;
};

// The index directory of a corpus.
std::filesystem::path IndexDir(const Corpus& corpus);

// Brings the index up to date with a commit: incrementally from the commit
// it reflects (only documents that changed are touched, in one transaction),
// or from scratch with `rebuild`, when there is no index yet, or when the
// schemas' index fields or the corpus configuration changed.  A rebuild is
// written beside the live index and swapped in whole.  Either way a crash or
// kill leaves the previous consistent state.  A second writer waits for the
// first.  Readers keep searching meanwhile.
Result<IndexReport> UpdateIndex(const Corpus& corpus, const Repository& repo,
                                const IndexOptions& options);

// The commit the index reflects; nullopt when there is no index.
Result<std::optional<ObjectId>> IndexedCommit(const Corpus& corpus);

// True when the index reflects `commit` and was built for the current
// schemas and configuration, so that searching it needs no update first.
Result<bool> IndexIsCurrent(const Corpus& corpus, const ObjectId& commit);

}  // namespace evrepo::index

#endif  // EVREPO_INDEX_INDEX_H_
