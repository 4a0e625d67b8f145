# Shared by the shell tests: a scratch Git repository to put a corpus in.
#
#   source "$(dirname "$0")/../lib/sandbox.sh"
#   sandbox_init EVREPO SRCDIR NAME
#
# Sets $evrepo and $src (absolute), $work (a temporary directory, removed on
# exit, with HOME inside it so no user configuration leaks in) and leaves the
# current directory at $work/corpus: an empty Git repository, branch main,
# with a local identity.
sandbox_init() {
  evrepo=$(realpath "$1")
  src=$(realpath "$2")
  export EVREPO_SCHEMA_DIR=${EVREPO_SCHEMA_DIR:-$src/schemas}
  export GIT_CONFIG_NOSYSTEM=1
  work=$(mktemp -d "${TMPDIR:-/tmp}/evrepo-$3.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  export HOME=$work/home
  mkdir -p "$HOME" "$work/corpus"
  cd "$work/corpus"
  git init -q -b main
  git config user.name "evrepo $3 test"
  git config user.email "$3@example.org"
}
