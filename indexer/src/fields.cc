// The field table, from the schemas.
#include "fields.h"

#include "evrepo/text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <set>

namespace evrepo::index {

// Bump when the way documents are indexed changes: old indexes rebuild.
const char kIndexFormat[] = "evrepo-index-9";

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
      if (const Vocabulary* v = schema.FindVocabulary(f.vocabulary)) {
        for (const Term& term : v->terms) {
          for (const std::string* name : {&term.alias, &term.label}) {
            std::string key = NormaliseTerm(*name);
            if (!key.empty()) x.aliases.emplace_back(key, term.value);
          }
        }
      }
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

std::string IndexField::Resolve(std::string_view value) const {
  if (aliases.empty()) return std::string(value);
  std::string key = NormaliseTerm(value);
  for (const auto& [alias, named] : aliases) {
    if (alias == key) return named;
  }
  return std::string(value);
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

namespace {

// Unsigned numbers as LEB128; strings as their length, then their bytes.
class MetaWriter {
 public:
  void Num(std::uint64_t n) {
    for (;; n >>= 7) {
      out_ += static_cast<char>((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      if (n <= 0x7f) break;
    }
  }
  void Str(std::string_view s) {
    Num(s.size());
    out_.append(s);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

// Reads what MetaWriter wrote; a read past the end, or a number too large,
// makes ok() false and every later read a no-op.
class MetaReader {
 public:
  explicit MetaReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }
  std::string_view rest() const { return in_; }

  std::uint64_t Num(std::uint64_t most) {
    std::uint64_t n = 0;
    for (int shift = 0; ok_; shift += 7) {
      if (in_.empty() || shift > 56) return Fail();
      auto b = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      n |= std::uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) break;
    }
    return ok_ && n <= most ? n : Fail();
  }
  std::string Str() {
    std::size_t n = Count();
    if (!ok_) return {};
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  // A count of bytes, or of items that take at least a byte each: no more
  // than are left.
  std::size_t Count() {
    std::uint64_t n = Num(std::numeric_limits<std::uint64_t>::max());
    if (n > in_.size()) Fail();
    return ok_ ? static_cast<std::size_t>(n) : 0;
  }

 private:
  std::uint64_t Fail() {
    ok_ = false;
    return 0;
  }
  std::string_view in_;
  bool ok_ = true;
};

constexpr unsigned kList = 1, kText = 2, kBoolean = 4, kSortable = 8,
                   kFacet = 16;

}  // namespace

class SearchMetaCodec {
 public:
  static void Write(const FieldTable& t, MetaWriter& w) {
    w.Num(t.fields_.size());
    for (const IndexField& f : t.fields_) {
      w.Str(f.name);
      w.Str(f.query);
      w.Str(f.prefix);
      w.Num(static_cast<std::uint64_t>(f.kind));
      w.Num((f.list ? kList : 0) | (f.text ? kText : 0) |
            (f.boolean ? kBoolean : 0) | (f.sortable ? kSortable : 0) |
            (f.facet ? kFacet : 0));
      w.Num(static_cast<std::uint64_t>(f.weight));
      w.Num(f.slot);
      w.Str(f.vocabulary);
      w.Num(f.aliases.size());
      for (const auto& [alias, value] : f.aliases) {
        w.Str(alias);
        w.Str(value);
      }
    }
    w.Num(t.declared_.size());
    for (const std::string& name : t.declared_) w.Str(name);
    w.Str(t.fingerprint_);
  }

  static FieldTable Read(MetaReader& r) {
    FieldTable t;
    std::size_t fields = r.Count();
    t.fields_.reserve(fields);
    for (std::size_t n = fields; r.ok() && n > 0; --n) {
      IndexField f;
      f.name = r.Str();
      f.query = r.Str();
      f.prefix = r.Str();
      f.kind = static_cast<FieldKind>(
          r.Num(static_cast<std::uint64_t>(FieldKind::kReference)));
      auto flags = r.Num(kList | kText | kBoolean | kSortable | kFacet);
      f.list = flags & kList;
      f.text = flags & kText;
      f.boolean = flags & kBoolean;
      f.sortable = flags & kSortable;
      f.facet = flags & kFacet;
      f.weight = static_cast<int>(r.Num(1 << 20));
      f.slot = static_cast<Xapian::valueno>(r.Num(Xapian::BAD_VALUENO));
      f.vocabulary = r.Str();
      std::size_t aliases = r.Count();
      f.aliases.reserve(aliases);
      for (std::size_t a = aliases; r.ok() && a > 0; --a) {
        std::string alias = r.Str();
        f.aliases.emplace_back(std::move(alias), r.Str());
      }
      t.fields_.push_back(std::move(f));
    }
    for (std::size_t n = r.Count(); r.ok() && n > 0; --n) {
      t.declared_.insert(r.Str());
    }
    t.fingerprint_ = r.Str();
    return t;
  }
};

std::string EncodeSearchMeta(const SearchMeta& meta) {
  MetaWriter w;
  w.out() = std::string(kIndexFormat) + "\n";
  w.Str(meta.commit);
  w.Num(meta.extra_fields.size());
  for (const std::string& name : meta.extra_fields) w.Str(name);
  SearchMetaCodec::Write(meta.table, w);
  return std::move(w.out());
}

std::optional<SearchMeta> DecodeSearchMeta(std::string_view bytes) {
  const std::string head = std::string(kIndexFormat) + "\n";
  if (bytes.substr(0, head.size()) != head) return std::nullopt;
  MetaReader r(bytes.substr(head.size()));
  SearchMeta meta;
  meta.commit = r.Str();
  for (std::size_t n = r.Count(); r.ok() && n > 0; --n) {
    meta.extra_fields.push_back(r.Str());
  }
  meta.table = SearchMetaCodec::Read(r);
  if (!r.done()) return std::nullopt;
  return meta;
}

std::string PackHitAndText(std::string_view record, std::string_view text) {
  MetaWriter w;
  w.Str(record);
  w.out().append(text);
  return std::move(w.out());
}

bool UnpackHitAndText(std::string_view value, std::string_view* record,
                      std::string_view* text) {
  MetaReader r(value);
  std::size_t n = r.Count();
  if (!r.ok()) return false;
  *record = r.rest().substr(0, n);
  *text = r.rest().substr(n);
  return true;
}

}  // namespace evrepo::index
