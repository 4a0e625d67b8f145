#!/usr/bin/env bash
# Precedents are found: `evrepo similar` over the sample corpus must put,
# for every case study, another wave of the same organisation's study first,
# and for every document that supersedes another, the superseded one in its
# top 3.  The pairs are read from the corpus itself (file names and the
# supersedes field), so new documents are judged too.
#
#   usage: check_precedents.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" precedents
cp -r "$src/corpus/." .
"$evrepo" add . -m "corpus" >/dev/null
"$evrepo" index >/dev/null

checked=0
missed=0
judge() {  # id, expected id pattern, how many places, what it is
  local top
  top=$("$evrepo" similar --no-update --format ids -n "$3" "$1" | tr '\n' ' ')
  checked=$((checked + 1))
  if [[ " $top" == *" "$2* ]]; then
    printf 'ok    %-45s %s\n' "$1" "$4"
  else
    printf 'MISS  %-45s %s; got: %s\n' "$1" "$4" "$top"
    missed=$((missed + 1))
  fi
}

for f in case-studies/*-wave-*.md; do
  id=$(basename "$f" .md)
  judge "$id" "${id%-wave-*}-wave-" 1 "another wave first"
done
for f in $(grep -l '^supersedes:' -r --include='*.md' .); do
  id=$(basename "$f" .md)
  for old in $(sed -n 's/^supersedes: *//p' "$f" | tr -d '[],'); do
    judge "$id" "$old " 3 "supersedes $old: in the top 3"
  done
done
echo "$((checked - missed)) of $checked precedents found"
[[ $missed -eq 0 && $checked -ge 10 ]]
