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
#include "front_matter.h"

namespace evrepo {

bool g_fast_front_matter = true;
std::atomic<long> g_fast_front_matter_reads{0};

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

// yaml-cpp reads front matter at about 12 MB/s: a tenth of a publish.  Nearly
// every document's front matter is a block mapping of plain keys, each with
// a plain scalar (perhaps continued on more indented lines), a double-quoted
// one on one line, or a one-line flow sequence of plain scalars.  This reads
// that subset and nothing more, into the very events yaml-cpp gives for it,
// marks included; at anything else it gives up before the builder has seen
// an event, and yaml-cpp reads the block.  tests/core/front_matter_test.cc
// holds the two to the same result on real and mutated front matter.
class FastFrontMatter {
 public:
  bool Read(std::string_view yaml) {
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at < yaml.size();) {
      std::size_t end = std::min(yaml.find('\n', at), yaml.size());
      lines.push_back(yaml.substr(at, end - at));
      at = end + 1;
    }
    if (lines.empty()) return false;
    events_.push_back({Event::kMapStart, 0, 0, {}});
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string_view line = lines[i];
      if (!Clean(line)) return false;
      std::size_t k = 0;
      while (k < line.size() && (IsAsciiAlnum(line[k]) || line[k] == '_' ||
                                 (k > 0 && line[k] == '-'))) {
        ++k;
      }
      std::string_view key = line.substr(0, k);
      if (k == 0 || IsNull(key) || k + 2 > line.size() || line[k] != ':' ||
          line[k + 1] != ' ') {
        return false;
      }
      std::size_t v = line.find_first_not_of(' ', k + 1);
      if (v == std::string_view::npos) return false;
      events_.push_back(
          {Event::kScalar, static_cast<int>(i), 0, std::string(key)});
      int at = static_cast<int>(v);
      bool continued = i + 1 < lines.size() && !lines[i + 1].empty() &&
                       lines[i + 1][0] == ' ';
      if (line[v] == '"') {
        if (continued || !Quoted(line, v, static_cast<int>(i))) return false;
      } else if (line[v] == '[') {
        if (continued || !Flow(line, v, static_cast<int>(i))) return false;
      } else {
        int value_line = static_cast<int>(i);
        std::string value;
        if (!Plain(line.substr(v), value)) return false;
        // Continuation lines are folded into one, with a space at each break.
        for (; i + 1 < lines.size() && !lines[i + 1].empty() &&
               lines[i + 1][0] == ' ';
             ++i) {
          std::string_view more = lines[i + 1];
          if (!Clean(more)) return false;
          more.remove_prefix(more.find_first_not_of(' '));
          value += ' ';
          if (!Plain(more, value)) return false;
        }
        if (IsNull(value)) return false;
        events_.push_back({Event::kScalar, value_line, at, std::move(value)});
      }
    }
    events_.push_back({Event::kMapEnd, 0, 0, {}});
    return true;
  }

  void Replay(TreeBuilder& b) const {
    for (const Event& e : events_) {
      YAML::Mark mark;
      mark.line = e.line;
      mark.column = e.column;
      switch (e.kind) {
        case Event::kMapStart:
          b.OnMapStart(mark, "?", 0, YAML::EmitterStyle::Block);
          break;
        case Event::kMapEnd:
          b.OnMapEnd();
          break;
        case Event::kSeqStart:
          b.OnSequenceStart(mark, "?", 0, YAML::EmitterStyle::Flow);
          break;
        case Event::kSeqEnd:
          b.OnSequenceEnd();
          break;
        case Event::kScalar:
        case Event::kQuoted:
          b.OnScalar(mark, e.kind == Event::kQuoted ? "!" : "?", 0, e.text);
          break;
      }
    }
  }

 private:
  struct Event {
    enum Kind { kMapStart, kMapEnd, kSeqStart, kSeqEnd, kScalar, kQuoted };
    Kind kind;
    int line, column;
    std::string text;
  };

  static bool IsAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
  }
  static bool IsNull(std::string_view s) {
    return s == "~" || s == "null" || s == "Null" || s == "NULL";
  }
  // No blank line, tab, CR, comment or control character; no line break
  // YAML 1.1 knows beyond LF (NEL, LS, PS), no byte order mark.
  static bool Clean(std::string_view line) {
    if (line.empty() || line.find_first_not_of(' ') == line.npos) return false;
    for (char c : line) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '#' || c == 0x7f) {
        return false;
      }
    }
    return line.find("\xC2\x85") == line.npos &&
           line.find("\xE2\x80\xA8") == line.npos &&
           line.find("\xE2\x80\xA9") == line.npos &&
           line.find("\xEF\xBB\xBF") == line.npos;
  }
  // Appends one line of a plain scalar, trailing spaces trimmed.  It must not
  // start with an indicator, nor hold ": ", a final ':' or a bracket.
  static bool Plain(std::string_view s, std::string& out) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (s.empty() ||
        std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s[0]) != s.npos ||
        s.back() == ':' || s.find(": ") != s.npos ||
        s.find_first_of("[]{}") != s.npos) {
      return false;
    }
    out += s;
    return true;
  }
  // A double-quoted scalar closed on its line, with no escape but \" and \\.
  bool Quoted(std::string_view line, std::size_t v, int i) {
    std::string text;
    std::size_t j = v + 1;
    for (; j < line.size() && line[j] != '"'; ++j) {
      if (line[j] == '\\') {
        if (++j == line.size() || (line[j] != '"' && line[j] != '\\')) {
          return false;
        }
      }
      text += line[j];
    }
    if (j == line.size() || line.find_first_not_of(' ', j + 1) != line.npos) {
      return false;
    }
    events_.push_back(
        {Event::kQuoted, i, static_cast<int>(v), std::move(text)});
    return true;
  }
  // [a, b c, d]: plain items, none empty, closed on the line.
  bool Flow(std::string_view line, std::size_t v, int i) {
    events_.push_back({Event::kSeqStart, i, static_cast<int>(v), {}});
    std::size_t j = line.find_first_not_of(' ', v + 1);
    if (j != line.npos && line[j] == ']') {
      j = j + 1;
    } else {
      while (true) {
        if (j == line.npos) return false;
        std::size_t end = line.find_first_of(",]", j);
        if (end == line.npos) return false;
        std::string_view item = line.substr(j, end - j);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.empty() || IsNull(item) ||
            item.find_first_of(":#'\"[]{}&*!|>%@`\\?") != item.npos ||
            item[0] == '-') {
          return false;
        }
        events_.push_back(
            {Event::kScalar, i, static_cast<int>(j), std::string(item)});
        if (line[end] == ']') {
          j = end + 1;
          break;
        }
        j = line.find_first_not_of(' ', end + 1);
      }
    }
    if (line.find_first_not_of(' ', j) != line.npos) return false;
    events_.push_back({Event::kSeqEnd, 0, 0, {}});
    return true;
  }

  std::vector<Event> events_;
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
  if (bytes.find('\r') == std::string_view::npos) return std::string(bytes);
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
  TreeBuilder builder(doc.path, first_line, &doc.diagnostics);
  try {
    FastFrontMatter fast;
    if (g_fast_front_matter && fast.Read(yaml)) {
      g_fast_front_matter_reads.fetch_add(1, std::memory_order_relaxed);
      fast.Replay(builder);
    } else {
      std::string text(yaml);
      std::istringstream in(text);
      YAML::Parser parser(in);
      parser.HandleNextDocument(builder);
    }
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
