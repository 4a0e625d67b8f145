// The cache of parsed schemas (Schema::LoadCached).
//
// Every command reads the schemas, and parsing their XML took about 0.4 ms:
// more than a tenth of a search.  The cache file holds a key and the parsed
// schema.  The key is this executable's identity (device, inode, size and
// modification time of /proc/self/exe) and, for each schema file in order,
// the path as messages show it and the file's bytes.  The cache is used only
// when its key equals the one made now, byte for byte: any change to a
// file, to the set of files, to the working directory's view of their paths
// or to the executable is a miss, and so is anything unreadable, truncated
// or malformed.  Reading the files is cheap; parsing them is what is saved.
//
// Layout: kMagic, then the key and the schema, each a length-prefixed
// string, then the CRC-32 of the schema; integers are 64-bit little-endian.
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>

#include "evrepo/fsutil.h"
#include "evrepo/schema.h"

namespace evrepo {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "evrepo-schema-cache 1\n";

class Writer {
 public:
  void U64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out_ += static_cast<char>(v >> (8 * i));
  }
  void I64(long long v) { U64(static_cast<std::uint64_t>(v)); }
  void Bool(bool v) { out_ += v ? '\1' : '\0'; }
  void Str(std::string_view s) {
    U64(s.size());
    out_.append(s);
  }
  void Kind(FieldKind k) { U64(static_cast<std::uint64_t>(k)); }
  void Strs(const std::vector<std::string>& v) {
    U64(v.size());
    for (const std::string& s : v) Str(s);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

// Reads what Writer wrote; any read past the end, or a value out of range,
// makes ok() false and every later read a no-op.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && at_ == in_.size(); }

  std::uint64_t U64() {
    if (!Need(8)) return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
      v |= std::uint64_t{static_cast<unsigned char>(in_[at_ + i])} << (8 * i);
    }
    at_ += 8;
    return v;
  }
  long long I64() { return static_cast<long long>(U64()); }
  bool Bool() {
    if (!Need(1)) return false;
    char c = in_[at_++];
    if (c != '\0' && c != '\1') ok_ = false;
    return c == '\1';
  }
  std::string Str() { return std::string(View()); }
  // A string without copying it: valid while the input is.
  std::string_view View() {
    std::uint64_t n = U64();
    if (!Need(n)) return {};
    std::string_view s = in_.substr(at_, n);
    at_ += n;
    return s;
  }
  FieldKind Kind() {
    std::uint64_t k = U64();
    if (k > static_cast<std::uint64_t>(FieldKind::kReference)) ok_ = false;
    return ok_ ? static_cast<FieldKind>(k) : FieldKind::kString;
  }
  // A count of items that each take at least `min_bytes`: one the rest of
  // the input cannot hold is malformed (and would allocate without bound).
  std::size_t Count(std::size_t min_bytes) {
    std::uint64_t n = U64();
    if (ok_ && n > (in_.size() - at_) / min_bytes) ok_ = false;
    return ok_ ? static_cast<std::size_t>(n) : 0;
  }
  std::vector<std::string> Strs() {
    std::vector<std::string> v(Count(8));
    for (std::string& s : v) s = Str();
    return v;
  }

 private:
  bool Need(std::uint64_t n) {
    if (ok_ && n > in_.size() - at_) ok_ = false;
    return ok_;
  }
  std::string_view in_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

// This executable, as the file system knows it: a rebuilt evrepo, which may
// parse schemas differently, never reads an older build's cache.
std::optional<std::string> ExecutableIdentity() {
  struct stat st;
  if (stat("/proc/self/exe", &st) != 0) return std::nullopt;
  Writer w;
  w.U64(st.st_dev);
  w.U64(st.st_ino);
  w.U64(static_cast<std::uint64_t>(st.st_size));
  w.I64(st.st_mtim.tv_sec);
  w.I64(st.st_mtim.tv_nsec);
  return std::move(w.out());
}

std::uint64_t Crc(std::string_view s) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (!s.empty()) {
    auto n = static_cast<uInt>(std::min<std::size_t>(s.size(), 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(s.data()), n);
    s.remove_prefix(n);
  }
  return crc;
}

}  // namespace

// Writes and reads every member of the schema's structures.  A member added
// to FieldDef, TypeDef, Term or Vocabulary must be added to both, and to the
// round-trip test (tests/core/schema_cache_test.cc), which sets every one.
#if defined(__x86_64__) && defined(__GLIBCXX__) && _GLIBCXX_USE_CXX11_ABI
// A tripwire for that: a new member changes these sizes.
static_assert(sizeof(FieldDef) == 376 && sizeof(TypeDef) == 224 &&
                  sizeof(Term) == 96 && sizeof(Vocabulary) == 120,
              "a schema structure changed: update SchemaCodec and its test");
#endif
struct SchemaCodec {
  static void Write(Writer& w, const FieldDef& f) {
    w.Str(f.name);
    w.Str(f.label);
    w.Str(f.description);
    w.Kind(f.kind);
    w.Kind(f.item_kind);
    w.Bool(f.required);
    w.Strs(f.values);
    w.Str(f.vocabulary);
    w.Str(f.default_value);
    w.Bool(f.slug);
    w.Bool(f.min.has_value());
    w.I64(f.min.value_or(0));
    w.Bool(f.max.has_value());
    w.I64(f.max.value_or(0));
    w.Bool(f.index_text);
    w.Bool(f.index_boolean);
    w.Bool(f.index_sortable);
    w.Bool(f.index_facet);
    w.I64(f.weight);
    w.Str(f.prefix);
    w.Str(f.query);
    w.Str(f.dc);
    w.Str(f.source);
  }

  static FieldDef ReadField(Reader& r) {
    FieldDef f;
    f.name = r.Str();
    f.label = r.Str();
    f.description = r.Str();
    f.kind = r.Kind();
    f.item_kind = r.Kind();
    f.required = r.Bool();
    f.values = r.Strs();
    f.vocabulary = r.Str();
    f.default_value = r.Str();
    f.slug = r.Bool();
    bool has_min = r.Bool();
    long long min = r.I64();
    if (has_min) f.min = min;
    bool has_max = r.Bool();
    long long max = r.I64();
    if (has_max) f.max = max;
    f.index_text = r.Bool();
    f.index_boolean = r.Bool();
    f.index_sortable = r.Bool();
    f.index_facet = r.Bool();
    f.weight = static_cast<int>(r.I64());
    f.prefix = r.Str();
    f.query = r.Str();
    f.dc = r.Str();
    f.source = r.Str();
    return f;
  }

  static std::string Encode(const Schema& schema) {
    Writer w;
    w.U64(schema.types_.size());
    for (const auto& [name, t] : schema.types_) {
      w.Str(name);
      w.Str(t.name);
      w.Str(t.label);
      w.Str(t.description);
      w.Str(t.folder);
      w.Str(t.extends);
      w.Bool(t.abstract);
      w.U64(t.fields.size());
      for (const FieldDef& f : t.fields) Write(w, f);
      w.Str(t.source);
    }
    w.U64(schema.vocabularies_.size());
    for (const auto& [name, v] : schema.vocabularies_) {
      w.Str(name);
      w.Str(v.name);
      w.Str(v.label);
      w.U64(v.terms.size());
      for (const Term& term : v.terms) {
        w.Str(term.value);
        w.Str(term.label);
        w.Str(term.alias);
      }
      w.Str(v.source);
    }
    return std::move(w.out());
  }

  static std::optional<Schema> Decode(std::string_view bytes) {
    Reader r(bytes);
    Schema schema;
    for (std::size_t n = r.Count(8); n > 0 && r.ok(); --n) {
      std::string key = r.Str();
      TypeDef t;
      t.name = r.Str();
      t.label = r.Str();
      t.description = r.Str();
      t.folder = r.Str();
      t.extends = r.Str();
      t.abstract = r.Bool();
      std::size_t fields = r.Count(8);
      t.fields.reserve(fields);
      for (std::size_t k = fields; k > 0 && r.ok(); --k) {
        t.fields.push_back(ReadField(r));
      }
      t.source = r.Str();
      schema.types_.emplace(std::move(key), std::move(t));
    }
    for (std::size_t n = r.Count(8); n > 0 && r.ok(); --n) {
      std::string key = r.Str();
      Vocabulary v;
      v.name = r.Str();
      v.label = r.Str();
      std::size_t terms = r.Count(24);
      v.terms.reserve(terms);
      for (std::size_t k = terms; k > 0 && r.ok(); --k) {
        Term term;
        term.value = r.Str();
        term.label = r.Str();
        term.alias = r.Str();
        v.terms.push_back(std::move(term));
      }
      v.source = r.Str();
      schema.vocabularies_.emplace(std::move(key), std::move(v));
    }
    if (!r.done()) return std::nullopt;
    return schema;
  }
};

Result<Schema> Schema::LoadCached(const std::vector<fs::path>& dirs,
                                  const fs::path& cache) {
  auto files = ListSchemaFiles(dirs);
  if (!files) return files.status();
  auto read = ReadSchemaFiles(*files);
  if (!read) return read.status();
  std::optional<std::string> identity;
  if (!cache.empty()) identity = ExecutableIdentity();
  if (!identity) return Parse(*read);

  Writer key;
  key.Str(*identity);
  key.U64(read->size());
  for (const SchemaFile& f : *read) {
    key.Str(f.display);
    key.Str(f.text);
  }
  if (auto held =
          ReadFileLimited(cache, std::size_t{64} << 20, cache.string())) {
    Reader r(
        std::string_view(*held).substr(std::min(held->size(), kMagic.size())));
    if (held->compare(0, kMagic.size(), kMagic) == 0 && r.View() == key.out()) {
      std::string_view body = r.View();
      std::uint64_t crc = r.U64();
      if (r.done() && crc == Crc(body)) {
        if (auto schema = SchemaCodec::Decode(body)) return std::move(*schema);
      }
    }
  }

  auto schema = Parse(*read);
  if (!schema) return schema;
  Writer out;
  out.out() = kMagic;
  out.Str(key.out());
  std::string body = SchemaCodec::Encode(*schema);
  out.Str(body);
  out.U64(Crc(body));
  // Only a cache: a read-only or full disk just means parsing next time.
  (void)WriteFileAtomic(cache, out.out(), /*flush=*/false);
  return schema;
}

}  // namespace evrepo
