#!/usr/bin/env bash
# The docs test: the man pages and the command agree.  Every command that
# `evrepo --help` lists has a page evrepo-COMMAND.1, and every command page
# man/evrepo-*.1.md names a command; every man page source has a rendered
# page, and every rendered page lints clean with groff; and the long options
# in each command page's SYNOPSIS (and in evrepo.1's) are exactly those that
# `--help` prints, --help itself aside.
#
#   usage: check_man.sh EVREPO MANDIR SRCDIR
#
# EVREPO is the built evrepo, MANDIR the directory of rendered pages
# (${CMAKE_BINARY_DIR}/man), SRCDIR the source tree (its man/*.md are the
# page sources).  Prints one line per check, then "N passed, N failed"; exits
# 1 if any check failed, 2 on a usage error.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: check_man.sh EVREPO MANDIR SRCDIR" >&2
  exit 2
fi
evrepo=$1
mandir=$2
srcdir=$3

# groff's warnings, and the order of sorted names, must not depend on the
# caller's locale.
export LC_ALL=C.UTF-8

passed=0
failed=0

pass() {
  passed=$((passed + 1))
  printf 'ok: %s\n' "$1"
}

# fail WHAT [DETAILS]: DETAILS are printed indented under the failure.
fail() {
  failed=$((failed + 1))
  printf 'FAIL: %s\n' "$1"
  if [[ $# -gt 1 && -n $2 ]]; then
    printf '%s\n' "$2" | sed 's/^/    /'
  fi
}

# The long options a --help text declares, one per line, sorted, without
# --help.  Only option lines count (CLI11 indents them and starts them with
# '-', as in "  -h,--help  Print..." or "  --format FMT  Output..."), so
# options merely mentioned in descriptions or the footer are not picked up.
help_long_options() {
  awk '/^[[:space:]]+-/ { print $1 }' |
    tr ',' '\n' |
    { grep -oE -- '^--[A-Za-z0-9][A-Za-z0-9_-]*' || true; } |
    { grep -vx -- '--help' || true; } |
    sort -u
}

# The command names under "Commands:" in a --help text.
help_commands() {
  awk '/^Commands:/ { in_list = 1; next }
       in_list && /^[[:space:]]+[A-Za-z]/ { print $1; next }
       in_list { in_list = 0 }'
}

# The long options in the SYNOPSIS section of a rendered page, one per line,
# sorted, without --help.  Font escapes are removed and \- read as '-'.
synopsis_long_options() {
  awk '/^\.SH/ {
         if (in_synopsis) exit
         name = $0
         sub(/^\.SH[ \t]*/, "", name)
         if (name == "") getline name   # cmark writes ".SH" then the title
         gsub(/"/, "", name)
         in_synopsis = (name == "SYNOPSIS")
         next
       }
       in_synopsis { print }' "$1" |
    sed -e 's/\\f\[[^]]*\]//g' -e 's/\\f([A-Za-z0-9][A-Za-z0-9]//g' \
        -e 's/\\f[A-Za-z0-9]//g' -e 's/\\-/-/g' -e 's/\\[&%]//g' |
    { grep -oE -- '(^|[^A-Za-z0-9_-])--[A-Za-z0-9][A-Za-z0-9_-]*' || true; } |
    sed 's/^[^-]*//' |
    { grep -vx -- '--help' || true; } |
    sort -u
}

# Lines only in the first list or only in the second, for a failure message.
set_difference() {
  local only_help only_page
  only_help=$(comm -23 <(printf '%s\n' "$1") <(printf '%s\n' "$2") | grep . | paste -sd ' ' || true)
  only_page=$(comm -13 <(printf '%s\n' "$1") <(printf '%s\n' "$2") | grep . | paste -sd ' ' || true)
  if [[ -n $only_help ]]; then echo "only in --help: $only_help"; fi
  if [[ -n $only_page ]]; then echo "only in SYNOPSIS: $only_page"; fi
}

# compare_options WHAT PAGE EVREPO-ARGS...: the options of `evrepo ARGS --help`
# against the SYNOPSIS of PAGE.
compare_options() {
  local what=$1 page=$2 help from_help from_page
  shift 2
  if [[ ! -f $page ]]; then
    fail "$what: SYNOPSIS matches --help" "no page $page"
    return 0
  fi
  if ! help=$("$evrepo" "$@" --help 2>&1); then
    fail "$what: SYNOPSIS matches --help" "'evrepo${*:+ $*} --help' failed: $help"
    return 0
  fi
  from_help=$(printf '%s\n' "$help" | help_long_options)
  from_page=$(synopsis_long_options "$page")
  if [[ $from_help == "$from_page" ]]; then
    pass "$what: SYNOPSIS matches --help (${from_help//$'\n'/ })"
  else
    fail "$what: SYNOPSIS matches --help" "$(set_difference "$from_help" "$from_page")"
  fi
}

# The commands, as the program itself lists them.
commands=()
if main_help=$("$evrepo" --help 2>&1); then
  mapfile -t commands < <(printf '%s\n' "$main_help" | help_commands)
  if [[ ${#commands[@]} -gt 0 ]]; then
    pass "evrepo --help lists commands: ${commands[*]}"
  else
    fail "evrepo --help lists commands" "no 'Commands:' list in: $main_help"
  fi
else
  fail "evrepo --help runs" "$main_help"
fi

is_command() {
  local c
  for c in "${commands[@]}"; do
    if [[ $c == "$1" ]]; then return 0; fi
  done
  return 1
}

# Every command has a page.
for cmd in "${commands[@]}"; do
  if [[ -f $mandir/evrepo-$cmd.1 ]]; then
    pass "command '$cmd' has a page evrepo-$cmd.1"
  else
    fail "command '$cmd' has a page" "missing: $mandir/evrepo-$cmd.1"
  fi
done

# Every command page has a command.
shopt -s nullglob
for source in "$srcdir"/man/evrepo-*.1.md; do
  name=$(basename "$source" .1.md)
  cmd=${name#evrepo-}
  if is_command "$cmd"; then
    pass "page $name.1 has a command '$cmd'"
  else
    fail "page $name.1 has a command" "'evrepo --help' lists no command '$cmd'"
  fi
done

# Every page source is rendered.
for source in "$srcdir"/man/*.[157].md; do
  page=$(basename "$source" .md)
  if [[ -f $mandir/$page ]]; then
    pass "source $page.md is rendered"
  else
    fail "source $page.md is rendered" "missing: $mandir/$page"
  fi
done

# Every rendered page lints clean.
pages=("$mandir"/*.[157])
if [[ ${#pages[@]} -eq 0 ]]; then
  fail "rendered pages exist" "no pages in $mandir"
fi
for page in "${pages[@]}"; do
  if lint=$(groff -k -Tutf8 -man -z -ww "$page" 2>&1) && [[ -z $lint ]]; then
    pass "$(basename "$page") lints clean"
  else
    fail "$(basename "$page") lints clean" "$lint"
  fi
done

# SYNOPSIS and --help agree, for the program and for each command.
compare_options "evrepo" "$mandir/evrepo.1"
for cmd in "${commands[@]}"; do
  compare_options "evrepo $cmd" "$mandir/evrepo-$cmd.1" "$cmd"
done

echo "$passed passed, $failed failed"
if [[ $failed -gt 0 ]]; then
  exit 1
fi
