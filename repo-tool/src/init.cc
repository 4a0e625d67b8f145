// Creating a corpus in a new or existing directory.
#include "evrepo/init.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "evrepo/corpus.h"
#include "evrepo/fsutil.h"
#include "evrepo/git.h"

namespace evrepo {

namespace fs = std::filesystem;

namespace {

constexpr char kIgnoreLine[] = ".evrepo/";

std::string ConfigText(const std::string& name) {
  return "# evrepo corpus configuration; see evrepo-config(5).\n"
         "name: \"" +
         name +
         "\"\n"
         "# A directory of schema files adding or overriding document types:\n"
         "# schemas: schemas\n"
         "# Paths that are not documents (glob patterns):\n"
         "exclude: [README.md]\n";
}

}  // namespace

Result<InitReport> InitCorpus(const fs::path& dir) {
  std::error_code ec;
  InitReport report;
  fs::create_directories(dir, ec);
  if (ec) {
    return Status::Io("cannot create '" + dir.string() + "': " + ec.message());
  }
  report.root = fs::canonical(dir, ec);
  if (ec) return Status::Io("cannot resolve '" + dir.string() + "'");
  const fs::path& root = report.root;
  if (fs::exists(root / kConfigFile, ec)) {
    return Status::Conflict("'" + (root / kConfigFile).string() +
                            "' already exists: this is already a corpus");
  }

  auto schema = Schema::Load({BuiltinSchemaDir()});
  if (!schema) return schema.status();

  if (auto workdir = FindGitWorkdir(root)) {
    report.git_workdir = *workdir;
  } else {
    if (Status s = InitGitRepository(root); !s.ok()) return s;
    report.created_git = true;
    report.git_workdir = root;
  }

  // Count what is being adopted before adding anything.
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_directory(ec) && name[0] == '.') {
      it.disable_recursion_pending();
    } else if (it->is_regular_file(ec) && it->path().extension() == ".md" &&
               it->path().lexically_relative(root) != "README.md") {
      ++report.adopted_markdown;
    }
  }

  for (const TypeDef* type : schema->DocumentTypes()) {
    fs::path folder = root / type->folder;
    if (!fs::exists(folder, ec)) {
      fs::create_directories(folder, ec);
      if (ec) {
        return Status::Io("cannot create '" + folder.string() +
                          "': " + ec.message());
      }
      report.created.push_back(type->folder + "/");
    }
  }

  fs::path ignore = root / ".gitignore";
  std::string existing;
  if (fs::exists(ignore, ec)) {
    std::ifstream in(ignore);
    std::ostringstream ss;
    ss << in.rdbuf();
    existing = ss.str();
  }
  std::istringstream lines(existing);
  bool has_line = false;
  for (std::string l; std::getline(lines, l);) has_line |= l == kIgnoreLine;
  if (!has_line) {
    std::string text = existing;
    if (!text.empty() && text.back() != '\n') text += '\n';
    text += "# derived data of evrepo (index, caches)\n";
    text += kIgnoreLine;
    text += '\n';
    if (Status s = WriteFileAtomic(ignore, text); !s.ok()) return s;
    report.created.push_back(".gitignore");
  }

  std::string name = root.filename().string();
  std::string escaped;
  for (char c : name) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  if (Status s = CreateFileExclusive(root / kConfigFile, ConfigText(escaped));
      !s.ok()) {
    return s;
  }
  report.created.push_back(kConfigFile);
  std::sort(report.created.begin(), report.created.end());
  return report;
}

}  // namespace evrepo
