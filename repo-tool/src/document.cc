// Front matter parsing.  The YAML is read with yaml-cpp's event interface, not
// YAML::Load: events carry a source mark for every scalar and key, which lets
// each diagnostic point at the line and column it is about, and lets us see
// what YAML::Load silently accepts (duplicate keys) or shares (aliases, the
// basis of "billion laughs" bombs, which are refused outright).
#include "evrepo/document.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>

#include "evrepo/text.h"

namespace evrepo {

namespace {

// Thrown inside the event handler to stop parsing at a fatal problem.
struct StopParse {
  Diagnostic diagnostic;
};

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& path, int line_offset,
              std::vector<Diagnostic>* diagnostics)
      : path_(path), line_offset_(line_offset), diagnostics_(diagnostics) {}

  bool has_root() const { return has_root_; }
  YamlNode& root() { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    YamlNode n;
    n.kind = YamlNode::Kind::kNull;
    n.pos = Pos(mark);
    Add(std::move(n));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw StopParse{Make(Pos(mark), "yaml-alias",
                         "YAML aliases are not allowed in front matter",
                         "write the value out in full")};
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    YamlNode n;
    n.kind = YamlNode::Kind::kScalar;
    n.pos = Pos(mark);
    n.scalar = value;
    n.quoted = tag == "!";  // yaml-cpp's tag for quoted and block scalars
    Add(std::move(n));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&,
                       YAML::anchor_t, YAML::EmitterStyle::value) override {
    Push(YamlNode::Kind::kSequence, mark);
  }
  void OnSequenceEnd() override { Pop(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Push(YamlNode::Kind::kMapping, mark);
  }
  void OnMapEnd() override { Pop(); }

  SourcePos Pos(const YAML::Mark& mark) const {
    return {mark.line + line_offset_, mark.column + 1};
  }

  Diagnostic Make(SourcePos pos, std::string rule, std::string message,
                  std::string hint = "") const {
    return Diagnostic{
        path_,           pos.line,           pos.column,     Severity::kError,
        std::move(rule), std::move(message), std::move(hint)};
  }

 private:
  struct Frame {
    YamlNode node;
    bool has_key = false;
    std::string key;
    SourcePos key_pos;
  };

  void Push(YamlNode::Kind kind, const YAML::Mark& mark) {
    Frame f;
    f.node.kind = kind;
    f.node.pos = Pos(mark);
    stack_.push_back(std::move(f));
  }

  void Pop() {
    YamlNode n = std::move(stack_.back().node);
    stack_.pop_back();
    Add(std::move(n));
  }

  void Add(YamlNode n) {
    if (stack_.empty()) {
      root_ = std::move(n);
      has_root_ = true;
      return;
    }
    Frame& f = stack_.back();
    if (f.node.kind == YamlNode::Kind::kSequence) {
      f.node.items.push_back(std::move(n));
      return;
    }
    if (!f.has_key) {
      if (n.kind != YamlNode::Kind::kScalar) {
        throw StopParse{Make(n.pos, "front-matter",
                             "a key must be a plain name, not a list, mapping "
                             "or empty value")};
      }
      f.has_key = true;
      f.key = std::move(n.scalar);
      f.key_pos = n.pos;
      return;
    }
    f.has_key = false;
    auto same = [&](const YamlNode::Entry& e) { return e.key == f.key; };
    auto it = std::find_if(f.node.entries.begin(), f.node.entries.end(), same);
    if (it != f.node.entries.end()) {
      diagnostics_->push_back(
          Make(f.key_pos, "duplicate-key",
               "duplicate key '" + f.key + "' (first defined on line " +
                   std::to_string(it->key_pos.line) + ")",
               "remove one of them; the first value is the one used"));
      return;
    }
    f.node.entries.push_back({std::move(f.key), f.key_pos, std::move(n)});
  }

  const std::string& path_;
  int line_offset_;
  std::vector<Diagnostic>* diagnostics_;
  std::vector<Frame> stack_;
  YamlNode root_;
  bool has_root_ = false;
};

// True when `line` (without its newline) is the delimiter `delim`, optionally
// followed by spaces or tabs.
bool IsDelimiter(std::string_view line, std::string_view delim) {
  if (line.substr(0, delim.size()) != delim) return false;
  for (char c : line.substr(delim.size())) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

// Normalises CRLF to LF; a BOM is dropped.  Lone CRs are left alone.
std::string Normalise(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') {
      continue;
    }
    out += bytes[i];
  }
  return out;
}

void ParseFrontMatter(Document& doc, std::string_view yaml, int first_line) {
  std::string text(yaml);
  std::istringstream in(text);
  TreeBuilder builder(doc.path, first_line, &doc.diagnostics);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const StopParse& stop) {
    doc.diagnostics.push_back(stop.diagnostic);
    return;
  } catch (const YAML::DeepRecursion& e) {
    doc.diagnostics.push_back(
        builder.Make(builder.Pos(e.mark), "front-matter",
                     "front matter is nested too deeply"));
    return;
  } catch (const YAML::Exception& e) {
    Diagnostic d = builder.Make(builder.Pos(e.mark), "front-matter",
                                "invalid YAML: " + e.msg);
    if (e.mark.is_null()) d.line = first_line, d.column = 1;
    doc.diagnostics.push_back(std::move(d));
    return;
  }
  if (!builder.has_root() || builder.root().IsNull()) {
    doc.has_front_matter = true;  // an empty block: no fields at all
    return;
  }
  YamlNode& root = builder.root();
  if (root.kind != YamlNode::Kind::kMapping) {
    doc.diagnostics.push_back(
        builder.Make(root.pos, "front-matter",
                     "front matter must be a mapping of field names to values",
                     "write one 'field: value' per line"));
    return;
  }
  doc.has_front_matter = true;
  doc.fields = std::move(root.entries);
}

}  // namespace

const Field* Document::Find(std::string_view name) const {
  for (const Field& f : fields) {
    if (f.key == name) return &f;
  }
  return nullptr;
}

std::string Document::Scalar(std::string_view name) const {
  const Field* f = Find(name);
  return f && f->value.IsScalar() ? f->value.scalar : std::string();
}

std::vector<std::string> Document::List(std::string_view name) const {
  std::vector<std::string> out;
  const Field* f = Find(name);
  if (!f) return out;
  if (f->value.IsScalar()) {
    out.push_back(f->value.scalar);
  } else {
    for (const YamlNode& item : f->value.items) {
      if (item.IsScalar()) out.push_back(item.scalar);
    }
  }
  return out;
}

bool Document::HasErrors() const {
  return std::any_of(
      diagnostics.begin(), diagnostics.end(),
      [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

Document ParseDocument(std::string path, std::string_view bytes) {
  Document doc;
  doc.path = std::move(path);
  auto fail = [&](int line, int column, std::string rule, std::string message,
                  std::string hint = "") {
    doc.diagnostics.push_back({doc.path, line, column, Severity::kError,
                               std::move(rule), std::move(message),
                               std::move(hint)});
  };

  if (bytes.size() > kMaxDocumentBytes) {
    fail(0, 0, "file-size",
         "document is " + std::to_string(bytes.size()) +
             " bytes, over the limit of " + std::to_string(kMaxDocumentBytes));
    return doc;
  }
  if (std::size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
    auto [line, col] = LineColumn(bytes, nul);
    fail(line, col, "encoding", "NUL byte: this looks like a binary file",
         "documents are UTF-8 Markdown text");
    return doc;
  }
  if (auto bad = FindInvalidUtf8(bytes)) {
    auto [line, col] = LineColumn(bytes, *bad);
    fail(line, col, "encoding", "invalid UTF-8",
         "save the file as UTF-8 (e.g. iconv -f windows-1252 -t utf-8)");
    return doc;
  }

  std::string text = Normalise(bytes);
  if (Trim(text).empty()) {
    doc.diagnostics.push_back({doc.path, 0, 0, Severity::kWarning, "empty-file",
                               "empty document", ""});
    doc.body = text;
    return doc;
  }

  std::size_t first_end = std::min(text.find('\n'), text.size());
  std::string_view first = std::string_view(text).substr(0, first_end);
  if (!IsDelimiter(first, "---")) {
    doc.body = std::move(text);
    doc.body_line = 1;
    return doc;
  }

  // Find the closing delimiter: the next line that is "---" or "...".
  std::size_t pos = std::min(text.size(), first_end + 1);
  int line = 2;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::size_t stop = end == std::string::npos ? text.size() : end;
    std::string_view l = std::string_view(text).substr(pos, stop - pos);
    if (IsDelimiter(l, "---") || IsDelimiter(l, "...")) {
      std::string_view yaml =
          std::string_view(text).substr(first_end + 1, pos - first_end - 1);
      ParseFrontMatter(doc, yaml, 2);
      doc.body = end == std::string::npos ? "" : text.substr(end + 1);
      doc.body_line = line + 1;
      return doc;
    }
    pos = stop + 1;
    ++line;
  }
  fail(1, 1, "front-matter", "unterminated front matter",
       "close the front matter with a line holding only '---'");
  doc.body = text.substr(std::min(text.size(), first_end + 1));
  doc.body_line = 2;
  return doc;
}

}  // namespace evrepo
