#!/usr/bin/env bash
# The machine-read outputs of the fixtures validate against their schemas.
set -euo pipefail
python3 "$(dirname "$0")/../tools/validate_formats.py"
