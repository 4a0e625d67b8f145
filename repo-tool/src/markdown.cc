// cmark-gfm wrapper: parses a body with the GitHub extensions and walks the
// tree.  Handles live in unique_ptrs so every path frees them.
#include "evrepo/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace evrepo {

namespace {

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

constexpr int kOptions = CMARK_OPT_FOOTNOTES;

struct Parsed {
  std::unique_ptr<cmark_parser, ParserDeleter> parser;
  std::unique_ptr<cmark_node, NodeDeleter> root;
};

Parsed ParseWithExtensions(std::string_view body) {
  static std::once_flag registered;
  std::call_once(registered,
                 [] { cmark_gfm_core_extensions_ensure_registered(); });
  Parsed p;
  p.parser.reset(cmark_parser_new(kOptions));
  for (const char* name :
       {"table", "strikethrough", "autolink", "tasklist", "tagfilter"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(p.parser.get(), ext);
    }
  }
  cmark_parser_feed(p.parser.get(), body.data(), body.size());
  p.root.reset(cmark_parser_finish(p.parser.get()));
  return p;
}

std::unique_ptr<cmark_node, NodeDeleter> Parse(std::string_view body) {
  return ParseWithExtensions(body).root;
}

void AppendText(cmark_node* node, std::string& out) {
  for (cmark_node* c = cmark_node_first_child(node); c;
       c = cmark_node_next(c)) {
    switch (cmark_node_get_type(c)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        if (const char* s = cmark_node_get_literal(c)) out += s;
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out += ' ';
        break;
      default:
        AppendText(c, out);
    }
  }
}

// cmark-gfm counts inline columns from where a paragraph's continuation line
// starts after its indentation; point at the link as the user sees it.
int SourceColumn(std::string_view body, int line, int column) {
  std::size_t start = 0;
  for (int l = 1; l < line && start != std::string_view::npos; ++l) {
    start = body.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos) return column;
  std::string_view text = body.substr(start, body.find('\n', start) - start);
  auto opens_link = [&](int c) {
    return c >= 1 && static_cast<std::size_t>(c) <= text.size() &&
           (text[c - 1] == '[' || text[c - 1] == '!' || text[c - 1] == '<');
  };
  if (opens_link(column)) return column;
  int indent = static_cast<int>(text.find_first_not_of(" \t"));
  return indent > 0 && opens_link(column + indent) ? column + indent : column;
}

}  // namespace

MarkdownOutline ScanMarkdown(std::string_view body) {
  MarkdownOutline out;
  auto root = Parse(body);
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(root.get()));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter.get());
    cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_HEADING && out.first_heading.empty()) {
      AppendText(node, out.first_heading);
    } else if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
      const char* url = cmark_node_get_url(node);
      int line = cmark_node_get_start_line(node);
      out.links.push_back(
          {url ? url : "", line,
           SourceColumn(body, line, cmark_node_get_start_column(node))});
    }
  }
  return out;
}

MarkdownText ExtractText(std::string_view body) {
  MarkdownText out;
  auto root = Parse(body);
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(root.get()));
  int in_heading = 0;
  auto end_line = [](std::string& s) {
    if (!s.empty() && s.back() != '\n') s += '\n';
  };
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    cmark_node_type type = cmark_node_get_type(node);
    std::string& target = in_heading > 0 ? out.headings : out.text;
    switch (type) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
      case CMARK_NODE_CODE_BLOCK:
        if (const char* s = cmark_node_get_literal(node)) target += s;
        if (type == CMARK_NODE_CODE_BLOCK) end_line(target);
        continue;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        target += ' ';
        continue;
      case CMARK_NODE_HTML_BLOCK:
      case CMARK_NODE_HTML_INLINE:
        continue;  // markup, not words
      case CMARK_NODE_HEADING:
        in_heading += ev == CMARK_EVENT_ENTER ? 1 : -1;
        if (ev == CMARK_EVENT_EXIT) end_line(out.headings);
        continue;
      case CMARK_NODE_LINK:
      case CMARK_NODE_IMAGE:
        if (ev == CMARK_EVENT_ENTER) {
          const char* url = cmark_node_get_url(node);
          out.links.push_back(url ? url : "");
        }
        break;
      default:
        break;
    }
    // Block boundaries (paragraphs, items, table cells) end a line.
    bool is_inline = (type & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
    if (ev == CMARK_EVENT_EXIT && !is_inline) end_line(target);
  }
  return out;
}

std::string RenderHtml(std::string_view body, const LinkRewriter& rewrite,
                       bool drop_title) {
  Parsed p = ParseWithExtensions(body);
  if (drop_title) {
    cmark_node* first = cmark_node_first_child(p.root.get());
    if (first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
        cmark_node_get_heading_level(first) == 1) {
      cmark_node_free(first);
    }
  }
  // Collect first: the tree must not change under the iterator.
  std::vector<cmark_node*> links;
  {
    std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(p.root.get()));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
      cmark_node* node = cmark_iter_get_node(iter.get());
      cmark_node_type type = cmark_node_get_type(node);
      if (ev == CMARK_EVENT_ENTER &&
          (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE)) {
        links.push_back(node);
      }
    }
  }
  for (cmark_node* link : links) {
    const char* url = cmark_node_get_url(link);
    std::optional<std::string> to = rewrite(url ? url : "");
    if (to) {
      cmark_node_set_url(link, to->c_str());
      continue;
    }
    // Keep the words, lose the link (an image keeps nothing but its text).
    while (cmark_node* child = cmark_node_first_child(link)) {
      cmark_node_insert_before(link, child);
    }
    cmark_node_free(link);
  }
  char* html =
      cmark_render_html(p.root.get(), kOptions,
                        cmark_parser_get_syntax_extensions(p.parser.get()));
  std::string out = html ? html : "";
  std::free(html);
  for (auto [from, to] : {std::pair<std::string, std::string>{
                              "<table>", "<div class=\"table-wrap\"><table>"},
                          {"</table>", "</table></div>"}}) {
    for (std::size_t at = 0; (at = out.find(from, at)) != std::string::npos;
         at += to.size()) {
      out.replace(at, from.size(), to);
    }
  }
  return out;
}

}  // namespace evrepo
