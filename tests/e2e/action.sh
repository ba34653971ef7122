#!/usr/bin/env bash
# The GitHub Action and the README's workflows, run without GitHub (see tests/tools/action_test.py).
set -euo pipefail
python3 "$(dirname "$0")/../tools/action_test.py" "$1"
