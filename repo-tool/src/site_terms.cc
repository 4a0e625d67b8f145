// The search index's term parts; see site_terms.h.
#include "site_terms.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <system_error>

#include "evrepo/text.h"

namespace evrepo {

namespace {

using Json = nlohmann::json;

// Reads a part's JSON by hand rather than with a JSON parser, which took
// two thirds of a re-publish's search index: a one-document change reads
// the hundreds of parts that hold its words.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool Read(std::map<std::string, std::vector<Posting>>* terms) {
    if (!Take('{')) return false;
    if (Take('}')) return at_ == in_.size();
    do {
      std::string term;
      if (!Term(&term) || !Take(':') || !Take('[')) return false;
      auto [it, added] = terms->try_emplace(std::move(term));
      if (!added) return false;
      std::vector<Posting>& postings = it->second;
      if (!Take(']')) {
        std::uint32_t doc = 0, gap = 0, value = 0;
        do {
          if (!Number(&gap) || !Take(',') || !Number(&value)) return false;
          if (!postings.empty() && gap > UINT32_MAX - doc) return false;
          doc = postings.empty() ? gap : doc + gap;
          postings.push_back({doc, value});
        } while (Take(','));
        if (!Take(']')) return false;
      }
    } while (Take(','));
    return Take('}') && at_ == in_.size();
  }

 private:
  bool Take(char c) {
    if (at_ == in_.size() || in_[at_] != c) return false;
    ++at_;
    return true;
  }
  // Digits only, as std::to_chars writes them: no sign, no leading zero.
  bool Number(std::uint32_t* n) {
    const char* begin = in_.data() + at_;
    auto [end, ec] = std::from_chars(begin, in_.data() + in_.size(), *n);
    if (ec != std::errc() || *begin < '0' || *begin > '9' ||
        (*begin == '0' && end != begin + 1)) {
      return false;
    }
    at_ = static_cast<std::size_t>(end - in_.data());
    return true;
  }
  // A JSON string; one with an escape in it (which a search word never
  // has) is decoded by the JSON parser.
  bool Term(std::string* out) {
    if (at_ == in_.size() || in_[at_] != '"') return false;
    std::size_t end = at_ + 1;
    bool escaped = false;
    while (end < in_.size() && in_[end] != '"') {
      if (in_[end] == '\\') {
        escaped = true;
        ++end;
      }
      ++end;
    }
    if (end >= in_.size()) return false;
    std::string_view token = in_.substr(at_, end + 1 - at_);
    at_ = end + 1;
    if (!escaped) {
      out->assign(token.substr(1, token.size() - 2));
      return true;
    }
    Json json = Json::parse(token.begin(), token.end(), nullptr,
                            /*allow_exceptions=*/false);
    if (!json.is_string()) return false;
    *out = json.get<std::string>();
    return true;
  }

  std::string_view in_;
  std::size_t at_ = 0;
};

}  // namespace

void TermChunker::Add(const std::string& term,
                      const std::vector<Posting>& list) {
  constexpr std::size_t kMinPart = 4 << 10, kMaxPart = 32 << 10;
  if (body_.empty()) first_ = term;
  if (!body_.empty()) body_ += ',';
  // A search word needs no escape: then it is written as it is, as the
  // JSON serialiser would (which took a sixth of a re-publish's index).
  bool plain = !FindInvalidUtf8(term) &&
               std::none_of(term.begin(), term.end(), [](char c) {
                 return static_cast<unsigned char>(c) < 0x20 || c == '"' ||
                        c == '\\' || c == 0x7f;
               });
  if (plain) {
    body_ += '"';
    body_ += term;
    body_ += '"';
  } else {
    body_ += Json(term).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  body_ += ":[";
  for (std::size_t j = 0; j < list.size(); ++j) {
    // Document numbers as gaps from the previous one: fewer digits.
    if (j) body_ += ',';
    AppendNumber(j ? list[j].doc - list[j - 1].doc : list[j].doc);
    body_ += ',';
    AppendNumber(list[j].value);
  }
  body_ += ']';
  if ((body_.size() >= kMinPart && (Digest(term).back() & 7) == 0) ||
      body_.size() >= kMaxPart) {
    Flush();
  }
}

void TermChunker::Flush() {
  if (body_.empty()) return;
  parts_.push_back({first_, "", "{" + body_ + "}"});
  body_.clear();
}

void TermChunker::AppendNumber(std::uint32_t n) {
  char digits[16];
  body_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

bool ParseTermPart(std::string_view json,
                   std::map<std::string, std::vector<Posting>>* terms) {
  return Reader(json).Read(terms);
}

}  // namespace evrepo
