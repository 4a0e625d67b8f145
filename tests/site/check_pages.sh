#!/usr/bin/env bash
# Long listings are paginated: 120 public documents with one tag give that
# tag's listing three pages of at most 50, linked to each other, each
# document listed exactly once; withheld documents count nowhere.  A longer
# listing (420 more documents tagged otherwise, all of one year: 9 pages
# for that year) links each page to the first and last pages and the two on
# either side, with a gap marked where pages are left out.
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
for i in $(seq -w 1 420); do
  cat > "toolkits/guide-$i.md" <<DOC
---
id: guide-$i
title: Guide number $i
type: toolkit
date: 2009-01-01
authors: [Gareth Price]
tags: [tendering]
summary: Guide $i.
confidentiality: public
status: final
service: brokerage
audience: social-enterprises
formats: [checklist]
---
Words for guide $i.
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

# The year 2009: 420 documents, pages 2009.html and 2009-2.html to -9.html.
cd "$work/site/years"
[[ -f 2009-9.html && ! -e 2009-10.html ]] || fail "expected 9 pages for 2009"
# links LISTING: the page numbers LISTING's navigation links to, in order.
links() {
  sed -n '/class="pagination"/,/<\/nav>/p' "$1" |
    grep -o 'href="2009[-0-9]*\.html">[0-9]*<' | grep -o '>[0-9]*<' | tr -d '<>' |
    tr '\n' ' '
}
gaps() { grep -c 'class="page-gap"' "$1" || true; }
[[ $(links 2009.html) == "2 3 9 " ]] || fail "page 1 links to: $(links 2009.html)"
[[ $(gaps 2009.html) -eq 1 ]] || fail "page 1 marks $(gaps 2009.html) gaps"
[[ $(links 2009-5.html) == "1 3 4 6 7 9 " ]] || fail "page 5 links to: $(links 2009-5.html)"
[[ $(gaps 2009-5.html) -eq 2 ]] || fail "page 5 marks $(gaps 2009-5.html) gaps"
[[ $(links 2009-7.html) == "1 5 6 8 9 " ]] || fail "page 7 links to: $(links 2009-7.html)"
[[ $(gaps 2009-7.html) -eq 1 ]] || fail "page 7 marks $(gaps 2009-7.html) gaps"
grep -q 'aria-current="page">5<' 2009-5.html || fail "page 5 is not marked current"
echo "ok: 420 documents over 9 pages; each links to the first, the last and two on either side"
