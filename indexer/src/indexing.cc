// One document into terms, values and data.
#include "indexing.h"

#include <unordered_map>

#include "evrepo/markdown.h"

namespace evrepo::index {

namespace {

// Xapian's English stemmer, remembering the stems it has given.  The term
// generator stems every word it meets, a third of indexing a document's
// text, and words recur: a document of 650 stemmed words had 397
// different ones, and a rebuild's thread meets the same vocabulary in
// document after document.  One per DocumentIndexer, so per thread.
class RememberingStemmer : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override {
    if (stems_.size() >= kMaxWords) stems_.clear();  // a bound on memory
    auto [it, added] = stems_.try_emplace(word);
    if (added) it->second = english_(word);
    return it->second;
  }
  std::string get_description() const override { return "english"; }

 private:
  static constexpr std::size_t kMaxWords = 200'000;
  Xapian::Stem english_{"english"};
  std::unordered_map<std::string, std::string> stems_;
};

std::vector<std::string> Values(const YamlNode& n) {
  std::vector<std::string> out;
  switch (n.kind) {
    case YamlNode::Kind::kNull:
      break;
    case YamlNode::Kind::kScalar:
      out.push_back(n.scalar);
      break;
    case YamlNode::Kind::kSequence:
      for (const YamlNode& i : n.items) {
        auto sub = Values(i);
        out.insert(out.end(), sub.begin(), sub.end());
      }
      break;
    case YamlNode::Kind::kMapping:
      for (const auto& e : n.entries) {
        auto sub = Values(e.value);
        out.insert(out.end(), sub.begin(), sub.end());
      }
      break;
  }
  return out;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

}  // namespace

std::string ExtraPrefix(const std::string& field) {
  return kExtraPrefix + NormaliseTerm(field) + ":";
}

DocumentIndexer::DocumentIndexer(const Schema& schema, const FieldTable& table)
    : schema_(schema), table_(table) {
  generator_.set_stemmer(Xapian::Stem(new RememberingStemmer));
  generator_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
}

Xapian::Document DocumentIndexer::Build(const Document& d,
                                        const std::string& blob,
                                        std::set<std::string>* extra_fields) {
  Xapian::Document doc;
  generator_.set_document(doc);
  generator_.set_termpos(0);
  auto text = [&](const std::string& s, int weight, const std::string& prefix) {
    if (s.empty()) return;
    generator_.index_text(s, weight, prefix);
    generator_.increase_termpos();
  };

  const TypeDef* type = d.type.empty() ? nullptr : schema_.FindType(d.type);
  for (const Field& field : d.fields) {
    std::vector<std::string> values = Values(field.value);
    if (values.empty()) continue;
    // Generic documents get their id and title from ResolveIdentity, below.
    if (!type && (field.key == "id" || field.key == "title")) continue;
    // A field some type declares is indexed as declared, whatever this
    // document's type: its query name must find it everywhere.
    const IndexField* f = table_.ByName(field.key);
    if (!f && table_.Declared(field.key)) continue;  // declared unindexed
    if (!f) {
      std::string all = Join(values, "\n");
      text(all, 1, "");
      text(all, 1, ExtraPrefix(field.key));
      if (extra_fields) extra_fields->insert(field.key);
      continue;
    }
    if (f->text) {
      std::string all = Join(values, "\n");
      text(all, f->weight, "");
      if (!f->prefix.empty()) text(all, 1, f->prefix);
    }
    if (f->boolean) {
      for (const std::string& v : values) {
        doc.add_boolean_term(f->prefix + NormaliseTerm(v));
        if (f->kind == FieldKind::kDate && v.size() >= 4) {
          doc.add_boolean_term(kYearPrefix + v.substr(0, 4));
        }
      }
    }
    if (f->slot != Xapian::BAD_VALUENO) {
      std::string value;
      if (f->kind == FieldKind::kInteger && !f->list && !f->facet) {
        try {
          value = Xapian::sortable_serialise(std::stod(values.front()));
        } catch (const std::exception&) {
          value.clear();  // not a number: nothing to sort by
        }
      } else if (f->list) {
        value = Join(values, "\n");
      } else {
        value = values.front();
      }
      if (!value.empty()) doc.add_value(f->slot, value);
    }
  }
  // Generic documents have no schema fields: their id and title still work.
  if (!type) {
    if (const IndexField* id = table_.ByName("id"); id && id->boolean) {
      doc.add_boolean_term(id->prefix + NormaliseTerm(d.id));
    }
    if (const IndexField* title = table_.ByName("title"); title) {
      text(d.title, title->weight, "");
      if (!title->prefix.empty()) text(d.title, 1, title->prefix);
      if (title->slot != Xapian::BAD_VALUENO)
        doc.add_value(title->slot, d.title);
    }
  }

  MarkdownText body = ExtractText(d.body);
  text(body.headings, 2, "");
  text(body.text, 1, "");

  doc.add_boolean_term(kPathPrefix + d.path);
  doc.add_value(kPathSlot, d.path);
  HitRecord hit;
  hit.path = d.path;
  hit.blob = blob;
  hit.id = d.id;
  hit.title = d.title;
  hit.type = d.type;
  hit.date = d.Scalar("date");
  hit.confidentiality = d.Scalar("confidentiality");
  hit.status = d.Scalar("status");
  hit.summary = d.Scalar("summary");
  std::string record = EncodeHitRecord(hit);
  // The words snippets are cut from, so that search reads nothing but the
  // index; only a search that shows snippets reads them, and it finds the
  // hit record before them (see kTextSlot).  The summary comes first, as
  // its first paragraph: a search had joined them for each hit, copying
  // 5 KB into fresh memory every time.
  std::string words;
  words.reserve(hit.summary.size() + 1 + body.text.size());
  words.append(hit.summary).append("\n").append(body.text);
  doc.add_value(kTextSlot, PackHitAndText(record, words));
  doc.add_value(kHitSlot, std::move(record));
  return doc;
}

}  // namespace evrepo::index
