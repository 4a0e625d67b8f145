#!/usr/bin/env bash
# The site's search index holds each document's words as search.js will
# look them up: on three documents of known words, every word of the title,
# summary, headings and body is a term whose postings name the document,
# with more weight for a word used twice than once and the title bit on the
# title's words; a word of another document does not name it; and no term
# holds a character search.js would split on.
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
git add -A && git -c commit.gpgsign=false commit -q -m "three guides"
"$evrepo" publish --out "$work/site" >/dev/null

node - "$work/site" "$src/theme/assets/search.js" <<'JS'
const fs = require('fs'), path = require('path');
const [site, searchJs] = process.argv.slice(2);
const { tokenize, stem } = require(searchJs);
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
if (postings.quuxification && postings.zorblatt &&
    !(postings.quuxification[alpha] > postings.zorblatt[alpha])) {
  fail('a word used twice weighs no more than one used once');
}
for (const w of words('bicycle committee')) {
  if (!postings[w] || alpha in postings[w] || !(beta in postings[w])) fail(`"${w}" leads to the wrong guides`);
}
for (const term of Object.keys(postings)) {
  if (words(term).join(' ') !== term) fail(`term "${term}" is not a word as search.js finds them`);
}
if (postings.quuxification1 || postings.zorblatt1) fail('counts are glued to their words');
console.log(bad ? `${bad} problems` : `ok: ${Object.keys(postings).length} terms, each document's words lead to it`);
process.exit(bad ? 1 : 0);
JS
