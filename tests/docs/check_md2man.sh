#!/usr/bin/env bash
# Golden tests of md2man, the man page renderer (man/md2man.cc).  Each case
# tests/docs/md2man/NAME.SECTION.md is rendered, and a transcript of the run
# (exit status, standard error, the roff written, and what groff's lint says
# about it) is compared with NAME.SECTION.out beside it.  Cases that md2man
# must refuse have no output file: a failed run leaves none behind.
#
#   usage: check_md2man.sh MD2MAN SRCDIR
#
# With EVREPO_UPDATE_GOLDEN=1 in the environment, the .out files are
# rewritten from what md2man does now instead; review the diff before
# committing it.  Prints a diff for each mismatch and "N passed, N failed".
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: check_md2man.sh MD2MAN SRCDIR" >&2
  exit 2
fi
md2man=$(realpath "$1")
cases=$2/tests/docs/md2man
export LC_ALL=C.UTF-8

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
shopt -s nullglob
for source in "$cases"/*.md; do
  file=$(basename "$source")
  page=${file%.md}
  status=0
  # Run in the case directory so that messages name the file as given.
  (cd "$cases" && "$md2man" "$file" "$work/$page") 2>"$work/stderr" || status=$?
  {
    echo "exit: $status"
    echo "--- stderr"
    cat "$work/stderr"
    echo "--- output"
    if [[ -f $work/$page ]]; then
      cat "$work/$page"
      echo "--- groff"
      groff -k -Tutf8 -man -z -ww "$work/$page" 2>&1 || echo "groff exit: $?"
    else
      echo "(no output file)"
    fi
  } >"$work/$page.out"
  rm -f "$work/$page"

  expected=$cases/$page.out
  if [[ ${EVREPO_UPDATE_GOLDEN:-} == 1 ]]; then
    cp "$work/$page.out" "$expected"
    echo "updated: $page.out"
    passed=$((passed + 1))
  elif [[ ! -f $expected ]]; then
    echo "FAIL: $file: no $page.out (run with EVREPO_UPDATE_GOLDEN=1 to make it)"
    failed=$((failed + 1))
  elif diff -u --label "$page.out (expected)" --label "$page.out (actual)" \
         "$expected" "$work/$page.out"; then
    echo "ok: $file"
    passed=$((passed + 1))
  else
    echo "FAIL: $file"
    failed=$((failed + 1))
  fi
done

if [[ $((passed + failed)) -eq 0 ]]; then
  echo "FAIL: no cases in $cases"
  failed=1
fi
echo "$passed passed, $failed failed"
if [[ $failed -gt 0 ]]; then
  exit 1
fi
