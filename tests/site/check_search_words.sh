#!/usr/bin/env bash
# The browser side of tests/site/words.tsv: theme/assets/search.js must split
# and stem every example exactly as the C++ indexer does
# (tests/core/site_words_test.cc checks the other side).
#
#   usage: check_search_words.sh SRCDIR
set -euo pipefail
src=$(realpath "$1")
command -v node >/dev/null || { echo "FAIL: node is needed"; exit 1; }
node - "$src/theme/assets/search.js" "$src/tests/site/words.tsv" <<'JS'
const fs = require('fs');
const api = require(process.argv[2]);
let bad = 0, n = 0;
for (const line of fs.readFileSync(process.argv[3], 'utf8').split('\n')) {
  if (!line || line.startsWith('#')) continue;
  const [text, want] = line.split('\t');
  const got = api.tokenize(text).map(api.stem).join(' ');
  n++;
  if (got !== want) { bad++; console.log(`MISS ${JSON.stringify(text)}: got "${got}", want "${want}"`); }
}
console.log(`${n - bad} of ${n} examples split and stemmed as the indexer does`);
process.exit(bad ? 1 : 0);
JS
