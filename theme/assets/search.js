/*
 * evrepo client-side search.
 *
 * Works from file:// with no fetch or XHR: the page loads the index first with
 * <script src="assets/search-index.js" defer>, which `evrepo publish` writes as
 *
 *   window.EVREPO_SEARCH = {
 *     docs: [ { u: "documents/x.html",  // URL relative to the site root
 *               t: "Title",
 *               y: "Case study",        // type label
 *               k: "case-study",        // type key
 *               d: "2006-11-14",        // date, YYYY-MM-DD (may be "")
 *               s: "Summary",
 *               g: ["tag-key", ...],    // tag keys
 *               l: 1234 },              // document length in terms
 *             ... ],
 *     terms: { "stemmed-term": [docIndex, termFrequency, docIndex, tf, ...], ... },
 *     tags:  { "tag-key": "Tag label", ... }   // optional; keys are shown if absent
 *   };
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
 * last word, while it is still being typed, also matches every term that
 * starts with it. Documents are ranked by BM25 over the postings, with a small
 * bonus for words found in the title, then by date (newest first).
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

  const K1 = 1.2;
  const B = 0.75;
  const PREFIX_WEIGHT = 0.8;    // a prefix-only match counts a little less
  const TITLE_BOOST = 0.5;      // extra idf for a query word found in the title
  const MAX_EXPANSIONS = 64;    // prefix terms kept, most frequent first
  const MIN_PREFIX = 1;         // a last word this long or longer also matches as a prefix
  const MAX_SHOWN = 200;        // results rendered at once

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

  // Derived data computed once per index: sorted terms for prefix lookup,
  // average length, stemmed title words.
  function prepare(index) {
    const docs = index.docs || [];
    const terms = index.terms || {};
    let total = 0;
    for (const d of docs) total += d.l || 0;
    return {
      docs: docs,
      terms: terms,
      tags: index.tags || {},
      sorted: Object.keys(terms).sort(),
      avgdl: docs.length && total ? total / docs.length : 1,
      titles: docs.map((d) => new Set(tokenize(d.t || '').map(stem))),
    };
  }

  function postings(prep, term) {
    const p = prep.terms[term];
    return Array.isArray(p) ? p : [];
  }

  function idf(prep, term) {
    const df = postings(prep, term).length / 2;
    const n = prep.docs.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  // Terms that start with prefix, most frequent first, at most MAX_EXPANSIONS.
  function prefixTerms(prep, prefix) {
    const a = prep.sorted;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    const out = [];
    for (let i = lo; i < a.length && a[i].startsWith(prefix); i++) out.push(a[i]);
    if (out.length > MAX_EXPANSIONS) {
      out.sort((x, y) => postings(prep, y).length - postings(prep, x).length);
      out.length = MAX_EXPANSIONS;
    }
    return out;
  }

  // The query as a list of words, each {term, prefix, weights: Map term->weight}.
  function parseQuery(prep, query) {
    const text = String(query || '');
    const raw = tokenize(text);
    const typing = /[\p{L}\p{N}]$/u.test(text);
    const words = [];
    const seen = new Set();
    raw.forEach((w, i) => {
      const s = stem(w);
      const last = typing && i === raw.length - 1;
      const key = (last ? '*' : '') + s;
      if (seen.has(key)) return;
      seen.add(key);
      const weights = new Map([[s, 1]]);
      if (last && codePoints(w) >= MIN_PREFIX) {
        for (const t of prefixTerms(prep, w)) {
          if (!weights.has(t)) weights.set(t, PREFIX_WEIGHT);
        }
      }
      words.push({ word: w, stem: s, weights: weights });
    });
    return words;
  }

  function matchesFilters(doc, filters) {
    if (!filters) return true;
    if (filters.type && doc.k !== filters.type) return false;
    if (filters.tag && !(doc.g || []).includes(filters.tag)) return false;
    if (filters.year && String(doc.d || '').slice(0, 4) !== filters.year) return false;
    return true;
  }

  function byDate(a, b) {
    const da = a.doc.d || '';
    const db = b.doc.d || '';
    if (da !== db) return da < db ? 1 : -1;
    return (a.doc.t || '').localeCompare(b.doc.t || '');
  }

  // Returns [{doc, index, score}] best first. An empty query lists every
  // document that passes the filters, newest first.
  function search(prep, query, filters) {
    const words = parseQuery(prep, query);
    const results = [];
    if (!words.length) {
      prep.docs.forEach((doc, i) => {
        if (matchesFilters(doc, filters)) results.push({ doc: doc, index: i, score: 0 });
      });
      return results.sort(byDate);
    }
    let scores = null;  // Map docIndex -> score, narrowed word by word (AND)
    for (const w of words) {
      const best = new Map();
      w.weights.forEach((weight, term) => {
        const p = postings(prep, term);
        if (!p.length) return;
        const termIdf = idf(prep, term);
        const titleBonus = TITLE_BOOST * termIdf;
        for (let j = 0; j + 1 < p.length; j += 2) {
          const d = p[j];
          const tf = p[j + 1];
          const doc = prep.docs[d];
          if (!doc) continue;
          const norm = K1 * (1 - B + B * (doc.l || 0) / prep.avgdl);
          let s = weight * termIdf * (tf * (K1 + 1)) / (tf + norm);
          if (prep.titles[d].has(term)) s += weight * titleBonus;
          if (!best.has(d) || best.get(d) < s) best.set(d, s);  // best expansion
        }
      });
      if (scores === null) {
        scores = best;
      } else {
        const next = new Map();
        scores.forEach((s, d) => {
          if (best.has(d)) next.set(d, s + best.get(d));
        });
        scores = next;
      }
      if (!scores.size) break;
    }
    scores.forEach((score, i) => {
      const doc = prep.docs[i];
      if (matchesFilters(doc, filters)) results.push({ doc: doc, index: i, score: score });
    });
    return results.sort((a, b) => (b.score - a.score) || byDate(a, b));
  }

  // Option lists for the filters: [{value, label}].
  function facets(prep) {
    const types = new Map();
    const tags = new Set();
    const years = new Set();
    for (const d of prep.docs) {
      if (d.k) types.set(d.k, d.y || d.k);
      for (const g of d.g || []) tags.add(g);
      const y = String(d.d || '').slice(0, 4);
      if (/^\d{4}$/.test(y)) years.add(y);
    }
    const byLabel = (a, b) => a.label.localeCompare(b.label);
    return {
      type: Array.from(types, ([value, label]) => ({ value: value, label: label })).sort(byLabel),
      tag: Array.from(tags, (value) => ({ value: value, label: prep.tags[value] || value })).sort(byLabel),
      year: Array.from(years, (value) => ({ value: value, label: value })).sort((a, b) => b.value.localeCompare(a.value)),
    };
  }

  function countText(n) {
    return n === 0 ? 'No documents match' : n === 1 ? '1 document' : n + ' documents';
  }

  const api = {
    tokenize: tokenize, stem: stem, prepare: prepare, parseQuery: parseQuery,
    search: search, facets: facets, countText: countText,
  };

  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document === 'undefined') return;

  // ---- Page wiring -------------------------------------------------------

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

  function renderResults(container, results, hasQuery) {
    container.textContent = '';
    if (!hasQuery) {
      container.appendChild(el('p', 'result-count',
        'Type a word to search, or choose a type, tag or year.'));
      return;
    }
    container.appendChild(el('p', 'result-count', countText(results.length)));
    if (!results.length) return;
    const list = el('ol', 'items results');
    for (const r of results.slice(0, MAX_SHOWN)) {
      const d = r.doc;
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
      list.appendChild(li);
    }
    container.appendChild(list);
    if (results.length > MAX_SHOWN) {
      container.appendChild(el('p', 'result-more',
        'Showing the first ' + MAX_SHOWN + '. Add words or filters to narrow the search.'));
    }
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
    const index = window.EVREPO_SEARCH;
    if (!index || !Array.isArray(index.docs)) {
      results.textContent = '';
      results.appendChild(el('p', 'result-count',
        'The search index could not be loaded. Browse by type, tag, partner or year instead.'));
      return;
    }
    const prep = prepare(index);
    const params = new URLSearchParams(window.location.search);
    const f = facets(prep);
    Object.keys(selects).forEach((k) => fillSelect(selects[k], f[k], params.get(k)));
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

    function update() {
      const query = input.value;
      const filters = current();
      const hasQuery = tokenize(query).length > 0 || Object.keys(filters).length > 0;
      renderResults(results, hasQuery ? search(prep, query, filters) : [], hasQuery);
      remember(query.trim() ? query : '', filters);
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
