// Query-biased snippets: the stretch of a document's text that best shows
// why it matched, with the matching words marked.
//
// Xapian's MSet::snippet does the same, but it runs its full Unicode word
// splitter and the stemmer over every word of every hit's text; for the
// ten hits of a search that was a third of the whole process.  This cutter
// splits words with a byte-level scanner that agrees with Xapian's on the
// text our indexer stores, and stems a word only when it begins with what
// one of the query's words must begin with (Key below).  It does not join
// initials ("U.S.A.") or keep suffixes ("C++") as Xapian does, so such
// words are not marked.
//
// Only the query's words are looked for in the whole text, 16 bytes at a
// time by their first two letters; the words around the stretch chosen
// are then split as a split of all of it would split them.  The ten hits
// of "social clauses procurement" at 10,000 documents, 47 KB of text: 0.83
// million instructions when words were sought by the first two letters of
// a stem and most of those met were stemmed, 0.59 by the keys; 1.8 split
// whole.
#ifndef EVREPO_INDEX_SNIPPET_H_
#define EVREPO_INDEX_SNIPPET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

namespace evrepo::index {

class SnippetCutter {
 public:
  // kWholeText splits every word of the text, as the cutter once did: the
  // reference the tests hold kAroundHits to.
  enum class Scan { kAroundHits, kWholeText };

  // `terms`: the query's terms and their weights.  "Z" + a stem matches
  // any word with that English stem, a lower-case term matches the word
  // itself; other terms (field prefixes) are not looked for in the text.
  explicit SnippetCutter(
      const std::vector<std::pair<std::string, double>>& terms,
      Scan scan = Scan::kAroundHits);

  // About `length` bytes of `text` (whole words, white space collapsed),
  // the window with the most weight of distinct query words, begun at a
  // sentence when one starts close enough before it.  "…" marks text left
  // out at either end; each matching word is put between `start` and `end`.
  // A text without query words gives its beginning.
  std::string Cut(std::string_view text, std::size_t length,
                  std::string_view start, std::string_view end);

 private:
  struct Word {
    std::size_t begin, end;  // bytes of the text
    int term;                // index into weights_, or -1
    bool sentence;           // the first word of a sentence
  };
  struct Hit {
    std::size_t begin, end;  // bytes of the text
    int term;                // index into weights_
  };
  // The lower-case ASCII bytes that every word matching a query word
  // begins with, up to eight: the whole word for an exact term, and for a
  // stem all of it but its last letter, which the stemmer may have changed
  // ("happi" from "happy", "hope" from "hoping").  Across 220,000 distinct
  // English words only "dying", "lying" and "tying" (stems "die", "lie",
  // "tie") break that rule.  A key stops at a byte from 0x80 up: a word
  // with such a byte in the key's span is always looked up, since Unicode
  // lower case may make ASCII of it.
  struct Key {
    std::uint64_t bytes;  // in memory order
    std::uint64_t mask;   // 0xff for each byte of the key
  };

  // Whether a word whose bytes begin at p (n of them, n > 0) may match a
  // query word, from its first eight bytes.
  bool MayBegin(const unsigned char* p, std::size_t n) const;

  // The end of the word that begins at text[i].
  static std::size_t WordEnd(std::string_view text, std::size_t i);
  // The query's words in `text`, into hits_.
  void FindHits(std::string_view text);
  // The words of text[from, to) into words_, `from` being the beginning of
  // the text (`sentence` true) or the end of a word (false), `to` the end
  // of the text or of a word.
  void Split(std::string_view text, std::size_t from, std::size_t to,
             bool sentence);
  // False when text[begin, end), a word, cannot be a query word.
  bool MayMatch(std::string_view text, std::size_t begin,
                std::size_t end) const {
    return MayBegin(reinterpret_cast<const unsigned char*>(text.data()) + begin,
                    end - begin);
  }
  int Match(std::string_view word);
  // The first and last hit of the best stretch.
  std::pair<std::size_t, std::size_t> Best(std::size_t length) const;

  std::unordered_map<std::string, int> exact_, stems_;
  std::vector<double> weights_;
  std::vector<Key> keys_;  // one for each query word with an ASCII start
  // The first two bytes of the keys, each repeated 16 times for the scan;
  // for a key of one byte, any second byte will do (any_second all ones).
  struct alignas(16) Splat {
    unsigned char first[16], second[16], any_second[16];
  };
  std::vector<Splat> splats_;
  // Each lower-case word met, with what Match found for it.
  std::unordered_map<std::string, int> matched_;
  Xapian::Stem english_{"english"};
  Scan scan_;
  std::vector<Word> words_;
  std::vector<Hit> hits_;
  std::string lower_;
};

}  // namespace evrepo::index

#endif  // EVREPO_INDEX_SNIPPET_H_
