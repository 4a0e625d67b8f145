// Atom and sitemap documents.  tinyxml2 escapes every text and attribute.
#include "site_xml.h"

#include <tinyxml2.h>

namespace evrepo {

namespace {

std::string Join(const std::string& base, const std::string& rel) {
  if (base.empty()) return rel;
  return base.back() == '/' ? base + rel : base + "/" + rel;
}

std::string Print(tinyxml2::XMLDocument& doc) {
  tinyxml2::XMLPrinter printer;
  doc.Print(&printer);
  return std::string(printer.CStr());
}

tinyxml2::XMLElement* Text(tinyxml2::XMLElement* parent, const char* name,
                           const std::string& text) {
  tinyxml2::XMLElement* e = parent->InsertNewChildElement(name);
  e->SetText(text.c_str());
  return e;
}

}  // namespace

std::string AtomFeed(const std::string& title, const std::string& base_url,
                     const std::vector<FeedEntry>& entries) {
  tinyxml2::XMLDocument doc;
  doc.InsertEndChild(doc.NewDeclaration());
  tinyxml2::XMLElement* feed = doc.NewElement("feed");
  doc.InsertEndChild(feed);
  feed->SetAttribute("xmlns", "http://www.w3.org/2005/Atom");
  Text(feed, "title", title);
  Text(feed, "id",
       base_url.empty() ? "tag:evrepo,2006:" + title
                        : Join(base_url, "index.html"));
  tinyxml2::XMLElement* self = feed->InsertNewChildElement("link");
  self->SetAttribute("rel", "self");
  self->SetAttribute("href", Join(base_url, "feed.xml").c_str());
  std::string updated = entries.empty() ? "1970-01-01" : entries.front().date;
  Text(feed, "updated", updated + "T00:00:00Z");
  for (const FeedEntry& e : entries) {
    tinyxml2::XMLElement* entry = feed->InsertNewChildElement("entry");
    Text(entry, "title", e.title);
    Text(entry, "id",
         base_url.empty() ? "tag:evrepo,2006:" + e.id : Join(base_url, e.url));
    tinyxml2::XMLElement* link = entry->InsertNewChildElement("link");
    link->SetAttribute("href", Join(base_url, e.url).c_str());
    Text(entry, "updated", (e.date.empty() ? updated : e.date) + "T00:00:00Z");
    for (const std::string& a : e.authors) {
      Text(entry->InsertNewChildElement("author"), "name", a);
    }
    if (e.authors.empty()) {
      Text(entry->InsertNewChildElement("author"), "name", title);
    }
    if (!e.summary.empty()) Text(entry, "summary", e.summary);
  }
  return Print(doc);
}

std::string Sitemap(const std::string& base_url,
                    const std::vector<std::string>& urls) {
  tinyxml2::XMLDocument doc;
  doc.InsertEndChild(doc.NewDeclaration());
  tinyxml2::XMLElement* set = doc.NewElement("urlset");
  doc.InsertEndChild(set);
  set->SetAttribute("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9");
  for (const std::string& u : urls) {
    Text(set->InsertNewChildElement("url"), "loc", Join(base_url, u));
  }
  return Print(doc);
}

}  // namespace evrepo
