#!/usr/bin/env bash
# Killing `evrepo publish` at any moment leaves the previous site whole.
# EVREPO_PUBLISH_KILL_AFTER=N makes it SIGKILL itself after writing N files
# of the new site; the old site must be byte for byte as it was, and the
# next publish must complete and clear the leftovers.
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
echo "ok: killed after 0, 1, 10 and 25 files written; the previous site stayed whole"
"$evrepo" publish --out "$work/site" >/dev/null
grep -q 'Changed everywhere' "$work/site/documents/greenway-recycling-wave-1.html" ||
  { echo "FAIL: the next publish did not complete"; exit 1; }
left=$(find "$work" -maxdepth 1 -name '.site.new-*' | wc -l)
[[ $left -eq 0 ]] || { echo "FAIL: $left leftover directories beside the site"; exit 1; }
echo "ok: the next publish completed and removed the leftovers"
