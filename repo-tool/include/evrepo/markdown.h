// What the core needs to know about a Markdown body, read with cmark-gfm
// (GitHub tables, footnotes, strikethrough, autolinks).  This is the only
// part of the core that includes cmark-gfm.
#ifndef EVREPO_MARKDOWN_H_
#define EVREPO_MARKDOWN_H_

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
};

MarkdownText ExtractText(std::string_view body);

}  // namespace evrepo

#endif  // EVREPO_MARKDOWN_H_
