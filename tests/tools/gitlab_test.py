#!/usr/bin/env python3
"""Plays GitLab CI for ci/gitlab/apicompat.gitlab-ci.yml, as action_test.py plays GitHub for action.yml.

For each scenario it builds a git repository (a base commit and a head commit from
fixtures/git/trees) and a shallow clone of head, as a runner checks out a merge request; sets the
job's variables and the CI_* variables of a merge request pipeline; runs the job's script with bash
in the clone; and checks the exit status, the job log, and the Code Quality report the job
declares as its artifact (against tests/schemas/gitlab-code-quality.schema.json).

usage: tests/tools/gitlab_test.py BIN   (BIN: the apicompat to run, through APICOMPAT_BIN)"""
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
binary = os.path.abspath(sys.argv[1])
template = yaml.safe_load(open(os.path.join(root, "ci/gitlab/apicompat.gitlab-ci.yml")))
schema = json.load(open(os.path.join(root, "tests/schemas/gitlab-code-quality.schema.json")))
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def make_repo(tmp, head_tree, extra=None):
    origin = os.path.join(tmp, "origin")
    os.makedirs(origin)
    trees = os.path.join(root, "fixtures/git/trees")
    script = f'. "{root}/tests/lib/git.sh"; git_repo_from "{trees}/base" "{head_tree}"'
    for name, content in (extra or {}).items():
        script += f"; cat >> {name} <<'EOF'\n{content}EOF\n git add {name} && git commit -q --amend --no-edit && git tag -f head >/dev/null"
    subprocess.run(["bash", "-c", script], cwd=origin, check=True, capture_output=True)
    work = os.path.join(tmp, "work")
    subprocess.run(["git", "clone", "-q", "--depth", "1", "file://" + origin, work], check=True, capture_output=True)
    base = subprocess.run(["git", "-C", origin, "rev-parse", "base"], check=True, capture_output=True, text=True).stdout.strip()
    return work, base


def run_job(work, base, variables):
    job = template["apicompat"]
    env = dict(os.environ)
    env.update({k: str(v) for k, v in job["variables"].items()})
    env.update(CI="true", GITLAB_CI="true", CI_PIPELINE_SOURCE="merge_request_event", CI_PROJECT_DIR=work,
               CI_MERGE_REQUEST_DIFF_BASE_SHA=base, APICOMPAT_BIN=binary)
    env.update(variables)
    env.pop("NO_COLOR", None)
    p = subprocess.run(["bash", "-c", "\n".join(job["script"])], cwd=work, env=env, capture_output=True, text=True)
    report_path = os.path.join(work, job["artifacts"]["reports"]["codequality"])
    report = json.load(open(report_path)) if os.path.exists(report_path) else None
    return p.returncode, p.stdout + p.stderr, report


job = template["apicompat"]
check(any("merge_request_event" in r.get("if", "") for r in job["rules"]), "the job runs in merge request pipelines")
check(job["artifacts"]["when"] == "always", "the report is kept when the job fails")

# ---- a merge request that breaks clients (the clone is shallow: the base is fetched) ----
with tempfile.TemporaryDirectory() as tmp:
    work, base = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"))
    check(subprocess.run(["git", "-C", work, "cat-file", "-e", base + "^{commit}"], capture_output=True).returncode != 0,
          "the clone is shallow: the base commit is not there before the job runs")
    code, log, report = run_job(work, base, {"APICOMPAT_PATHS": "proto api/openapi.yaml"})
    check(code == 1, f"breaking merge request: the job fails with exit 1 (got {code}: {log[-300:]})")
    check(report is not None, "the Code Quality report is written")
    if report is not None:
        try:
            jsonschema.validate(report, schema)
            check(True, "the Code Quality report fits GitLab's schema")
        except jsonschema.ValidationError as e:
            check(False, f"the Code Quality report fits GitLab's schema: {e.message}")
        names = {(x["check_name"], x["location"]["path"]) for x in report}
        check(("FIELD_NO_DELETE", "proto/v1/pet.proto") in names, "the report has FIELD_NO_DELETE on proto/v1/pet.proto")
        check(("request-parameter-became-required", "api/openapi.yaml") in names,
              "the report has request-parameter-became-required on api/openapi.yaml")
    check("## apicompat: breaking changes" in log and "FIELD_NO_DELETE" in log, "the job log shows the Markdown report")
    check(os.path.exists(os.path.join(work, "apicompat.json")), "apicompat.json is kept as an artifact")

# ---- a merge request that breaks nothing ----
with tempfile.TemporaryDirectory() as tmp:
    work, base = make_repo(tmp, os.path.join(root, "fixtures/git/trees/base"), {"proto/v1/pet.proto": "// a comment\n"})
    code, log, report = run_job(work, base, {"APICOMPAT_PATHS": "proto api/openapi.yaml"})
    check(code == 0, f"compatible merge request: exit 0 (got {code}: {log[-300:]})")
    check(report == [], f"compatible merge request: an empty Code Quality report (got {report})")

# ---- contracts that cannot be checked: exit 2, the reason in the log, a valid (empty) report ----
with tempfile.TemporaryDirectory() as tmp:
    work, base = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"))
    code, log, report = run_job(work, base, {"APICOMPAT_PATHS": "api/nosuch.yaml"})
    check(code == 2, f"a path on neither side: exit 2 (got {code})")
    check(re.search(r"api/nosuch\.yaml: .*exists neither", log) is not None, f"the log says why: {log.strip()[-200:]}")
    check(report == [], "the Code Quality report stays valid JSON when nothing could be checked")
    code, log, report = run_job(work, base, {"APICOMPAT_PATHS": ""})
    check(code == 2 and "set APICOMPAT_PATHS" in log, f"no paths: exit 2 with what to set (got {code}: {log.strip()})")
    code, log, report = run_job(work, base, {"APICOMPAT_PATHS": "proto", "APICOMPAT_BIN": "", "PATH": "/usr/bin:/bin"})
    check(code == 2 and "APICOMPAT_REPO is not set" in log, f"no apicompat and no repository to build it from: exit 2 (got {code}: {log.strip()})")

# ---- the fail level is the job's variable ----
with tempfile.TemporaryDirectory() as tmp:
    work, base = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"))
    code, log, report = run_job(work, base, {"APICOMPAT_PATHS": "api/openapi.yaml", "APICOMPAT_FAIL_ON": "off"})
    check(code == 0 and report, f"APICOMPAT_FAIL_ON=off: exit 0, findings still reported (got {code})")

# ---- without APICOMPAT_FAIL_ON, the repository's apicompat.yaml sets the fail level ----
with tempfile.TemporaryDirectory() as tmp:
    work, base = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"), {"apicompat.yaml": "version: 1\nfail_on: off\n"})
    code, log, report = run_job(work, base, {"APICOMPAT_PATHS": "api/openapi.yaml"})
    check(code == 0 and report, f"no APICOMPAT_FAIL_ON: apicompat.yaml's fail_on: off applies, exit 0 (got {code})")

print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
