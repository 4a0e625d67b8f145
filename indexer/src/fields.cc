// The field table, from the schemas.
#include "fields.h"

#include "evrepo/text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>

namespace evrepo::index {

// Bump when the way documents are indexed changes: old indexes rebuild.
const char kIndexFormat[] = "evrepo-index-7";

namespace {

// The fields of a HitRecord, in their stored order.
template <typename Hit, typename F>
void EachHitField(Hit& h, F&& f) {
  for (auto* s : {&h.path, &h.blob, &h.id, &h.title, &h.type, &h.date,
                  &h.confidentiality, &h.status, &h.summary}) {
    f(*s);
  }
}

// `s`, each byte of a malformed UTF-8 sequence replaced by U+FFFD.
void AppendUtf8(std::string& out, std::string_view s) {
  while (auto bad = FindInvalidUtf8(s)) {
    out.append(s.substr(0, *bad));
    out.append("\xef\xbf\xbd");
    s.remove_prefix(*bad + 1);
  }
  out.append(s);
}

}  // namespace

std::string EncodeHitRecord(const HitRecord& hit) {
  std::string out;
  EachHitField(hit, [&](const std::string& field) {
    std::string value;
    AppendUtf8(value, field);
    for (std::size_t n = value.size();; n >>= 7) {
      out += static_cast<char>((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      if (n <= 0x7f) break;
    }
    out += value;
  });
  return out;
}

bool DecodeHitRecord(std::string_view bytes, HitRecord* hit) {
  bool ok = true;
  EachHitField(*hit, [&](std::string& field) {
    std::uint64_t n = 0;
    for (int shift = 0; ok; shift += 7) {
      if (bytes.empty() || shift > 28) {
        ok = false;
        break;
      }
      auto b = static_cast<unsigned char>(bytes.front());
      bytes.remove_prefix(1);
      n |= std::uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) break;
    }
    if (!ok || n > bytes.size()) {
      ok = false;
      return;
    }
    field.assign(bytes.substr(0, n));
    bytes.remove_prefix(n);
  });
  return ok && bytes.empty();
}

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
