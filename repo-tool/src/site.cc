// The static site: documents, listings, feed, sitemap and search index,
// rendered from the published set only (see site.h), through the theme's
// Mustache templates.
#include "evrepo/site.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "evrepo/check.h"
#include "evrepo/fsutil.h"
#include "evrepo/markdown.h"
#include "evrepo/store.h"
#include "evrepo/text.h"
#include "site_words.h"
#include "site_xml.h"

namespace evrepo {

namespace fs = std::filesystem;
using Data = kainjow::mustache::data;

namespace {

constexpr char kMarker[] = ".evrepo-site";
constexpr std::size_t kPageSize = 50;

struct PubDoc {
  const Document* doc = nullptr;
  std::string id, title, type, type_label, date, summary, url;
  std::vector<std::string> tags, partners, authors;
  std::string first_commit, last_commit;  // dates
  ObjectId last_change;                   // the commit that last changed it
};

Data List() { return Data(Data::type::list); }

// A file-name key for a tag, partner or type: a slug, never empty.
std::string Key(const std::string& s) {
  std::string k = Slugify(s);
  return k.empty() ? "other" : k;
}

// A year for file names: four digits, whatever the field holds.
std::string Year(const std::string& date) {
  bool digits = date.size() >= 4 &&
                std::all_of(date.begin(), date.begin() + 4,
                            [](char c) { return c >= '0' && c <= '9'; });
  return digits ? date.substr(0, 4) : "undated";
}

class Theme {
 public:
  Theme(const Repository& repo, const std::vector<TreeFile>& files)
      : repo_(repo) {
    for (const TreeFile& f : files) {
      if (f.path.rfind("theme/", 0) == 0) corpus_[f.path.substr(6)] = f.blob;
    }
  }
  // A theme file: the corpus's own, from the commit, else the built-in one.
  Result<std::string> Get(const std::string& name) const {
    if (auto it = corpus_.find(name); it != corpus_.end()) {
      return repo_.ReadBlob(it->second, 16 << 20);
    }
    fs::path p = BuiltinThemeDir() / name;
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      return Status::Io("the theme has no '" + name + "' (looked in '" +
                        BuiltinThemeDir().string() + "')");
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  const Repository& repo_;
  std::map<std::string, ObjectId> corpus_;
};

class Site {
 public:
  Site(const Corpus& corpus, const Repository& repo, const Theme& theme,
       const PublishOptions& options, const CommitInfo& commit)
      : corpus_(corpus),
        repo_(repo),
        theme_(theme),
        options_(options),
        commit_(commit) {}

  Status Build(std::vector<Document>& all);
  std::map<std::string, std::string>& pages() { return pages_; }
  std::size_t documents() const { return docs_.size(); }

 private:
  Status Render(const std::string& path, const std::string& tmpl, Data ctx,
                const std::string& title, const std::string& description,
                Data dc = List(), Data scripts = List());
  Result<std::string> Template(const std::string& name);
  std::string RootOf(const std::string& path) const {
    return std::count(path.begin(), path.end(), '/') ? "../" : "";
  }
  Data Item(const PubDoc& d, const std::string& root) const;
  Status DocumentPage(const PubDoc& d);
  Status Listing(const std::string& dir, const std::string& key,
                 const std::string& heading, std::vector<const PubDoc*> docs);
  Status Groups(const std::string& dir, const std::string& heading,
                const std::map<std::string, std::vector<const PubDoc*>>& g,
                const std::map<std::string, std::string>& labels);
  std::optional<std::string> Rewrite(const PubDoc& from,
                                     const std::string& url) const;
  std::optional<std::string> Target(const PubDoc& from,
                                    const std::string& url) const;
  void History();

  const Corpus& corpus_;
  const Repository& repo_;
  const Theme& theme_;
  const PublishOptions& options_;
  const CommitInfo& commit_;
  std::vector<PubDoc> docs_;
  std::map<std::string, PubDoc*> by_id_, by_path_;
  std::map<std::string, std::set<std::string>> cited_by_;  // id → ids
  std::map<std::string, std::string> templates_;
  std::map<std::string, std::string> pages_;
};

Result<std::string> Site::Template(const std::string& name) {
  if (auto it = templates_.find(name); it != templates_.end()) {
    return it->second;
  }
  auto text = theme_.Get(name);
  if (!text) return text.status();
  return templates_[name] = *text;
}

Status Site::Render(const std::string& path, const std::string& tmpl, Data ctx,
                    const std::string& title, const std::string& description,
                    Data dc, Data scripts) {
  std::string root = RootOf(path);
  auto body_text = Template(tmpl);
  if (!body_text) return body_text.status();
  auto layout_text = Template("layout.html");
  if (!layout_text) return layout_text.status();
  std::string site_title =
      corpus_.config().name.empty() ? "Evidence" : corpus_.config().name;
  ctx.set("root", root);
  ctx.set("site_title", site_title);
  kainjow::mustache::mustache body(*body_text);
  if (!body.is_valid()) {
    return Status::Invalid("theme template '" + tmpl +
                           "': " + body.error_message());
  }
  Data page;
  page.set("root", root);
  page.set("site_title", site_title);
  page.set("page_title", title);
  if (!description.empty()) page.set("description", description);
  page.set("dc", dc);
  page.set("has_dc", Data(dc.is_non_empty_list() ? Data::type::bool_true
                                                 : Data::type::bool_false));
  page.set("scripts", scripts);
  if (path == "index.html") {
    // Only the home page says which commit it is: every other page stays
    // byte for byte the same until its own content changes.
    page.set("commit_short", ShortId(commit_.id));
    page.set("generated", DayOf(commit_.committer));
  }
  page.set("content", body.render(ctx));
  kainjow::mustache::mustache layout(*layout_text);
  if (!layout.is_valid()) {
    return Status::Invalid("theme template 'layout.html': " +
                           layout.error_message());
  }
  pages_[path] = layout.render(page);
  return Status::Ok();
}

Data Site::Item(const PubDoc& d, const std::string& root) const {
  Data item;
  item.set("title", d.title);
  item.set("url", root + d.url);
  // An empty string is "true" to Mustache: absent values stay unset.
  if (!d.type_label.empty()) item.set("type_label", d.type_label);
  if (!d.date.empty()) item.set("date", d.date);
  if (!d.summary.empty()) item.set("summary", d.summary);
  return item;
}

std::optional<std::string> Site::Target(const PubDoc& from,
                                        const std::string& url) const {
  std::string target = url.substr(0, url.find('#'));
  if (target.rfind("doc:", 0) == 0) {
    auto it = by_id_.find(target.substr(4));
    return it == by_id_.end() ? std::nullopt
                              : std::optional<std::string>(it->first);
  }
  if (target.empty() || target.find(':') != std::string::npos ||
      target[0] == '/') {
    return std::nullopt;
  }
  fs::path base = fs::path(from.doc->path).parent_path();
  std::string path = (base / target).lexically_normal().generic_string();
  auto it = by_path_.find(path);
  return it == by_path_.end() ? std::nullopt
                              : std::optional<std::string>(it->second->id);
}

std::optional<std::string> Site::Rewrite(const PubDoc& from,
                                         const std::string& url) const {
  if (!url.empty() && url[0] == '#') return url;
  std::string lower = url;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  if (lower.rfind("https://", 0) == 0 || lower.rfind("http://", 0) == 0 ||
      lower.rfind("mailto:", 0) == 0) {
    return url;
  }
  // A link to a document: to its page when published, else no link at all
  // (not even a dead one: its address would say it exists).
  auto id = Target(from, url);
  if (!id) return std::nullopt;
  std::size_t hash = url.find('#');
  std::string frag = hash == std::string::npos ? "" : url.substr(hash);
  return *id + ".html" + frag;
}

void Site::History() {
  auto walk = repo_.Walk(commit_.id);
  if (!walk) return;  // dates are a nicety; the site stands without them
  for (const ObjectId& id : *walk) {
    auto info = repo_.ReadCommit(id);
    if (!info) return;
    std::optional<ObjectId> parent;
    if (!info->parents.empty()) parent = info->parents[0];
    auto diff = repo_.Diff(parent, id);
    if (!diff) return;
    std::string day = DayOf(info->committer);
    for (const TreeChange& c : *diff) {
      auto it = by_path_.find(c.path);
      if (it == by_path_.end() || c.kind == TreeChange::Kind::kDeleted) {
        continue;
      }
      if (it->second->last_commit.empty()) {
        it->second->last_commit = day;
        it->second->last_change = id;
      }
      it->second->first_commit = day;  // walking back: the oldest wins
    }
  }
}

Status Site::DocumentPage(const PubDoc& d) {
  const Schema& schema = corpus_.schema();
  const TypeDef* type = schema.FindType(d.type);
  Data ctx;
  ctx.set("id", d.id);
  ctx.set("title", d.title);
  ctx.set("summary", d.summary);
  ctx.set("body", RenderHtml(
                      d.doc->body,
                      [&](const std::string& url) { return Rewrite(d, url); },
                      /*drop_title=*/true));
  Data meta = List();
  Data dc = List();
  auto add_dc = [&](const std::string& name, const std::string& value) {
    Data m;
    m.set("name", "DC." + name);
    m.set("content", value);
    dc.push_back(m);
  };
  static const std::set<std::string> kShownElsewhere = {
      "id", "title", "summary", "confidentiality", "related", "supersedes"};
  if (type) {
    for (const FieldDef& f : type->fields) {
      std::vector<std::string> values = d.doc->List(f.name);
      if (values.empty()) continue;
      if (!f.dc.empty()) {
        for (const std::string& v : values) {
          if (f.ScalarKind() != FieldKind::kReference) add_dc(f.dc, v);
        }
      }
      if (kShownElsewhere.count(f.name)) continue;
      Data vs = List();
      for (std::size_t i = 0; i < values.size(); ++i) {
        Data v;
        std::string text = values[i];
        if (f.name == "type") text = d.type_label;
        v.set("text", text);
        std::string url;
        if (f.name == "tags") url = "../tags/" + Key(values[i]) + ".html";
        if (f.name == "partners") {
          url = "../partners/" + Key(values[i]) + ".html";
        }
        if (f.name == "type") url = "../types/" + d.type + ".html";
        if (f.name == "date") url = "../years/" + Year(values[i]) + ".html";
        if (f.ScalarKind() == FieldKind::kUrl &&
            (values[i].rfind("https://", 0) == 0 ||
             values[i].rfind("http://", 0) == 0)) {
          url = values[i];
        }
        if (f.ScalarKind() == FieldKind::kReference) continue;
        if (!url.empty()) v.set("url", url);
        v.set("last", Data(i + 1 == values.size() ? Data::type::bool_true
                                                  : Data::type::bool_false));
        vs.push_back(v);
      }
      if (!vs.is_non_empty_list()) continue;
      Data m;
      m.set("label", f.label.empty() ? f.name : f.label);
      m.set("values", vs);
      meta.push_back(m);
    }
  }
  ctx.set("meta", meta);
  auto refs = [&](const std::vector<std::string>& ids) {
    Data out = List();
    for (const std::string& id : ids) {
      auto it = by_id_.find(id);
      if (it == by_id_.end()) continue;  // not published: not mentioned
      Data r;
      r.set("title", it->second->title);
      r.set("url", it->second->id + ".html");
      out.push_back(r);
    }
    return out;
  };
  // Mustache shows a list's heading only through a flag of its own.
  auto set_list = [&](const std::string& name, Data list) {
    ctx.set("has_" + name,
            Data(list.is_non_empty_list() ? Data::type::bool_true
                                          : Data::type::bool_false));
    ctx.set(name, list);
  };
  set_list("related", refs(d.doc->List("related")));
  set_list("supersedes", refs(d.doc->List("supersedes")));
  std::vector<std::string> successors, citing;
  for (const PubDoc& o : docs_) {
    auto sup = o.doc->List("supersedes");
    if (std::find(sup.begin(), sup.end(), d.id) != sup.end()) {
      successors.push_back(o.id);
    }
  }
  if (auto it = cited_by_.find(d.id); it != cited_by_.end()) {
    citing.assign(it->second.begin(), it->second.end());
  }
  ctx.set("superseded_by", refs(successors));
  set_list("cited_by", refs(citing));
  if (!d.first_commit.empty()) ctx.set("first_commit", d.first_commit);
  if (!d.last_commit.empty()) ctx.set("last_commit", d.last_commit);

  std::string authors_bib, ris;
  for (const std::string& a : d.authors) {
    authors_bib += (authors_bib.empty() ? "" : " and ") + a;
    ris += "AU  - " + a + "\n";
  }
  auto bib = [](std::string s) {
    s.erase(std::remove_if(s.begin(), s.end(),
                           [](char c) { return c == '{' || c == '}'; }),
            s.end());
    return s;
  };
  // The version cited is the commit that last changed the document, which
  // stays the same however often the site is published again.
  std::string note =
      "evrepo document " + d.id + ", version " +
      ShortId(d.last_change.empty() ? commit_.id : d.last_change);
  ctx.set("cite_bibtex",
          "@misc{" + bib(d.id) + ",\n  title = {" + bib(d.title) +
              "},\n  author = {" + bib(authors_bib) + "},\n  year = {" +
              Year(d.date) + "},\n  note = {" + bib(note) + "}\n}");
  ctx.set("cite_ris", "TY  - RPRT\nTI  - " + d.title + "\n" + ris + "PY  - " +
                          Year(d.date) + "\nDA  - " + d.date + "\nID  - " +
                          d.id + "\nN1  - " + note + "\nER  - ");
  return Render(d.url, "document.html", ctx, d.title, d.summary, dc);
}

Status Site::Listing(const std::string& dir, const std::string& key,
                     const std::string& heading,
                     std::vector<const PubDoc*> docs) {
  std::sort(docs.begin(), docs.end(), [](const PubDoc* a, const PubDoc* b) {
    return std::tie(b->date, a->title) < std::tie(a->date, b->title);
  });
  std::size_t pages =
      std::max<std::size_t>(1, (docs.size() + kPageSize - 1) / kPageSize);
  auto name = [&](std::size_t n) {
    return key + (n == 1 ? "" : "-" + std::to_string(n)) + ".html";
  };
  for (std::size_t n = 1; n <= pages; ++n) {
    Data ctx;
    ctx.set("heading", heading);
    Data items = List();
    for (std::size_t i = (n - 1) * kPageSize;
         i < docs.size() && i < n * kPageSize; ++i) {
      items.push_back(Item(*docs[i], "../"));
    }
    ctx.set("items", items);
    if (pages > 1) {
      Data nav = List();
      for (std::size_t k = 1; k <= pages; ++k) {
        Data p;
        p.set("number", std::to_string(k));
        p.set("url", name(k));
        p.set("current",
              Data(k == n ? Data::type::bool_true : Data::type::bool_false));
        nav.push_back(p);
      }
      ctx.set("pages", nav);
      ctx.set("has_pages", Data(Data::type::bool_true));
      if (n > 1) ctx.set("prev_url", name(n - 1));
      if (n < pages) ctx.set("next_url", name(n + 1));
    }
    std::string title =
        pages > 1 ? heading + " (page " + std::to_string(n) + ")" : heading;
    if (Status s = Render(dir + "/" + name(n), "listing.html", ctx, title, "");
        !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status Site::Groups(const std::string& dir, const std::string& heading,
                    const std::map<std::string, std::vector<const PubDoc*>>& g,
                    const std::map<std::string, std::string>& labels) {
  Data groups = List();
  for (const auto& [key, docs] : g) {
    std::string label = labels.count(key) ? labels.at(key) : key;
    Data item;
    item.set("label", label);
    item.set("url", key + ".html");
    item.set("count", std::to_string(docs.size()));
    groups.push_back(item);
    if (Status s = Listing(dir, key, label, docs); !s.ok()) return s;
  }
  Data ctx;
  ctx.set("heading", heading);
  ctx.set("groups", groups);
  return Render(dir + "/index.html", "listing.html", ctx, heading, "");
}

Status Site::Build(std::vector<Document>& all) {
  const Schema& schema = corpus_.schema();
  std::set<std::string> ids;
  for (const Document& d : all) {
    if (!IsPublishable(d)) continue;
    // Ids name files: only a slug may (no "../" can come of one), and only
    // once (a duplicate would overwrite the first document's page).
    if (!IsSlug(d.id) || !ids.insert(d.id).second) continue;
    PubDoc p;
    p.doc = &d;
    p.id = d.id;
    p.title = d.title;
    p.type = Key(d.type);
    const TypeDef* t = schema.FindType(d.type);
    p.type_label = t && !t->label.empty() ? t->label : d.type;
    p.date = d.Scalar("date");
    p.summary = d.Scalar("summary");
    p.url = "documents/" + d.id + ".html";
    p.tags = d.List("tags");
    p.partners = d.List("partners");
    p.authors = d.List("authors");
    docs_.push_back(std::move(p));
  }
  for (PubDoc& p : docs_) {
    by_id_.emplace(p.id, &p);
    by_path_.emplace(p.doc->path, &p);
  }
  // Backlinks, among published documents only.
  for (const PubDoc& p : docs_) {
    for (const MarkdownLink& l : ScanMarkdown(p.doc->body).links) {
      if (auto id = Target(p, l.url); id && *id != p.id) {
        cited_by_[*id].insert(p.id);
      }
    }
    for (const std::string& r : p.doc->List("related")) {
      if (by_id_.count(r) && r != p.id) cited_by_[r].insert(p.id);
    }
  }
  History();

  for (const PubDoc& p : docs_) {
    if (Status s = DocumentPage(p); !s.ok()) return s;
  }
  std::map<std::string, std::vector<const PubDoc*>> by_type, by_tag, by_partner,
      by_year;
  std::map<std::string, std::string> type_labels, tag_labels, partner_labels;
  for (const PubDoc& p : docs_) {
    by_type[p.type].push_back(&p);
    type_labels[p.type] = p.type_label;
    by_year[Year(p.date)].push_back(&p);
    for (const std::string& t : p.tags) {
      by_tag[Key(t)].push_back(&p);
      tag_labels[Key(t)] = t;
    }
    for (const std::string& t : p.partners) {
      by_partner[Key(t)].push_back(&p);
      partner_labels[Key(t)] = t;
    }
  }
  for (auto [dir, heading, groups, labels] :
       {std::tuple{"types", "Documents by type", &by_type, &type_labels},
        std::tuple{"tags", "Documents by tag", &by_tag, &tag_labels},
        std::tuple{"partners", "Documents by partner", &by_partner,
                   &partner_labels},
        std::tuple{
            "years", "Documents by year", &by_year,
            static_cast<std::map<std::string, std::string>*>(nullptr)}}) {
    static const std::map<std::string, std::string> kNone;
    if (Status s = Groups(dir, heading, *groups, labels ? *labels : kNone);
        !s.ok()) {
      return s;
    }
  }

  // Home: the most recent documents and what each type holds.
  std::vector<const PubDoc*> recent;
  for (const PubDoc& p : docs_) recent.push_back(&p);
  std::sort(recent.begin(), recent.end(), [](const PubDoc* a, const PubDoc* b) {
    return std::tie(b->date, a->title) < std::tie(a->date, b->title);
  });
  Data home;
  Data items = List();
  for (std::size_t i = 0; i < recent.size() && i < 10; ++i) {
    items.push_back(Item(*recent[i], ""));
  }
  home.set("recent", items);
  Data types = List();
  for (const auto& [key, docs] : by_type) {
    Data t;
    t.set("label", type_labels[key]);
    t.set("url", "types/" + key + ".html");
    t.set("count", std::to_string(docs.size()));
    types.push_back(t);
  }
  home.set("types", types);
  home.set("count", std::to_string(docs_.size()));

  // The layout adds the site's name to every title.
  if (Status s = Render("index.html", "home.html", home, "Home", ""); !s.ok()) {
    return s;
  }

  // Search: the page, and the index it loads with a <script> (browsers
  // refuse fetch() of file:// URLs).
  Data scripts = List();
  for (const char* src : {"assets/search-index.js", "assets/search.js"}) {
    Data s;
    s.set("src", src);
    scripts.push_back(s);
  }
  if (Status s = Render("search.html", "search.html", Data(), "Search", "",
                        List(), scripts);
      !s.ok()) {
    return s;
  }
  if (Status s = Render("404.html", "404.html", Data(), "Not found", "");
      !s.ok()) {
    return s;
  }
  nlohmann::json sdocs = nlohmann::json::array();
  std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>>
      postings;
  for (std::size_t i = 0; i < docs_.size(); ++i) {
    const PubDoc& p = docs_[i];
    MarkdownText text = ExtractText(p.doc->body);
    std::vector<std::string> words = SiteSearchWords(
        p.title + " " + p.summary + " " + text.headings + " " + text.text);
    std::map<std::string, std::size_t> tf;
    for (const std::string& w : words) ++tf[w];
    for (const auto& [w, n] : tf) postings[w].emplace_back(i, n);
    std::vector<std::string> tag_keys;
    for (const std::string& t : p.tags) tag_keys.push_back(Key(t));
    sdocs.push_back({{"u", p.url},
                     {"t", p.title},
                     {"y", p.type_label},
                     {"k", p.type},
                     {"d", p.date},
                     {"s", p.summary},
                     {"g", tag_keys},
                     {"l", words.size()}});
  }
  nlohmann::json terms = nlohmann::json::object();
  for (const auto& [w, list] : postings) {
    nlohmann::json flat = nlohmann::json::array();
    for (const auto& [doc, n] : list) {
      flat.push_back(doc);
      flat.push_back(n);
    }
    terms[w] = std::move(flat);
  }
  nlohmann::json tag_names = nlohmann::json::object();
  for (const PubDoc& p : docs_) {
    for (const std::string& t : p.tags) tag_names[Key(t)] = t;
  }
  nlohmann::json index = {
      {"docs", sdocs}, {"terms", terms}, {"tags", tag_names}};
  // Markup characters only occur inside JSON strings: escaped as \uXXXX,
  // the index stays inert even if someone pastes it into a page.
  std::string json =
      index.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string safe;
  safe.reserve(json.size());
  for (char c : json) {
    if (c == '<') {
      safe += "\\u003c";
    } else if (c == '>') {
      safe += "\\u003e";
    } else if (c == '&') {
      safe += "\\u0026";
    } else {
      safe += c;
    }
  }
  pages_["assets/search-index.js"] = "window.EVREPO_SEARCH = " + safe + ";\n";
  for (const char* asset :
       {"assets/style.css", "assets/print.css", "assets/search.js"}) {
    auto text = theme_.Get(asset);
    if (!text) return text.status();
    pages_[asset] = *text;
  }

  std::vector<FeedEntry> entries;
  for (std::size_t i = 0; i < recent.size() && i < 50; ++i) {
    entries.push_back({recent[i]->id, recent[i]->title, recent[i]->summary,
                       recent[i]->date, recent[i]->url, recent[i]->authors});
  }
  std::string site_title =
      corpus_.config().name.empty() ? "Evidence" : corpus_.config().name;
  pages_["feed.xml"] = AtomFeed(site_title, options_.base_url, entries);
  std::vector<std::string> urls = {"index.html", "search.html"};
  for (const auto& [path, text] : pages_) {
    if (path.size() > 5 && path.compare(path.size() - 5, 5, ".html") == 0 &&
        path != "404.html" && path != "index.html" && path != "search.html") {
      urls.push_back(path);
    }
  }
  pages_["sitemap.xml"] = Sitemap(options_.base_url, urls);
  pages_[kMarker] =
      "This directory is a site published by evrepo; "
      "'evrepo publish' replaces it whole.\n";
  return Status::Ok();
}

// A test seam for crash safety: EVREPO_PUBLISH_KILL_AFTER=N kills the
// process (SIGKILL) after N files are written.
void MaybeDie(std::size_t written) {
  static const long kill_after = [] {
    const char* v = std::getenv("EVREPO_PUBLISH_KILL_AFTER");
    return v ? std::atol(v) : -1L;
  }();
  if (kill_after >= 0 && static_cast<long>(written) >= kill_after) {
    raise(SIGKILL);
  }
}

std::string ReadIfExists(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return "";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes the pages into a fresh directory beside `out`, linking files that
// did not change from the previous site, then swaps it in atomically.
Status WriteSite(const fs::path& out,
                 const std::map<std::string, std::string>& pages,
                 PublishReport* report) {
  std::error_code ec;
  fs::path parent = out.parent_path().empty() ? "." : out.parent_path();
  fs::create_directories(parent, ec);
  bool existing = fs::exists(out, ec);
  if (existing && !fs::exists(out / kMarker, ec)) {
    return Status::Conflict("'" + out.string() +
                            "' exists and is not a site evrepo published")
        .WithHint("choose another --out, or remove it first");
  }
  // Leftovers of a publish that was killed before its swap.
  std::string stem = "." + out.filename().string() + ".new-";
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    if (e.path().filename().string().rfind(stem, 0) == 0) {
      fs::remove_all(e.path(), ec);
    }
  }
  std::string tmpl = (parent / (stem + "XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) {
    return Status::Io("cannot create a directory beside '" + out.string() +
                      "': " + std::strerror(errno));
  }
  fs::path fresh = tmpl;
  auto fail = [&](const std::string& what) {
    fs::remove_all(fresh, ec);
    return Status::Io(what);
  };
  for (const auto& [path, text] : pages) {
    fs::path target = fresh / path;
    fs::create_directories(target.parent_path(), ec);
    fs::path old = out / path;
    if (existing && fs::is_regular_file(old, ec) && ReadIfExists(old) == text) {
      fs::create_hard_link(old, target, ec);
      if (!ec) {
        ++report->pages_unchanged;
        continue;
      }
    }
    std::ofstream f(target, std::ios::binary);
    f << text;
    f.close();
    if (!f) return fail("cannot write '" + target.string() + "'");
    ++report->pages_written;
    MaybeDie(report->pages_written);
  }
  fs::permissions(fresh,
                  fs::perms::owner_all | fs::perms::group_read |
                      fs::perms::group_exec | fs::perms::others_read |
                      fs::perms::others_exec,
                  ec);
  if (existing) {
    // One atomic step: readers see the old site or the new one.
    if (renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, out.c_str(),
                  RENAME_EXCHANGE) != 0) {
      return fail("cannot swap in the new site at '" + out.string() +
                  "': " + std::strerror(errno));
    }
    fs::remove_all(fresh, ec);  // now the previous site
  } else if (rename(fresh.c_str(), out.c_str()) != 0) {
    return fail("cannot move the new site to '" + out.string() +
                "': " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

bool IsPublishable(const Document& doc) {
  return !doc.type.empty() && doc.Scalar("confidentiality") == "public" &&
         doc.Scalar("status") != "draft";
}

fs::path BuiltinThemeDir() {
  if (const char* env = std::getenv("EVREPO_THEME_DIR"); env && *env) {
    return env;
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed =
        exe.parent_path().parent_path() / "share" / "evrepo" / "theme";
    if (fs::is_directory(installed, ec)) return installed;
  }
  return EVREPO_SOURCE_THEME_DIR;
}

Result<PublishReport> Publish(const Corpus& corpus, const Repository& repo,
                              const PublishOptions& options) {
  auto started = std::chrono::steady_clock::now();
  auto commit = ResolveRevision(repo, options.rev);
  if (!commit) return commit.status();
  auto info = repo.ReadCommit(*commit);
  if (!info) return info.status();
  auto files = repo.ListCommit(*commit);
  if (!files) return files.status();
  auto docs = ReadCommitDocuments(corpus, repo, *commit);
  if (!docs) return docs.status();
  CheckReport checked = CheckDocuments(corpus.schema(), std::move(*docs));

  PublishReport report;
  report.commit = *commit;
  report.out = options.out;
  Theme theme(repo, *files);
  Site site(corpus, repo, theme, options, *info);
  if (Status s = site.Build(checked.documents); !s.ok()) return s;
  report.documents = site.documents();
  report.withheld = checked.documents.size() - report.documents;
  if (Status s = WriteSite(options.out, site.pages(), &report); !s.ok()) {
    return s;
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  return report;
}

}  // namespace evrepo
