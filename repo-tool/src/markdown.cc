// cmark-gfm wrapper: parses a body with the GitHub extensions and walks the
// tree.  Handles live in unique_ptrs so every path frees them.
#include "evrepo/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

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

std::unique_ptr<cmark_node, NodeDeleter> Parse(std::string_view body) {
  static std::once_flag registered;
  std::call_once(registered,
                 [] { cmark_gfm_core_extensions_ensure_registered(); });
  std::unique_ptr<cmark_parser, ParserDeleter> parser(
      cmark_parser_new(kOptions));
  for (const char* name : {"table", "strikethrough", "autolink", "tasklist"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), body.data(), body.size());
  return std::unique_ptr<cmark_node, NodeDeleter>(
      cmark_parser_finish(parser.get()));
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
      out.links.push_back({url ? url : "", cmark_node_get_start_line(node),
                           cmark_node_get_start_column(node)});
    }
  }
  return out;
}

}  // namespace evrepo
