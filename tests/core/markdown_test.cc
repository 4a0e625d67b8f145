// The Markdown wrapper parses from an arena of its own: what it renders and
// extracts must be what cmark-gfm gives with its own allocator, for bodies
// small and large, generated at random, and on several threads at once.
#include "evrepo/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "evrepo/parallel.h"

namespace evrepo {
namespace {

// RenderHtml's rendering, through cmark-gfm's default allocator.
std::string Reference(const std::string& body) {
  cmark_gfm_core_extensions_ensure_registered();
  cmark_parser* parser = cmark_parser_new(CMARK_OPT_FOOTNOTES);
  for (const char* name :
       {"table", "strikethrough", "autolink", "tasklist", "tagfilter"}) {
    cmark_parser_attach_syntax_extension(parser,
                                         cmark_find_syntax_extension(name));
  }
  cmark_parser_feed(parser, body.data(), body.size());
  cmark_node* root = cmark_parser_finish(parser);
  char* html = cmark_render_html(root, CMARK_OPT_FOOTNOTES,
                                 cmark_parser_get_syntax_extensions(parser));
  std::string out = html;
  std::free(html);
  cmark_node_free(root);
  cmark_parser_free(parser);
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

std::string Render(const std::string& body) {
  return RenderHtml(body, [](const std::string& url) { return url; });
}

// Markdown made of the pieces that open blocks, inlines and extensions.
std::string RandomMarkdown(std::mt19937& rng, std::size_t pieces) {
  static const std::vector<std::string> kPieces = {
      "word ",
      "procurement ",
      "\n",
      "\n\n",
      "# ",
      "## ",
      "- ",
      "1. ",
      "> ",
      "* ",
      "**",
      "_",
      "`",
      "```\n",
      "    ",
      "| a | b |\n|---|---|\n| c | d |\n",
      "|",
      "---\n",
      "~~",
      "[link](http://example.org/x) ",
      "[",
      "](",
      ")",
      "<b>",
      "</b>",
      "<",
      ">",
      "![img](a.png)",
      "[^1]",
      "[^1]: note\n",
      "- [ ] ",
      "- [x] ",
      "www.example.org ",
      "&amp; ",
      "\\",
      "é ",
      "\t",
      "[ref]\n\n[ref]: /target\n",
      "<!-- c -->",
      "https://a.example/b "};
  std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
  std::string out;
  for (std::size_t i = 0; i < pieces; ++i) out += kPieces[pick(rng)];
  return out;
}

TEST(Markdown, RendersAsCmarkDoesWithItsOwnAllocator) {
  std::mt19937 rng(20261126);
  for (int i = 0; i < 400; ++i) {
    std::string body = RandomMarkdown(rng, 1 + i * 3);
    ASSERT_EQ(Render(body), Reference(body)) << "body:\n" << body;
  }
}

TEST(Markdown, LargeBodiesOutgrowTheArenasFirstChunks) {
  // Many small nodes, one paragraph longer than any chunk before it, and
  // a table with thousands of rows: every way the arena grows.
  std::string many, one_paragraph, table = "| a | b |\n|---|---|\n";
  for (int i = 0; i < 20000; ++i) {
    many += "- item **" + std::to_string(i) + "** [l](http://x/" +
            std::to_string(i) + ")\n";
  }
  one_paragraph.assign(3 << 20, 'w');
  for (std::size_t i = 0; i < one_paragraph.size(); i += 7) {
    one_paragraph[i] = ' ';
  }
  for (int i = 0; i < 5000; ++i) {
    table += "| " + std::to_string(i) + " | *x* |\n";
  }
  for (const std::string* body : {&many, &one_paragraph, &table}) {
    EXPECT_EQ(Render(*body), Reference(*body));
    MarkdownText text = ExtractText(*body);
    EXPECT_FALSE(text.text.empty());
  }
  EXPECT_EQ(ScanMarkdown(many).links.size(), 20000u);
  EXPECT_EQ(ExtractText(many).links.size(), 20000u);
}

TEST(Markdown, ThreadsParseAtOnce) {
  std::mt19937 rng(7);
  std::vector<std::string> bodies, expected;
  for (int i = 0; i < 200; ++i) {
    bodies.push_back(RandomMarkdown(rng, 50 + i * 5));
    expected.push_back(Reference(bodies.back()));
  }
  std::vector<std::string> got(bodies.size());
  ParallelFor(bodies.size(), 4, [&](std::size_t i, unsigned) {
    // Another parse within this one's lifetime on the same thread: the
    // rewriter runs while the body's tree is alive.
    got[i] = RenderHtml(bodies[i], [&](const std::string& url) {
      ExtractText(url + " *" + url + "*");
      return url;
    });
  });
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    EXPECT_EQ(got[i], expected[i]) << "body:\n" << bodies[i];
  }
}

TEST(Markdown, ExtractAndRenderIsBothFromOneParse) {
  // A rewriter that keeps some links, changes some and drops the rest, so
  // that the tree changes after the text is taken from it.
  LinkRewriter rewrite =
      [](const std::string& url) -> std::optional<std::string> {
    if (url.find('x') != std::string::npos) return std::nullopt;
    if (url.find('/') != std::string::npos) return url + "#moved";
    return url;
  };
  std::mt19937 rng(99);
  for (int i = 0; i < 300; ++i) {
    std::string body =
        (i % 2 ? "# Title\n\n" : "") + RandomMarkdown(rng, i * 2);
    std::string html;
    MarkdownText both = ExtractAndRender(body, rewrite, true, html);
    MarkdownText text = ExtractText(body);
    ASSERT_EQ(html, RenderHtml(body, rewrite, true)) << body;
    ASSERT_EQ(both.text, text.text) << body;
    ASSERT_EQ(both.headings, text.headings) << body;
    ASSERT_EQ(both.links, text.links) << body;
  }
}

TEST(Markdown, LinksAreRewrittenOrDropped) {
  std::string html =
      RenderHtml("See [a](keep.md), [b](drop.md) and ![c](img.png).\n",
                 [](const std::string& url) -> std::optional<std::string> {
                   if (url == "keep.md") return std::string("kept.html");
                   return std::nullopt;
                 });
  EXPECT_EQ(html, "<p>See <a href=\"kept.html\">a</a>, b and c.</p>\n");
}

}  // namespace
}  // namespace evrepo
