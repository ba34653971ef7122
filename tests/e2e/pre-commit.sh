#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml, cmd/pre-commit.sh) run by pre-commit itself, as a
# project would: a repository whose .pre-commit-config.yaml names the hook (from a scratch copy of
# the hook files, committed, as pre-commit clones a hook repository), `pre-commit install` for the
# commit and push stages, then a breaking commit is refused, a compatible one goes through, and a
# breaking commit made with --no-verify is refused at push, against what the remote has.
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v pre-commit >/dev/null || { echo "SKIP pre-commit: not installed (make deps installs it)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL $*"; fail=1; }
export GIT_AUTHOR_NAME=apicompat GIT_AUTHOR_EMAIL=tests@apicompat.invalid GIT_COMMITTER_NAME=apicompat \
  GIT_COMMITTER_EMAIL=tests@apicompat.invalid GIT_CONFIG_NOSYSTEM=1 HOME=$tmp PRE_COMMIT_HOME=$tmp/cache \
  APICOMPAT_BIN=$bin
trees=$root/fixtures/git/trees

# the hook repository: the files under test, committed
mkdir -p "$tmp/hooks/cmd"
cp "$root/.pre-commit-hooks.yaml" "$tmp/hooks/"
cp "$root/cmd/pre-commit.sh" "$tmp/hooks/cmd/"
(cd "$tmp/hooks" && git init -q -b main && git add -A && git commit -q -m hooks)
rev=$(git -C "$tmp/hooks" rev-parse HEAD)

# the project: the base contracts, its remote, and the hook
git init -q --bare -b main "$tmp/remote.git"
mkdir "$tmp/work" && cd "$tmp/work"
git init -q -b main && cp -r "$trees/base/." .
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $tmp/hooks
    rev: $rev
    hooks:
      - id: apicompat
        args: [proto, api/openapi.yaml]
YAML
git add -A && git commit -q -m base
git remote add origin "$tmp/remote.git" && git push -q origin main
pre-commit install -t pre-commit -t pre-push > /dev/null

# a breaking change is refused at commit, with apicompat's findings
rm -rf proto api && cp -r "$trees/head/." . && git add -A
set +e; git commit -q -m breaking > "$tmp/out" 2>&1; rc=$?; set -e
[ $rc -ne 0 ] || no "the breaking commit was made"
grep -q "FIELD_NO_DELETE" "$tmp/out" && grep -q "request-parameter-became-required" "$tmp/out" ||
  no "the hook's output lacks the findings: $(head -20 "$tmp/out")"
grep -q "exit code: 1" "$tmp/out" || no "pre-commit does not report exit code 1: $(grep -i exit "$tmp/out")"
[ "$(git log --oneline | wc -l)" -eq 1 ] || no "a commit was made"

# a compatible change goes through (a comment added to a .proto file)
git reset -q --hard
echo "// a comment" >> proto/v1/pet.proto && git add -A
git commit -q -m comment > "$tmp/out" 2>&1 || no "the compatible commit was refused: $(head -20 "$tmp/out")"
grep -q "apicompat breaking.*Passed" "$tmp/out" || no "the hook did not run on the compatible commit: $(cat "$tmp/out")"

# a change to files the hook does not look at does not run it
echo notes > NOTES.txt && git add NOTES.txt
git commit -q -m notes > "$tmp/out" 2>&1 || no "the commit of a text file was refused"
grep -q "apicompat breaking.*Skipped" "$tmp/out" || no "the hook was not skipped for a text file: $(cat "$tmp/out")"

# at push: the breaking commit made with --no-verify is refused, against the remote's main
git push -q origin main > /dev/null 2>&1 || no "pushing compatible commits was refused"
rm -rf proto api && cp -r "$trees/head/." . && git add -A && git commit -q --no-verify -m breaking
set +e; git push origin main > "$tmp/out" 2>&1; rc=$?; set -e
[ $rc -ne 0 ] || no "the breaking commit was pushed"
grep -q "FIELD_NO_DELETE" "$tmp/out" || no "the pre-push hook's output lacks the findings: $(head -20 "$tmp/out")"

# a hook without contracts to check says so (exit 2), whatever is staged
sed -i 's/args: \[proto, api\/openapi.yaml\]/args: []/' .pre-commit-config.yaml
set +e; pre-commit run apicompat --all-files > "$tmp/out" 2>&1; rc=$?; set -e
[ $rc -ne 0 ] && grep -q "the hook needs the contracts" "$tmp/out" || no "a hook without args: $(cat "$tmp/out")"

[ $fail -eq 0 ] && echo "pre-commit: ok"
exit $fail
