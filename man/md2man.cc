// md2man renders one man page source, written in CommonMark, to roff with
// the man renderer of plain cmark 0.30.  It is a build-time tool: it links
// libcmark, never cmark-gfm (the two export the same symbols, and cmark-gfm
// 0.29's man renderer loses the indentation of lists), so it stays a
// separate executable from evrepo.
//
//   usage: md2man INPUT.md OUTPUT
//
// Page source format
//
//   The first line is the title, exactly
//
//       # NAME(SECTION) -- DESCRIPTION
//
//   for example `# evrepo-check(1) -- validate documents`.  NAME and SECTION
//   give the .TH line (with the fixed source "evrepo", manual "evrepo Manual"
//   and no date, so that output is reproducible) and, with DESCRIPTION, the
//   NAME section.  The file must be called NAME.SECTION.md.  DESCRIPTION is
//   plain text.
//
//   After the title, a level-1 heading starts a section (.SH; by convention
//   in capitals: SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS, ENVIRONMENT,
//   FILES, EXAMPLES, SEE ALSO) and a level-2 heading a subsection (.SS).
//   Do not write a NAME section: the title is it.
//
//   Definition lists (options, rules, exit statuses, environment variables)
//   are paragraphs whose first line is a term and whose following lines are
//   the description:
//
//       `--format` *FORMAT*
//       Output format: `text` (the default) or `json`.
//
//   A first line counts as a term when it holds nothing but code spans,
//   emphasis and strong emphasis, with only punctuation or spaces between
//   them (no plain words), and starts with one of them.  Such a paragraph is
//   rendered as a tagged paragraph (.TP): the term, then the description
//   indented under it.  A code block straight after it is indented with the
//   description.  Only top-level paragraphs are considered.  A prose
//   paragraph is safe as long as its first line holds a plain word, and a
//   paragraph of one line never is a definition: so in SYNOPSIS, write each
//   form of the command on one line, as its own paragraph.
//
//   Everything else is ordinary CommonMark as cmark renders it: paragraphs,
//   bullet and ordered lists, block quotes (indented), code blocks,
//   emphasis (italic), strong emphasis (bold), code spans (constant width).
//   Links render as their text followed by the URL in parentheses, except
//   autolinks (`<https://…>`, shown once) and relative links (text only:
//   a relative URL means nothing in a man page).
//
//   Refused, because man output cannot carry them faithfully: hard line
//   breaks (two trailing spaces or a trailing backslash), raw HTML, images,
//   thematic breaks, headings of level 3 or more, a NAME section, invalid
//   UTF-8 and NUL bytes.
//
// Errors are printed as `md2man: error: FILE:LINE: message`, all of them,
// and the exit status is 1; a usage error exits 2.  OUTPUT is written to a
// temporary file in the same directory and renamed into place, so an
// interrupted or failed run never leaves a partial page.

#include <cmark.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

static_assert(CMARK_VERSION >= 0x001e00,
              "md2man needs plain cmark 0.30 or later, not cmark-gfm");

namespace {

struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
using NodePtr = std::unique_ptr<cmark_node, NodeDeleter>;

struct MallocDeleter {
  void operator()(char* p) const { std::free(p); }
};

// A problem in the page source, at a line of it.
struct Problem {
  int line;
  std::string message;
};

struct Title {
  std::string name;
  std::string section;
  std::string description;
};

std::string BaseName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string DirName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Returns the 1-based line of the first NUL byte or invalid UTF-8 sequence,
// or nothing if the text is clean.
std::optional<Problem> CheckEncoding(std::string_view text) {
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return Problem{line, "NUL byte"};
    if (c == '\n') ++line;
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra;
    unsigned min;
    unsigned cp;
    if ((c & 0xe0) == 0xc0) {
      extra = 1, min = 0x80, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2, min = 0x800, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return Problem{line, "invalid UTF-8"};
    }
    if (i + extra >= text.size()) return Problem{line, "invalid UTF-8"};
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return Problem{line, "invalid UTF-8"};
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return Problem{line, "invalid UTF-8"};
    }
    i += extra + 1;
  }
  return std::nullopt;
}

// Parses the title line; `file` is the base name of the source, which must
// be NAME.SECTION.md.
std::optional<Title> ParseTitle(std::string_view first_line,
                                const std::string& file,
                                std::vector<Problem>& problems) {
  static const std::regex kTitle(
      R"(# ([a-z0-9][a-z0-9._+-]*)\(([1-9][a-z]*)\) -- ([^ ].*[^ ]|[^ ]))");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(first_line.begin(), first_line.end(), m, kTitle)) {
    problems.push_back(
        {1,
         "the first line must be the title, '# NAME(SECTION) -- "
         "DESCRIPTION', for example '# evrepo-check(1) -- validate "
         "documents'"});
    return std::nullopt;
  }
  Title title{m[1].str(), m[2].str(), m[3].str()};
  const std::string expected = title.name + "." + title.section + ".md";
  if (file != expected) {
    problems.push_back({1, "the title names '" + title.name + "(" +
                               title.section + ")', so the file must be '" +
                               expected + "', not '" + file + "'"});
  }
  return title;
}

// Escapes plain text for roff: backslashes, minus signs (so that option
// names copy and search as ASCII hyphen-minus) and, inside a quoted macro
// argument, double quotes.
std::string RoffEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\e";
        break;
      case '-':
        out += "\\-";
        break;
      case '"':
        out += "\\(dq";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// The nearest enclosing block's start line, plus the line breaks that come
// before `node` within that block.  cmark 0.30 gives reliable positions only
// for blocks, not for breaks and other inlines.
int LineOf(cmark_node* node) {
  cmark_node* block = node;
  while (block != nullptr && cmark_node_get_start_line(block) == 0) {
    block = cmark_node_parent(block);
  }
  if (block == nullptr) return 0;
  if (block == node) return cmark_node_get_start_line(block);
  int breaks = 0;
  cmark_iter* iter = cmark_iter_new(block);
  cmark_event_type event;
  while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
    cmark_node* n = cmark_iter_get_node(iter);
    if (n == node) break;
    if (event != CMARK_EVENT_ENTER) continue;
    const cmark_node_type type = cmark_node_get_type(n);
    if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) ++breaks;
  }
  cmark_iter_free(iter);
  return cmark_node_get_start_line(block) + breaks;
}

// The concatenated literal text of a node's descendants.
std::string PlainText(cmark_node* node) {
  std::string text;
  for (cmark_node* c = cmark_node_first_child(node); c != nullptr;
       c = cmark_node_next(c)) {
    const char* literal = cmark_node_get_literal(c);
    if (literal != nullptr) {
      text += literal;
    } else {
      text += PlainText(c);
    }
  }
  return text;
}

std::vector<cmark_node*> NodesInOrder(cmark_node* root) {
  std::vector<cmark_node*> nodes;
  cmark_iter* iter = cmark_iter_new(root);
  cmark_event_type event;
  while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
    if (event == CMARK_EVENT_ENTER) nodes.push_back(cmark_iter_get_node(iter));
  }
  cmark_iter_free(iter);
  return nodes;
}

// Reports every construct that man output cannot carry.
void CheckConstructs(cmark_node* document, std::vector<Problem>& problems) {
  for (cmark_node* node : NodesInOrder(document)) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_LINEBREAK:
        problems.push_back(
            {LineOf(node),
             "hard line break (two trailing spaces or a trailing "
             "backslash); man pages cannot render it: start a new "
             "paragraph or a list instead"});
        break;
      case CMARK_NODE_HTML_BLOCK:
      case CMARK_NODE_HTML_INLINE:
        problems.push_back(
            {LineOf(node), "raw HTML has no man page rendering"});
        break;
      case CMARK_NODE_IMAGE:
        problems.push_back({LineOf(node), "images have no man page rendering"});
        break;
      case CMARK_NODE_THEMATIC_BREAK:
        problems.push_back(
            {LineOf(node), "thematic breaks have no man page rendering"});
        break;
      case CMARK_NODE_HEADING: {
        const int level = cmark_node_get_heading_level(node);
        if (level > 2) {
          problems.push_back(
              {LineOf(node), "heading of level " + std::to_string(level) +
                                 "; only sections (#) and subsections (##) "
                                 "are supported"});
        } else if (level == 1 && Upper(PlainText(node)) == "NAME") {
          problems.push_back(
              {LineOf(node),
               "NAME section: the title line makes it; remove this one"});
        }
        break;
      }
      default:
        break;
    }
  }
}

// Moves the children of `node` to just before it and frees it.
void Unwrap(cmark_node* node) {
  while (cmark_node* child = cmark_node_first_child(node)) {
    cmark_node_insert_before(node, child);
  }
  cmark_node_free(node);
}

bool HasScheme(std::string_view url) {
  static const std::regex kScheme(R"([A-Za-z][A-Za-z0-9+.-]*:.*)");
  return std::regex_match(url.begin(), url.end(), kScheme);
}

// Autolinks would print their URL twice, relative links a URL that means
// nothing outside the source tree: both render as their text alone.
void SimplifyLinks(cmark_node* document) {
  for (cmark_node* node : NodesInOrder(document)) {
    if (cmark_node_get_type(node) != CMARK_NODE_LINK) continue;
    const char* raw_url = cmark_node_get_url(node);
    const std::string url = raw_url != nullptr ? raw_url : "";
    const std::string text = PlainText(node);
    if (!HasScheme(url) || url == text || url == "mailto:" + text) {
      Unwrap(node);
    }
  }
}

bool IsTermText(const char* literal) {
  for (const char* p = literal; *p != '\0'; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x80 || std::isalnum(c)) return false;
  }
  return true;
}

// True if the paragraph's first line is a term (see the top of this file)
// and a description follows it on later lines.
bool IsDefinition(cmark_node* paragraph) {
  cmark_node* first = cmark_node_first_child(paragraph);
  if (first == nullptr) return false;
  const auto first_type = cmark_node_get_type(first);
  if (first_type != CMARK_NODE_CODE && first_type != CMARK_NODE_STRONG &&
      first_type != CMARK_NODE_EMPH) {
    return false;
  }
  for (cmark_node* n = first; n != nullptr; n = cmark_node_next(n)) {
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_SOFTBREAK:
        return cmark_node_next(n) != nullptr;
      case CMARK_NODE_CODE:
      case CMARK_NODE_EMPH:
      case CMARK_NODE_STRONG:
        break;
      case CMARK_NODE_TEXT:
        if (!IsTermText(cmark_node_get_literal(n))) return false;
        break;
      default:
        return false;
    }
  }
  return false;
}

// Turns each definition paragraph into a custom block that opens with .TP.
// The man renderer prints a soft break as a new line when the width is 0, so
// the term lands on the line after .TP (the tag) and the description after
// it, which is exactly the tagged-paragraph idiom.
void MakeDefinitions(cmark_node* document) {
  std::vector<cmark_node*> paragraphs;
  for (cmark_node* n = cmark_node_first_child(document); n != nullptr;
       n = cmark_node_next(n)) {
    if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH && IsDefinition(n)) {
      paragraphs.push_back(n);
    }
  }
  for (cmark_node* paragraph : paragraphs) {
    cmark_node* block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(block, ".TP");
    cmark_node_set_on_exit(block, "");
    while (cmark_node* child = cmark_node_first_child(paragraph)) {
      cmark_node_append_child(block, child);
    }
    cmark_node_insert_before(paragraph, block);
    cmark_node_free(paragraph);
  }
}

std::string Header(const Title& title, const std::string& source_file) {
  std::string out;
  out += ".\\\" Generated by md2man from " + source_file + "; do not edit.\n";
  out += ".TH \"" + RoffEscape(Upper(title.name)) + "\" \"" +
         RoffEscape(title.section) + "\" \"\" \"evrepo\" \"evrepo Manual\"\n";
  out += ".SH NAME\n";
  out +=
      RoffEscape(title.name) + " \\- " + RoffEscape(title.description) + "\n";
  return out;
}

// Writes `contents` to `path` through a temporary file in the same directory
// and a rename.  Returns an error message, or nothing on success.
std::optional<std::string> WriteAtomically(const std::string& path,
                                           const std::string& contents) {
  std::string temp = DirName(path) + "/." + BaseName(path) + ".XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    return "cannot create a temporary file for '" + path +
           "': " + std::strerror(errno);
  }
  auto fail = [&](const char* what) -> std::optional<std::string> {
    const int saved = errno;
    close(fd);
    unlink(temp.c_str());
    return std::string("cannot ") + what + " '" + temp +
           "': " + std::strerror(saved);
  };
  size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    done += static_cast<size_t>(n);
  }
  // mkstemp creates the file 0600; a page is for everyone to read.
  if (fchmod(fd, 0644) != 0) return fail("set the mode of");
  if (close(fd) != 0) {
    const int saved = errno;
    unlink(temp.c_str());
    return "cannot write '" + temp + "': " + std::strerror(saved);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    unlink(temp.c_str());
    return "cannot rename '" + temp + "' to '" + path +
           "': " + std::strerror(saved);
  }
  return std::nullopt;
}

// cmark writes code blocks literally, between "\f[C]" and "\f[]" lines; a
// code line that starts with '.' or '\'' would be read as a roff request,
// so it gets the zero-width escape "\&" in front.
std::string EscapeCodeLines(const std::string& roff) {
  std::string out;
  bool in_code = false;
  std::size_t start = 0;
  while (start < roff.size()) {
    std::size_t end = std::min(roff.find('\n', start), roff.size());
    std::string_view line(roff.data() + start, end - start);
    if (in_code && line == "\\f[]") {
      in_code = false;
    } else if (in_code && !line.empty() &&
               (line[0] == '.' || line[0] == '\'')) {
      out += "\\&";
    }
    if (!in_code && line == "\\f[C]") in_code = true;
    out.append(roff, start, end + 1 - start);  // with its newline, if any
    start = end + 1;
  }
  return out;
}

int Run(const std::string& input, const std::string& output) {
  std::ifstream in(input, std::ios::binary);
  if (!in) {
    std::cerr << "md2man: error: cannot read '" << input
              << "': " << std::strerror(errno) << "\n";
    return 1;
  }
  const std::string source((std::istreambuf_iterator<char>(in)),
                           std::istreambuf_iterator<char>());
  if (in.bad()) {
    std::cerr << "md2man: error: cannot read '" << input
              << "': " << std::strerror(errno) << "\n";
    return 1;
  }

  std::vector<Problem> problems;
  if (auto problem = CheckEncoding(source)) {
    problems.push_back(*problem);
  } else {
    std::string_view first_line(source);
    first_line = first_line.substr(0, first_line.find('\n'));
    if (!first_line.empty() && first_line.back() == '\r') {
      first_line.remove_suffix(1);
    }
    const auto title = ParseTitle(first_line, BaseName(input), problems);

    NodePtr document(
        cmark_parse_document(source.data(), source.size(), CMARK_OPT_DEFAULT));
    CheckConstructs(document.get(), problems);

    if (title && problems.empty()) {
      // The title heading becomes .TH and NAME; the renderer must not see it.
      cmark_node* heading = cmark_node_first_child(document.get());
      if (heading == nullptr ||
          cmark_node_get_type(heading) != CMARK_NODE_HEADING ||
          cmark_node_get_start_line(heading) != 1) {
        std::abort();  // the title pattern guarantees an ATX heading here
      }
      cmark_node_free(heading);
      SimplifyLinks(document.get());
      MakeDefinitions(document.get());
      std::unique_ptr<char, MallocDeleter> body(
          cmark_render_man(document.get(), CMARK_OPT_DEFAULT, 0));
      std::string page =
          Header(*title, BaseName(input)) + EscapeCodeLines(body.get());
      if (auto error = WriteAtomically(output, page)) {
        std::cerr << "md2man: error: " << *error << "\n";
        return 1;
      }
      return 0;
    }
  }
  for (const Problem& problem : problems) {
    std::cerr << "md2man: error: " << input << ":" << problem.line << ": "
              << problem.message << "\n";
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: md2man INPUT.md OUTPUT\n";
    return 2;
  }
  return Run(argv[1], argv[2]);
}
