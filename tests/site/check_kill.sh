#!/usr/bin/env bash
# Killing `evrepo publish` at any moment leaves the previous site whole.
# EVREPO_PUBLISH_KILL_AFTER=N makes it SIGKILL itself after writing N files
# of the new site (or =swap, just before the swap, when the record for the
# next publish is already saved); the old site must be byte for byte as it
# was, and the next publish must complete, clear the leftovers and write the
# site a full publish writes.
#
#   usage: check_kill.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" site-kill
cp -r "$src/corpus/." .
git add -A . && git commit -q -m "corpus"
"$evrepo" publish --out "$work/site" >/dev/null
before=$(cd "$work/site" && find . -type f -exec sha1sum {} + | sort)

sed -i 's/^summary: .*/summary: Changed everywhere./' $(git ls-files 'case-studies/*.md')
git commit -q -a -m "new summaries"
for n in 0 1 10 25; do
  set +e
  EVREPO_PUBLISH_KILL_AFTER=$n "$evrepo" publish --out "$work/site" >/dev/null 2>&1
  status=$?
  set -e
  [[ $status -eq 137 ]] || { echo "FAIL: expected a SIGKILL (137) after $n files, got $status"; exit 1; }
  after=$(cd "$work/site" && find . -type f -exec sha1sum {} + | sort)
  [[ "$after" == "$before" ]] || { echo "FAIL: killed after $n files, the previous site changed"; exit 1; }
done
set +e
EVREPO_PUBLISH_KILL_AFTER=swap "$evrepo" publish --out "$work/site" >/dev/null 2>&1
status=$?
set -e
[[ $status -eq 137 ]] || { echo "FAIL: expected a SIGKILL (137) before the swap, got $status"; exit 1; }
after=$(cd "$work/site" && find . -type f -exec sha1sum {} + | sort)
[[ "$after" == "$before" ]] || { echo "FAIL: killed before the swap, the previous site changed"; exit 1; }
echo "ok: killed after 0, 1, 10 and 25 files written, and just before the swap; the previous site stayed whole"
"$evrepo" publish --out "$work/site" >/dev/null
grep -q 'Changed everywhere' "$work/site/documents/greenway-recycling-wave-1.html" ||
  { echo "FAIL: the next publish did not complete"; exit 1; }
left=$(find "$work" -maxdepth 1 -name '.site.new-*' | wc -l)
[[ $left -eq 0 ]] || { echo "FAIL: $left leftover directories beside the site"; exit 1; }
echo "ok: the next publish completed and removed the leftovers"
# What the killed publishes recorded must not fool the next one: the site
# is what a full publish writes.
"$evrepo" publish --out "$work/fresh" >/dev/null
diff -r -q -x .evrepo-site "$work/site" "$work/fresh" ||
  { echo "FAIL: after the kills, the site differs from a full publish"; exit 1; }
echo "ok: after the kills, the site is the one a full publish writes"
