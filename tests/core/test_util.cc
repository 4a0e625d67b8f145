// Helpers for the core unit tests.
#include "test_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace evrepo::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl =
      (fs::temp_directory_path() / "evrepo-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) std::abort();
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void TempDir::Write(const std::string& rel, const std::string& content) const {
  fs::path p = path_ / rel;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const Schema& ProjectSchema() {
  static const Schema* schema = [] {
    auto s = Schema::Load({EVREPO_TEST_SCHEMA_DIR});
    if (!s) {
      ADD_FAILURE() << s.status().message();
      std::abort();
    }
    return new Schema(std::move(*s));
  }();
  return *schema;
}

}  // namespace evrepo::testing

// --- Git tests -------------------------------------------------------------

namespace evrepo::testing {

namespace {

// HOME and XDG_CONFIG_HOME for the whole run: libgit2 looks up the global
// configuration's location once, at initialisation, so a per-test HOME
// would come too late if another test initialised it first.
class IsolatedGitConfig : public ::testing::Environment {
 public:
  void SetUp() override {
    home_ = std::make_unique<TempDir>();
    env_ = std::make_unique<ScopedEnv>();
    env_->Set("HOME", home_->path().string());
    env_->Set("XDG_CONFIG_HOME", (home_->path() / ".config").string());
    env_->Set("GIT_CONFIG_NOSYSTEM", "1");
  }
  void TearDown() override {
    env_.reset();
    home_.reset();
  }

 private:
  std::unique_ptr<TempDir> home_;
  std::unique_ptr<ScopedEnv> env_;
};

[[maybe_unused]] ::testing::Environment* const kIsolatedGitConfig =
    ::testing::AddGlobalTestEnvironment(new IsolatedGitConfig);

}  // namespace

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string RunShell(const std::string& command, int* status) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) {
    ADD_FAILURE() << "cannot run: " << command;
    if (status) *status = -1;
    return out;
  }
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (status) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

std::string Git(const fs::path& dir, const std::string& args) {
  int status = 0;
  std::string out =
      RunShell("git -C " + ShellQuote(dir.string()) + " " + args, &status);
  EXPECT_EQ(status, 0) << "git " << args << " failed in " << dir;
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

int GitStatus(const fs::path& dir, const std::string& args) {
  int status = 0;
  RunShell(
      "git -C " + ShellQuote(dir.string()) + " " + args + " >/dev/null 2>&1",
      &status);
  return status;
}

void CopyFixture(const std::string& name, const fs::path& dest) {
  fs::create_directories(dest);
  fs::copy(fs::path(EVREPO_TEST_FIXTURES) / name, dest,
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

ScopedEnv::~ScopedEnv() {
  for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
    if (it->second) {
      setenv(it->first.c_str(), it->second->c_str(), 1);
    } else {
      unsetenv(it->first.c_str());
    }
  }
}

void ScopedEnv::Remember(const std::string& name) {
  const char* old = std::getenv(name.c_str());
  saved_.emplace_back(name, old ? std::optional<std::string>(old)
                                : std::optional<std::string>());
}

void ScopedEnv::Set(const std::string& name, const std::string& value) {
  Remember(name);
  setenv(name.c_str(), value.c_str(), 1);
}

void ScopedEnv::Unset(const std::string& name) {
  Remember(name);
  unsetenv(name.c_str());
}

GitSandbox::GitSandbox() {
  env_.Set("HOME", home_.path().string());
  env_.Set("XDG_CONFIG_HOME", (home_.path() / ".config").string());
  env_.Set("GIT_CONFIG_NOSYSTEM", "1");
  for (const char* v :
       {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
        "GIT_CEILING_DIRECTORIES", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM",
        "EVREPO_GIT_USERNAME", "EVREPO_GIT_PASSWORD"}) {
    env_.Unset(v);
  }
  // Temporary repositories need not survive a crash: no fsync by git.
  env_.Set("GIT_CONFIG_COUNT", "1");
  env_.Set("GIT_CONFIG_KEY_0", "core.fsync");
  env_.Set("GIT_CONFIG_VALUE_0", "none");
  env_.Set("GIT_AUTHOR_NAME", kName);
  env_.Set("GIT_AUTHOR_EMAIL", kEmail);
  env_.Set("GIT_COMMITTER_NAME", kName);
  env_.Set("GIT_COMMITTER_EMAIL", kEmail);
  SetDate(kDate);
}

void GitSandbox::SetDate(const std::string& date) {
  env_.Set("GIT_AUTHOR_DATE", date);
  env_.Set("GIT_COMMITTER_DATE", date);
}

namespace {

// Workspaces made before, by what made them.
struct Templates {
  std::unique_ptr<TempDir> dir;
  std::map<std::string, fs::path> made;
  int next = 0;

  fs::path NewSlot() {
    if (!dir) dir = std::make_unique<TempDir>();
    return dir->path() / std::to_string(next++);
  }
};

// Removed with its directory when the process exits.
Templates& Made() {
  static Templates t;
  return t;
}

// What decides the commits a workspace gets.
std::string IdentityKey() {
  std::string key;
  for (const char* v :
       {"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
        "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE"}) {
    const char* value = std::getenv(v);
    key += std::string("|") + (value ? value : "");
  }
  return key;
}

void CopyTree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to,
           fs::copy_options::recursive | fs::copy_options::copy_symlinks);
}

// Replaces every `from` in the file at `path` by `to`.
void ReplaceAll(const fs::path& path, const std::string& from,
                const std::string& to) {
  std::string text = ReadAll(path);
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos;
       at += to.size()) {
    text.replace(at, from.size(), to);
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace

void GitWorkspace::MakeCorpus(const std::string& sub, bool commit,
                              const std::string& fixture) {
  top_ = fs::canonical(dir_.path()) / "work";
  root_ = sub.empty() ? top_ : top_ / sub;
  std::string key = "corpus|" + sub + "|" + (commit ? "1" : "0") + "|" +
                    fixture + IdentityKey();
  Templates& made = Made();
  if (auto it = made.made.find(key); it != made.made.end()) {
    CopyTree(it->second, top_);
    return;
  }
  CopyFixture(fixture, root_);
  testing::Git(top_, "init -q -b main");
  if (commit) GitCommitAll("Import the corpus");
  fs::path slot = made.NewSlot();
  CopyTree(top_, slot);
  made.made[key] = slot;
}

void GitWorkspace::MakeRemote(bool push) {
  fs::path tmp = fs::canonical(dir_.path());
  remote_ = tmp / "remote.git";
  south_ = tmp / "south";
  std::string key = std::string("remote|") + (push ? "1" : "0") + IdentityKey();
  Templates& made = Made();
  if (auto it = made.made.find(key); it != made.made.end()) {
    top_ = root_ = tmp / "work";
    CopyTree(it->second, tmp);
    // The copies name the remote where it was made.
    std::string old_tmp = ReadAll(it->second / "tmp-path");
    fs::remove(tmp / "tmp-path");
    ReplaceAll(top_ / ".git/config", old_tmp, tmp.string());
    if (push) ReplaceAll(south_ / ".git/config", old_tmp, tmp.string());
    return;
  }
  MakeCorpus();
  testing::Git(tmp, "init -q --bare -b main remote.git");
  Git("remote add origin " + ShellQuote(remote_.string()));
  if (push) {
    Git("push -q origin main");
    testing::Git(tmp, "clone -q remote.git south");
  }
  fs::path slot = made.NewSlot();
  CopyTree(tmp, slot);
  std::ofstream(slot / "tmp-path") << tmp.string();
  made.made[key] = slot;
}

Corpus& GitWorkspace::corpus() {
  if (!corpus_) {
    auto c = Corpus::Open(root_);
    if (!c) {
      ADD_FAILURE() << c.status().message();
      std::abort();
    }
    corpus_.emplace(std::move(*c));
  }
  return *corpus_;
}

Repository& GitWorkspace::repo() {
  if (!repo_) return ReopenRepo();
  return *repo_;
}

Repository& GitWorkspace::ReopenRepo() {
  repo_.reset();
  auto r = Repository::Discover(root_);
  if (!r) {
    ADD_FAILURE() << r.status().message();
    std::abort();
  }
  repo_.emplace(std::move(*r));
  return *repo_;
}

void GitWorkspace::Write(const std::string& rel,
                         const std::string& content) const {
  fs::path p = root_ / rel;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
}

std::string GitWorkspace::Read(const std::string& rel) const {
  return ReadAll(root_ / rel);
}

void GitWorkspace::Edit(const std::string& rel, const std::string& from,
                        const std::string& to) const {
  std::string text = Read(rel);
  std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << rel << ": " << from;
  ASSERT_EQ(text.find(from, at + 1), std::string::npos) << rel << ": " << from;
  text.replace(at, from.size(), to);
  Write(rel, text);
}

std::string GitWorkspace::GitCommitAll(const std::string& message) {
  Git("add -A");
  Git("commit -q --no-verify -m " + ShellQuote(message));
  return Git("rev-parse HEAD");
}

std::string CaseStudyText(const std::string& id, const std::string& stage,
                          const std::string& extra) {
  return "---\n"
         "id: " +
         id +
         "\n"
         "title: Harbour Kitchen\n"
         "type: case-study\n"
         "date: 2006-03-01\n"
         "authors: [A. Author]\n"
         "summary: How a co-operative won a contract.\n"
         "confidentiality: public\n"
         "status: final\n"
         "organisation: Harbour Kitchen\n"
         "stage: " +
         stage + "\n" + extra +
         "---\n"
         "# Harbour Kitchen\n";
}

}  // namespace evrepo::testing
