// The site's XML files: an Atom feed and a sitemap.
#ifndef EVREPO_SITE_XML_H_
#define EVREPO_SITE_XML_H_

#include <string>
#include <vector>

namespace evrepo {

struct FeedEntry {
  std::string id, title, summary, date, url;  // url relative to the site
  std::vector<std::string> authors;
};

// An Atom feed.  With a base URL, links are absolute and ids are the
// documents' URLs; without one, links stay relative and ids are tag URIs.
std::string AtomFeed(const std::string& title, const std::string& base_url,
                     const std::vector<FeedEntry>& entries);

// A sitemap of `urls` (relative to the site), absolute under `base_url`.
std::string Sitemap(const std::string& base_url,
                    const std::vector<std::string>& urls);

}  // namespace evrepo

#endif  // EVREPO_SITE_XML_H_
