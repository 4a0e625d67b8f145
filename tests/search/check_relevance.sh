#!/usr/bin/env bash
# The relevance test: 'evrepo search' finds the right documents for the judged
# queries in judged-queries.tsv.  The sample corpus is copied to a temporary
# directory, committed with 'evrepo add', and every query is run as
#
#   evrepo -C DIR search --format ids --limit 10 -- QUERY
#
# Each query scores the reciprocal rank of its expected document (1/rank
# within the first 10 results, else 0).  Exit status 1 from search means no
# hits and scores 0; any other non-zero status (2 = bad query) is a failure,
# scores 0 and has its error printed.  One line is printed per query (rank,
# ok or MISS against the query's required rank N, expected id, query), then
# "MRR = 0.xxx over K queries (M within their required rank)".
#
#   usage: check_relevance.sh EVREPO SRCDIR [QUERIES]
#
# EVREPO is the built evrepo, SRCDIR the source tree (its corpus/ is the
# sample corpus), QUERIES the judged query file (default
# SRCDIR/tests/search/judged-queries.tsv).  Exits 1 if the MRR is below
# 0.85, 2 on a usage error or a malformed query file, 0 otherwise.
# Needs only bash, git, coreutils and awk.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: check_relevance.sh EVREPO SRCDIR [QUERIES]" >&2
  exit 2
fi
evrepo=$1
srcdir=$2
queries=${3:-$srcdir/tests/search/judged-queries.tsv}
min_mrr=0.85
limit=10

export LC_ALL=C.UTF-8
# The sample corpus uses the schemas of the source tree unless told otherwise.
export EVREPO_SCHEMA_DIR=${EVREPO_SCHEMA_DIR:-$srcdir/schemas}

if [[ ! -x $evrepo ]]; then
  echo "check_relevance.sh: not an executable: $evrepo" >&2
  exit 2
fi
if [[ ! -d $srcdir/corpus ]]; then
  echo "check_relevance.sh: no corpus directory: $srcdir/corpus" >&2
  exit 2
fi
if [[ ! -r $queries ]]; then
  echo "check_relevance.sh: cannot read the queries: $queries" >&2
  exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/evrepo-relevance.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

work=$tmp/corpus
mkdir "$work"
cp -R "$srcdir/corpus/." "$work/"

# A repository of its own, with a local identity so that nothing depends on
# the caller's global Git configuration.
git -C "$work" init -q -b main
git -C "$work" config user.name "Relevance Test"
git -C "$work" config user.email "relevance-test@example.org"

if ! "$evrepo" -C "$work" add . -m "corpus" >"$tmp/add.out" 2>&1 </dev/null; then
  echo "FAIL: evrepo add could not commit the sample corpus:" >&2
  sed 's/^/    /' "$tmp/add.out" >&2
  exit 1
fi

results=$tmp/results   # one line per query: RECIPROCAL_RANK WITHIN(0|1)
: >"$results"
lineno=0
while IFS= read -r line || [[ -n $line ]]; do
  lineno=$((lineno + 1))
  line=${line%$'\r'}
  [[ -z ${line//[[:space:]]/} || $line == \#* ]] && continue

  IFS=$'\t' read -r query expected required extra <<<"$line" || true
  if [[ -z ${query:-} || -z ${expected:-} || -n ${extra:-} ||
        ! ${required:-} =~ ^[13]$ ]]; then
    echo "check_relevance.sh: $queries:$lineno: expected QUERY<TAB>ID<TAB>1|3" >&2
    exit 2
  fi

  status=0
  "$evrepo" -C "$work" search --format ids --limit "$limit" -- "$query" \
    >"$tmp/out" 2>"$tmp/err" </dev/null || status=$?

  rank=0
  error=
  case $status in
    0)
      # Only lines that look like document ids count as results, so that a
      # "did you mean" line or other notes cannot shift the ranks.
      rank=$(tr -d '\r' <"$tmp/out" |
        awk -v id="$expected" -v limit="$limit" '
          { sub(/^[ \t]+/, ""); sub(/[ \t]+$/, "") }
          /^[a-z0-9]+(-[a-z0-9]+)*$/ {
            n++
            if (n <= limit && $0 == id) { print n; found = 1; exit }
          }
          END { if (!found) print 0 }')
      ;;
    1) ;;  # no hits
    *) error="search exited with status $status" ;;
  esac

  if [[ -n $error ]]; then
    verdict=ERROR
    within=0
  elif ((rank >= 1 && rank <= required)); then
    verdict=ok
    within=1
  else
    verdict=MISS
    within=0
  fi
  shown=$rank
  ((rank == 0)) && shown=-
  printf '%3s  %-5s N=%s  %-52s %s\n' "$shown" "$verdict" "$required" \
    "$expected" "$query"
  if [[ -n $error ]]; then
    echo "     $error:"
    sed 's/^/       /' "$tmp/err"
  fi
  awk -v r="$rank" -v w="$within" 'BEGIN { printf "%.10f %d\n", (r > 0 ? 1 / r : 0), w }' \
    >>"$results"
done <"$queries"

awk -v min="$min_mrr" '
  { sum += $1; within += $2; k++ }
  END {
    if (k == 0) { print "no queries"; exit 2 }
    mrr = sum / k
    # Compare what is printed, so that "0.850" never fails the 0.85 bar.
    mrr = sprintf("%.3f", mrr) + 0
    printf "MRR = %.3f over %d queries (%d within their required rank)\n", mrr, k, within
    if (mrr < min) {
      printf "FAIL: MRR below %.2f\n", min
      exit 1
    }
  }' "$results"
