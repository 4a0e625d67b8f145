#!/usr/bin/env bash
# Long listings are paginated: 120 public documents with one tag give that
# tag's listing three pages of at most 50, linked to each other, each
# document listed exactly once; withheld documents count nowhere.
#
#   usage: check_pages.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" pages
cp "$src/tests/fixtures/basic/evrepo.yml" .
mkdir toolkits
for i in $(seq -w 1 125); do
  conf=public
  [[ $((10#$i)) -gt 120 ]] && conf=internal
  cat > "toolkits/checklist-$i.md" <<DOC
---
id: checklist-$i
title: Checklist number $i
type: toolkit
date: 2007-01-01
authors: [Gareth Price]
tags: [brokerage]
summary: Checklist $i for buyer engagement.
confidentiality: $conf
status: final
service: brokerage
audience: social-enterprises
formats: [checklist]
---
# Checklist number $i

Words for checklist $i.
DOC
done
git add -A . && git commit -q -m "many checklists"
"$evrepo" publish --out "$work/site" >/dev/null
cd "$work/site/tags"
fail() { echo "FAIL: $*"; exit 1; }
[[ -f brokerage.html && -f brokerage-2.html && -f brokerage-3.html ]] || fail "expected brokerage.html, -2 and -3"
[[ ! -e brokerage-4.html ]] || fail "a fourth page for 120 documents"
listed=$(cat brokerage.html brokerage-2.html brokerage-3.html | grep -o 'documents/checklist-[0-9]*\.html' | sort)
[[ $(wc -l <<<"$listed") -eq 120 ]] || fail "$(wc -l <<<"$listed") listed, not 120"
[[ $(sort -u <<<"$listed" | wc -l) -eq 120 ]] || fail "a document listed twice"
for p in brokerage.html brokerage-2.html brokerage-3.html; do
  n=$(grep -o 'documents/checklist-[0-9]*\.html' "$p" | wc -l)
  [[ $n -le 50 ]] || fail "$p lists $n documents"
done
grep -q 'href="brokerage-2.html"' brokerage.html || fail "page 1 does not link to page 2"
grep -q 'href="brokerage.html"' brokerage-3.html || fail "page 3 does not link back to page 1"
grep -q '>120<' index.html || fail "the tag index does not count 120"
if grep -r -q 'checklist-12[1-5]' "$work/site"; then fail "a withheld checklist is on the site"; fi
echo "ok: 120 documents over three linked pages of at most 50; the 5 withheld ones appear nowhere"
