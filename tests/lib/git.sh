# Helpers for case `setup` scripts (see tests/run.sh): build a git repository in the case's scratch
# directory.
#   git_repo_from BASE HEAD   commit a copy of directory BASE (tagged "base"), then make the tree a
#                             copy of HEAD and commit it (tagged "head", branch main)
set -euo pipefail
export GIT_AUTHOR_NAME=apicompat GIT_AUTHOR_EMAIL=tests@apicompat.invalid
export GIT_COMMITTER_NAME=apicompat GIT_COMMITTER_EMAIL=tests@apicompat.invalid
export GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z
export GIT_CONFIG_NOSYSTEM=1 HOME=${HOME:-/tmp}

# the case's own files (cmd, expected, ...) stay out of the repository
_case_files() { printf '%s\n' setup cmd expected expected-stderr exit env cwd NOTE.md; }

git_repo_from() {
  local base=$1 head=$2
  git init -q -b main .
  _case_files > .git/info/exclude
  cp -r "$base/." .
  git add -A .
  git commit -q -m base
  git tag base
  git ls-files -z | xargs -0 rm -f
  find . -mindepth 1 -type d -empty ! -path './.git*' -delete
  cp -r "$head/." .
  git add -A .
  git commit -q --allow-empty -m head
  git tag head
}
