// Finding, configuring and listing a corpus in the working tree.
#include "evrepo/corpus.h"

#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "evrepo/fsutil.h"
#include "evrepo/text.h"

namespace evrepo {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kConfigKeys = {"name", "schemas", "exclude",
                                              "index", "synonyms"};

std::string At(const std::string& path, const YAML::Mark& mark) {
  if (mark.is_null()) return path;
  return path + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(mark.column + 1);
}

}  // namespace

Result<CorpusConfig> ParseConfig(const std::string& path,
                                 const std::string& text) {
  CorpusConfig config;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::Invalid(At(path, e.mark) + ": invalid YAML: " + e.msg);
  }
  if (root.IsNull()) return config;
  if (!root.IsMap()) {
    return Status::Invalid(At(path, root.Mark()) +
                           ": the configuration must be a mapping");
  }
  try {
    for (const auto& kv : root) {
      std::string key = kv.first.Scalar();
      const YAML::Node& v = kv.second;
      auto want_scalar = [&]() -> Result<std::string> {
        if (v.IsNull()) return std::string();
        if (!v.IsScalar()) {
          return Status::Invalid(At(path, v.Mark()) + ": '" + key +
                                 "' must be a single value");
        }
        return v.Scalar();
      };
      if (key == "name" || key == "schemas" || key == "index" ||
          key == "synonyms") {
        auto s = want_scalar();
        if (!s) return s.status();
        if ((key == "index" || key == "synonyms") && Trim(*s).empty()) {
          return Status::Invalid(At(path, v.Mark()) + ": '" + key +
                                 "' needs a path");
        }
        (key == "name"      ? config.name
         : key == "schemas" ? config.schemas
         : key == "index"   ? config.index
                            : config.synonyms) = *s;
      } else if (key == "exclude") {
        if (v.IsScalar()) {
          config.exclude.push_back(v.Scalar());
        } else if (v.IsSequence()) {
          for (const auto& item : v) {
            if (!item.IsScalar()) {
              return Status::Invalid(At(path, item.Mark()) +
                                     ": 'exclude' takes glob patterns");
            }
            config.exclude.push_back(item.Scalar());
          }
        } else if (!v.IsNull()) {
          return Status::Invalid(At(path, v.Mark()) +
                                 ": 'exclude' takes a list of glob patterns");
        }
      } else {
        Status s = Status::Invalid(At(path, kv.first.Mark()) +
                                   ": unknown setting '" + key + "'");
        if (auto g = Suggest(key, kConfigKeys)) {
          s.WithHint("did you mean '" + *g + "'?");
        }
        return s;
      }
    }
  } catch (const YAML::Exception& e) {
    return Status::Invalid(At(path, e.mark) + ": " + e.msg);
  }
  return config;
}

Result<fs::path> Corpus::FindRoot(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (ec) return Status::Io("cannot resolve '" + start.string() + "'");
  if (!dir.has_filename()) dir = dir.parent_path();
  for (fs::path d = dir;; d = d.parent_path()) {
    if (fs::is_regular_file(d / kConfigFile, ec)) return d;
    if (d == d.parent_path()) break;
  }
  return Status::NotFound(
             "not in an evrepo corpus (no evrepo.yml here or "
             "in any parent directory)")
      .WithHint("run 'evrepo init' to make one, or use -C DIR");
}

Result<Corpus> Corpus::Open(const fs::path& root, Loading loading) {
  Corpus c;
  c.root_ = root;
  auto text = ReadFileLimited(root / kConfigFile, 1 << 20, kConfigFile);
  if (!text) return text.status();
  auto config = ParseConfig(kConfigFile, *text);
  if (!config) return config.status();
  c.config_ = std::move(*config);
  if (loading == Loading::kConfigurationOnly) return c;
  std::vector<fs::path> dirs = {BuiltinSchemaDir()};
  if (!c.config_.schemas.empty()) dirs.push_back(root / c.config_.schemas);
  // The index's directory also keeps the parsed schemas, once it exists.
  std::error_code ec;
  fs::path state = c.config_.index;
  if (!state.is_absolute()) state = root / state;
  auto schema = Schema::LoadCached(
      dirs, fs::is_directory(state, ec) ? state / "schemas.cache" : fs::path());
  if (!schema) return schema.status();
  c.schema_ = std::move(*schema);
  return c;
}

bool Corpus::IsDocumentPath(std::string_view rel) const {
  if (rel.size() < 3 || rel.substr(rel.size() - 3) != ".md") return false;
  std::string path(rel);
  // Dot-directories (.git, .evrepo, …) and dot-files are never documents.
  if (path[0] == '.' || path.find("/.") != std::string::npos) return false;
  for (const std::string& pattern : config_.exclude) {
    // A pattern excludes a path it matches, or any directory above it.
    for (std::string prefix = path;;) {
      if (fnmatch(pattern.c_str(), prefix.c_str(), FNM_PATHNAME) == 0) {
        return false;
      }
      std::size_t slash = prefix.rfind('/');
      if (slash == std::string::npos) break;
      prefix.resize(slash);
    }
  }
  return true;
}

Result<std::vector<std::string>> Corpus::ListWorkingTree() const {
  std::vector<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(root_, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    if (it->is_directory(ec)) {
      if (!name.empty() && name[0] == '.') it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    std::string rel = p.lexically_relative(root_).generic_string();
    if (IsDocumentPath(rel)) out.push_back(std::move(rel));
  }
  if (ec) return Status::Io("cannot list the corpus: " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

Result<Document> Corpus::ReadWorkingTree(const std::string& rel) const {
  fs::path p = root_ / rel;
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  if (ec) return Status::Io("cannot read '" + rel + "': " + ec.message());
  if (size > kMaxDocumentBytes) {
    // Do not read it: the parser reports the size from a stand-in.
    Document doc;
    doc.path = rel;
    doc.diagnostics.push_back({rel, 0, 0, Severity::kError, "file-size",
                               "document is " + std::to_string(size) +
                                   " bytes, over the limit of " +
                                   std::to_string(kMaxDocumentBytes),
                               ""});
    return doc;
  }
  auto bytes = ReadFileLimited(p, kMaxDocumentBytes, rel);
  if (!bytes) return bytes.status();
  return ParseDocument(rel, *bytes);
}

Result<std::string> Corpus::Relative(const fs::path& p) const {
  std::error_code ec;
  fs::path abs = fs::weakly_canonical(fs::absolute(p, ec), ec);
  fs::path root = fs::weakly_canonical(root_, ec);
  fs::path rel = abs.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") {
    return Status::Usage("'" + p.string() + "' is outside the corpus at '" +
                         root_.string() + "'");
  }
  std::string s = rel.generic_string();
  while (!s.empty() && s.back() == '/') s.pop_back();  // "toolkits/"
  return s == "." ? std::string() : s;
}

}  // namespace evrepo
