// JsonMustache renders exactly what kainjow-mustache renders from the same
// JSON converted to its own data (as the site did before), template by
// template: line handling, escaping, lookups, sections and partials.
#include "site_mustache.h"

#include <gtest/gtest.h>

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace evrepo {
namespace {

using Json = nlohmann::json;
using Data = kainjow::mustache::data;

// JSON as kainjow data, the way the site converted it: null members left
// out, everything that is not an object, list, bool or string as its JSON
// text.
Data ToData(const Json& j) {
  switch (j.type()) {
    case Json::value_t::object: {
      Data d;
      for (const auto& [k, v] : j.items()) {
        if (!v.is_null()) d.set(k, ToData(v));
      }
      return d;
    }
    case Json::value_t::array: {
      Data l(Data::type::list);
      for (const Json& v : j) l.push_back(ToData(v));
      return l;
    }
    case Json::value_t::boolean:
      return Data(j.get<bool>() ? Data::type::bool_true
                                : Data::type::bool_false);
    case Json::value_t::string:
      return Data(j.get_ref<const std::string&>());
    default:
      return Data(j.dump());
  }
}

const Json kData = Json::parse(R"({
  "title": "Tom & Jerry's <b>\"show\"</b>",
  "empty": "",
  "zero": 0,
  "pi": 3.5,
  "yes": true,
  "no": false,
  "none": null,
  "list": [{"name": "a", "url": "a.html", "last": false},
           {"name": "b", "last": true}],
  "words": ["one", "two", null, 3],
  "nothing": [],
  "person": {"name": "Ada", "address": {"city": "Leeds"}},
  "name": "outer",
  "tmpl": "[{{title}}]{{#list}}({{name}}){{/list}}",
  "broken": "{{#open}}",
  "nested_broken": "<{{> broken}}>",
  "self": "x{{> self}}",
  "nested": {"list": [{"x": 1}], "name": "inner"}
})");

const std::vector<std::string> kTemplates = {
    "",
    "plain text\nno tags\n",
    "{{title}}|{{{title}}}|{{&title}}",
    "{{missing}}|{{none}}|{{zero}}|{{pi}}|{{yes}}|{{list}}|{{person}}",
    "{{#empty}}empty is true{{/empty}}{{^empty}}empty is false{{/empty}}",
    "{{#none}}x{{/none}}{{^none}}no none{{/none}}{{#missing}}m{{/missing}}",
    "{{#no}}n{{/no}}{{^no}}not no{{/no}}{{#yes}}yes:{{title}}{{/yes}}",
    "{{#nothing}}n{{/nothing}}{{^nothing}}nothing{{/nothing}}",
    "<ul>\n{{#list}}\n<li>{{name}}{{^last}},{{/last}}</li>\n{{/list}}\n</ul>\n",
    "{{#list}}\n  {{#url}}\n  <a href=\"{{url}}\">{{name}}</a>\n  {{/url}}\n"
    "{{/list}}\n",
    "  {{#nothing}}\n  gone\n  {{/nothing}}\n  kept\n",
    "{{#words}}[{{.}}]{{/words}}",
    "{{#words}}\n{{.}}\n{{/words}}\n",
    "{{person.name}} of {{person.address.city}}; {{person.missing.x}}",
    "{{#person}}{{name}} {{address.city}} {{title}}{{/person}}",
    "{{#person}}{{#address}}{{city}}/{{name}}{{/address}}{{/person}}",
    "{{#nested}}{{#list}}{{x}}:{{name}}{{/list}}{{/nested}}",
    "{{#nested}}{{name.x}}{{/nested}}|{{.}}",
    "{{! a comment }}\n{{! another }}text\n",
    "a\r\nb\r{{#yes}}\r\n{{/yes}}\rc",
    "\t{{#yes}}\t\n\tin\n\t{{/yes}}\t\nout",
    "{{#list}}{{#last}}\n{{/last}}{{/list}}\n",
    "{{=<% %>=}}<% title %>{{title}}<%={{ }}=%>{{title}}",
    "{{> tmpl}}|{{> missing}}|{{> yes}}",
    "{{#list}}{{> tmpl}}{{/list}}",
    "before{{> broken}}after\nline\n",
    "{{#yes}}in{{> broken}}still{{/yes}}after",
    "{{> nested_broken}}after",
    "{{ title }}{{# yes }}!{{/ yes }}",
    "{{#list}}{{name}}{{/list}}{{#list}}\n{{/list}}",
    "line {{#no}}x{{/no}}\n  {{#no}}{{/no}}  \nend",
};

TEST(JsonMustache, RendersAsKainjowDoesFromConvertedData) {
  Data data = ToData(kData);
  for (const std::string& text : kTemplates) {
    kainjow::mustache::mustache reference(text);
    JsonMustache ours(text);
    ASSERT_EQ(ours.is_valid(), reference.is_valid()) << text;
    EXPECT_EQ(ours.Render(kData), reference.render(data)) << text;
  }
}

TEST(JsonMustache, RendersTheThemeAsKainjowDoes) {
  const Json page = {{"root", "../"},
                     {"site_title", "Evidence"},
                     {"heading", "Documents by tag"},
                     {"items",
                      {{{"title", "A <report>"},
                        {"url", "../documents/a.html"},
                        {"type_label", "Research report"},
                        {"date", "2007-01-02"}},
                       {{"title", "B"},
                        {"url", "../documents/b.html"},
                        {"type_label", "Toolkit"},
                        {"summary", "Buyers & sellers"}}}},
                     {"has_pages", true},
                     {"pages",
                      {{{"number", "1"}, {"url", "x.html"}, {"current", true}},
                       {{"number", "9"},
                        {"url", "x-9.html"},
                        {"current", false},
                        {"gap_before", true}}}},
                     {"next_url", "x-2.html"}};
  const std::string listing =
      "<h1>{{heading}}</h1>\n<ol class=\"items\">{{#items}}\n<li>\n"
      "<a href=\"{{url}}\">{{title}}</a>\n{{#summary}}\n<p>{{summary}}</p>\n"
      "{{/summary}}\n</li>{{/items}}</ol>\n{{^items}}\n<p>No documents.</p>\n"
      "{{/items}}\n{{#has_pages}}\n<ul>\n{{#pages}}\n{{#gap_before}}\n"
      "<li>…</li>\n{{/gap_before}}\n<li>{{#current}}<span>{{number}}</span>"
      "{{/current}}{{^current}}<a href=\"{{url}}\">{{number}}</a>{{/current}}"
      "</li>\n{{/pages}}\n</ul>\n{{/has_pages}}\n";
  kainjow::mustache::mustache reference(listing);
  EXPECT_EQ(JsonMustache(listing).Render(page), reference.render(ToData(page)));
}

TEST(JsonMustache, AnInvalidTemplateSaysWhy) {
  for (const std::string text : {"{{#a}}", "{{/a}}", "{{a", "{{=x=}}"}) {
    kainjow::mustache::mustache reference(text);
    JsonMustache ours(text);
    EXPECT_FALSE(ours.is_valid()) << text;
    EXPECT_EQ(ours.error_message(), reference.error_message()) << text;
    EXPECT_EQ(ours.Render(kData), "") << text;
  }
}

TEST(JsonMustache, APartialThatNamesItselfStops) {
  // kainjow would recurse until the stack ran out; this stops at 32 deep,
  // as at a partial that does not parse: the rest is not rendered.
  EXPECT_EQ(JsonMustache("<{{> self}}>").Render(kData),
            "<" + std::string(32, 'x'));
}

}  // namespace
}  // namespace evrepo
