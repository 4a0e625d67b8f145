/*
 * evrepo client-side search.
 *
 * Works from file:// with no fetch or XHR: everything arrives as scripts. The
 * index is split (format 3) so that a query loads a small meta file, the term
 * parts holding its words, the documents' lengths and the document parts of
 * the results shown, not the whole index. `evrepo publish`
 * (repo-tool/src/site.cc) writes:
 *
 * assets/search-index.js, loaded by search.html with <script defer> first:
 *
 *   window.EVREPO_SEARCH = {
 *     v: 3,
 *     n: 9210,                  // documents, numbered 0..n-1 (in path order)
 *     per: 10,                  // documents per document part
 *     types: [["case-study", "Case study"], ...],  // [key, label] by label
 *     tags:  [["tag-key", "Tag label"], ...],      // [key, label] by label
 *     years: ["2007", "2006", ...],                // newest first
 *     parts: [["", "t-1a2b3c4d"], ["commission", "t-99aa00bb"], ...]
 *   };
 *
 *   parts lists the term parts in term order: part i holds exactly the terms
 *   t with parts[i][0] <= t < parts[i+1][0], and parts[0][0] is "" (the list
 *   is empty when no document has a word). Terms compare in code point order
 *   (the C++ side sorts UTF-8 bytes), never by JavaScript's UTF-16 "<".
 *
 * assets/search/ID.js, one file per part, each a single call
 *
 *   EVREPO_SEARCH_PART("ID", data);
 *
 * to the global function this script defines. The parts:
 *
 *   t-XXXXXXXX  {"term": [doc, w, doc, w, ...], ...}: a term's postings,
 *       documents ascending, each doc written as the gap from the previous
 *       one (the first as the document number itself). w = 2 * tf + title:
 *       tf >= 1 is the term's count in the document, and title is 1 when the
 *       term is among the stemmed words of the document's title. Counts, not
 *       weights: the length normalisation comes from l (below), so a
 *       document whose length changes rewrites l and the postings of the
 *       words whose counts changed, not every posting it has.
 *   l           [len, ...]: each document's length, its number of words
 *       (repeats counted), by document number.
 *   d-K         [[url, title, type label, date, summary], ...]: documents
 *       K * per .. K * per + per - 1; url is relative to the site root, date
 *       is YYYY-MM-DD or "", summary may be "".
 *   f           {"type": [typeIndex, ...], "date": [20061114, ...],
 *                "tags": [[tagIndex, ...], ...]} per document: indexes into
 *       types and tags above; date is YYYYMMDD, 0 when there is none.
 *
 * In every file the characters < > & inside strings are written \u003c
 * \u003e \u0026. A part is loaded at most once, by appending
 * <script src="assets/search/ID.js"> (allowed by the pages' CSP,
 * script-src 'self'); it has loaded when it has called EVREPO_SEARCH_PART.
 * If a part cannot be loaded the page says the index could not be loaded.
 *
 * Words (the C++ indexer must find exactly the same ones): runs of Unicode
 * letters and digits, /[\p{L}\p{N}]+/gu, i.e. general categories Lu Ll Lt Lm
 * Lo Nd Nl No; everything else, marks and "_" included, separates words. Each
 * word is lower-cased code point by code point with the Unicode simple
 * mapping (U+0130 becomes "i"), then stemmed.
 *
 * Stemmer (lengths count Unicode code points, not bytes; only these suffix
 * tests are applied):
 *   1. if the word ends in "ies" and is longer than 4: replace "ies" with "y";
 *      else if it ends in "es", is longer than 4, and either the letter before
 *        "es" is s, x or z or the word ends in "ches" or "shes": drop "es";
 *      else if it ends in "s", is longer than 3 and does not end in "ss", "us"
 *        or "is": drop "s".
 *      (A word ending in "es" that fails the "es" test falls through to the
 *      "s" test: "notes" -> "note".)
 *   2. then, on the result of step 1: if it ends in "ing" and is longer than
 *      5: drop "ing"; else if it ends in "ed" and is longer than 4: drop "ed".
 *   Examples: studies -> study, boxes -> box, churches -> church,
 *   notes -> note, process -> process, status -> status, analysis -> analysis,
 *   buildings -> build, contracting -> contract, funded -> fund, bed -> bed,
 *   ties -> tie, sing -> sing.
 *
 * Matching: every query word must match (AND). Each word matches its stem; the
 * last word, while it is still being typed, also matches the MAX_EXPANSIONS
 * terms with the most postings among those that start with it (so every term
 * part whose range can hold such a term is loaded). A word scores in a
 * document, for the term that scores best there,
 *   weight * idf * f  (+ weight * TITLE_BOOST * idf when title is 1)
 * with f = tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avglen)), BM25's
 * term-frequency factor (k1 = 1.2, b = 0.75; len from l, avglen its mean),
 * weight 1 for the word's stem and PREFIX_WEIGHT for an expansion, and
 * idf = ln(1 + (n - df + 0.5) / (df + 0.5)), df being the term's number of
 * postings: BM25. A document's score is the sum
 * over the words; results are ranked by score, highest first, then by
 * document number. Filters (type, tag, year) load f and keep only the
 * documents that pass; with filters but no words every passing document is
 * listed, newest first (date descending, then document number).
 *
 * The page shows the count of all matches ("N documents") and the first PAGE
 * results, loading only their document parts; a "Show more" button adds PAGE
 * more each time. When queries come faster than parts load, only the latest
 * query's results are rendered.
 *
 * The page needs #q (input), #type, #tag and #year (selects whose first option
 * has value "") and #results; #search-form is optional. ?q=, ?type=, ?tag= and
 * ?year= in the address fill them on load.
 *
 * Plain ES2017 plus Unicode property escapes; no dependencies. Under Node the
 * pure functions are exported for tests and nothing touches the DOM.
 */
(function () {
  'use strict';

  const K1 = 1.2;                // BM25 k1
  const B = 0.75;               // BM25 b
  const PREFIX_WEIGHT = 0.8;    // a prefix-only match counts a little less
  const TITLE_BOOST = 0.5;      // extra idf for a query word found in the title
  const MAX_EXPANSIONS = 64;    // prefix terms kept, most postings first
  const MIN_PREFIX = 1;         // a last word this long or longer also matches as a prefix
  const PAGE = 20;              // results shown at first, and added by "Show more"

  // The script's own address, for finding the parts beside it (search.js is
  // in assets/, the parts in assets/search/). Only readable while the script
  // first runs.
  const SELF = typeof document !== 'undefined' && document.currentScript
    ? document.currentScript.src : '';

  const WORD = /[\p{L}\p{N}]+/gu;

  // Unicode simple lower-case mapping, one code point at a time: no
  // context-dependent final sigma, and U+0130 (İ) becomes plain "i".
  function lower(word) {
    let out = '';
    for (const c of word) out += c === '\u0130' ? 'i' : c.toLowerCase();
    return out;
  }

  function tokenize(text) {
    return (String(text).match(WORD) || []).map(lower);
  }

  function codePoints(s) {
    return Array.from(s).length;
  }

  function stem(word) {
    let w = lower(word);
    let n = codePoints(w);
    if (w.endsWith('ies') && n > 4) {
      w = w.slice(0, -3) + 'y';
      n -= 2;
    } else if (w.endsWith('es') && n > 4 &&
               ('sxz'.includes(w.charAt(w.length - 3)) ||
                w.endsWith('ches') || w.endsWith('shes'))) {
      w = w.slice(0, -2);
      n -= 2;
    } else if (w.endsWith('s') && n > 3 &&
               !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) {
      w = w.slice(0, -1);
      n -= 1;
    }
    if (w.endsWith('ing') && n > 5) {
      w = w.slice(0, -3);
    } else if (w.endsWith('ed') && n > 4) {
      w = w.slice(0, -2);
    }
    return w;
  }

  // ---- The index: pure functions over its parts ------------------------------

  // Compares two terms by code points (the order of the C++ side's UTF-8
  // bytes). JavaScript's "<" compares UTF-16 code units, which puts
  // U+E000..U+FFFF after the surrogates that encode code points above U+FFFF.
  function compareTerms(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      let x = a.charCodeAt(i);
      let y = b.charCodeAt(i);
      if (x !== y) {
        // Move surrogates (D800..DFFF) above E000..FFFF.
        if (x >= 0xD800) x += x >= 0xE000 ? -0x800 : 0x2000;
        if (y >= 0xD800) y += y >= 0xE000 ? -0x800 : 0x2000;
        return x - y;
      }
    }
    return a.length - b.length;
  }

  // The index in parts (meta.parts) of the term part whose range holds term:
  // the last i with parts[i][0] <= term; -1 when there are no parts.
  function partOf(parts, term) {
    let lo = 0;
    let hi = parts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareTerms(parts[mid][0], term) <= 0) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  // Indexes of every term part whose range can hold a term that starts with
  // prefix. Terms with a prefix are contiguous in code point order, so these
  // are the part holding the prefix itself and the parts after it whose
  // first term starts with the prefix.
  function partsForPrefix(parts, prefix) {
    const first = partOf(parts, prefix);
    if (first < 0) return [];
    const out = [first];
    for (let i = first + 1; i < parts.length && parts[i][0].startsWith(prefix); i++) out.push(i);
    return out;
  }

  // The query as a list of words: {word, stem, prefix}; prefix is true for
  // the last word while it is being typed (the text ends in a letter or digit).
  function parseQuery(query) {
    const text = String(query || '');
    const raw = tokenize(text);
    const typing = /[\p{L}\p{N}]$/u.test(text);
    const words = [];
    const seen = new Set();
    raw.forEach((w, i) => {
      const s = stem(w);
      const prefix = typing && i === raw.length - 1 && codePoints(w) >= MIN_PREFIX;
      const key = (prefix ? '*' + w + ' ' : '') + s;
      if (seen.has(key)) return;
      seen.add(key);
      words.push({ word: w, stem: s, prefix: prefix });
    });
    return words;
  }

  function idf(n, df) {
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  // The terms one query word matches, as a Map term -> weight. candidates are
  // the indexed terms that start with word.word, in code point order (only
  // looked at for a prefix word); postingsOf(term) returns a term's postings.
  function wordTerms(word, candidates, postingsOf) {
    const weights = new Map([[word.stem, 1]]);
    if (!word.prefix) return weights;
    let terms = candidates;
    if (terms.length > MAX_EXPANSIONS) {
      // Stable sort: among equally common terms, code point order decides.
      terms = terms.slice().sort((x, y) => postingsOf(y).length - postingsOf(x).length);
      terms.length = MAX_EXPANSIONS;
    }
    for (const t of terms) {
      if (!weights.has(t)) weights.set(t, PREFIX_WEIGHT);
    }
    return weights;
  }

  // BM25's length normalisation of each document, k1 * (1 - b + b * len /
  // avglen), from the lengths part (a missing or broken length counts as
  // the average).
  function norms(lengths, n) {
    const len = (d) => (Array.isArray(lengths) && Number.isFinite(lengths[d]) &&
      lengths[d] >= 0 ? lengths[d] : NaN);
    let total = 0;
    let counted = 0;
    for (let d = 0; d < n; d++) {
      if (!Number.isNaN(len(d))) { total += len(d); counted++; }
    }
    const avg = counted && total > 0 ? total / counted : 1;
    const out = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      const l = Number.isNaN(len(d)) ? avg : len(d);
      out[d] = K1 * (1 - B + B * l / avg);
    }
    return out;
  }

  // One word's score in each document it matches, as a Map doc -> score: the
  // best of its terms there. n is the number of documents in the index,
  // norm[d] document d's length normalisation (see norms); postings are as
  // stored, document numbers as gaps.
  function wordScores(n, norm, weights, postingsOf) {
    const best = new Map();
    weights.forEach((weight, term) => {
      const p = postingsOf(term);
      if (!p.length) return;
      const termIdf = idf(n, p.length / 2);
      let d = 0;
      for (let j = 0; j + 1 < p.length; j += 2) {
        d += p[j];
        const w = p[j + 1];
        const tf = Math.floor(w / 2);
        const f = tf * (K1 + 1) / (tf + (norm[d] || K1));
        let s = weight * termIdf * f;
        if (w % 2 === 1) s += weight * TITLE_BOOST * termIdf;
        if (!(best.get(d) >= s)) best.set(d, s);
      }
    });
    return best;
  }

  // The documents every word matches (AND), scores summed: [{doc, score}],
  // ranked by score, highest first, then by document number.
  function combine(perWord) {
    if (!perWord.length) return [];
    let scores = perWord[0];
    for (let i = 1; i < perWord.length && scores.size; i++) {
      const next = new Map();
      scores.forEach((s, d) => {
        if (perWord[i].has(d)) next.set(d, s + perWord[i].get(d));
      });
      scores = next;
    }
    const out = [];
    scores.forEach((score, doc) => out.push({ doc: doc, score: score }));
    return out.sort(byScore);
  }

  function byScore(a, b) {
    return (b.score - a.score) || (a.doc - b.doc);
  }

  // A predicate on document numbers for the filters {type, tag, year} (keys
  // and a year as in meta; missing or "" means any), over the f part.
  function filterTest(meta, f, filters) {
    const tests = [];
    if (filters.type) {
      const t = (meta.types || []).findIndex((x) => x[0] === filters.type);
      tests.push((d) => f.type[d] === t);
    }
    if (filters.tag) {
      const t = (meta.tags || []).findIndex((x) => x[0] === filters.tag);
      tests.push((d) => (f.tags[d] || []).includes(t));
    }
    if (filters.year) {
      const y = Number(filters.year);
      tests.push((d) => f.date[d] > 0 && Math.floor(f.date[d] / 10000) === y);
    }
    return (d) => tests.every((test) => test(d));
  }

  // Every document that passes the filters, newest first (then by number).
  function listNewest(meta, f, filters) {
    const pass = filterTest(meta, f, filters);
    const out = [];
    for (let d = 0; d < meta.n; d++) {
      if (pass(d)) out.push({ doc: d, score: 0 });
    }
    return out.sort((a, b) => ((f.date[b.doc] || 0) - (f.date[a.doc] || 0)) || (a.doc - b.doc));
  }

  function hasFilter(filters) {
    return Object.keys(filters || {}).some((k) => filters[k]);
  }

  function validMeta(meta) {
    return !!meta && meta.v === 3 && Number.isInteger(meta.n) && meta.n >= 0 &&
      Number.isInteger(meta.per) && meta.per > 0 && Array.isArray(meta.parts);
  }

  const own = Object.prototype.hasOwnProperty;
  const NONE = [];

  // The search over an index: meta is window.EVREPO_SEARCH, load(id) returns
  // a Promise of part id's data (and must load each part only once). Both
  // methods reject when a part cannot be loaded.
  //   search(query, filters) -> Promise of [{doc, score}], ranked; an empty
  //     query lists the documents that pass the filters, newest first (and
  //     no filter either gives []).
  //   documents(numbers) -> Promise of [{u, t, y, d, s}], in the same order.
  function createIndex(meta, load) {
    const parts = meta.parts;
    const sortedTerms = new Map();  // term part index -> its terms, code point order
    let norm = null;  // Promise of the documents' length normalisation

    function termsOf(i, data) {
      if (!sortedTerms.has(i)) sortedTerms.set(i, Object.keys(data).sort(compareTerms));
      return sortedTerms.get(i);
    }

    async function search(query, filters) {
      const words = parseQuery(query);
      const filtered = hasFilter(filters);
      const f = filtered ? load('f') : null;
      if (!words.length) return filtered ? listNewest(meta, await f, filters) : [];

      const needed = new Set();
      for (const w of words) {
        const i = partOf(parts, w.stem);
        if (i >= 0) needed.add(i);
        if (w.prefix) partsForPrefix(parts, w.word).forEach((j) => needed.add(j));
      }
      if (!norm) norm = load('l').then((lengths) => norms(lengths, meta.n));
      const loaded = new Map();
      await Promise.all(Array.from(needed, (i) =>
        load(parts[i][1]).then((data) => { loaded.set(i, data || {}); })));
      const docNorm = await norm;

      const postingsOf = (term) => {
        const data = loaded.get(partOf(parts, term));
        const p = data && own.call(data, term) ? data[term] : null;
        return Array.isArray(p) ? p : NONE;
      };
      const perWord = words.map((w) => {
        const candidates = [];
        if (w.prefix) {
          for (const i of partsForPrefix(parts, w.word)) {
            for (const t of termsOf(i, loaded.get(i))) {
              if (t.startsWith(w.word)) candidates.push(t);
            }
          }
        }
        return wordScores(meta.n, docNorm, wordTerms(w, candidates, postingsOf), postingsOf);
      });
      let found = combine(perWord);
      if (filtered) {
        const pass = filterTest(meta, await f, filters);
        found = found.filter((r) => pass(r.doc));
      }
      return found;
    }

    async function documents(numbers) {
      const ids = new Set(numbers.map((d) => 'd-' + Math.floor(d / meta.per)));
      const loaded = new Map();
      await Promise.all(Array.from(ids, (id) =>
        load(id).then((data) => { loaded.set(id, data); })));
      return numbers.map((d) => {
        const rows = loaded.get('d-' + Math.floor(d / meta.per));
        const row = Array.isArray(rows) ? rows[d % meta.per] : null;
        if (!Array.isArray(row)) throw new Error('document ' + d + ' is not in its part');
        return { u: String(row[0]), t: row[1] || '', y: row[2] || '', d: row[3] || '', s: row[4] || '' };
      });
    }

    return { search: search, documents: documents };
  }

  function countText(n) {
    return n === 0 ? 'No documents match' : n === 1 ? '1 document' : n + ' documents';
  }

  const api = {
    tokenize: tokenize, stem: stem, compareTerms: compareTerms, partOf: partOf,
    partsForPrefix: partsForPrefix, parseQuery: parseQuery, wordTerms: wordTerms,
    norms: norms, wordScores: wordScores, combine: combine, filterTest: filterTest,
    listNewest: listNewest, validMeta: validMeta, createIndex: createIndex,
    countText: countText, PAGE: PAGE,
  };

  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document === 'undefined') return;

  // ---- Loading parts -----------------------------------------------------------

  const partsBase = SELF ? new URL('search/', SELF).href : 'assets/search/';
  const registered = new Map();   // part id -> data, once its script has run
  const loading = new Map();      // part id -> Promise of its data

  // Each part's script calls this. A part that was not asked for (or arrives
  // twice) is kept, not an error.
  window.EVREPO_SEARCH_PART = function (id, data) {
    registered.set(String(id), data);
  };

  function loadPart(id) {
    if (!loading.has(id)) {
      const p = new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = partsBase + encodeURIComponent(id) + '.js';
        // The load event follows the script's run, so by then the part has
        // registered itself, or never will.
        script.addEventListener('load', () => {
          if (registered.has(id)) resolve(registered.get(id));
          else reject(new Error(script.src + ' did not call EVREPO_SEARCH_PART("' + id + '", …)'));
        });
        script.addEventListener('error', () => {
          reject(new Error('cannot load ' + script.src));
        });
        document.head.appendChild(script);
      });
      // A failed part may be asked for again by a later query.
      p.catch(() => { loading.delete(id); });
      loading.set(id, p);
    }
    return loading.get(id);
  }

  // ---- Page wiring ---------------------------------------------------------------

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function fillSelect(select, options, wanted) {
    if (!select) return;
    for (const o of options) {
      const opt = el('option', '', o.label);
      opt.value = o.value;
      select.appendChild(opt);
    }
    if (wanted && options.some((o) => o.value === wanted)) select.value = wanted;
  }

  function resultItem(d) {
    const li = el('li', 'item');
    const h = el('h2', 'item-title');
    const a = el('a', '', d.t || d.u);
    a.href = d.u;
    h.appendChild(a);
    li.appendChild(h);
    const meta = el('p', 'item-meta');
    if (d.y) meta.appendChild(el('span', 'item-type', d.y));
    if (d.d) {
      if (d.y) meta.appendChild(document.createTextNode(' '));
      const time = el('time', '', d.d);
      time.dateTime = d.d;
      meta.appendChild(time);
    }
    li.appendChild(meta);
    if (d.s) li.appendChild(el('p', 'item-summary', d.s));
    return li;
  }

  function message(container, text) {
    container.textContent = '';
    container.appendChild(el('p', 'result-count', text));
  }

  function init() {
    const input = document.getElementById('q');
    const results = document.getElementById('results');
    if (!input || !results) return;
    const selects = {
      type: document.getElementById('type'),
      tag: document.getElementById('tag'),
      year: document.getElementById('year'),
    };
    const failed = () => message(results,
      'The search index could not be loaded. Browse by type, tag, partner or year instead.');
    const meta = window.EVREPO_SEARCH;
    if (!validMeta(meta)) {
      failed();
      return;
    }
    const index = createIndex(meta, loadPart);
    const params = new URLSearchParams(window.location.search);
    const options = (pairs) => (Array.isArray(pairs) ? pairs : [])
      .map((p) => ({ value: String(p[0]), label: String(p[1]) }));
    fillSelect(selects.type, options(meta.types), params.get('type'));
    fillSelect(selects.tag, options(meta.tags), params.get('tag'));
    fillSelect(selects.year, (meta.years || []).map((y) => ({ value: String(y), label: String(y) })),
               params.get('year'));
    if (params.has('q')) input.value = params.get('q');

    function current() {
      const filters = {};
      Object.keys(selects).forEach((k) => {
        if (selects[k] && selects[k].value) filters[k] = selects[k].value;
      });
      return filters;
    }

    function remember(query, filters) {
      const p = new URLSearchParams();
      if (query) p.set('q', query);
      Object.keys(filters).forEach((k) => p.set(k, filters[k]));
      const qs = p.toString();
      try {
        window.history.replaceState(null, '', qs ? '?' + qs : window.location.pathname);
      } catch (e) {
        // Some browsers refuse to rewrite file:// addresses; searching still works.
      }
    }

    // Every update and every "Show more" belongs to one generation; work
    // that finishes after a newer update has started is dropped.
    let generation = 0;

    function render(found, first) {
      results.textContent = '';
      results.appendChild(el('p', 'result-count', countText(found.length)));
      if (!found.length) return;
      const list = el('ol', 'items results');
      first.forEach((d) => list.appendChild(resultItem(d)));
      results.appendChild(list);
      if (first.length >= found.length) return;

      let shown = first.length;
      let busy = false;
      const more = el('p', 'result-more');
      const button = el('button', '', 'Show more');
      button.type = 'button';
      more.appendChild(button);
      results.appendChild(more);
      const gen = generation;
      button.addEventListener('click', () => {
        if (busy) return;
        busy = true;
        button.setAttribute('aria-disabled', 'true');
        const next = found.slice(shown, shown + PAGE).map((r) => r.doc);
        index.documents(next).then((docs) => {
          if (gen !== generation) return;
          const items = docs.map(resultItem);
          items.forEach((li) => list.appendChild(li));
          shown += items.length;
          busy = false;
          button.removeAttribute('aria-disabled');
          if (shown >= found.length) more.remove();
          // Focus moves to the first new result, so keyboard and screen
          // reader users carry on reading where the list grew.
          if (items.length) items[0].querySelector('a').focus();
        }, (e) => {
          if (gen !== generation) return;
          if (window.console) window.console.error(e.message);
          failed();
        });
      });
    }

    function update() {
      const gen = ++generation;
      const query = input.value;
      const filters = current();
      remember(query.trim() ? query : '', filters);
      if (!tokenize(query).length && !hasFilter(filters)) {
        message(results, 'Type a word to search, or choose a type, tag or year.');
        return;
      }
      results.setAttribute('aria-busy', 'true');
      index.search(query, filters)
        .then((found) => index.documents(found.slice(0, PAGE).map((r) => r.doc))
          .then((first) => {
            if (gen === generation) render(found, first);
          }))
        .catch((e) => {
          if (gen !== generation) return;
          if (window.console) window.console.error(e.message);
          failed();
        })
        .then(() => {
          if (gen === generation) results.removeAttribute('aria-busy');
        });
    }

    input.addEventListener('input', update);
    Object.keys(selects).forEach((k) => {
      if (selects[k]) selects[k].addEventListener('change', update);
    });
    const form = document.getElementById('search-form');
    if (form) {
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        update();
      });
    }
    update();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
