#!/usr/bin/env bash
# Browser-level tests of the published site: publishes the sample corpus and
# opens the result from file:// in headless Chromium, as a reader would.
# check.js does the checking: Nu HTML checker, internal links and anchors,
# every page under its CSP, axe-core, search, screenshots.
#
#   usage: run.sh EVREPO SRCDIR SCREENSHOT_DIR
#
# Needs Debian's chromium and default-jre-headless, node and npm. The npm
# packages (pinned in package-lock.json) are installed into node_modules
# beside this script on first use; no browser is downloaded.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 EVREPO SRCDIR SCREENSHOT_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$3"
shots=$(realpath "$3")
start=$SECONDS

: "${CHROMIUM:=/usr/bin/chromium}"
export CHROMIUM
missing=()
command -v java >/dev/null || missing+=("java (Debian: default-jre-headless)")
[[ -x $CHROMIUM ]] || missing+=("$CHROMIUM (Debian: chromium)")
command -v node >/dev/null || missing+=("node (Debian: nodejs)")
command -v npm >/dev/null || missing+=("npm (Debian: npm)")
if [[ ${#missing[@]} -gt 0 ]]; then
  printf 'FAIL setup: missing %s\n' "${missing[@]}"
  exit 1
fi

# npm packages: installed when absent or not at the versions package.json pins.
deps_ok() {
  (cd "$here" && node -e '
    const want = require("./package.json").dependencies;
    for (const [name, version] of Object.entries(want)) {
      const got = require(`./node_modules/${name}/package.json`).version;
      if (got !== version) process.exit(1);
    }' 2>/dev/null)
}
if ! deps_ok; then
  echo "installing npm packages into $here/node_modules"
  # --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; the
  # system's Java is used instead.
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
     npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
  deps_ok || { echo "FAIL setup: npm ci did not install the pinned packages"; exit 1; }
fi

# Publish the sample corpus in a scratch repository (HOME inside it).
source "$here/../../lib/sandbox.sh"
sandbox_init "$1" "$2" browser
cp -r "$src/corpus/." .
"$evrepo" add . -m corpus >/dev/null
"$evrepo" publish --out "$work/site" >/dev/null

status=0
node "$here/check.js" "$work/site" "$shots" || status=$?
echo "browser tests took $((SECONDS - start)) s"
exit $status
