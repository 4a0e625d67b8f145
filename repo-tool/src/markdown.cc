// cmark-gfm wrapper: parses a body with the GitHub extensions and walks the
// tree.  Every parse allocates from an arena of its own, freed at once.
#include "evrepo/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

namespace evrepo {

namespace {

// cmark-gfm allocates every node, every text and every buffer on its own,
// and frees them one by one: with glibc's malloc that was an eighth of a
// publish.  A parse allocates from this arena instead: a bump allocator
// whose chunks are freed together when the parse is over, its tree never
// walked to be freed.  cmark_mem carries no context, so the arena in use is
// the thread's; each thread parses one body at a time.
class Arena {
 public:
  Arena() : saved_(current_) { current_ = this; }
  ~Arena() {
    current_ = saved_;
    while (chunk_) {
      Chunk* prev = chunk_->prev;
      std::free(chunk_);
      chunk_ = prev;
    }
  }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  static cmark_mem* Mem() {
    static cmark_mem mem = {Calloc, Realloc, Free};
    return &mem;
  }

 private:
  // Each block is preceded by its size, for Realloc.
  struct Chunk {
    Chunk* prev;
    std::size_t size, used;
  };
  static constexpr std::size_t kAlign = 16;
  static constexpr std::size_t kChunkHeader =
      (sizeof(Chunk) + kAlign - 1) & ~(kAlign - 1);
  static constexpr std::size_t kHeader = kAlign;  // holds the block's size
  static constexpr std::size_t kFirstChunk = 64 * 1024;
#if defined(__SANITIZE_ADDRESS__)
  // Every block a chunk of its own and of its exact size, so that
  // AddressSanitizer still sees an overrun.
  static constexpr bool kBlockPerChunk = true;
#else
  static constexpr bool kBlockPerChunk = false;
#endif

  static unsigned char* Data(Chunk* c) {
    return reinterpret_cast<unsigned char*>(c) + kChunkHeader;
  }
  static std::size_t& SizeOf(void* block) {
    return *reinterpret_cast<std::size_t*>(static_cast<unsigned char*>(block) -
                                           kHeader);
  }
  static std::size_t Rounded(std::size_t n) {
    return (n + kAlign - 1) & ~(kAlign - 1);
  }

  // Like xcalloc in cmark-gfm: out of memory is fatal.
  void* Take(std::size_t n) {
    std::size_t need = kHeader + (kBlockPerChunk ? n : Rounded(n));
    if (need < n) std::abort();
    if (!chunk_ || chunk_->size - chunk_->used < need) {
      std::size_t size = chunk_ ? chunk_->size * 2 : kFirstChunk;
      if (size < need || kBlockPerChunk) size = need;
      auto* c = static_cast<Chunk*>(std::malloc(kChunkHeader + size));
      if (!c) std::abort();
      *c = Chunk{chunk_, size, 0};
      chunk_ = c;
    }
    void* block = Data(chunk_) + chunk_->used + kHeader;
    chunk_->used += need;
    last_ = block;
    SizeOf(block) = n;
    return block;
  }

  static void* Calloc(std::size_t count, std::size_t size) {
    if (size != 0 && count > SIZE_MAX / size) std::abort();
    void* block = current_->Take(count * size);
    std::memset(block, 0, count * size);
    return block;
  }
  // Buffers grow by reallocation: the last block grows in place.
  static void* Realloc(void* block, std::size_t size) {
    Arena& a = *current_;
    if (!block) return a.Take(size);
    std::size_t old = SizeOf(block);
    if (block == a.last_) {
      Chunk* c = a.chunk_;
      std::size_t start = static_cast<unsigned char*>(block) - Data(c);
      if (start + Rounded(size) <= c->size && Rounded(size) >= size) {
        c->used = start + Rounded(size);
        SizeOf(block) = size;
        return block;
      }
    }
    void* moved = a.Take(size);
    std::memcpy(moved, block, old < size ? old : size);
    return moved;
  }
  static void Free(void*) {}

  static thread_local Arena* current_;
  Arena* const saved_;
  Chunk* chunk_ = nullptr;
  void* last_ = nullptr;
};

thread_local Arena* Arena::current_ = nullptr;

struct IterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

constexpr int kOptions = CMARK_OPT_FOOTNOTES;

// A parsed body; its nodes live as long as it does.
struct Parsed {
  Arena arena;
  cmark_parser* parser = nullptr;
  cmark_node* root = nullptr;
};

cmark_parser* NewParser(cmark_mem* mem) {
  cmark_parser* parser = cmark_parser_new_with_mem(kOptions, mem);
  for (const char* name :
       {"table", "strikethrough", "autolink", "tasklist", "tagfilter"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser, ext);
    }
  }
  return parser;
}

// cmark-gfm 0.29 keeps the characters that can open an inline in one table
// for the whole process.  A parse switches its extensions' characters (|,
// ~, :, w) on before parsing inlines and off after, and so does every table
// row as it is read: a thread finishing a parse switches them off under
// another that is parsing, whose strikethrough, autolinks and table cells
// then come out as plain text.  Every parse here attaches the same
// extensions, so where the switches can be wrapped (CMakeLists.txt) they
// are switched on once and left on; elsewhere parses take turns.
#ifdef EVREPO_CMARK_CHARS_WRAPPED
std::atomic<bool> chars_fixed{false};
#else
std::mutex parsing;
#endif

// `p` must be where it will stay: the arena is its address.
void ParseWithExtensions(std::string_view body, Parsed& p) {
  static std::once_flag registered;
  std::call_once(registered, [] {
    cmark_gfm_core_extensions_ensure_registered();
#ifdef EVREPO_CMARK_CHARS_WRAPPED
    cmark_parser* parser = NewParser(cmark_get_default_mem_allocator());
    cmark_manage_extensions_special_characters(parser, 1);
    cmark_parser_free(parser);
    chars_fixed = true;
#endif
  });
  p.parser = NewParser(Arena::Mem());
#ifndef EVREPO_CMARK_CHARS_WRAPPED
  std::lock_guard<std::mutex> lock(parsing);
#endif
  cmark_parser_feed(p.parser, body.data(), body.size());
  p.root = cmark_parser_finish(p.parser);
}

void AppendText(cmark_node* node, std::string& out) {
  for (cmark_node* c = cmark_node_first_child(node); c;
       c = cmark_node_next(c)) {
    switch (cmark_node_get_type(c)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        if (const char* s = cmark_node_get_literal(c)) out += s;
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out += ' ';
        break;
      default:
        AppendText(c, out);
    }
  }
}

// cmark-gfm counts inline columns from where a paragraph's continuation line
// starts after its indentation; point at the link as the user sees it.
int SourceColumn(std::string_view body, int line, int column) {
  std::size_t start = 0;
  for (int l = 1; l < line && start != std::string_view::npos; ++l) {
    start = body.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos) return column;
  std::string_view text = body.substr(start, body.find('\n', start) - start);
  auto opens_link = [&](int c) {
    return c >= 1 && static_cast<std::size_t>(c) <= text.size() &&
           (text[c - 1] == '[' || text[c - 1] == '!' || text[c - 1] == '<');
  };
  if (opens_link(column)) return column;
  int indent = static_cast<int>(text.find_first_not_of(" \t"));
  return indent > 0 && opens_link(column + indent) ? column + indent : column;
}

}  // namespace

#ifdef EVREPO_CMARK_CHARS_WRAPPED
extern "C" {
void __real_cmark_inlines_add_special_character(unsigned char c, bool emphasis);
void __real_cmark_inlines_remove_special_character(unsigned char c,
                                                   bool emphasis);
void __wrap_cmark_inlines_add_special_character(unsigned char c,
                                                bool emphasis) {
  if (!chars_fixed.load(std::memory_order_relaxed)) {
    __real_cmark_inlines_add_special_character(c, emphasis);
  }
}
void __wrap_cmark_inlines_remove_special_character(unsigned char c,
                                                   bool emphasis) {
  if (!chars_fixed.load(std::memory_order_relaxed)) {
    __real_cmark_inlines_remove_special_character(c, emphasis);
  }
}
}
#endif

MarkdownOutline ScanMarkdown(std::string_view body) {
  MarkdownOutline out;
  Parsed p;
  ParseWithExtensions(body, p);
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(p.root));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter.get());
    cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_HEADING && out.first_heading.empty()) {
      AppendText(node, out.first_heading);
    } else if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
      const char* url = cmark_node_get_url(node);
      int line = cmark_node_get_start_line(node);
      out.links.push_back(
          {url ? url : "", line,
           SourceColumn(body, line, cmark_node_get_start_column(node))});
    }
  }
  return out;
}

namespace {

MarkdownText ExtractTree(Parsed& p) {
  MarkdownText out;
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(p.root));
  int in_heading = 0;
  auto end_line = [](std::string& s) {
    if (!s.empty() && s.back() != '\n') s += '\n';
  };
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    cmark_node_type type = cmark_node_get_type(node);
    std::string& target = in_heading > 0 ? out.headings : out.text;
    switch (type) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
      case CMARK_NODE_CODE_BLOCK:
        if (const char* s = cmark_node_get_literal(node)) target += s;
        if (type == CMARK_NODE_CODE_BLOCK) end_line(target);
        continue;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        target += ' ';
        continue;
      case CMARK_NODE_HTML_BLOCK:
      case CMARK_NODE_HTML_INLINE:
        continue;  // markup, not words
      case CMARK_NODE_HEADING:
        in_heading += ev == CMARK_EVENT_ENTER ? 1 : -1;
        if (ev == CMARK_EVENT_EXIT) end_line(out.headings);
        continue;
      case CMARK_NODE_LINK:
      case CMARK_NODE_IMAGE:
        if (ev == CMARK_EVENT_ENTER) {
          const char* url = cmark_node_get_url(node);
          out.links.push_back(url ? url : "");
        }
        break;
      default:
        break;
    }
    // Block boundaries (paragraphs, items, table cells) end a line.
    bool is_inline = (type & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
    if (ev == CMARK_EVENT_EXIT && !is_inline) end_line(target);
  }
  return out;
}

std::string RenderTree(Parsed& p, const LinkRewriter& rewrite,
                       bool drop_title) {
  if (drop_title) {
    cmark_node* first = cmark_node_first_child(p.root);
    if (first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
        cmark_node_get_heading_level(first) == 1) {
      cmark_node_free(first);
    }
  }
  // Collect first: the tree must not change under the iterator.
  std::vector<cmark_node*> links;
  {
    std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(p.root));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
      cmark_node* node = cmark_iter_get_node(iter.get());
      cmark_node_type type = cmark_node_get_type(node);
      if (ev == CMARK_EVENT_ENTER &&
          (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE)) {
        links.push_back(node);
      }
    }
  }
  for (cmark_node* link : links) {
    const char* url = cmark_node_get_url(link);
    std::optional<std::string> to = rewrite(url ? url : "");
    if (to) {
      cmark_node_set_url(link, to->c_str());
      continue;
    }
    // Keep the words, lose the link (an image keeps nothing but its text).
    while (cmark_node* child = cmark_node_first_child(link)) {
      cmark_node_insert_before(link, child);
    }
    cmark_node_free(link);
  }
  // The HTML is the arena's too.
  const char* html = cmark_render_html(
      p.root, kOptions, cmark_parser_get_syntax_extensions(p.parser));
  std::string out = html ? html : "";
  for (auto [from, to] : {std::pair<std::string, std::string>{
                              "<table>", "<div class=\"table-wrap\"><table>"},
                          {"</table>", "</table></div>"}}) {
    for (std::size_t at = 0; (at = out.find(from, at)) != std::string::npos;
         at += to.size()) {
      out.replace(at, from.size(), to);
    }
  }
  return out;
}

}  // namespace

MarkdownText ExtractText(std::string_view body) {
  Parsed p;
  ParseWithExtensions(body, p);
  return ExtractTree(p);
}

std::string RenderHtml(std::string_view body, const LinkRewriter& rewrite,
                       bool drop_title) {
  Parsed p;
  ParseWithExtensions(body, p);
  return RenderTree(p, rewrite, drop_title);
}

MarkdownText ExtractAndRender(std::string_view body,
                              const LinkRewriter& rewrite, bool drop_title,
                              std::string& html) {
  Parsed p;
  ParseWithExtensions(body, p);
  MarkdownText text = ExtractTree(p);  // before the tree is rewritten
  html = RenderTree(p, rewrite, drop_title);
  return text;
}

}  // namespace evrepo
