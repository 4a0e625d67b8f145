#!/usr/bin/env bash
# The site's search index holds each document's words as search.js will
# look them up: on five documents of known words, every word of the title,
# summary, headings and body is a term whose postings name the document,
# with the word's count and the title bit on the title's words; a word of
# another document does not name it; no term holds a character search.js
# would split on; the lengths part gives each document's count of words;
# and of two documents that use a word once, search.js ranks the shorter
# first (BM25's length normalisation, applied from the lengths part; the
# shorter comes second in path order, so a tie would rank it second).
#
#   usage: check_search_terms.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" search-terms
command -v node >/dev/null || { echo "FAIL: node is needed"; exit 1; }
cp "$src/tests/fixtures/basic/evrepo.yml" .
source "$src/tests/lib/toolkit.sh"
doc() { toolkit "$1" "$2" "$3" public "" "$4"; }  # id title summary body
doc alpha-guide "Frobnicating Widgets" "Quarterly zeugmas." \
  "# Frobnicating Widgets

## Plinths and cornices

Quuxification of widgets. The quuxification's zorblatt, in 2007."
doc beta-guide "Bicycle Sheds" "Committees, mostly." \
  "Every committee debates the bicycle shed."
doc gamma-guide "Ledgers" "Nothing here." "Plain text."
doc zeta-guide "Short note" "Tea." "Zanzibar."
doc epsilon-guide "Long note" "Tea." \
  "Zanzibar, and then a great many other words about nothing in particular."
git add -A && git -c commit.gpgsign=false commit -q -m "five guides"
"$evrepo" publish --out "$work/site" >/dev/null

node - "$work/site" "$src/theme/assets/search.js" <<'JS'
const fs = require('fs'), path = require('path');
const [site, searchJs] = process.argv.slice(2);
const { tokenize, stem, createIndex } = require(searchJs);
const dir = path.join(site, 'assets', 'search');
const calls = {};
global.EVREPO_SEARCH_PART = (id, data) => { calls[id] = data; };
global.window = {};
eval(fs.readFileSync(path.join(site, 'assets', 'search-index.js'), 'utf8'));
const meta = window.EVREPO_SEARCH;
for (const f of fs.readdirSync(dir)) eval(fs.readFileSync(path.join(dir, f), 'utf8'));
// Document numbers, from the document parts.
const number = {};
for (let k = 0; calls[`d-${k}`]; k++) {
  calls[`d-${k}`].forEach((row, j) => { number[row[0]] = k * meta.per + j; });
}
// Every term's postings, as {doc: weight}.
const postings = {};
for (const [, id] of meta.parts) {
  for (const [term, list] of Object.entries(calls[id])) {
    const p = {};
    for (let i = 0, doc = 0; i < list.length; i += 2) {
      doc = i ? doc + list[i] : list[i];
      p[doc] = list[i + 1];
    }
    postings[term] = p;
  }
}
let bad = 0;
const fail = (m) => { bad++; console.log('FAIL: ' + m); };
const alpha = number['documents/alpha-guide.html'];
const beta = number['documents/beta-guide.html'];
if (alpha === undefined || beta === undefined) fail('a guide is missing from the document parts');
const words = (text) => tokenize(text).map(stem);
const text = 'Frobnicating Widgets Quarterly zeugmas. Frobnicating Widgets ' +
  'Plinths and cornices Quuxification of widgets. ' +
  "The quuxification's zorblatt, in 2007.";
for (const w of words(text)) {
  const p = postings[w];
  if (!p || !(alpha in p)) fail(`"${w}" does not lead to alpha-guide`);
}
for (const w of words('Frobnicating Widgets')) {
  if (postings[w] && postings[w][alpha] % 2 !== 1) fail(`title word "${w}" is not marked as one`);
}
for (const w of words('Quuxification zorblatt')) {
  if (postings[w] && postings[w][alpha] % 2 !== 0) fail(`"${w}" is marked as a title word`);
}
if (!postings.quuxification || postings.quuxification[alpha] !== 2 * 2) {
  fail('"quuxification", used twice, is not posted with a count of 2');
}
if (!postings.zorblatt || postings.zorblatt[alpha] !== 2 * 1) {
  fail('"zorblatt", used once, is not posted with a count of 1');
}
const lengths = calls.l;
if (!Array.isArray(lengths) || lengths.length !== meta.n) {
  fail('the lengths part does not give a length for each document');
} else if (lengths[alpha] !== words(text).length) {
  fail(`alpha-guide's length is ${lengths[alpha]}, not its ${words(text).length} words`);
}
for (const w of words('bicycle committee')) {
  if (!postings[w] || alpha in postings[w] || !(beta in postings[w])) fail(`"${w}" leads to the wrong guides`);
}
for (const term of Object.keys(postings)) {
  if (words(term).join(' ') !== term) fail(`term "${term}" is not a word as search.js finds them`);
}
if (postings.quuxification1 || postings.zorblatt1) fail('counts are glued to their words');
(async () => {
  const index = createIndex(meta, async (id) => calls[id]);
  const found = (await index.search('zanzibar', {})).map((r) => r.doc);
  const short = number['documents/zeta-guide.html'];
  const long = number['documents/epsilon-guide.html'];
  if (found.length !== 2 || found[0] !== short || found[1] !== long) {
    fail(`"zanzibar" ranks ${JSON.stringify(found)}, not the shorter guide ${short} before ${long}`);
  }
  console.log(bad ? `${bad} problems` : `ok: ${Object.keys(postings).length} terms, each document's words lead to it, the shorter ranks first`);
  process.exit(bad ? 1 : 0);
})();
JS
