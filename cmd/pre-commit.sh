#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml): apicompat breaking --against REV PATH..., where REV
# is HEAD before a commit (pre-commit has stashed what is not staged, so the working tree is what
# will be committed) and the remote's commit before a push.  Arguments: the hook's args (the
# contract paths, and any apicompat option).  Exit codes are apicompat's: 0 ok, 1 breaking, 2 could
# not check.  APICOMPAT_BIN names the binary; else apicompat on PATH; else it is built here.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -n "${APICOMPAT_BIN:-}" ]; then bin=$APICOMPAT_BIN
elif command -v apicompat >/dev/null; then bin=apicompat
else
  make -s -C "$here" build/apicompat >&2 || { echo "apicompat: cannot build it (make deps installs what it needs)" >&2; exit 2; }
  bin=$here/build/apicompat
fi
[ $# -gt 0 ] || { echo "apicompat: the hook needs the contracts to check as args (e.g. args: [proto, api/openapi.yaml])" >&2; exit 2; }
against=HEAD
# pre-push: PRE_COMMIT_FROM_REF is the remote's commit (all zeros for a new branch: then HEAD)
if [ -n "${PRE_COMMIT_FROM_REF:-}" ] && [ -n "${PRE_COMMIT_FROM_REF//0/}" ]; then against=$PRE_COMMIT_FROM_REF; fi
if ! git rev-parse --verify --quiet --end-of-options "$against^{commit}" >/dev/null; then
  echo "apicompat: no $against to compare with (the first commit): nothing can break yet"
  exit 0
fi
# the options first, then the paths after --, so that a path is never read as an option
opts=() paths=()
while [ $# -gt 0 ]; do
  case $1 in
  --) shift; paths+=("$@"); break ;;
  --*=*|-[a-zA-Z]?*) opts+=("$1") ;;
  --show-suppressed|--explain|--no-proofs) opts+=("$1") ;;
  -*) opts+=("$1" "${2:-}"); shift ;;
  *) paths+=("$1") ;;
  esac
  shift
done
exec "$bin" breaking --against "$against" ${opts[@]+"${opts[@]}"} -- "${paths[@]}"
