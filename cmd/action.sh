#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml): deps, build, check.  Also runnable by hand and by
# tests/e2e/action.sh, which plays GitHub: it sets the GITHUB_* variables and INPUT_* values.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${APICOMPAT_BIN:-$here/build/apicompat}

case "${1:-}" in
deps)
  # only what is missing; runners have passwordless sudo
  missing=$(make -s -C "$here" deps 2>/dev/null | sed -n 's/.*apt-get install -y //p' || true)
  if [ -n "$missing" ]; then
    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
  fi
  ;;
build)
  [ -n "${APICOMPAT_BIN:-}" ] || make -s -C "$here" "$bin"
  # later steps of the job can run the same binary: "$APICOMPAT" changelog ...
  echo "APICOMPAT=$bin" >> "${GITHUB_ENV:-/dev/null}"
  ;;
check)
  cd "${GITHUB_WORKSPACE:-.}"
  work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/apicompat.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # The step's outputs and, whatever happened, the step summary: the binary appends the Markdown
  # report (info changes included) itself; when it could not write one (exit 2), the error goes there.
  finish() {
    local code=$1
    echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"
    if [ -n "${INPUT_JSON_FILE:-}" ] && [ -s "$work/report.json" ]; then cp "$work/report.json" "$INPUT_JSON_FILE"; fi
    if [ -s "$work/report.json" ]; then
      python3 - "$work/report.json" >> "${GITHUB_OUTPUT:-/dev/null}" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print("breaking=" + ("true" if s["breaking"] else "false"))
print("errors=%d" % s["errors"])
print("warnings=%d" % s["warnings"])
PY
    elif [ "$code" -eq 2 ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
      python3 - "$work/stderr" "${2:-}" >> "$GITHUB_STEP_SUMMARY" <<'PY'
import os, re, sys
text = open(sys.argv[1], errors="replace").read() if os.path.exists(sys.argv[1]) else ""
text = (text + sys.argv[2]).strip() or "see the log of the step"
fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))
print("## apicompat: the contracts could not be checked\n\n%s\n%s\n%s\n" % (fence, text, fence))
PY
    fi
    exit "$code"
  }
  fail() { echo "::error title=apicompat::$1"; finish 2 "$1"; }
  fmt=(--format "${INPUT_FORMAT:-github}" --json-file "$work/report.json")
  # only when the input is set: --fail-on overrides the configuration's fail_on (a batch pair's too)
  if [ -n "${INPUT_FAIL_ON:-}" ]; then fmt+=(--fail-on "$INPUT_FAIL_ON"); fi
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then fmt+=(--summary-file "$GITHUB_STEP_SUMMARY"); fi
  if [ -n "${INPUT_SARIF_FILE:-}" ]; then fmt+=(--sarif-file "$INPUT_SARIF_FILE"); fi
  from_base=false
  case "${INPUT_CONFIG_FROM_BASE:-false}" in true | True | TRUE | 1 | yes) from_base=true ;; esac
  if [ -n "${INPUT_CONFIG:-}" ] && [ $from_base = false ]; then fmt+=(--config "$INPUT_CONFIG"); fi
  run() {
    set +e
    "$bin" "$@" 2> "$work/stderr"
    local code=$?
    set -e
    cat "$work/stderr" >&2
    if [ $code -eq 2 ]; then echo "::error title=apicompat::the contracts could not be checked (see the log above)"; fi
    finish $code
  }
  if [ -n "${INPUT_SHARD:-}" ] && [ -z "${INPUT_MANIFEST:-}" ]; then fail "the 'shard' input splits a batch: set 'manifest' too"; fi
  if [ -n "${INPUT_MERGE:-}" ]; then
    # the shards' reports, as the workflow's author names them (patterns are expanded here, sorted)
    reports=()
    read -r -a patterns <<< "$(echo "$INPUT_MERGE" | tr '\n' ' ')"
    for p in "${patterns[@]}"; do
      while IFS= read -r f; do reports+=("$f"); done < <(compgen -G "$p" | LC_ALL=C sort)
    done
    if [ ${#reports[@]} -eq 0 ]; then fail "no report matches the 'merge' input: did the shards upload their json-file?"; fi
    # the shards applied the configuration; merging takes only the report options (and --fail-on)
    merge_fmt=()
    for ((i = 0; i < ${#fmt[@]}; i++)); do
      if [ "${fmt[$i]}" = --config ]; then i=$((i + 1)); else merge_fmt+=("${fmt[$i]}"); fi
    done
    run report merge "${merge_fmt[@]}" -- "${reports[@]}"
  fi
  if [ -n "${INPUT_MANIFEST:-}" ]; then
    shard=()
    if [ -n "${INPUT_SHARD:-}" ]; then shard=(--shard "$INPUT_SHARD"); fi
    run batch "${fmt[@]}" ${shard[@]+"${shard[@]}"} -- "$INPUT_MANIFEST"
  fi
  if [ -n "${INPUT_AGAINST_TAGS:-}" ]; then
    # every release against the working tree (a nightly job); the tags come with fetch-depth: 0
    read -r -a paths <<< "$(echo "${INPUT_PATHS:-}" | tr '\n' ' ')"
    if [ ${#paths[@]} -eq 0 ]; then fail "the 'paths' input is empty: name the contracts to check"; fi
    run breaking --against-tags "$INPUT_AGAINST_TAGS" "${fmt[@]}" -- "${paths[@]}"
  fi
  # the revision to compare with: the input, the pull request's base, or the commit before a push
  against=${INPUT_AGAINST:-}
  if [ -z "$against" ] && [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
    against=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print((e.get("pull_request") or {}).get("base",{}).get("sha") or e.get("before") or "")' "$GITHUB_EVENT_PATH")
  fi
  if [ -z "$against" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then against=origin/$GITHUB_BASE_REF; fi
  if [ -z "$against" ]; then fail "no revision to compare with: run on pull_request, or set the 'against' input"; fi
  # a shallow checkout lacks the base commit: fetch just that commit.  The revision goes after
  # --end-of-options, so one that looks like an option (--upload-pack=...) is never taken for one.
  if ! git rev-parse --verify --quiet --end-of-options "$against^{commit}" >/dev/null; then
    git fetch --no-tags --depth=1 --end-of-options origin "$against" >/dev/null 2>&1 || true
  fi
  if [ $from_base = true ]; then
    # the policy the base revision holds the pull request to (git:REF:PATH; absent there: the default)
    cfg=${INPUT_CONFIG:-apicompat.yaml}
    if [ -z "${INPUT_CONFIG:-}" ]; then
      for c in apicompat.yaml .apicompat.yaml apicompat.yml; do
        if git cat-file -e --end-of-options "$against:$c" 2>/dev/null; then cfg=$c; break; fi
      done
    fi
    fmt+=(--config "git:$against:$cfg")
  fi
  read -r -a paths <<< "$(echo "${INPUT_PATHS:-}" | tr '\n' ' ')"
  if [ ${#paths[@]} -eq 0 ]; then fail "the 'paths' input is empty: name the contracts to check"; fi
  run breaking --against "$against" "${fmt[@]}" -- "${paths[@]}"
  ;;
*)
  echo "usage: cmd/action.sh deps|build|check" >&2
  exit 2
  ;;
esac
