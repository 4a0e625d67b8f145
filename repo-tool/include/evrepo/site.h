// Publishing: the static evidence site for one commit of the corpus.
//
// Only documents whose confidentiality is "public" and whose status is not
// "draft" are published, and nothing of any other document -- title, id,
// words, tags, the fact that it exists -- reaches any output file: every
// list, count, link, backlink, feed entry and search-index entry is built
// from the published set alone.  Markdown is rendered without raw HTML and
// with unsafe URLs emptied; metadata is escaped by the templates; pages carry
// a Content-Security-Policy.  The site is written beside the target and
// swapped in whole, so a kill leaves the previous site as it was.  A page is
// rendered again only when what it shows changed since the last publish.
#ifndef EVREPO_SITE_H_
#define EVREPO_SITE_H_

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "evrepo/corpus.h"
#include "evrepo/git.h"
#include "evrepo/status.h"

namespace evrepo {

struct PublishOptions {
  std::filesystem::path out;  // where the site goes; default IndexDir/site
  std::string rev = "HEAD";   // commit-ish or YYYY-MM-DD
  std::string base_url;       // for the feed and sitemap; may be empty
  // Where publish remembers, for each `out`, what the next publish there
  // needs; empty for nowhere.  With it, publishing again reads only the
  // documents that changed and renders only the pages they affect.
  std::filesystem::path cache_dir;
  bool full = false;  // render every page, whatever the cache says
};

struct PublishReport {
  ObjectId commit;
  std::filesystem::path out;
  std::size_t documents = 0;        // published
  std::size_t withheld = 0;         // not public, or drafts
  std::size_t pages_rendered = 0;   // files rendered afresh
  std::size_t pages_written = 0;    // files written (new or changed)
  std::size_t pages_unchanged = 0;  // files kept from the previous site
  double seconds = 0;
  // What the build leaves in memory: hundreds of thousands of pieces at
  // 10,000 documents, a tenth of a second to free.  Freed with the report,
  // unless a command about to exit keeps it to the end (KeepUntilExit).
  std::shared_ptr<void> remains;
};

// True when a document may be published: public and not a draft.
bool IsPublishable(const Document& doc);

// The directory of the default theme installed with the tool.
std::filesystem::path BuiltinThemeDir();

// Publishes the corpus at a commit.  Conflict when `out` exists and is not
// a site evrepo published (nothing is touched); Io when writing fails (the
// previous site is left whole).
Result<PublishReport> Publish(const Corpus& corpus, const Repository& repo,
                              const PublishOptions& options);

}  // namespace evrepo

#endif  // EVREPO_SITE_H_
