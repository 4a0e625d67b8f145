// Helpers for the index unit tests.
#include "index_test_util.h"

#include <stdlib.h>

#include <fstream>

#include "evrepo/check.h"
#include "evrepo/commit.h"
#include "evrepo/diagnostic.h"

namespace evrepo::index_testing {

namespace fs = std::filesystem;

EnvGuard::~EnvGuard() {
  for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
    if (it->second) {
      setenv(it->first.c_str(), it->second->c_str(), 1);
    } else {
      unsetenv(it->first.c_str());
    }
  }
}

void EnvGuard::Set(const std::string& name, const std::string& value) {
  const char* old = getenv(name.c_str());
  saved_.emplace_back(name, old ? std::optional<std::string>(old)
                                : std::optional<std::string>());
  setenv(name.c_str(), value.c_str(), 1);
}

Schema LoadSchemaTexts(
    const std::vector<std::pair<std::string, std::string>>& files) {
  testing::TempDir dir;
  std::vector<fs::path> paths;
  for (const auto& [name, text] : files) {
    dir.Write(name, text);
    paths.push_back(dir.path() / name);
  }
  auto s = Schema::LoadFiles(paths);
  if (!s) {
    ADD_FAILURE() << s.status().message();
    return Schema();
  }
  return std::move(*s);
}

std::string NoteSchemaXml(const std::string& extra_fields) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<schema>
  <type name="note">
    <field name="id" kind="string" index="boolean" prefix="Q" query="id"/>
    <field name="title" kind="string" index="text sortable" weight="5"
           prefix="S" query="title"/>
    <field name="type" kind="string" index="boolean facet" prefix="XTYPE"
           query="type"/>
    <field name="date" kind="date" index="boolean sortable facet" prefix="D"
           query="date"/>
)" + extra_fields +
         R"(  </type>
</schema>
)";
}

Document MakeDocument(const Schema& schema, const std::string& path,
                      const std::string& text) {
  Document d = ParseDocument(path, text);
  ResolveIdentity(schema, d);
  return d;
}

std::map<std::string, Xapian::termcount> TermsOf(const Xapian::Document& doc) {
  std::map<std::string, Xapian::termcount> out;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    out[*t] = t.get_wdf();
  }
  return out;
}

std::map<std::string, Xapian::termcount> TermsWithPrefix(
    const Xapian::Document& doc, const std::string& prefix) {
  std::map<std::string, Xapian::termcount> out;
  for (const auto& [term, wdf] : TermsOf(doc)) {
    if (term.rfind(prefix, 0) == 0) out[term] = wdf;
  }
  return out;
}

std::string CaseStudy(const std::string& id, const std::string& title,
                      const std::string& date, const std::string& body,
                      const std::string& extra) {
  return "---\nid: " + id + "\ntitle: \"" + title +
         "\"\ntype: case-study\ndate: " + date +
         "\nauthors: [Sarah Lindqvist]\n"
         "summary: A case study written for the index tests.\n"
         "confidentiality: public\nstatus: final\n"
         "organisation: Test Organisation\nstage: start-up\n" +
         extra + "---\n" + body;
}

Strings Ids(const index::SearchResult& r) {
  Strings out;
  for (const index::Hit& h : r.hits) out.push_back(h.id);
  return out;
}

void IndexRepoTest::SetUp() {
  env_ = std::make_unique<EnvGuard>();
  env_->Set("HOME", home_.path().string());
  env_->Set("XDG_CONFIG_HOME", (home_.path() / ".config").string());
  env_->Set("GIT_CONFIG_NOSYSTEM", "1");
  env_->Set("GIT_AUTHOR_NAME", "Sarah Lindqvist");
  env_->Set("GIT_AUTHOR_EMAIL", "sarah@example.org");
  env_->Set("GIT_COMMITTER_NAME", "Sarah Lindqvist");
  env_->Set("GIT_COMMITTER_EMAIL", "sarah@example.org");
  env_->Set("GIT_AUTHOR_DATE", "2007-01-31T10:00:00+00:00");
  env_->Set("GIT_COMMITTER_DATE", "2007-01-31T10:00:00+00:00");
  env_->Set("EVREPO_SCHEMA_DIR", EVREPO_TEST_SCHEMA_DIR);

  fs::copy(fs::path(EVREPO_TEST_FIXTURES) / "basic", root(),
           fs::copy_options::recursive);
  ASSERT_TRUE(InitGitRepository(root()).ok());
  auto repo = Repository::Discover(root());
  ASSERT_TRUE(repo) << repo.status().message();
  repo_.emplace(std::move(*repo));
  ReopenCorpus();
  ASSERT_TRUE(corpus_);
  import_ = Commit({""}, "Import");
  ASSERT_EQ(import_.size(), 40u);
}

void IndexRepoTest::TearDown() {
  repo_.reset();
  corpus_.reset();
  env_.reset();
}

void IndexRepoTest::ReopenCorpus() {
  auto c = Corpus::Open(root());
  ASSERT_TRUE(c) << c.status().message();
  corpus_.emplace(std::move(*c));
}

void IndexRepoTest::Write(const std::string& rel, const std::string& content) {
  root_.Write(rel, content);
}

void IndexRepoTest::Remove(const std::string& rel) {
  ASSERT_TRUE(fs::remove(root() / rel)) << rel;
}

std::string IndexRepoTest::Read(const std::string& rel) const {
  return testing::ReadAll(root() / rel);
}

ObjectId IndexRepoTest::Commit(const Strings& paths,
                               const std::string& message) {
  AddOptions options;
  options.paths = paths;
  options.message = message;
  auto r = AddAndCommit(*corpus_, *repo_, options);
  if (!r) {
    ADD_FAILURE() << "add: " << r.status().message();
    return "";
  }
  if (!r->commit) {
    std::string all;
    for (const Diagnostic& d : r->diagnostics) {
      all += FormatDiagnostic(d) + "\n";
    }
    ADD_FAILURE() << "nothing committed:\n" << all;
    return "";
  }
  return *r->commit;
}

void IndexRepoTest::SetDate(const std::string& iso) {
  setenv("GIT_AUTHOR_DATE", iso.c_str(), 1);
  setenv("GIT_COMMITTER_DATE", iso.c_str(), 1);
}

Result<index::IndexReport> IndexRepoTest::Index(const std::string& rev,
                                                bool rebuild) {
  index::IndexOptions o;
  o.rev = rev;
  o.rebuild = rebuild;
  return index::UpdateIndex(*corpus_, *repo_, o);
}

index::SearchResult IndexRepoTest::Find(const std::string& query,
                                        index::SearchOptions options) {
  auto r = index::Search(*corpus_, query, options);
  if (!r) {
    ADD_FAILURE() << "search '" << query << "': " << r.status().message();
    return {};
  }
  return std::move(*r);
}

}  // namespace evrepo::index_testing
