#!/usr/bin/env bash
# The site a publish replaces stays beside the new one, and the next
# publish builds in it (changing only what changed since it was live)
# instead of linking every file into a new directory.  Built that way, the
# site must be the one a full publish writes; a spare killed while being
# built in, or whose marker is gone, is never used again; and two
# publishes never run at once.
#
#   usage: check_spare.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
source "$(dirname "$0")/../lib/publish.sh"
sandbox_init "$1" "$2" site-spare
cp -r "$src/corpus/." .
git add -A . && git commit -q -m "corpus"

spares() { find "$work" -maxdepth 1 -name '.site.old-*' | sort; }
leftovers() { find "$work" -maxdepth 1 -name '.site.new-*' | wc -l; }
# publish: publish_and_compare, and at most one spare may be left beside
# the site.
publish() {
  publish_and_compare "built in the spare"
  local n
  n=$(spares | wc -l)
  [[ $n -le 1 ]] || { echo "FAIL: step $step: $n spare sites beside the site"; exit 1; }
  [[ $(leftovers) -eq 0 ]] || { echo "FAIL: step $step: a leftover directory beside the site"; exit 1; }
}
edit() {
  printf '\nAddendum %s: the commissioning team confirmed the social clauses.\n' "$2" >>"$1"
  git commit -q -a -m "edit $2"
}

publish
[[ -z $(spares) ]] || { echo "FAIL: a first publish left a spare"; exit 1; }
edit case-studies/greenway-recycling-wave-1.md 1
publish
spare=$(spares)
[[ -n $spare ]] || { echo "FAIL: the replaced site was not kept beside the new one"; exit 1; }
grep -q 'Addendum 1' "$work/site/documents/greenway-recycling-wave-1.html" ||
  { echo "FAIL: the edit was not published"; exit 1; }
grep -q 'Addendum 1' "$spare/documents/greenway-recycling-wave-1.html" &&
  { echo "FAIL: the spare is not the replaced site"; exit 1; }
echo "ok: the replaced site is kept beside the new one"

# The next publishes build in the spare: it keeps its name.
edit case-studies/harbour-kitchen-wave-1.md 2
publish
[[ $(spares) == "$spare" ]] || { echo "FAIL: step $step: the spare was not built in"; exit 1; }
# A document deleted, one retitled (listings and links change), one new.
git rm -q case-studies/greenway-recycling-wave-2.md
sed -i 's/^title: .*/title: Harbour Kitchen, renamed/' case-studies/harbour-kitchen-wave-2.md
sed 's/^id: .*/id: harbour-kitchen-wave-9/' case-studies/harbour-kitchen-wave-3.md \
  >case-studies/harbour-kitchen-wave-9.md
git add -A . && git commit -q -m "delete, retitle, add"
publish
[[ $(spares) == "$spare" ]] || { echo "FAIL: step $step: the spare was not built in"; exit 1; }
[[ ! -e $work/site/documents/greenway-recycling-wave-2.html ]] ||
  { echo "FAIL: a deleted document's page was left in the site"; exit 1; }
edit case-studies/harbour-kitchen-wave-9.md 3
publish
[[ $(spares) == "$spare" ]] || { echo "FAIL: step $step: the spare was not built in"; exit 1; }
echo "ok: $((step - 2)) publishes built in the spare, each the site a full publish writes"

# Killed while building in the spare: the live site is untouched, and the
# half-built spare is never used again.
before=$(cd "$work/site" && find . -type f -exec sha1sum {} + | sort)
edit case-studies/harbour-kitchen-wave-9.md 4
set +e
EVREPO_PUBLISH_KILL_AFTER=1 "$evrepo" publish --out "$work/site" >/dev/null 2>&1
status=$?
set -e
[[ $status -eq 137 ]] || { echo "FAIL: expected a SIGKILL (137), got $status"; exit 1; }
after=$(cd "$work/site" && find . -type f -exec sha1sum {} + | sort)
[[ "$after" == "$before" ]] || { echo "FAIL: killed while building in the spare, the site changed"; exit 1; }
[[ ! -e $spare/.evrepo-site ]] || { echo "FAIL: the spare kept its marker while built in"; exit 1; }
publish
[[ $(spares) != "$spare" ]] || { echo "FAIL: a half-built spare was used again"; exit 1; }
grep -q 'Addendum 4' "$work/site/documents/harbour-kitchen-wave-9.html" ||
  { echo "FAIL: the publish after the kill did not complete"; exit 1; }
echo "ok: killed while building in the spare, the site stayed whole and the spare was dropped"

# A spare whose marker is gone is not the site the record describes.
spare=$(spares)
rm "$spare/.evrepo-site"
edit case-studies/harbour-kitchen-wave-9.md 5
publish
[[ $(spares) != "$spare" ]] || { echo "FAIL: a spare without its marker was built in"; exit 1; }
echo "ok: a spare without its marker is removed, not built in"

# A site published inside a Git work tree: the spare beside it is ignored,
# so that `git add -A` does not take a second copy of the site.
"$evrepo" publish --out "$work/corpus/pages" >/dev/null
edit case-studies/harbour-kitchen-wave-9.md 6
"$evrepo" publish --out "$work/corpus/pages" >/dev/null
ls -d "$work"/corpus/.pages.old-* >/dev/null ||
  { echo "FAIL: no spare beside a site in the work tree"; exit 1; }
untracked=$(git status --porcelain --untracked-files=all)
[[ $untracked != *.pages.old-* ]] || { echo "FAIL: Git sees the spare: $untracked"; exit 1; }
[[ $untracked == *pages/index.html* ]] || { echo "FAIL: Git does not see the site: $untracked"; exit 1; }
[[ ! -e $work/corpus/pages/.gitignore ]] || { echo "FAIL: the site has the spare's .gitignore"; exit 1; }
edit case-studies/harbour-kitchen-wave-9.md 7
"$evrepo" publish --out "$work/corpus/pages" >/dev/null
[[ ! -e $work/corpus/pages/.gitignore ]] || { echo "FAIL: a site built in the spare kept its .gitignore"; exit 1; }
echo "ok: Git ignores the spare beside a site in its work tree, and the site has no .gitignore"

# One publish at a time: another one waiting on the lock fails, saying so.
set +e
out=$(flock "$work/corpus/.evrepo/publish/lock" "$evrepo" publish --out "$work/site" 2>&1)
status=$?
set -e
[[ $status -ne 0 ]] && grep -q "another 'evrepo publish' of this repository is running" <<<"$out" ||
  { echo "FAIL: a publish ran while another held the lock (exit $status): $out"; exit 1; }
echo "ok: a second publish at the same time is refused"
