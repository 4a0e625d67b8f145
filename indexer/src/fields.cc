// The field table, from the schemas.
#include "fields.h"

#include "evrepo/text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>

namespace evrepo::index {

// Bump when the way documents are indexed changes: old indexes rebuild.
const char kIndexFormat[] = "evrepo-index-5";

FieldTable FieldTable::Build(const Schema& schema) {
  FieldTable t;
  std::set<std::string> seen;
  for (const TypeDef* type : schema.DocumentTypes()) {
    for (const FieldDef& f : type->fields) {
      t.declared_.insert(f.name);
      if (!seen.insert(f.name).second) continue;
      if (!f.index_text && !f.index_boolean && !f.index_sortable &&
          !f.index_facet) {
        continue;
      }
      IndexField x;
      x.name = f.name;
      x.query = f.query.empty() ? f.name : f.query;
      x.prefix = f.prefix;
      x.kind = f.ScalarKind();
      x.list = f.kind == FieldKind::kList;
      x.text = f.index_text;
      x.weight = std::max(1, f.weight);
      x.boolean = f.index_boolean && !f.prefix.empty();
      x.sortable = f.index_sortable;
      x.facet = f.index_facet;
      x.vocabulary = f.vocabulary;
      t.fields_.push_back(std::move(x));
    }
  }
  std::vector<IndexField*> valued;
  for (IndexField& f : t.fields_) {
    if (f.sortable || f.facet) valued.push_back(&f);
  }
  std::sort(valued.begin(), valued.end(),
            [](const IndexField* a, const IndexField* b) {
              return a->name < b->name;
            });
  Xapian::valueno slot = kFirstSlot;
  for (IndexField* f : valued) f->slot = slot++;

  std::string all = kIndexFormat;
  for (const IndexField& f : t.fields_) {
    all += "\n" + f.name + "|" + f.query + "|" + f.prefix + "|" +
           std::string(KindName(f.kind)) + "|" + std::to_string(f.list) +
           std::to_string(f.text) + std::to_string(f.weight) +
           std::to_string(f.boolean) + std::to_string(f.sortable) +
           std::to_string(f.facet) + "|" + std::to_string(f.slot);
  }
  t.fingerprint_ = Digest(all);
  return t;
}

const IndexField* FieldTable::ByName(std::string_view name) const {
  for (const IndexField& f : fields_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool FieldTable::Declared(std::string_view name) const {
  return declared_.find(name) != declared_.end();
}

const IndexField* FieldTable::ByQuery(std::string_view query) const {
  for (const IndexField& f : fields_) {
    if (f.query == query) return &f;
  }
  return nullptr;
}

std::string NormaliseTerm(std::string_view value) {
  constexpr std::size_t kMaxTermBytes = 200;  // Xapian allows 245
  std::string out;
  bool space = false;
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(u < 0x80 ? std::tolower(u) : u);
  }
  if (out.size() > kMaxTermBytes) {
    std::size_t cut = kMaxTermBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
      --cut;  // not inside a UTF-8 sequence
    }
    out.resize(cut);
  }
  return out;
}

}  // namespace evrepo::index
