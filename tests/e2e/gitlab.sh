#!/usr/bin/env bash
# The GitLab CI template (ci/gitlab/apicompat.gitlab-ci.yml), run without GitLab (see tests/tools/gitlab_test.py).
set -euo pipefail
python3 "$(dirname "$0")/../tools/gitlab_test.py" "$1"
