// Tests of the site's Atom feed and sitemap (site_xml.h): the documents
// as tinyxml2's printer wrote them, which these outputs were taken from.
#include "site_xml.h"

#include <gtest/gtest.h>

namespace evrepo {
namespace {

std::vector<FeedEntry> Entries() {
  return {{"id-1",
           "Tom & Jerry <\"quoted\"> 'apos'",
           "Summary with & < > \" ' and é and \x01\x1f ctl",
           "2006-05-02",
           "docs/a&b.html?x=1&y=\"2\"",
           {"Ann <a@b>", "O'Neill & Co"}},
          {"id-2", "Plain", "", "", "docs/b.html", {}}};
}

// Text escapes &, < and >; attribute values " and ' too; the control
// characters XML does not allow are left out.
TEST(SiteXml, AtomFeedEscapesAsTinyxml2Did) {
  EXPECT_EQ(
      AtomFeed("Feed & <Title> \"q\" 'a'", "https://ex.org/base?a=1&b=<2>",
               Entries()),
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      "    <title>Feed &amp; &lt;Title&gt; \"q\" 'a'</title>\n"
      "    <id>https://ex.org/base?a=1&amp;b=&lt;2&gt;/index.html</id>\n"
      "    <link rel=\"self\" "
      "href=\"https://ex.org/base?a=1&amp;b=&lt;2&gt;/feed.xml\"/>\n"
      "    <updated>2006-05-02T00:00:00Z</updated>\n"
      "    <entry>\n"
      "        <title>Tom &amp; Jerry &lt;\"quoted\"&gt; 'apos'</title>\n"
      "        "
      "<id>https://ex.org/base?a=1&amp;b=&lt;2&gt;/docs/"
      "a&amp;b.html?x=1&amp;y=\"2\"</id>\n"
      "        <link "
      "href=\"https://ex.org/base?a=1&amp;b=&lt;2&gt;/docs/"
      "a&amp;b.html?x=1&amp;y=&quot;2&quot;\"/>\n"
      "        <updated>2006-05-02T00:00:00Z</updated>\n"
      "        <author>\n"
      "            <name>Ann &lt;a@b&gt;</name>\n"
      "        </author>\n"
      "        <author>\n"
      "            <name>O'Neill &amp; Co</name>\n"
      "        </author>\n"
      "        <summary>Summary with &amp; &lt; &gt; \" ' and é and  "
      "ctl</summary>\n"
      "    </entry>\n"
      "    <entry>\n"
      "        <title>Plain</title>\n"
      "        <id>https://ex.org/base?a=1&amp;b=&lt;2&gt;/docs/b.html</id>\n"
      "        <link "
      "href=\"https://ex.org/base?a=1&amp;b=&lt;2&gt;/docs/b.html\"/>\n"
      "        <updated>2006-05-02T00:00:00Z</updated>\n"
      "        <author>\n"
      "            <name>Feed &amp; &lt;Title&gt; \"q\" 'a'</name>\n"
      "        </author>\n"
      "    </entry>\n"
      "</feed>\n");
}

TEST(SiteXml, SitemapAndAnEmptyOne) {
  EXPECT_EQ(
      Sitemap("https://ex.org/", {"a.html", "b&c.html", "d\"e'f<g>.html"}),
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
      "    <url>\n"
      "        <loc>https://ex.org/a.html</loc>\n"
      "    </url>\n"
      "    <url>\n"
      "        <loc>https://ex.org/b&amp;c.html</loc>\n"
      "    </url>\n"
      "    <url>\n"
      "        <loc>https://ex.org/d\"e'f&lt;g&gt;.html</loc>\n"
      "    </url>\n"
      "</urlset>\n");
  EXPECT_EQ(
      Sitemap("", {}),
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>\n");
}

TEST(SiteXml, AnEmptyTitleIsAnEmptyElement) {
  std::string feed =
      AtomFeed("", "", {{"i", "", "", "2006-01-01", "a.html", {"A"}}});
  EXPECT_NE(feed.find("    <title></title>\n"), std::string::npos) << feed;
  EXPECT_NE(feed.find("        <title></title>\n"), std::string::npos) << feed;
}

}  // namespace
}  // namespace evrepo
