#!/usr/bin/env bash
# Publishing again after a change gives the very site a full publish gives,
# while rendering only the pages the change affects.
#
# Over a series of commits (a summary, a title others show, a document
# withheld and published again, a new one, a move that breaks relative
# links, a move with an edit, a deletion, a commit touching no document, the theme, an older
# revision), each step publishes into the same site (incrementally, from the
# last publish's record) and into a fresh directory (everything rendered),
# and the two must be identical file for file.  Each commit is on a day of
# its own, so that first- and last-commit dates read from the record are
# checked against a full walk of the history, and a moved document must
# keep its first date.
#
#   usage: check_incremental.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
source "$(dirname "$0")/../lib/publish.sh"
sandbox_init "$1" "$2" site-incremental
cp -r "$src/corpus/." .
day=1
commit() {
  GIT_COMMITTER_DATE="2026-03-$(printf %02d $day)T12:00:00Z" \
    git commit -q -m "$1"
  day=$((day + 1))
}
git add -A . && commit "corpus"

# publish: publish_and_compare, leaving "FILES RENDERED" in $counts.
publish() {
  publish_and_compare "the change above" "$@"
  counts=$(published_counts)
  [[ -n $counts ]] || { echo "FAIL: step $step: no counts in: $published"; exit 1; }
}
# at_most N WHAT: the last publish rendered at most N files.
at_most() {
  local files rendered
  read -r files rendered <<<"$counts"
  if ((rendered > $1)); then
    echo "FAIL: step $step ($2): rendered $rendered of $files files, expected at most $1"
    exit 1
  fi
  echo "ok: $2: $rendered of $files files rendered, the same site as a full publish"
}

publish
read -r files rendered <<<"$counts"
[[ $files -eq $rendered ]] || { echo "FAIL: the first publish rendered $rendered of $files"; exit 1; }
echo "ok: first publish: $files files rendered"

publish
at_most 0 "the same commit again"

gw1=case-studies/greenway-recycling-wave-1.md
sed -i 's/^summary: .*/summary: A recycling start-up wins its first council contract./' $gw1
git add $gw1 && commit "summary"
publish
# Its page, its ten listings (type, year, five tags, three partners), home,
# feed, the search files that hold its old or new summary's words (13 term
# parts and a document part) and the documents' lengths: 29.  The
# bounds below are likewise what each change touches in this corpus, out of
# about 140 files.  A document added or removed renumbers the search
# index's documents, so every term part is written again.
at_most 29 "one summary changed"

# Wave 2 relates to wave 1 and links to it: its page shows the new title.
sed -i 's/^title: .*/title: "Greenway Recycling CIC: the first visit"/' $gw1
git add $gw1 && commit "title"
publish
grep -q 'the first visit' "$work/site/documents/greenway-recycling-wave-2.html" ||
  { echo "FAIL: wave 2 does not show wave 1's new title"; exit 1; }
at_most 28 "one title changed"

sed -i 's/^confidentiality: .*/confidentiality: internal/' $gw1
git add $gw1 && commit "withhold"
publish
[[ ! -e $work/site/documents/greenway-recycling-wave-1.html ]] ||
  { echo "FAIL: a withheld document's page is still there"; exit 1; }
! grep -rq 'greenway-recycling-wave-1' "$work/site" ||
  { echo "FAIL: the withheld document is still named in the site"; exit 1; }
at_most 62 "one document withheld"

sed -i 's/^confidentiality: .*/confidentiality: public/' $gw1
git add $gw1 && commit "publish again"
publish
at_most 62 "the same document published again"

sed -e 's/^id: .*/id: greenway-recycling-wave-4/' \
    -e 's/^title: .*/title: "Greenway Recycling CIC: wave 4"/' \
    case-studies/greenway-recycling-wave-3.md >case-studies/greenway-recycling-wave-4.md
git add case-studies && commit "new"
publish
at_most 66 "one document added"

# Wave 2's relative link to wave 1 no longer resolves: it becomes text.
mkdir -p archive && git mv $gw1 archive/ && commit "move"
publish
grep -q 'First committed 2026-03-01; last changed 2026-03-07' \
  "$work/site/documents/greenway-recycling-wave-1.html" ||
  { echo "FAIL: the moved document lost its first commit date"; exit 1; }
at_most 8 "one document moved"

# Moved back and edited in the same commit: followed by its id.
git mv archive/greenway-recycling-wave-1.md case-studies/ &&
  sed -i 's/^summary: .*/summary: Moved back, and edited./' $gw1 &&
  git add $gw1 && commit "move back, edited"
publish
grep -q 'First committed 2026-03-01; last changed 2026-03-08' \
  "$work/site/documents/greenway-recycling-wave-1.html" ||
  { echo "FAIL: the document moved and edited lost its first commit date"; exit 1; }
at_most 34 "one document moved back and edited"

git rm -q case-studies/greenway-recycling-wave-4.md && commit "delete"
publish
at_most 64 "one document deleted"

printf '# Evidence\n' >README.md && git add README.md && commit "readme"
publish
at_most 1 "a commit that changes no document (only the home page names the commit)"

mkdir -p theme/assets && cp "$src/theme/assets/style.css" theme/assets/ &&
  printf 'body { color: #123456; }\n' >>theme/assets/style.css
git add theme && commit "theme"
publish
read -r files rendered <<<"$counts"
[[ $files -eq $rendered ]] || { echo "FAIL: a new theme rendered $rendered of $files"; exit 1; }
echo "ok: a new theme: every page rendered again"

publish --rev HEAD~6
echo "ok: an older revision (before the theme): ${counts#* } of ${counts% *} files rendered, the same site as a full publish"
