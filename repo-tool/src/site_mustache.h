// The site's Mustache templates, rendered straight from JSON.
//
// Pages are described in JSON (site.cc).  Converting each description to
// kainjow-mustache's own data -- a hash table per object, a copy of every
// string -- took a sixth of a full publish.  This renders the JSON itself:
// templates are parsed by kainjow's parser, and its components are walked
// exactly as kainjow's renderer walks them, with the same line handling
// (a line that held a section tag and renders blank is dropped), escaping,
// name lookup (dotted names, "."), sections, inverted sections and
// partials named by a string in the data.  Values read as kainjow data
// converted from JSON would read: null members are absent, numbers and a
// null in a list are their JSON text, an empty string is true.
#ifndef EVREPO_SITE_MUSTACHE_H_
#define EVREPO_SITE_MUSTACHE_H_

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace evrepo {

class JsonMustache {
 public:
  explicit JsonMustache(const std::string& text);

  bool is_valid() const { return error_.empty(); }
  const std::string& error_message() const { return error_; }

  // The template rendered with `data` as its context.
  std::string Render(const nlohmann::json& data) const;

  const kainjow::mustache::component<std::string>& root() const {
    return root_;
  }

 private:
  kainjow::mustache::component<std::string> root_;
  std::string error_;
};

}  // namespace evrepo

#endif  // EVREPO_SITE_MUSTACHE_H_
