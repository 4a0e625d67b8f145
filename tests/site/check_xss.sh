#!/usr/bin/env bash
# Script injection: plants payloads in every field and in the body of a
# public document, publishes, and fails if any payload survives as markup in
# any output file (as an element, an event handler attribute, or a
# javascript: URL), or if a page lacks its Content-Security-Policy.
#
#   usage: check_xss.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" xss
cp -r "$src/corpus/." .
f=case-studies/greenway-recycling-wave-1.md
payload='<script>alert(1)</script>"><img src=x onerror=alert(2)>'"'"'><svg onload=alert(3)>'
# YAML single quotes: a quote inside is written twice.
yaml="'${payload//\'/\'\'}'"
awk -v p="$yaml" '
  BEGIN { fm = 0 }
  /^---$/ { fm++; print; if (fm == 2) {
      print "<script>alert(4)</script>"
      print ""
      print "<img src=x onerror=alert(5)> and <iframe src=\"javascript:alert(6)\"></iframe>"
      print ""
      print "[click](javascript:alert(7)) [data](data:text/html,<script>alert(8)</script>) [vb](vbscript:msgbox(9))"
      print ""
      print "<a href=\"javascript:alert(10)\">raw link</a> ![img](javascript:alert(11))"
      print "" }
    next }
  fm == 1 && skip && /^  / { next }  # the rest of a replaced folded value
  { skip = 0 }
  fm == 1 && /^[a-z_]+: \[.*\]$/ { sub(/\]$/, ""); print $0 ", " p "]"; next }
  fm == 1 && /^(title|summary|organisation|source_url): / { sub(/: .*/, ": "); print $0 p; skip = 1; next }
  { print }
' "$f" > "$f.new" && mv "$f.new" "$f"
# Values that name files must not lead outside the site.
sed -e 's/^id: .*/id: "..\/..\/escape"/' -e 's/^date: .*/date: "..\/..\/x"/' \
  case-studies/harbour-kitchen-wave-1.md > case-studies/evil.md
git add -A . && git commit -q -m "payloads"
"$evrepo" publish --out "$work/site" >/dev/null

bad=0
check() {  # pattern, what
  if grep -r -l -i -E -- "$1" "$work/site" >/dev/null; then
    echo "FAIL: $2:"
    grep -r -o -i -E -- "$1" "$work/site" | head -5
    bad=1
  fi
}
check '<script>alert' "a <script> payload survived as an element"
check '<(img|svg|iframe)[^>]*(onerror|onload|src="?javascript)' "an element with a handler survived"
check '(href|src)="?(javascript|vbscript|data:text)' "an unsafe URL survived in an attribute"
check '<iframe' "an iframe survived"
for page in $(find "$work/site" -name '*.html'); do
  grep -q 'http-equiv="Content-Security-Policy"' "$page" || {
    echo "FAIL: no Content-Security-Policy in ${page#$work/site/}"
    bad=1
  }
done
if find "$work" -name 'escape*' -o -name 'x.html' | grep -q .; then
  echo "FAIL: an id or date led a file outside the site:"
  find "$work" -name 'escape*' -o -name 'x.html'
  bad=1
fi
[[ $bad -eq 0 ]] || exit 1
grep -q '&lt;script&gt;alert(1)' "$work/site/documents/greenway-recycling-wave-1.html" || {
  echo "FAIL: the payload in the title is not shown as text"
  exit 1
}
echo "ok: payloads in every field and in the body are text, never markup; every page has a CSP; ids and dates cannot name files outside the site"
