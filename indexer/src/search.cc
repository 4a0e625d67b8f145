// Search and precedents.
#include "evrepo/index/search.h"

#include <algorithm>
#include <limits>
#include <map>

#include "evrepo/check.h"
#include "evrepo/index/index.h"
#include "evrepo/markdown.h"
#include "evrepo/store.h"
#include "evrepo/text.h"
#include "fields.h"
#include "indexing.h"
#include "query.h"
#include "snippet.h"
#include "storage.h"

namespace evrepo::index {

namespace {

// Counts the values of a facet slot; list fields hold one value per line.
class FacetSpy : public Xapian::MatchSpy {
 public:
  FacetSpy(Xapian::valueno slot, bool year) : slot_(slot), year_(year) {}

  void operator()(const Xapian::Document& doc, double) override {
    std::string v = doc.get_value(slot_);
    std::size_t start = 0;
    while (start < v.size()) {
      std::size_t end = v.find('\n', start);
      if (end == std::string::npos) end = v.size();
      std::string item = v.substr(start, end - start);
      if (year_) item = item.substr(0, 4);
      if (!item.empty()) ++counts_[item];
      start = end + 1;
    }
  }
  std::string name() const override { return "evrepo.FacetSpy"; }

  std::vector<FacetValue> Values() const {
    std::vector<FacetValue> out;
    for (const auto& [v, n] : counts_) out.push_back({v, n});
    std::stable_sort(out.begin(), out.end(),
                     [](const FacetValue& a, const FacetValue& b) {
                       return a.count > b.count;
                     });
    return out;
  }

 private:
  Xapian::valueno slot_;
  bool year_;
  std::map<std::string, std::size_t> counts_;
};

// Accepts plain words worth explaining a likeness with.
class WordDecider : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    if (!IsWordTerm(term) || term.size() < 3) return false;
    return std::any_of(term.begin(), term.end(), [](unsigned char c) {
      return std::isalpha(c) || c >= 0x80;
    });
  }
};

// The page [offset, offset + limit) of `mset`, a match fetched from its
// first item to one past the page in Xapian's order (relevance, then
// docid), put in order of relevance, then path.  False when the last item
// on the page weighs the same as the one after it: the documents that tie
// with it may go on past what was fetched.
bool InPathOrder(const Xapian::MSet& mset, Xapian::doccount offset,
                 Xapian::doccount limit,
                 std::vector<Xapian::MSetIterator>* page) {
  const Xapian::doccount size = mset.size();
  const Xapian::doccount end = std::min(size, offset + limit);
  std::vector<double> weight(size);
  for (Xapian::doccount i = 0; i < size; ++i) weight[i] = mset[i].get_weight();
  if (end > 0 && end < size && weight[end] == weight[end - 1]) return false;
  std::vector<std::pair<std::string, Xapian::doccount>> order;
  for (Xapian::doccount i = 0; i < end;) {
    Xapian::doccount j = i + 1;
    while (j < end && weight[j] == weight[i]) ++j;
    if (j - i == 1) {
      order.emplace_back(std::string(), i);
    } else {
      // A run of ties, the only documents whose paths are read.
      std::size_t from = order.size();
      for (Xapian::doccount k = i; k < j; ++k) {
        order.emplace_back(mset[k].get_document().get_value(kPathSlot), k);
      }
      std::sort(order.begin() + static_cast<std::ptrdiff_t>(from), order.end());
    }
    i = j;
  }
  page->clear();
  for (Xapian::doccount i = offset; i < end; ++i) {
    page->push_back(mset[order[i].second]);
  }
  return true;
}

class Searcher {
 public:
  explicit Searcher(const Corpus& corpus) : corpus_(corpus) {}

  // Opens the index and reads what a search needs of it (SearchMeta): the
  // fields come from there, as the index was built, not from the schemas.
  Status Open() {
    auto live = LiveDatabase(IndexDir(corpus_));
    if (!live) {
      return Status::Io("there is no search index yet")
          .WithHint("run 'evrepo index'");
    }
    db_ = Xapian::Database(live->string());
    std::string bytes = db_.get_metadata(kMetaSearch);
    if (auto meta = DecodeSearchMeta(bytes)) {
      meta_ = std::move(*meta);
      return Status::Ok();
    }
    if (bytes.empty() && db_.get_metadata(kMetaFingerprint).empty()) {
      return Status::Io("the search index is incomplete")
          .WithHint("run 'evrepo index --rebuild'");
    }
    // An index of another layout is rebuilt by any update, and one made
    // before the entry was gains it; searched as it is (--no-update), it
    // would give empty hits.
    if (bytes.compare(0, std::string_view(kIndexFormat).size() + 1,
                      std::string(kIndexFormat) + "\n") != 0) {
      return Status::Io(
                 "the search index was made by another version of evrepo")
          .WithHint("run 'evrepo index' to build it again");
    }
    return Status::Io("the search index is damaged")
        .WithHint("run 'evrepo index --rebuild'");
  }

  Xapian::Database& db() { return db_; }
  const FieldTable& table() const { return meta_.table; }
  const std::vector<std::string>& extra_fields() const {
    return meta_.extra_fields;
  }
  const std::string& commit() const { return meta_.commit; }

  // Runs `query` and fills everything but `terms`.
  SearchResult Run(const Xapian::Query& query, const SearchOptions& options,
                   Xapian::Database& db) {
    SearchResult r;
    r.commit = meta_.commit;
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    const IndexField* date = meta_.table.ByName("date");
    Xapian::MultiValueKeyMaker by_date;
    bool by_relevance = true;
    if (date && date->slot != Xapian::BAD_VALUENO &&
        options.sort != SortOrder::kRelevance) {
      by_date.add_value(date->slot, options.sort == SortOrder::kDateDescending);
      by_date.add_value(kPathSlot);
      enquire.set_sort_by_key_then_relevance(&by_date, false);
      by_relevance = false;
    }
    std::vector<std::pair<std::string, std::unique_ptr<FacetSpy>>> spies;
    if (options.facets) {
      for (const IndexField& f : meta_.table.fields()) {
        if (!f.facet || f.slot == Xapian::BAD_VALUENO) continue;
        // Dates count by year: a facet of days says little.
        bool year = f.kind == FieldKind::kDate;
        spies.emplace_back(
            year ? (f.name == "date" ? "year" : f.query + "-year") : f.query,
            std::make_unique<FacetSpy>(f.slot, year));
      }
      for (auto& [name, spy] : spies) enquire.add_matchspy(spy.get());
    }
    constexpr std::size_t kMost = std::numeric_limits<Xapian::doccount>::max();
    const auto offset =
        static_cast<Xapian::doccount>(std::min(options.offset, kMost));
    const auto limit = static_cast<Xapian::doccount>(
        std::min(options.limit, kMost - std::min(options.offset, kMost)));
    Xapian::doccount check_at_least =
        options.facets ? db.get_doccount()
                       : static_cast<Xapian::doccount>(std::min<std::size_t>(
                             offset + limit + 100ul, kMost));
    // Ties in relevance go in the order of their paths, so that the order
    // never depends on docids (see kPathSlot).  Xapian's own way,
    // set_sort_by_relevance_then_value, reads the path of every candidate
    // the match weighs: 0.17 ms of a 4.5 ms search at 10,000 documents,
    // run after ripgrep as the benchmark does (bench/).  So the
    // match runs in Xapian's order (relevance, then docid) and fetches one
    // more than the page; ties within what it fetched are put in path
    // order here.  Only when a run of equal weights goes on past that does
    // the match run again with Xapian's sort.  The facet counts see every
    // match whichever way, so they take Xapian's sort at once.
    Xapian::MSet mset;
    std::vector<Xapian::MSetIterator> page;
    bool ordered = false;
    if (by_relevance && !options.facets && limit < kMost - offset) {
      mset = enquire.get_mset(0, offset + limit + 1, check_at_least);
      ordered = InPathOrder(mset, offset, limit, &page);
    }
    if (!ordered) {
      if (by_relevance)
        enquire.set_sort_by_relevance_then_value(kPathSlot, false);
      mset = enquire.get_mset(offset, limit, check_at_least);
      page.clear();
      for (auto it = mset.begin(); it != mset.end(); ++it) page.push_back(it);
    }
    r.total = mset.get_matches_estimated();
    for (auto& [name, spy] : spies) {
      auto values = spy->Values();
      if (!values.empty()) r.facets[name] = std::move(values);
    }
    std::vector<std::pair<std::string, double>> terms;
    for (auto t = query.get_unique_terms_begin();
         t != query.get_unique_terms_end(); ++t) {
      terms.emplace_back(*t, mset.get_termweight(*t));
    }
    SnippetCutter snippets(terms);
    for (std::size_t i = 0; i < page.size(); ++i) {
      const Xapian::MSetIterator& it = page[i];
      Hit h;
      h.rank = offset + i + 1;  // counts from the first match, not the page
      h.percent = it.get_percent();
      Xapian::Document doc = it.get_document();
      // With snippets, the hit record comes with the words: one value.
      bool snippet = options.snippet_length > 0;
      std::string value = doc.get_value(snippet ? kTextSlot : kHitSlot);
      std::string_view record = value, text;
      if (snippet && !UnpackHitAndText(value, &record, &text)) record = {};
      HitRecord data;
      if (DecodeHitRecord(record, &data)) {
        h.id = std::move(data.id);
        h.title = std::move(data.title);
        h.type = std::move(data.type);
        h.date = std::move(data.date);
        h.confidentiality = std::move(data.confidentiality);
        h.status = std::move(data.status);
        h.path = std::move(data.path);
        h.summary = std::move(data.summary);
        if (snippet) {
          h.snippet =
              snippets.Cut(text, options.snippet_length,
                           options.highlight_start, options.highlight_end);
        }
      }
      r.hits.push_back(std::move(h));
    }
    return r;
  }

 private:
  const Corpus& corpus_;
  Xapian::Database db_;
  SearchMeta meta_;
};

// Retries once when a writer replaced what the reader had open.
template <typename F>
Result<SearchResult> Guarded(const Corpus& corpus, F&& body) {
  for (int attempt = 0;; ++attempt) {
    try {
      return body();
    } catch (const Xapian::QueryParserError& e) {
      return Status::Usage("bad query: " + e.get_msg())
          .WithHint("see evrepo-search-terms(7)");
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt < 3) continue;
      return Status::Io("the index kept changing while searching")
          .WithHint("run the search again");
    } catch (const Xapian::Error& e) {
      return Status::Io("cannot search the index in '" +
                        IndexDir(corpus).string() + "': " + e.get_description())
          .WithHint("'evrepo index --rebuild' builds it again from scratch");
    }
  }
}

Result<SearchResult> Similar(Searcher& s, Xapian::Database& db,
                             Xapian::docid target, const std::string& path,
                             const SearchOptions& options) {
  Xapian::Enquire enquire(db);
  // Bo1 weighs a word by how often the document uses it against how rare it
  // is overall; the default (TradEWeight) sees only rarity, and one
  // relevant document then yields incidental words rather than its topic.
  enquire.set_expansion_scheme("bo1");
  Xapian::RSet rset;
  rset.add_document(target);
  WordDecider decider;
  // Exact term frequencies: by default Xapian estimates them from the
  // subdatabase holding the relevant document, which for a one-document
  // draft makes every word look common.
  Xapian::ESet eset =
      enquire.get_eset(40, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
  SearchResult r;
  std::vector<Xapian::Query> terms;
  for (auto t = eset.begin(); t != eset.end(); ++t) {
    terms.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                  Xapian::Query(*t), t.get_weight()));
  }
  if (terms.empty()) {
    r.commit = s.commit();
    return r;
  }
  Xapian::Query likeness(Xapian::Query::OP_OR, terms.begin(), terms.end());
  Xapian::Query query(Xapian::Query::OP_AND_NOT, likeness,
                      Xapian::Query(kPathPrefix + path));
  r = s.Run(query, options, db);
  std::size_t shown = 0;
  for (auto t = eset.begin(); t != eset.end() && shown < 12; ++t, ++shown) {
    r.terms.push_back(*t);
  }
  return r;
}

}  // namespace

Result<SearchResult> Search(const Corpus& corpus, const std::string& query,
                            const SearchOptions& options) {
  return Guarded(corpus, [&]() -> Result<SearchResult> {
    Searcher s(corpus);
    if (Status st = s.Open(); !st.ok()) return st;
    QueryBuilder builder(s.table(), s.extra_fields(), s.db());
    Xapian::Query q =
        Trim(query).empty() ? Xapian::Query::MatchAll : builder.Parse(query);
    SearchResult r = s.Run(q, options, s.db());
    // The parser corrects only words the index does not have.
    std::string corrected = builder.Corrected();
    if (!corrected.empty() && corrected != query) {
      Xapian::Query cq = builder.Parse(corrected);
      SearchResult c;
      if (r.total == 0 && (c = s.Run(cq, options, s.db())).total > 0) {
        // Nothing for what was typed: answer what was meant.
        c.corrected_query = corrected;
        c.corrected_total = c.total;
        c.used_correction = true;
        return c;
      }
      Xapian::Enquire e(s.db());
      e.set_query(cq);
      Xapian::MSet m = e.get_mset(0, 0, s.db().get_doccount());
      if (m.get_matches_estimated() > 0) {  // a correction that finds nothing
        r.corrected_query = corrected;      // is no help
        r.corrected_total = m.get_matches_estimated();
      }
    }
    return r;
  });
}

Result<SearchResult> SimilarToDocument(const Corpus& corpus,
                                       const std::string& id,
                                       const SearchOptions& options) {
  return Guarded(corpus, [&]() -> Result<SearchResult> {
    Searcher s(corpus);
    if (Status st = s.Open(); !st.ok()) return st;
    const IndexField* idf = s.table().ByName("id");
    std::string term = (idf ? idf->prefix : "Q") + NormaliseTerm(id);
    auto p = s.db().postlist_begin(term);
    if (p == s.db().postlist_end(term)) {
      return Status::NotFound("no document '" + id + "' in the index")
          .WithHint("give an id, or the path of a Markdown file");
    }
    Xapian::docid target = *p;
    std::string path = s.db().get_document(target).get_value(kPathSlot);
    return Similar(s, s.db(), target, path, options);
  });
}

Result<SearchResult> SimilarToText(const Corpus& corpus,
                                   const std::string& path,
                                   const std::string& text,
                                   const SearchOptions& options) {
  return Guarded(corpus, [&]() -> Result<SearchResult> {
    Searcher s(corpus);
    if (Status st = s.Open(); !st.ok()) return st;
    Document doc = ParseDocument(path, text);
    ResolveIdentity(corpus.schema(), doc);
    DocumentIndexer indexer(corpus.schema(), s.table());
    Xapian::WritableDatabase draft(std::string(), Xapian::DB_BACKEND_INMEMORY);
    draft.add_document(indexer.Build(doc, "", nullptr));
    // The draft is first in the combination, so it is docid 1.
    Xapian::Database both(draft);
    both.add_database(s.db());
    return Similar(s, both, 1, path, options);
  });
}

}  // namespace evrepo::index
