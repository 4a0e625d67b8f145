#!/usr/bin/env bash
# Killing `evrepo index` never corrupts the index.  EVREPO_INDEX_KILL_AFTER=N
# makes the indexer SIGKILL itself after N documents, in the middle of an
# incremental transaction and in the middle of a rebuild.  Afterwards the
# index must still open, answer exactly as it did for the old commit, and the
# next run must reach the new commit.
#
#   usage: check_kill.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" kill
cp -r "$src/corpus/." .
git add -A . && git commit -q -m "corpus"
"$evrepo" index >/dev/null
old=$(git rev-parse HEAD)

answers() {
  local q
  for q in "social clauses" "hospital meals" "type:case-study" "zebra"; do
    "$evrepo" search --no-update --format json --limit 50 -- "$q" || true
  done
}
before=$(answers)

# Change every document, so the update has plenty to do.
for f in $(git ls-files '*.md' | grep -v README); do
  printf '\nZebra crossings near the depot.\n' >> "$f"
done
git commit -q -a -m "zebras everywhere"

fail() { echo "FAIL: $*"; exit 1; }

for mode in incremental rebuild sharded-rebuild; do
  args=()
  [[ $mode == *rebuild ]] && args=(--rebuild)
  shard_docs=
  [[ $mode == sharded-rebuild ]] && shard_docs=10  # several threads
  set +e
  EVREPO_INDEX_SHARD_DOCS=$shard_docs EVREPO_INDEX_KILL_AFTER=7 \
    "$evrepo" index "${args[@]}" >/dev/null 2>&1
  status=$?
  set -e
  [[ $status -eq 137 ]] || fail "$mode: expected the indexer to die of SIGKILL (137), got $status"
  after=$(answers)
  [[ "$after" == "$before" ]] || {
    diff <(echo "$before") <(echo "$after") | head -20
    fail "$mode: after the kill the index does not answer as for the old commit"
  }
  grep -q "\"commit\": \"$old\"" <<<"$after" || fail "$mode: the index no longer reflects $old"
  echo "ok: killed during the $mode; the index still answers for ${old:0:7}"
done

"$evrepo" index
new=$(git rev-parse HEAD)
# (Output captured first: grep -q on a pipe could cut the writer short.)
reached=$("$evrepo" search --no-update --format json zebra)
grep -q "\"commit\": \"$new\"" <<<"$reached" || fail "the next run did not reach $new"
hits=$("$evrepo" search --no-update --format ids --limit 100 zebra | wc -l)
[[ $hits -gt 40 ]] || fail "after recovery, only $hits documents mention zebras"
leftovers=$(find .evrepo -maxdepth 1 -name 'db-*' | wc -l)
[[ $leftovers -eq 1 ]] || fail "$leftovers databases in .evrepo; the killed rebuild's should be gone"
echo "ok: the next run reached ${new:0:7} ($hits documents mention zebras); no leftovers"
