# Shared by the site tests: publishing into a site and into a fresh
# directory, and comparing the two.
#
#   source "$(dirname "$0")/../lib/publish.sh"   # after sandbox.sh
#   publish_and_compare WHAT [ARGS...]
#
# Publishes (with ARGS) into $work/site, as a site is published again and
# again, and into $work/fresh-N, where every page is rendered; fails,
# naming WHAT, unless the two are the same file for file (but the marker).
# Increments $step and leaves evrepo's line for $work/site in $published,
# and the fresh directory removed.
step=0
published=
publish_and_compare() {
  local what=$1
  shift
  step=$((step + 1))
  published=$("$evrepo" publish --out "$work/site" "$@")
  "$evrepo" publish --out "$work/fresh-$step" "$@" >/dev/null
  if ! diff -r -q -x .evrepo-site "$work/site" "$work/fresh-$step" >&2; then
    echo "FAIL: step $step ($what): publishing again differs from a full publish"
    exit 1
  fi
  rm -rf "$work/fresh-$step"
}

# The numbers of files and of files rendered in $published.
published_counts() {
  sed -n 's/.*; \([0-9]*\) files (\([0-9]*\) rendered.*/\1 \2/p' <<<"$published"
}
