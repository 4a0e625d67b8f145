# Shared by the site tests: a toolkit document of the basic fixture's
# schemas, in toolkits/ under the current directory.
#
#   source "$src/tests/lib/toolkit.sh"          # after sandbox.sh
#   toolkit ID TITLE SUMMARY CONFIDENTIALITY FRONT-MATTER BODY
#
# Writes toolkits/ID.md: FRONT-MATTER (more lines, or "") ends the front
# matter, BODY follows it.
toolkit() {
  mkdir -p toolkits
  cat > "toolkits/$1.md" <<DOC
---
id: $1
title: $2
type: toolkit
date: 2007-01-01
authors: [Gareth Price]
tags: [brokerage]
summary: $3
confidentiality: $4
status: final
service: brokerage
audience: social-enterprises
formats: [checklist]
$5
---
$6
DOC
}
