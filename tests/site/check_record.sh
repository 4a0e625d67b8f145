#!/usr/bin/env bash
# What a publish records for the next keeps the documents' search words in
# a file of their own, which later publishes append to.  Damaged or cut
# short, it must never make a wrong site: the publish that finds it so
# publishes in full, and the site is the one a full publish writes.
#
#   usage: check_record.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
source "$(dirname "$0")/../lib/publish.sh"
sandbox_init "$1" "$2" site-record
cp -r "$src/corpus/." .
git add -A . && git commit -q -m "corpus"
records=$work/corpus/.evrepo/publish

# publish EXPECT: publish_and_compare; EXPECT "all" or "some": whether
# every file was rendered.
publish() {
  local files rendered
  publish_and_compare "$1 rendered"
  read -r files rendered < <(published_counts)
  if [[ $1 == all && $rendered -ne $files ]]; then
    echo "FAIL: step $step: $rendered of $files files rendered, expected all"; exit 1
  fi
  if [[ $1 == some && $rendered -eq $files ]]; then
    echo "FAIL: step $step: every file rendered, expected a few"; exit 1
  fi
}
words_file() {
  local f
  f=$(find "$records" -name '*.words')
  [[ $(wc -l <<<"$f") -eq 1 && -n $f ]] || { echo "FAIL: expected one words file: $f" >&2; exit 1; }
  echo "$f"
}
publish_site_only() { "$evrepo" publish --out "$work/site" >/dev/null; }

publish all
# Only the site's own record from here, for words_file.
rm -rf "$work"/fresh-* "$records"/*.cache "$records"/*.words
"$evrepo" publish --out "$work/site" --full >/dev/null
words=$(words_file)
size=$(stat -c %s "$words")
printf '\nAddendum 1: the council confirmed the social clauses.\n' >>case-studies/harbour-kitchen-wave-1.md
git commit -q -a -m "edit 1"
publish_site_only
[[ $(words_file) == "$words" ]] || { echo "FAIL: a one-document publish wrote a new words file"; exit 1; }
grown=$(stat -c %s "$words")
((grown > size && grown < size + 65536)) ||
  { echo "FAIL: the words file went from $size to $grown bytes, expected one document's words added"; exit 1; }
echo "ok: a one-document publish appends its words ($((grown - size)) bytes) to the words file"

# A byte changed in the words file: the next publish that needs every
# document's words (a document added) finds the damage and publishes in
# full.
printf 'X' | dd of="$words" bs=1 seek=$((size / 2)) conv=notrunc status=none
sed 's/^id: .*/id: harbour-kitchen-wave-8/' case-studies/harbour-kitchen-wave-3.md \
  >case-studies/harbour-kitchen-wave-8.md
git add -A . && git commit -q -m "a new document"
published=$("$evrepo" publish --out "$work/site")
read -r files rendered < <(published_counts)
[[ $files -eq $rendered ]] || { echo "FAIL: over damaged words, $rendered of $files files rendered"; exit 1; }
words=$(words_file)
"$evrepo" publish --out "$work/fresh-damaged" >/dev/null
diff -r -q -x .evrepo-site "$work/site" "$work/fresh-damaged" >&2 ||
  { echo "FAIL: over damaged words, the site differs from a full publish"; exit 1; }
rm -rf "$work/fresh-damaged"
echo "ok: damaged words are found, and the site is published in full"

# The words file cut short: the record is not used at all.
truncate -s 100 "$words"
printf '\nAddendum 2.\n' >>case-studies/harbour-kitchen-wave-8.md
git commit -q -a -m "edit 2"
publish all
echo "ok: a words file cut short is no record: every page is rendered"
rm "$records"/*.words
printf '\nAddendum 3.\n' >>case-studies/harbour-kitchen-wave-8.md
git commit -q -a -m "edit 3"
publish all
echo "ok: a words file gone is no record: every page is rendered"
printf '\nAddendum 4.\n' >>case-studies/harbour-kitchen-wave-8.md
git commit -q -a -m "edit 4"
publish some
echo "ok: the next publish uses the record again"
