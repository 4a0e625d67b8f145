// Atom and sitemap documents.
//
// They are written here rather than through tinyxml2, which is then needed
// only to read schemas (see CMakeLists.txt: loaded on first use), and as
// its printer wrote them: an element a line, four spaces a level, text
// escaped (&, <, >), attribute values too (and " and ').  Control
// characters that XML 1.0 does not allow are left out, where tinyxml2
// wrote them and made the document unreadable.
#include "site_xml.h"

#include <optional>
#include <string_view>
#include <utility>

namespace evrepo {

namespace {

std::string Join(const std::string& base, const std::string& rel) {
  if (base.empty()) return rel;
  return base.back() == '/' ? base + rel : base + "/" + rel;
}

void Escape(std::string_view s, bool attribute, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '&':
        *out += "&amp;";
        break;
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '"':
        *out += attribute ? "&quot;" : "\"";
        break;
      case '\'':
        *out += attribute ? "&apos;" : "'";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' ||
            c == '\r') {
          *out += c;
        }
    }
  }
}

// An element: text, or children, or neither.
struct Element {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::optional<std::string> text;
  std::vector<Element> children;

  Element& Add(std::string child, std::optional<std::string> content = {}) {
    children.push_back({std::move(child), {}, std::move(content), {}});
    return children.back();
  }
  Element& Set(std::string attribute, std::string value) {
    attributes.emplace_back(std::move(attribute), std::move(value));
    return *this;
  }

  void Write(int depth, std::string* out) const {
    out->append(4 * depth, ' ');
    *out += '<' + name;
    for (const auto& [key, value] : attributes) {
      *out += ' ' + key + "=\"";
      Escape(value, true, out);
      *out += '"';
    }
    if (!text && children.empty()) {
      *out += "/>\n";
      return;
    }
    *out += '>';
    if (text) {
      Escape(*text, false, out);
    } else {
      *out += '\n';
      for (const Element& c : children) c.Write(depth + 1, out);
      out->append(4 * depth, ' ');
    }
    *out += "</" + name + ">\n";
  }
};

std::string Document(const Element& root) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  root.Write(0, &out);
  return out;
}

}  // namespace

std::string AtomFeed(const std::string& title, const std::string& base_url,
                     const std::vector<FeedEntry>& entries) {
  Element feed{"feed", {{"xmlns", "http://www.w3.org/2005/Atom"}}, {}, {}};
  feed.Add("title", title);
  feed.Add("id", base_url.empty() ? "tag:evrepo,2006:" + title
                                  : Join(base_url, "index.html"));
  feed.Add("link").Set("rel", "self").Set("href", Join(base_url, "feed.xml"));
  std::string updated = entries.empty() ? "1970-01-01" : entries.front().date;
  feed.Add("updated", updated + "T00:00:00Z");
  for (const FeedEntry& e : entries) {
    Element& entry = feed.Add("entry");
    entry.Add("title", e.title);
    entry.Add("id", base_url.empty() ? "tag:evrepo,2006:" + e.id
                                     : Join(base_url, e.url));
    entry.Add("link").Set("href", Join(base_url, e.url));
    entry.Add("updated", (e.date.empty() ? updated : e.date) + "T00:00:00Z");
    for (const std::string& a : e.authors) entry.Add("author").Add("name", a);
    if (e.authors.empty()) entry.Add("author").Add("name", title);
    if (!e.summary.empty()) entry.Add("summary", e.summary);
  }
  return Document(feed);
}

std::string Sitemap(const std::string& base_url,
                    const std::vector<std::string>& urls) {
  Element set{"urlset",
              {{"xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"}},
              {},
              {}};
  for (const std::string& u : urls)
    set.Add("url").Add("loc", Join(base_url, u));
  return Document(set);
}

}  // namespace evrepo
