#!/usr/bin/env bash
# A full index and a publish of many documents read a document from its
# file in the working tree where Git's index vouches for it (they work with
# the blobs gone from Git's objects), and never otherwise: a file edited after its commit, even to the same size and with
# its old modification time put back, is read from Git's objects, so what
# is indexed and published is still what was committed.
#
#   usage: check_worktree_reads.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" worktree

fail() { echo "FAIL: $*" >&2; exit 1; }

# 120 generated documents (publish reads the working tree from 64 up).
python3 "$src/bench/gen_corpus.py" 120 "$work/generated" --no-git >/dev/null
cp -r "$work/generated/." .
git add -A .
git commit -q -m "generated corpus"
# Fresh stat data in Git's index, which is written later than every file
# (an entry as new as the index is never trusted).  Git compares whole
# seconds: the files' times move to the past, so that it records them anew.
touch -d '-10 seconds' */*.md
sleep 0.2
git status --porcelain >/dev/null

# With the documents' blobs gone from Git's objects, a rebuild and a
# publish can only have read them from the working tree.
mkdir "$work/hidden"
for f in */*.md; do
  obj=$(git rev-parse "HEAD:$f")
  mv ".git/objects/${obj:0:2}/${obj:2}" "$work/hidden/$obj"
done
"$evrepo" index --rebuild >/dev/null || fail "a rebuild needed Git's objects"
"$evrepo" publish --out "$work/site" >/dev/null ||
  fail "a publish needed Git's objects"
for obj in "$work"/hidden/*; do
  mv "$obj" ".git/objects/$(basename "$obj" | cut -c1-2)/$(basename "$obj" | cut -c3-)"
done

# A public, non-draft document, and a word of its body.
# (No pipeline stops early here: under pipefail, a writer cut off by
# SIGPIPE would fail the test now and then.)
doc=
for f in */*.md; do
  if grep -q '^confidentiality: public$' "$f" &&
    ! grep -q '^status: draft$' "$f"; then
    doc=$f
    break
  fi
done
[ -n "$doc" ] || fail "no public document generated"
word=$(awk '/^---$/ { n++; next }
  n >= 2 && /^[A-Z]/ {
    for (i = 1; i <= NF; i++)
      if ($i ~ /^[a-z][a-z][a-z][a-z][a-z][a-z][a-z][a-z][a-z]+$/) {
        print $i
        exit
      }
  }' "$doc")
[ -n "$word" ] || fail "no word to change in $doc"
other=$(printf 'zq%s' "$(printf '%*s' $((${#word} - 2)) '' | tr ' ' x)")
[ ${#other} -eq ${#word} ] || fail "replacement of another length"

# Changed in the working tree only: same size, old modification time back.
mtime=$(stat -c %y "$doc")
# (Written in place: the same inode.)
python3 -c '
import sys
path, old, new = sys.argv[1:]
with open(path, "r+b") as f:
    text = f.read()
    f.seek(0)
    f.write(text.replace(old.encode(), new.encode(), 1))
' "$doc" "$word" "$other"
touch -d "$mtime" "$doc"
grep -q "$other" "$doc" || fail "the edit did not happen"
[ "$(git rev-parse HEAD:"$doc")" != "$(git hash-object "$doc")" ] ||
  fail "the edit left the blob unchanged"

"$evrepo" index --rebuild >/dev/null
if "$evrepo" search --no-update --format paths -- "$other" >/dev/null 2>&1; then
  fail "the index holds '$other', which was never committed"
fi
found=$("$evrepo" search --no-update --format paths -n 200 -- "$word")
grep -qx "$doc" <<<"$found" || fail "the index lost '$word' of $doc"

"$evrepo" publish --out "$work/site" >/dev/null
if grep -rq "$other" "$work/site"; then
  fail "the site shows '$other', which was never committed"
fi
grep -q "$word" "$work/site/documents/$(sed -n 's/^id: //p' "$doc" | tr -d '"').html" ||
  fail "the page of $doc lost '$word'"

# The unchanged documents are the same either way: the same site as one
# published from a clone, which has no uncommitted file at all.
git -C "$work" clone -q corpus clone
(cd "$work/clone" && "$evrepo" publish --out "$work/site-clone" >/dev/null)
diff -r -x .evrepo-site "$work/site" "$work/site-clone" >/dev/null ||
  fail "the site differs from one published from a clean clone"
echo "ok: the working tree is read only where Git's index vouches for it"
