#!/usr/bin/env bash
# Once the index directory exists, evrepo keeps the parsed schemas in
# .evrepo/schemas.cache.  Through the real command: what evrepo says with the
# cache is what it says without it; an edited schema, a schema added and one
# removed take effect at once; a damaged cache is replaced; a broken schema
# is reported every time.
#
#   usage: check_schema_cache.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" schema-cache

cp -r "$src/corpus/." .
mkdir -p schemas
printf 'schemas: schemas\n' >> evrepo.yml
git add -A . && git commit -q -m corpus
cache=.evrepo/schemas.cache

fail() { echo "FAIL: $*" >&2; exit 1; }

# What `schema` and `check` say, with the cache as it is; and with none.
say() { "$evrepo" schema toolkit; "$evrepo" schema; "$evrepo" check 2>&1 || true; }
fresh() { rm -f "$cache"; say; }

[ ! -e "$cache" ] || fail "a cache before the index directory exists"
"$evrepo" index >/dev/null
say >/dev/null
[ -s "$cache" ] || fail "no cache after the first command"
before=$(stat -c %i "$cache")
diff <(say) <(say) >/dev/null || fail "two runs with the cache differ"
[ "$(stat -c %i "$cache")" = "$before" ] || fail "a hit rewrote the cache"
expected=$(fresh)
[ "$(say)" = "$expected" ] || fail "the cache changes what evrepo says"

# A corpus schema added: a vocabulary that replaces the built-in tags, and
# a type of its own.
cat > schemas/tags.xml <<'XML'
<schema>
  <vocabulary name="tags" label="Tags">
    <term value="only-tag"/>
  </vocabulary>
  <type name="memo" extends="base" folder="memos" label="Memo"/>
</schema>
XML
out=$(say)
grep -q "vocabulary tags (1 terms)" <<<"$out" ||
  fail "the added schema did not take effect: $(head -c 2000 <<<"$out")"
grep -q "'longitudinal-study' is not in the 'tags' vocabulary" <<<"$out" ||
  fail "check did not use the added schema"
[ "$out" = "$(fresh)" ] || fail "added schema: cached and fresh differ"

# The same file edited to the same size: a label changes.
sed -i 's/label="Memo"/label="Mema"/' schemas/tags.xml
out=$(say)
grep -q "^memo .* Mema$" <<<"$out" || fail "the edit did not take effect"
[ "$out" = "$(fresh)" ] || fail "edited schema: cached and fresh differ"

# Removed again: the built-in vocabulary is back.
rm schemas/tags.xml
[ "$(say)" = "$expected" ] || fail "the removed schema is still in effect"

# A damaged cache is a miss and is written anew.
head -c 100 /dev/urandom > "$cache"
[ "$(say)" = "$expected" ] || fail "a damaged cache changed what evrepo says"
[ "$(head -c 20 "$cache")" = "evrepo-schema-cache " ] || fail "damaged cache not replaced"

# A broken schema is an error each time, with its file and line.
printf '<schema>\n<type name="x">\n</schema>\n' > schemas/broken.xml
for i in 1 2; do
  if "$evrepo" schema >"$work/out" 2>&1; then fail "a broken schema loaded"; fi
  grep -q "schemas/broken.xml:2: malformed XML" "$work/out" ||
    fail "no file and line: $(cat "$work/out")"
done
rm schemas/broken.xml
[ "$(say)" = "$expected" ] || fail "after the broken schema was removed"
echo "schema cache: ok"
