// Finding, configuring and listing a corpus in the working tree.
#include "evrepo/corpus.h"

#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "evrepo/fsutil.h"
#include "evrepo/text.h"
#include "front_matter.h"

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

// The single-valued setting `key` names; null for any other key.
std::string* ScalarSetting(CorpusConfig& config, std::string_view key) {
  if (key == "name") return &config.name;
  if (key == "schemas") return &config.schemas;
  if (key == "index") return &config.index;
  if (key == "synonyms") return &config.synonyms;
  return nullptr;
}

// Whether `value` may be given to setting `key`: a path must not be blank.
bool ScalarAllowed(std::string_view key, const std::string& value) {
  return !((key == "index" || key == "synonyms") && Trim(value).empty());
}

// A configuration is a few lines of "key: value", and yaml-cpp's first
// parse costs every command a tenth of a millisecond.  This reads the plain
// forms: comments and blank lines; each known key once, at the start of its
// line, with a plain scalar, a double-quoted one on one line (no escape but
// \" and \\), a one-line flow sequence of plain items, or nothing and then
// "- item" lines.  At anything else it gives up, and yaml-cpp reads the
// file, and says what is wrong with it.  tests/core/corpus_test.cc holds
// the two to the same result.
class SimpleConfig {
 public:
  std::optional<CorpusConfig> Read(std::string_view text) {
    if (text.find_first_of("\t\r") != text.npos ||
        text.find("\xEF\xBB\xBF") != text.npos ||
        text.find("\xC2\x85") != text.npos ||
        text.find("\xE2\x80\xA8") != text.npos ||
        text.find("\xE2\x80\xA9") != text.npos) {
      return std::nullopt;  // tabs, CR, BOM, YAML 1.1's other line breaks
    }
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at < text.size();) {
      std::size_t end = std::min(text.find('\n', at), text.size());
      lines.push_back(text.substr(at, end - at));
      at = end + 1;
    }
    CorpusConfig config;
    std::vector<std::string_view> seen;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string_view line = lines[i];
      for (char c : line) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
          return std::nullopt;
      }
      std::size_t first = line.find_first_not_of(' ');
      if (first == line.npos || line[first] == '#') continue;
      std::size_t colon = line.find(':');
      if (first != 0 || colon == line.npos) return std::nullopt;
      std::string_view key = line.substr(0, colon);
      if (std::find(kConfigKeys.begin(), kConfigKeys.end(), key) ==
              kConfigKeys.end() ||
          std::find(seen.begin(), seen.end(), key) != seen.end()) {
        return std::nullopt;  // unknown or twice: yaml-cpp's to report
      }
      seen.push_back(key);
      std::string_view rest = line.substr(colon + 1);
      if (!rest.empty() && rest[0] != ' ') return std::nullopt;
      std::size_t v = rest.find_first_not_of(' ');
      std::vector<std::string> values;
      bool list = false;
      if (v == rest.npos) {
        // Nothing on the line: "- item" lines, all indented alike, or null.
        std::size_t indent = std::string_view::npos;
        for (; i + 1 < lines.size(); ++i) {
          std::string_view item = lines[i + 1];
          std::size_t dash = item.find_first_not_of(' ');
          if (dash == item.npos || item.substr(dash, 2) != "- ") break;
          if (indent != std::string_view::npos && dash != indent)
            return std::nullopt;
          indent = dash;
          std::size_t at = item.find_first_not_of(' ', dash + 2);
          if (at == item.npos) return std::nullopt;
          auto plain = Plain(item.substr(at), false);
          if (!plain) return std::nullopt;
          values.push_back(std::move(*plain));
          list = true;
        }
      } else if (rest[v] == '"') {
        auto quoted = Quoted(rest.substr(v));
        if (!quoted) return std::nullopt;
        values.push_back(std::move(*quoted));
      } else if (rest[v] == '[') {
        auto items = Flow(rest.substr(v));
        if (!items) return std::nullopt;
        values = std::move(*items);
        list = true;
      } else {
        auto plain = Plain(rest.substr(v), false);
        if (!plain) return std::nullopt;
        values.push_back(std::move(*plain));
      }
      if (key == "exclude") {
        for (std::string& pattern : values)
          config.exclude.push_back(std::move(pattern));
        continue;
      }
      if (list) return std::nullopt;  // a list where one value goes
      std::string value = values.empty() ? std::string() : values[0];
      if (!ScalarAllowed(key, value)) return std::nullopt;
      *ScalarSetting(config, key) = std::move(value);
    }
    return config;
  }

 private:
  static bool IsNull(std::string_view s) {
    return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
  }
  // A plain scalar, trailing spaces trimmed; in a flow sequence, with
  // fewer characters allowed.
  static std::optional<std::string> Plain(std::string_view s, bool flow) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (IsNull(s) ||
        std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s[0]) != s.npos ||
        s.back() == ':' || s.find(": ") != s.npos || s.find(" #") != s.npos ||
        (flow && s.find_first_of(",[]{}:#") != s.npos)) {
      return std::nullopt;
    }
    return std::string(s);
  }
  // "text", alone on the rest of its line.
  static std::optional<std::string> Quoted(std::string_view s) {
    std::string out;
    std::size_t j = 1;
    for (; j < s.size() && s[j] != '"'; ++j) {
      if (s[j] == '\\') {
        if (++j == s.size() || (s[j] != '"' && s[j] != '\\'))
          return std::nullopt;
      }
      out += s[j];
    }
    if (j == s.size() || s.find_first_not_of(' ', j + 1) != s.npos)
      return std::nullopt;
    return out;
  }
  // [a, b], alone on the rest of its line.
  static std::optional<std::vector<std::string>> Flow(std::string_view s) {
    std::size_t close = s.find(']');
    if (close == s.npos || s.find_first_not_of(' ', close + 1) != s.npos)
      return std::nullopt;
    std::vector<std::string> out;
    std::string_view inside = s.substr(1, close - 1);
    if (inside.find_first_not_of(' ') == inside.npos) return out;
    for (std::size_t at = 0;;) {
      std::size_t comma = std::min(inside.find(',', at), inside.size());
      std::string_view item = inside.substr(at, comma - at);
      std::size_t lead = item.find_first_not_of(' ');
      if (lead == item.npos) return std::nullopt;
      auto plain = Plain(item.substr(lead), true);
      if (!plain) return std::nullopt;
      out.push_back(std::move(*plain));
      if (comma == inside.size()) break;
      at = comma + 1;
    }
    return out;
  }
};

}  // namespace

bool g_fast_config = true;
std::atomic<long> g_fast_config_reads{0};

Result<CorpusConfig> ParseConfig(const std::string& path,
                                 const std::string& text) {
  if (g_fast_config) {
    if (auto simple = SimpleConfig().Read(text)) {
      g_fast_config_reads.fetch_add(1, std::memory_order_relaxed);
      return std::move(*simple);
    }
  }
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
      if (std::string* setting = ScalarSetting(config, key)) {
        auto s = want_scalar();
        if (!s) return s.status();
        if (!ScalarAllowed(key, *s)) {
          return Status::Invalid(At(path, v.Mark()) + ": '" + key +
                                 "' needs a path");
        }
        *setting = *s;
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
