#!/usr/bin/env bash
# The site's search index, patched after a small change, is the very index
# a full publish writes.
#
# On a generated corpus of 400 documents (about 150 term parts, where a
# document's words are spread over most of them), each step changes a few
# documents and commits, then publishes into the same site (the term parts
# are patched from the previous site's when the documents are the same and
# few changed) and into a fresh directory, and the two must be identical
# file for file.  The steps add words no other document has, remove words
# only one document had, change a title (title words weigh more), rewrite a
# body whole, change three documents at once, change a document's id (its
# page moves, but the parts are still patched: the documents are at the same
# paths), lengthen one document so much that the average length moves
# (patched too: the postings hold counts, and the lengths are a part of
# their own), and withhold one (every document after it is numbered again:
# the index is made afresh).  Which steps patch was checked by hand.
#
#   usage: check_incremental_search.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
source "$(dirname "$0")/../lib/publish.sh"
sandbox_init "$1" "$2" site-incremental-search
# The generator makes the directory and its repository anew.
cd "$work"
python3 "$src/bench/gen_corpus.py" 400 "$work/corpus" >/dev/null
cd "$work/corpus"
git config user.name "evrepo test"
git config user.email "test@example.org"

publish() {
  publish_and_compare "$1"
  echo "ok: $1: the same site as a full publish"
}
commit() {
  git -c commit.gpgsign=false commit -q -a -m "$1"
  publish "$1"
}

# Published documents (public, not drafts), in path order.
mapfile -t docs < <(grep -l '^confidentiality: public$' */*.md |
  xargs grep -L '^status: draft$' | sort)
((${#docs[@]} > 300)) || { echo "FAIL: only ${#docs[@]} published"; exit 1; }
publish "first publish"
parts=$(ls "$work/site/assets/search"/t-*.js | wc -l)
((parts > 50)) || { echo "FAIL: only $parts term parts: too few to patch"; exit 1; }

a=${docs[10]} b=${docs[200]} c=${docs[350]}
printf '\nZyxwvut quorbling flimmerage: a paragraph of words no other document has.\n' >>"$a"
commit "words no other document has"

sed -i '/Zyxwvut/d' "$a"
commit "those words removed again"

sed -i 's/^title: .*/title: "Kerbside quorbling and the council"/' "$b"
commit "a title changed"

python3 - "$c" <<'EOF'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
head, body = text.split("\n---\n", 1)
open(path, "w", encoding="utf-8").write(
    head + "\n---\n\n# A new body\n\nNothing of what was here before: "
    "procurement reform, social value and a marmalade cooperative.\n")
EOF
commit "a body rewritten whole"

for d in "${docs[@]:20:3}"; do
  printf '\nAddendum: the commissioning team confirmed the social clauses.\n' >>"$d"
done
commit "three documents changed"

sed -i 's/^id: .*/&-renamed/' "${docs[30]}"
commit "a document's id changed"

for i in $(seq 2000); do
  echo "Another long paragraph about social enterprise in public procurement number $i."
done >>"$a"
commit "one document made much longer"

sed -i 's/^confidentiality: public$/confidentiality: internal/' "${docs[5]}"
commit "a document withheld"
