#!/usr/bin/env bash
# Incremental indexing equals a rebuild.  A copy of corpus/ is committed in
# steps -- documents added, modified, renamed, deleted, a type changed, a
# document made generic, the synonyms changed -- and `evrepo index` follows
# each commit incrementally.  At the end, the answers to a set of queries
# (ranks, weights, snippets, facets, spelling suggestions) and the document
# count must be exactly those of `evrepo index --rebuild` at the last commit,
# whether the rebuild runs in one piece or in shards on several threads.
#
#   usage: check_incremental.sh EVREPO SRCDIR
set -euo pipefail

source "$(dirname "$0")/../lib/sandbox.sh"
sandbox_init "$1" "$2" incremental

step=0
commit() {  # message: commits the working tree with plain git (no checks)
  step=$((step + 1))
  git add -A .
  GIT_AUTHOR_DATE="2007-01-0${step}T10:00:00Z" \
    GIT_COMMITTER_DATE="2007-01-0${step}T10:00:00Z" git commit -q -m "$1"
  "$evrepo" index >/dev/null
}

# 1: most of the corpus.
cp -r "$src/corpus/." .
mkdir -p "$work/held"
mv case-studies/harbour-kitchen-wave-3.md research/added-value-social-enterprise-procurement-2007.md "$work/held/"
commit "most of the corpus"
# 2: documents added.
mv "$work/held/harbour-kitchen-wave-3.md" case-studies/
mv "$work/held/added-value-social-enterprise-procurement-2007.md" research/
commit "add two documents"
# 3: modified: a title, tags and the body.
sed -i 's/^title: .*/title: Harbour Kitchen wave 3: hospital food and school meals/' case-studies/harbour-kitchen-wave-3.md
sed -i 's/^tags: \[/tags: [value-for-money, /' research/added-value-social-enterprise-procurement-2007.md
printf '\nA closing note on kerbside glass collection and plate waste.\n' >> case-studies/greenway-recycling-wave-2.md
commit "modify three documents"
# 4: renamed and moved.
mkdir -p archive
git mv -k toolkits/finding-small-contracts-toolkit-v1.md archive/
git mv -k training/contracting-know-how-module-2.md training/module-2-reading-tender-packs.md
commit "rename and move"
# 5: deleted.
git rm -q research/regional-economy-impact-model-2007.md
commit "delete a document"
# 6: a type changed, and a document without front matter (generic).
sed -i 's/^type: toolkit$/type: training-material/' toolkits/buyer-engagement-checklist.md
sed -i '1,/^---$/{/^---$/!d}' toolkits/brokerage-client-register-template.md
sed -i '1{/^---$/d}' toolkits/brokerage-client-register-template.md
commit "change a type, make a document generic"
# 7: synonyms changed, and an undeclared field.
printf 'LM3 = local multiplier 3 = money multiplier\n' >> synonyms.txt
sed -i 's/^status: final$/status: final\nfunder: Lottery/' case-studies/pathways-care-wave-1.md
commit "synonyms and a new field"

queries=(
  "social clauses procurement"
  "hospital food school meals"
  "kerbside glass"
  "money multiplier"
  "FCR pricing"
  "type:training-material checklist"
  "type:toolkit"
  "tag:value-for-money"
  "reading tender packs"
  "economic model"
  "funder:lottery"
  "date:2006..2007 longitudinal"
  "longitudnal stuy"
  "\"plate waste\""
  "procure*"
  ""
)
answers() {
  local q
  for q in "${queries[@]}"; do
    printf '## %s\n' "$q"
    "$evrepo" search --no-update --facets --format json --limit 50 -- "$q" || true
  done
  "$evrepo" index
}

incremental=$(answers)
"$evrepo" index --rebuild >/dev/null
rebuilt=$(answers)
if [[ "$incremental" != "$rebuilt" ]]; then
  echo "FAIL: the incremental index answers differently from a rebuild:"
  diff <(echo "$incremental") <(echo "$rebuilt") | head -60
  exit 1
fi
count=$(echo "$rebuilt" | tail -1)
echo "ok: ${#queries[@]} queries answered identically after $step commits; $count"

# A rebuild on several threads (shards of 10 documents, merged) answers as
# one built on a single thread.
EVREPO_INDEX_SHARD_DOCS=10 "$evrepo" index --rebuild >/dev/null
sharded=$(answers)
if [[ "$sharded" != "$rebuilt" ]]; then
  echo "FAIL: a rebuild in shards answers differently from one in one piece:"
  diff <(echo "$rebuilt") <(echo "$sharded") | head -60
  exit 1
fi
echo "ok: a rebuild in shards answers identically"
