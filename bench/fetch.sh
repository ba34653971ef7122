#!/usr/bin/env bash
# Installs the real-world inputs and the peer tools into a cache outside the repository:
#   buf (the CLI, from npm @bufbuild/buf), google-proto-files 5.0.0 and 6.0.1, @octokit/openapi,
#   and the official SARIF 2.1.0 JSON schema (shipped in npm @microsoft/sarif-matcher-utils) for the format tests.
# The cache is $APICOMPAT_CACHE (default ~/.cache/apicompat).  Safe to run again: installed
# packages are kept.  Needs network access to the npm registry (at fetch time only).
set -euo pipefail
cache=${APICOMPAT_CACHE:-$HOME/.cache/apicompat}
mkdir -p "$cache"
install() { # dir package
  local dir=$cache/$1 pkg=$2
  if [ -d "$dir/node_modules/${pkg%@*}" ] || [ -d "$dir/node_modules/$(echo "$pkg" | sed 's/@[^@/]*$//')" ]; then return; fi
  mkdir -p "$dir"
  (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error "$pkg" >/dev/null)
  echo "installed $pkg into $dir"
}
install buf @bufbuild/buf
install gpf5 google-proto-files@5.0.0
install gpf6 google-proto-files@6.0.1
install octokit @octokit/openapi@23.0.2
install sarif @microsoft/sarif-matcher-utils@1.0.0-beta.0
if [ ! -f "$cache/sarif-schema-2.1.0.json" ]; then
  cp "$(find "$cache/sarif/node_modules/@microsoft/sarif-matcher-utils" -name 'sarif-2.1.0*.json' | head -1)" "$cache/sarif-schema-2.1.0.json"
fi
echo "cache: $cache"
