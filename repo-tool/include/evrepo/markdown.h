// What the core needs to know about a Markdown body, read with cmark-gfm
// (GitHub tables, footnotes, strikethrough, autolinks).  This is the only
// part of the core that includes cmark-gfm.
#ifndef EVREPO_MARKDOWN_H_
#define EVREPO_MARKDOWN_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evrepo {

struct MarkdownLink {
  std::string url;  // the destination as written (not decoded)
  int line = 0;     // 1-based, relative to the start of the body
  int column = 0;
};

struct MarkdownOutline {
  std::string first_heading;  // plain text of the first heading; may be ""
  std::vector<MarkdownLink> links;  // links and images, in document order
};

// Parses `body` (never fails: every input is some Markdown).
MarkdownOutline ScanMarkdown(std::string_view body);

// The words of a body without its markup, for indexing and snippets.
struct MarkdownText {
  std::string headings;  // the text of every heading, one per line
  std::string text;      // everything else: one line per paragraph, list
                         // item, table cell or code block; raw HTML dropped
  std::vector<std::string> links;  // link and image destinations, in order
};

MarkdownText ExtractText(std::string_view body);

// Decides where a link goes on the published site: the new destination, the
// destination unchanged, or nullopt to drop the link and keep its text.
using LinkRewriter =
    std::function<std::optional<std::string>(const std::string& url)>;

// The body as HTML (GitHub tables, footnotes, strikethrough, autolinks).
// Raw HTML is never passed through (it is replaced by a comment), and
// unsafe URLs (javascript:, vbscript:, file:, data: other than images) are
// emptied; every link and image destination goes through `rewrite`.  Tables
// are wrapped in <div class="table-wrap"> (they scroll on narrow screens).
// With `drop_title`, a level-1 heading that opens the body is left out (the
// page shows the title itself).
std::string RenderHtml(std::string_view body, const LinkRewriter& rewrite,
                       bool drop_title = false);

// ExtractText and RenderHtml from one parse: what they would return, the
// HTML in `html`.
MarkdownText ExtractAndRender(std::string_view body,
                              const LinkRewriter& rewrite, bool drop_title,
                              std::string& html);

}  // namespace evrepo

#endif  // EVREPO_MARKDOWN_H_
