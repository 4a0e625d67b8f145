#!/usr/bin/env bash
# A document's page lists the published documents that cite it (a link in
# their body, or `related`) under "Cited by", and those that supersede it;
# a document that is not published is never mentioned, not even as a
# citer.  A publish after an edit to the cited document alone, built on the
# last one, lists the same, and gives the site a full publish gives.
#
#   usage: check_backlinks.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" backlinks
cp "$src/tests/fixtures/basic/evrepo.yml" .
source "$src/tests/lib/toolkit.sh"
source "$src/tests/lib/publish.sh"
# doc ID TITLE CONFIDENTIALITY FRONT-MATTER BODY
doc() { toolkit "$1" "$2" "Summary of $1." "$3" "$4" "# $2

$5"; }
doc cited "The Cited Guide" public "" "Words of the cited guide."
doc linker "The Linking Guide" public "" "See [the guide](cited.md)."
doc relative "The Related Guide" public "related: [cited]" "Related words."
doc secret "The Secret Guide" internal "related: [cited]" "See [the guide](cited.md)."
doc newer "The Newer Guide" public "supersedes: [cited]" "Newer words."
git add -A . && git commit -q -m "guides"

# check PAGE: the cited guide's page lists what it must, and not the secret.
check() {
  local page=$work/site/documents/cited.html
  local cited_by
  cited_by=$(sed -n '/<h2>Cited by<\/h2>/,/<\/section>/p' "$page")
  for title in "The Linking Guide" "The Related Guide"; do
    grep -q "$title" <<<"$cited_by" ||
      { echo "FAIL: $1: '$title' is not under 'Cited by'"; exit 1; }
  done
  grep -q "The Newer Guide" "$page" ||
    { echo "FAIL: $1: the page does not name the guide that supersedes it"; exit 1; }
  if grep -qi "secret" "$page"; then
    echo "FAIL: $1: the page mentions the internal guide"
    exit 1
  fi
  echo "ok: $1: cited by the linking and related guides, superseded by the newer, the internal one unmentioned"
}

"$evrepo" publish --out "$work/site" >/dev/null
check "full publish"
# Once more, so that the site it builds in holds every page as it is.
"$evrepo" publish --out "$work/site" >/dev/null

printf '\nMore words of the cited guide.\n' >> toolkits/cited.md
git commit -q -am "edit the cited guide"
publish_and_compare "after the edit"
check "after an edit to it"
echo "ok: publishing after the edit gives the site a full publish gives"
