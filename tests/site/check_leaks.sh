#!/usr/bin/env bash
# Never leak: plants unique canary words in every field and in the body of
# every document of corpus/ that must not be published (internal, restricted
# or draft), commits them with plain git (no checks), publishes, and fails if
# any file of the output holds a canary, or the id of a withheld document.
#
#   usage: check_leaks.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" leaks
cp -r "$src/corpus/." .

withheld=()
n=0
for f in $(grep -l -E '^(confidentiality: (internal|restricted)|status: draft)$' -r --include='*.md' .); do
  n=$((n + 1))
  id=$(sed -n 's/^id: *//p' "$f" | head -1)
  withheld+=("$id")
  # Every scalar field gets a canary after its value; lists get a canary
  # item; the body gets a canary heading, paragraph, link text and table.
  awk -v n="$n" '
    BEGIN { fm = 0 }
    /^---$/ { fm++; print; if (fm == 2) {
        print "# Canary heading zqxcanaryhead" n
        print ""
        print "Zqxcanarybody" n " words, and [a zqxcanarylink" n "](https://example.org/zqxcanaryurl" n ")."
        print ""
        print "| zqxcanarycell" n " |"
        print "|---|"
        print "| x |"
        print "" }
      next }
    fm == 1 && /^[a-z_]+: \[.*\]$/ { sub(/\]$/, ", zqxcanaryitem" n "]"); print; next }
    fm == 1 && /^(title|summary|organisation|responds_to|addressee): / { print $0 " zqxcanaryfield" n; next }
    { print }
  ' "$f" > "$f.new" && mv "$f.new" "$f"
done
[[ $n -ge 5 ]] || { echo "FAIL: only $n withheld documents found to plant canaries in"; exit 1; }
git add -A . && git commit -q -m "canaries"

"$evrepo" publish --out "$work/site" --base-url https://evidence.example.org/ >/dev/null
files=$(find "$work/site" -type f | wc -l)
if grep -r -l -i 'zqxcanary' "$work/site"; then
  echo "FAIL: canary words of withheld documents reached the files above:"
  grep -r -o -i 'zqxcanary[a-z]*[0-9]*' "$work/site" | sort | uniq -c | head -20
  exit 1
fi
leaked=0
for id in "${withheld[@]}"; do
  if grep -r -l -F -- "$id" "$work/site" >/dev/null; then
    echo "FAIL: the id '$id' of a withheld document appears in:"
    grep -r -l -F -- "$id" "$work/site" | head -5
    leaked=1
  fi
done
[[ $leaked -eq 0 ]] || exit 1
echo "ok: $n withheld documents planted with canaries; none of their words or ids in $files published files"
