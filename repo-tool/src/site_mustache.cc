// Mustache over JSON, walking kainjow-mustache's components as its own
// renderer does (basic_mustache::render_component and render_section).
#include "site_mustache.h"

#include <vector>

namespace evrepo {

namespace km = kainjow::mustache;
using Json = nlohmann::json;
using Component = km::component<std::string>;

namespace {

// How deep partials may nest: a partial named by a string that names
// itself would otherwise recurse until the stack runs out.
constexpr int kMaxPartialDepth = 32;

// A list's null item, as kainjow data converted from JSON holds it: the
// text "null".
const Json* AsData(const Json& item) {
  static const Json kNullText = "null";
  return item.is_null() ? &kNullText : &item;
}

bool IsFalse(const Json* v) { return v->is_boolean() && !v->get<bool>(); }
bool IsEmptyList(const Json* v) { return v->is_array() && v->empty(); }
// Strings, and numbers, which become their JSON text.
bool IsText(const Json* v) { return v->is_string() || v->is_number(); }
std::string Text(const Json* v) {
  return v->is_string() ? v->get_ref<const std::string&>() : v->dump();
}

// A member of an object; none when `v` is not an object, or the member is
// missing or null (null members are left out of the data).
const Json* Member(const Json* v, const std::string& name) {
  if (!v->is_object()) return nullptr;
  auto it = v->find(name);
  if (it == v->end() || it->is_null()) return nullptr;
  return &*it;
}

class Renderer {
 public:
  explicit Renderer(const Json& data) { stack_.push_back(&data); }

  std::string Run(const Component& root) {
    bool error = false;
    Walk(root, &error);
    EndLine(nullptr);
    return std::move(out_);
  }

 private:
  // kainjow's context::get: "." is the innermost value; a plain name the
  // innermost object that has it; a dotted name is followed from each
  // object in turn, innermost first, until all of it is found.
  const Json* Get(const std::string& name) const {
    if (name == ".") return stack_.back();
    if (name.find('.') == std::string::npos) {
      for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
        if (const Json* v = Member(*it, name)) return v;
      }
      return nullptr;
    }
    const std::vector<std::string> names = km::split<std::string>(name, '.');
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      const Json* v = *it;
      for (const std::string& n : names) {
        v = Member(v, n);
        if (!v) break;
      }
      if (v) return v;
    }
    return nullptr;
  }
  const Json* GetPartial(const std::string& name) const {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (const Json* v = Member(*it, name)) return v;
    }
    return nullptr;
  }

  // Renders a component's children; false when one stopped the walk.
  // `error` is the error flag of the template being rendered.
  bool Walk(const Component& parent, bool* error) {
    for (const Component& c : parent.children) {
      if (!Render(c, error)) return false;
    }
    return true;
  }

  bool Render(const Component& c, bool* error) {
    if (c.is_text()) {
      if (c.is_newline()) {
        EndLine(&c);
      } else {
        line_ += c.text;
      }
      return true;
    }
    const Json* v = nullptr;
    switch (c.tag.type) {
      case km::tag_type::variable:
      case km::tag_type::unescaped_variable:
        if ((v = Get(c.tag.name)) && IsText(v)) {
          line_ += c.tag.type == km::tag_type::variable
                       ? km::html_escape<std::string>(Text(v))
                       : Text(v);
        }
        return true;
      case km::tag_type::section_begin:
        if ((v = Get(c.tag.name)) && !IsFalse(v) && !IsEmptyList(v)) {
          Section(c, v, error);
        }
        return true;
      case km::tag_type::section_begin_inverted:
        if (!(v = Get(c.tag.name)) || IsFalse(v) || IsEmptyList(v)) {
          Section(c, v, error);
        }
        return true;
      case km::tag_type::partial:
        if ((v = GetPartial(c.tag.name)) && IsText(v)) {
          return Partial(Text(v), error);
        }
        return true;
      default:  // comments, delimiter changes
        return true;
    }
  }

  // A section's children, once per item of a list, else once, with the
  // value (if any) innermost; a stop inside does not stop the caller.
  void Section(const Component& c, const Json* v, bool* error) {
    if (v && v->is_array() && !v->empty()) {
      for (const Json& item : *v) {
        contained_section_tag_ = true;
        stack_.push_back(AsData(item));
        Walk(c, error);
        stack_.pop_back();
        contained_section_tag_ = true;
      }
    } else {
      contained_section_tag_ = true;
      if (v) stack_.push_back(v);
      Walk(c, error);
      if (v) stack_.pop_back();
      contained_section_tag_ = true;
    }
  }

  // A partial: a string of the data, parsed and rendered in place, on the
  // same line; its error stops the template that named it.
  bool Partial(const std::string& text, bool* error) {
    if (depth_ >= kMaxPartialDepth) {
      *error = true;
      return false;
    }
    JsonMustache partial(text);
    bool partial_error = !partial.is_valid();
    if (!partial_error) {
      ++depth_;
      Walk(partial.root(), &partial_error);
      --depth_;
    }
    if (partial_error) *error = true;
    return !partial_error;
  }

  // The end of a line: dropped when it held a section tag and renders
  // blank, else written with its newline.
  void EndLine(const Component* newline) {
    bool blank = line_.find_first_not_of(" \t") == std::string::npos;
    if (!(contained_section_tag_ && blank)) {
      out_ += line_;
      if (newline) out_ += newline->text;
    }
    line_.clear();
    contained_section_tag_ = false;
  }

  std::vector<const Json*> stack_;  // innermost last
  std::string out_, line_;
  bool contained_section_tag_ = false;
  int depth_ = 0;
};

}  // namespace

JsonMustache::JsonMustache(const std::string& text) {
  km::context<std::string> data;
  km::context_internal<std::string> context{data};
  km::parser<std::string> parse{text, context, root_, error_};
}

std::string JsonMustache::Render(const Json& data) const {
  if (!is_valid()) return "";
  return Renderer(data).Run(root_);
}

}  // namespace evrepo
