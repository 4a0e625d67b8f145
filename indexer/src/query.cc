// Query parsing.  Boolean fields are filters whose values are normalised the
// way the indexer normalised them, with vocabulary aliases resolved; fields
// that are also free text match either the exact value or the words within
// the field.  Dates take years, months, days and ranges of them.
#include "query.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "evrepo/text.h"

namespace evrepo::index {

namespace {

Xapian::Stem English() { return Xapian::Stem("english"); }

// A value as a date bound: "2006" → 2006-01-01 (low) or 2006-12-31 (high).
std::string DateBound(const std::string& v, bool high) {
  auto digits = [&](std::size_t from, std::size_t n) {
    if (v.size() < from + n) return false;
    for (std::size_t i = from; i < from + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(v[i]))) return false;
    }
    return true;
  };
  if (v.size() == 4 && digits(0, 4)) return v + (high ? "-12-31" : "-01-01");
  auto month_ok = [&] {
    return v.substr(5, 2) >= "01" && v.substr(5, 2) <= "12";
  };
  if (v.size() == 7 && digits(0, 4) && v[4] == '-' && digits(5, 2) &&
      month_ok()) {
    return v + (high ? "-31" : "-01");
  }
  if (v.size() == 10 && digits(0, 4) && v[4] == '-' && digits(5, 2) &&
      v[7] == '-' && digits(8, 2) && month_ok() && IsCalendarDate(v)) {
    return v;
  }
  return "";
}

class DateProcessor : public Xapian::FieldProcessor {
 public:
  // A bad date is recorded in *error and matches nothing: throwing from a
  // field processor leaks inside libxapian 1.4, so QueryBuilder::Parse
  // throws instead, after parsing.
  DateProcessor(Xapian::valueno slot, std::string name, std::string* error)
      : slot_(slot), name_(std::move(name)), error_(error) {}

  Xapian::Query operator()(const std::string& str) override {
    std::string lo = str, hi = str;
    if (auto dots = str.find(".."); dots != std::string::npos) {
      lo = str.substr(0, dots);
      hi = str.substr(dots + 2);
    }
    std::string a = lo.empty() ? "" : DateBound(lo, false);
    std::string b = hi.empty() ? "" : DateBound(hi, true);
    if ((!lo.empty() && a.empty()) || (!hi.empty() && b.empty()) ||
        (lo.empty() && hi.empty())) {
      if (error_->empty()) {
        *error_ = name_ + ":" + str +
                  ": expected YYYY, YYYY-MM or YYYY-MM-DD, or a range FROM..TO";
      }
      return Xapian::Query::MatchNothing;
    }
    if (a.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot_, b);
    if (b.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot_, a);
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot_, a, b);
  }

 private:
  Xapian::valueno slot_;
  std::string name_;
  std::string* error_;
};

class TermProcessor : public Xapian::FieldProcessor {
 public:
  explicit TermProcessor(const IndexField& field) : field_(field) {}

  Xapian::Query operator()(const std::string& str) override {
    std::string value = field_.Resolve(str);
    Xapian::Query exact(field_.prefix + NormaliseTerm(value));
    if (!field_.text) return exact;
    if (!words_) {
      // Made on first use: a query names few of the fields, and a parser
      // for each of them cost a search more than its parsing.
      words_.emplace();
      words_->set_stemmer(English());
      words_->set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
      words_->set_default_op(Xapian::Query::OP_AND);
      words_->add_prefix("", field_.prefix);
    }
    Xapian::Query words = words_->parse_query(value, 0);
    return Xapian::Query(Xapian::Query::OP_OR, exact, words);
  }

 private:
  const IndexField& field_;
  std::optional<Xapian::QueryParser> words_;
};

bool IsOperator(const std::string& w) {
  return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" ||
         w == "ADJ";
}

bool IsPlainWord(const std::string& w) {
  if (w.empty() || IsOperator(w)) return false;
  for (unsigned char c : w) {
    if (!(std::isalnum(c) || c == '-' || c == '\'' || c >= 0x80)) return false;
  }
  return true;
}

}  // namespace

QueryBuilder::QueryBuilder(const FieldTable& table,
                           const std::vector<std::string>& extra_fields,
                           const Xapian::Database& db)
    : db_(db) {
  parser_.set_database(db);
  parser_.set_stemmer(English());
  parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser_.set_default_op(Xapian::Query::OP_OR);
  // The names, in the order they are claimed: a schema's fields first,
  // then "year" for the date, then the undeclared fields.
  std::vector<std::string_view> names;  // into `table`, `extra_fields`
  auto claim = [&names](std::string_view name) {
    if (std::find(names.begin(), names.end(), name) != names.end())
      return false;
    names.push_back(name);
    return true;
  };
  for (const IndexField& f : table.fields()) {
    claim(f.query);
    if (f.kind == FieldKind::kDate && f.slot != Xapian::BAD_VALUENO) {
      prefixes_.push_back({f.query, Prefix::kDate, &f});
      if (f.name == "date" && claim("year"))
        prefixes_.push_back({"year", Prefix::kDate, &f});
    } else if (f.boolean) {
      prefixes_.push_back({f.query, Prefix::kTerm, &f});
    } else if (f.text && !f.prefix.empty()) {
      prefixes_.push_back({f.query, Prefix::kText, &f});
    }
  }
  for (const std::string& name : extra_fields) {
    // An undeclared field whose name the parser already has (say, a
    // front-matter "year:") stays searchable as plain words.
    if (!name.empty() && claim(name))
      prefixes_.push_back({name, Prefix::kExtra, nullptr});
  }
}

void QueryBuilder::AddPrefixesIn(std::string_view text) {
  // Xapian takes "name:" as a field only when the name is exactly one it
  // was given, so a name the text does not contain can wait.  Giving the
  // parser all of them (two dozen field processors) had cost a search of
  // plain words more than parsing it.
  if (text.find(':') == std::string_view::npos) return;
  for (Prefix& p : prefixes_) {
    if (p.added) continue;
    std::size_t at = text.find(p.name);
    while (at != std::string_view::npos &&
           text.substr(at + p.name.size(), 1) != ":") {
      at = text.find(p.name, at + 1);
    }
    if (at == std::string_view::npos) continue;
    p.added = true;
    const std::string& name = p.name;
    switch (p.kind) {
      case Prefix::kDate:
        parser_.add_boolean_prefix(
            name, (new DateProcessor(p.field->slot, name, &error_))->release());
        break;
      case Prefix::kTerm:
        parser_.add_boolean_prefix(name,
                                   (new TermProcessor(*p.field))->release());
        break;
      case Prefix::kText:
        parser_.add_prefix(name, p.field->prefix);
        break;
      case Prefix::kExtra:
        parser_.add_prefix(name, kExtraPrefix + NormaliseTerm(name) + ":");
        break;
    }
  }
}

namespace {

// The words of a query as typed, split at spaces.
std::vector<std::string> SpaceSeparated(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// A typed word without the query syntax around it: quotes, parentheses and
// a leading love or hate mark.
std::string_view Bare(std::string_view w) {
  while (!w.empty() && (w.front() == '"' || w.front() == '(' ||
                        w.front() == '+' || w.front() == '-')) {
    w.remove_prefix(1);
  }
  while (!w.empty() && (w.back() == '"' || w.back() == ')')) {
    w.remove_suffix(1);
  }
  return w;
}

}  // namespace

bool QueryBuilder::Known(const std::string& typed) const {
  std::string key = NormaliseTerm(Bare(typed));
  if (key.empty()) return false;
  if (db_.term_exists(key) || db_.synonyms_begin(key) != db_.synonyms_end(key))
    return true;
  // A compound ("pre-qualification", "and/or") is searched as the phrase
  // of its words: known when each of them is.  Else Xapian offered
  // "are-qualification", a correction that finds nothing, and counting its
  // matches took longer than the search (1.7 ms of 5 at 10,000 documents).
  std::vector<std::string> words;
  std::string word;
  for (char c : key) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80 || c == '_' || c == '\'') {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words.size() > 1 &&
         std::all_of(words.begin(), words.end(),
                     [&](const std::string& w) { return db_.term_exists(w); });
}

Xapian::Query QueryBuilder::Parse(const std::string& query) {
  constexpr unsigned kFlags =
      Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;
  // Spelling is corrected on what was typed, not on the expansion, and a
  // word the synonyms know (an acronym no document spells out) is no typo.
  // Xapian also offers a more frequent neighbour of a word the index has
  // ('clause' → 'clauses'): only unknown words are typos.  When every word
  // is known there is nothing to correct, and Xapian's search for
  // suggestions (a trigram walk of the spelling data per word) is skipped.
  AddPrefixesIn(query);
  std::vector<std::string> typed = SpaceSeparated(query);
  bool all_known = std::all_of(typed.begin(), typed.end(),
                               [&](const std::string& w) { return Known(w); });
  error_.clear();
  corrected_.clear();
  if (!all_known) {
    parser_.parse_query(query,
                        kFlags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
    if (!error_.empty()) throw Xapian::QueryParserError(error_);
    corrected_ = parser_.get_corrected_query_string();
  }
  if (!corrected_.empty()) {
    std::vector<std::string> fixed = SpaceSeparated(corrected_);
    if (typed.size() == fixed.size()) {
      std::string joined;
      for (std::size_t i = 0; i < typed.size(); ++i) {
        joined += (i ? " " : "") + (Known(typed[i]) ? typed[i] : fixed[i]);
      }
      corrected_ = joined == query ? "" : joined;
    }
  }
  std::string expanded = ExpandSynonyms(query);
  AddPrefixesIn(expanded);
  Xapian::Query q = parser_.parse_query(expanded, kFlags);
  if (!error_.empty()) throw Xapian::QueryParserError(error_);
  return q;
}

std::string QueryBuilder::Corrected() const { return corrected_; }

std::string QueryBuilder::ExpandSynonyms(const std::string& query) const {
  if (db_.synonym_keys_begin() == db_.synonym_keys_end()) return query;
  // Split into tokens, keeping quoted phrases and whitespace as they are.
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < query.size();) {
    std::size_t j = i;
    if (std::isspace(static_cast<unsigned char>(query[i]))) {
      while (j < query.size() &&
             std::isspace(static_cast<unsigned char>(query[j]))) {
        ++j;
      }
    } else if (query[i] == '"') {
      j = query.find('"', i + 1);
      j = j == std::string::npos ? query.size() : j + 1;
    } else if (query[i] == '(' || query[i] == ')' ||
               ((query[i] == '+' || query[i] == '-') &&
                (i == 0 ||
                 std::isspace(static_cast<unsigned char>(query[i - 1])) ||
                 query[i - 1] == '('))) {
      j = i + 1;  // grouping and love/hate marks stand alone
    } else {
      while (j < query.size() &&
             !std::isspace(static_cast<unsigned char>(query[j])) &&
             query[j] != '"' && query[j] != '(' && query[j] != ')') {
        ++j;
      }
    }
    tokens.push_back(query.substr(i, j - i));
    i = j;
  }
  std::string out;
  constexpr std::size_t kMaxWords = 5;
  for (std::size_t i = 0; i < tokens.size();) {
    bool marked = i > 0 && (tokens[i - 1] == "+" || tokens[i - 1] == "-");
    if (!IsPlainWord(tokens[i]) || marked) {  // +word and -word stay words
      out += tokens[i++];
      continue;
    }
    // The longest run of plain words, from here, that is a synonym key.
    std::size_t best_end = 0;
    std::string best_key;
    std::string key;
    std::size_t words = 0;
    for (std::size_t k = i; k < tokens.size() && words < kMaxWords; ++k) {
      if (std::isspace(static_cast<unsigned char>(tokens[k][0]))) continue;
      if (!IsPlainWord(tokens[k])) break;
      key += (key.empty() ? "" : " ") + NormaliseTerm(tokens[k]);
      ++words;
      if (db_.synonyms_begin(key) != db_.synonyms_end(key)) {
        best_end = k + 1;
        best_key = key;
      }
    }
    if (best_key.empty()) {
      out += tokens[i++];
      continue;
    }
    std::string group = "(";
    for (std::size_t k = i; k < best_end; ++k) group += tokens[k];
    for (auto s = db_.synonyms_begin(best_key); s != db_.synonyms_end(best_key);
         ++s) {
      std::string alt = *s;
      group += alt.find(' ') == std::string::npos ? " OR " + alt
                                                  : " OR \"" + alt + "\"";
    }
    out += group + ")";
    i = best_end;
  }
  return out;
}

}  // namespace evrepo::index
