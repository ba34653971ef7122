#!/usr/bin/env python3
"""Plays GitHub Actions for action.yml and the workflows in README.md.

For each scenario it builds a git repository (a base commit and a head commit from
fixtures/git/trees), writes the event file and the GITHUB_* variables a job sees, takes the `with:`
inputs of the README workflow's apicompat step, runs every `run:` step of action.yml (the `uses:`
cache step is GitHub's), then the workflow's own `run:` steps, and checks the annotations, the step
summary, the step outputs and the exit status.  The nightly workflow's jobs run in order, each
matrix job with ${{ matrix.* }} substituted, in one workspace that stands for the artifacts.

usage: tests/tools/action_test.py BIN   (BIN: the apicompat to test; the action's build step is
skipped for it through APICOMPAT_BIN)"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import yaml

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
binary = os.path.abspath(sys.argv[1])
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def readme_workflow(name):
    text = open(os.path.join(root, "README.md")).read()
    m = re.search(r"<!-- workflow: %s [^>]*-->\s*```yaml\n(.*?)```" % re.escape(name), text, re.S)
    if not m:
        sys.exit(f"README.md has no workflow block named {name}")
    return yaml.safe_load(m.group(1))


def git(repo, *args):
    return subprocess.run(["git", "-C", repo] + list(args), check=True, capture_output=True, text=True).stdout.strip()


def make_repo(tmp, head_tree, extra=None):
    """origin: base and head commits; work: a shallow clone of head, as actions/checkout makes."""
    origin = os.path.join(tmp, "origin")
    os.makedirs(origin)
    lib = os.path.join(root, "tests/lib/git.sh")
    trees = os.path.join(root, "fixtures/git/trees")
    script = f'. "{lib}"; git_repo_from "{trees}/base" "{head_tree}"'
    if extra:
        for name, content in extra.items():
            script += f"; cat > {name} <<'EOF'\n{content}EOF\n git add {name} && git commit -q --amend --no-edit && git tag -f head >/dev/null"
    subprocess.run(["bash", "-c", script], cwd=origin, check=True, capture_output=True)
    work = os.path.join(tmp, "work")
    subprocess.run(["git", "clone", "-q", "--depth", "1", "file://" + origin, work], check=True, capture_output=True)
    return origin, work


def run_action(tmp, work, inputs, event):
    action = yaml.safe_load(open(os.path.join(root, "action.yml")))
    values = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    values.update({k: str(v) for k, v in (inputs or {}).items()})
    files = {n: os.path.join(tmp, n) for n in ("summary.md", "output.txt", "env.txt", "event.json")}
    for f in files.values():
        open(f, "w").close()
    json.dump(event, open(files["event.json"], "w"))
    env = dict(os.environ, GITHUB_ACTIONS="true", GITHUB_WORKSPACE=work, GITHUB_ACTION_PATH=root,
               GITHUB_STEP_SUMMARY=files["summary.md"], GITHUB_OUTPUT=files["output.txt"], GITHUB_ENV=files["env.txt"],
               GITHUB_EVENT_PATH=files["event.json"], GITHUB_EVENT_NAME="pull_request", APICOMPAT_BIN=binary)
    env.pop("NO_COLOR", None)
    out, code = "", 0
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue  # actions/cache: GitHub's part
        step_env = dict(env)
        for k, v in (step.get("env") or {}).items():
            step_env[k] = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values.get(m.group(1), ""), str(v))
        p = subprocess.run(["bash", "-c", step["run"]], cwd=work, env=step_env, capture_output=True, text=True)
        out += p.stdout
        code = p.returncode
        if code:
            break
    return code, out, {n: open(f).read() for n, f in files.items()}


def apicompat_step(workflow):
    for step in workflow["jobs"]["apicompat"]["steps"]:
        if "apicompat/apicompat" in str(step.get("uses", "")):
            return step.get("with") or {}
    sys.exit("the workflow has no apicompat step")


# ---- a pull request that breaks clients -----------------------------------------------------------
wf = readme_workflow("pull-request")
inputs = apicompat_step(wf)
with tempfile.TemporaryDirectory() as tmp:
    origin, work = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"))
    base = git(origin, "rev-parse", "base")
    check(subprocess.run(["git", "-C", work, "cat-file", "-e", base + "^{commit}"], capture_output=True).returncode != 0,
          "the checkout is shallow: the base commit is not there before the action runs")
    code, out, files = run_action(tmp, work, inputs, {"pull_request": {"base": {"sha": base}}})
    check(code == 1, f"breaking pull request: the check fails with exit 1 (got {code})")
    check("::error file=api/openapi.yaml,line=11,col=11" in out and "title=request-parameter-became-required::" in out,
          "annotation on the OpenAPI line that made a parameter required")
    check("::error file=proto/v1/pet.proto,line=7,col=1" in out and "title=FIELD_NO_DELETE::" in out,
          "annotation on the message that lost a field")
    check("::warning file=api/schemas/pet.yaml,line=3" in out, "warning annotation in the $ref'd schema file")
    check(files["summary.md"].startswith("## apicompat: breaking changes"), "the step summary states the verdict")
    check("| `FIELD_NO_DELETE` |" in files["summary.md"], "the step summary lists the findings")
    check("exit-code=1" in files["output.txt"], "the step output exit-code is 1")
    check(re.search(r"^APICOMPAT=/", files["env.txt"], re.M) is not None, "APICOMPAT is exported to later steps")

# ---- a pull request that breaks nothing --------------------------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    origin, work = make_repo(tmp, os.path.join(root, "fixtures/git/trees/base"),
                             {"api/NOTES.md": "documentation only\n"})
    base = git(origin, "rev-parse", "base")
    code, out, files = run_action(tmp, work, inputs, {"pull_request": {"base": {"sha": base}}})
    check(code == 0, f"compatible pull request: the check passes (got {code})")
    check("::error" not in out and "::warning" not in out, "no annotations")
    check(files["summary.md"].startswith("## apicompat: no breaking changes"), "the summary says so")

# ---- the step summary, whatever the format; the outputs; a SARIF file for upload-sarif --------------
with tempfile.TemporaryDirectory() as tmp:
    origin, work = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"))
    sarif = os.path.join(tmp, "apicompat.sarif")
    code, out, files = run_action(tmp, work, dict(inputs, format="text", **{"sarif-file": sarif}),
                                  {"pull_request": {"base": {"sha": git(origin, "rev-parse", "base")}}})
    check(code == 1, f"format text: exit 1 (got {code})")
    check(files["summary.md"].startswith("## apicompat: breaking changes"), "format text: the step summary is written")
    outputs = dict(l.split("=", 1) for l in files["output.txt"].splitlines() if "=" in l)
    check(outputs.get("breaking") == "true", f"output breaking=true ({outputs})")
    check(outputs.get("errors", "").isdigit() and int(outputs["errors"]) >= 2, "output errors counts the errors")
    check(outputs.get("warnings", "").isdigit() and int(outputs["warnings"]) >= 1, "output warnings counts the warnings")
    check(outputs.get("exit-code") == "1", "output exit-code=1")
    ok = os.path.exists(sarif)
    doc = json.load(open(sarif)) if ok else {}
    check(ok and doc.get("version") == "2.1.0" and
          any(r.get("ruleId") == "FIELD_NO_DELETE" for run in doc["runs"] for r in run.get("results", [])),
          "sarif-file: a SARIF 2.1.0 report with the findings")

# ---- info-level changes only: counted in the summary, never "no changes" -----------------------------
added = open(os.path.join(root, "fixtures/git/trees/base/api/openapi.yaml")).read() + """  /owners:
    get:
      responses:
        '200':
          description: the owners
"""
with tempfile.TemporaryDirectory() as tmp:
    origin, work = make_repo(tmp, os.path.join(root, "fixtures/git/trees/base"), {"api/openapi.yaml": added})
    code, out, files = run_action(tmp, work, inputs, {"pull_request": {"base": {"sha": git(origin, "rev-parse", "base")}}})
    check(code == 0, f"info-level change: the check passes (got {code})")
    check("no changes" not in files["summary.md"] and "1 info" in files["summary.md"] and "endpoint-added" in files["summary.md"],
          "info-level change: the summary counts and lists it")
    outputs = dict(l.split("=", 1) for l in files["output.txt"].splitlines() if "=" in l)
    check(outputs.get("breaking") == "false" and outputs.get("errors") == "0", f"info-level change: outputs ({outputs})")

# ---- exit 2: the step summary says why ----------------------------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    origin, work = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"))
    code, out, files = run_action(tmp, work, dict(inputs, paths="api/missing.yaml"),
                                  {"pull_request": {"base": {"sha": git(origin, "rev-parse", "base")}}})
    check(code == 2, f"a contract that cannot be read: exit 2 (got {code})")
    check(files["summary.md"].startswith("## apicompat: the contracts could not be checked") and
          "api/missing.yaml" in files["summary.md"], "exit 2: the step summary names the error")
    check("exit-code=2" in files["output.txt"], "exit 2: output exit-code=2")

# ---- no base revision at all: fails closed ----------------------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    origin, work = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"))
    code, out, files = run_action(tmp, work, inputs, {})
    check(code == 2, f"no revision to compare with: exit 2 (got {code})")
    check("::error title=apicompat::no revision to compare with" in out, "and an error annotation says why")
    check("no revision to compare with" in files["summary.md"], "and the step summary says why")

# ---- an `against` that looks like an option never reaches git as one ---------------------------------
with tempfile.TemporaryDirectory() as tmp:
    origin, work = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"))
    marker = os.path.join(tmp, "upload-pack-ran")
    code, out, files = run_action(tmp, work, {"paths": "proto", "against": f"--upload-pack=touch {marker};"},
                                  {"pull_request": {"base": {"sha": git(origin, "rev-parse", "base")}}})
    check(not os.path.exists(marker), "against: '--upload-pack=...' is a revision to git fetch, not an option")
    check(code == 2, f"against: a revision starting with '-' cannot be checked: exit 2 (got {code})")

# ---- a pull request that loosens its own policy: the base's holds -----------------------------------
loosen = {"apicompat.yaml": 'version: 1\nignore:\n  - path: "**"\n    reason: x\n'}
for from_base, want in (("true", 1), ("false", 0)):
    with tempfile.TemporaryDirectory() as tmp:
        origin, work = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"), loosen)
        code, out, files = run_action(tmp, work, {"paths": "api/openapi.yaml", "config-from-base": from_base},
                                      {"pull_request": {"base": {"sha": git(origin, "rev-parse", "base")}}})
        check(code == want, f"config-from-base: {from_base}: a PR ignoring '**' exits {want} (got {code})")
        check("::warning file=apicompat.yaml,line=3" in out and "title=apicompat-config-loosened::" in out,
              f"config-from-base: {from_base}: the loosened policy is a warning on the new ignore")

# ---- without a fail-on input, the repository's apicompat.yaml sets the fail level ----------------------
with tempfile.TemporaryDirectory() as tmp:
    origin, work = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"), {"apicompat.yaml": "version: 1\nfail_on: off\n"})
    code, out, files = run_action(tmp, work, {"paths": "api/openapi.yaml"},
                                  {"pull_request": {"base": {"sha": git(origin, "rev-parse", "base")}}})
    check(code == 0, f"no fail-on input: apicompat.yaml's fail_on: off applies, exit 0 (got {code})")
    check("title=request-parameter-became-required::" in out, "fail_on: off: the findings are still reported")
    code, out, files = run_action(tmp, work, {"paths": "api/openapi.yaml", "fail-on": "error"},
                                  {"pull_request": {"base": {"sha": git(origin, "rev-parse", "base")}}})
    check(code == 1, f"fail-on: error given: it overrides the configuration, exit 1 (got {code})")

# ---- the nightly workflow: a matrix of batch shards, the merge job, the releases job --------------
def expand(value, ctx):
    """${{ matrix.X }} as GitHub substitutes it; any other expression is a test error."""
    def sub(m):
        if m.group(1) not in ctx:
            sys.exit(f"the nightly workflow uses ${{{{ {m.group(1)} }}}}, which this test does not play")
        return ctx[m.group(1)]
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", sub, str(value))


def matrix_contexts(job):
    """Every combination of the job's matrix (one context without a matrix)."""
    combos = [{}]
    for key, values in ((job.get("strategy") or {}).get("matrix") or {}).items():
        combos = [dict(c, **{f"matrix.{key}": str(v)}) for c in combos for v in values]
    return combos


def run_job(tmp, work, name, job):
    """Each matrix job of a workflow job, its steps in order, in one workspace (which stands for the
    artifacts passed between jobs: upload and download are GitHub's part).  Returns, per matrix
    context, the apicompat step's (code, out, files) and whether every run: step succeeded."""
    results = []
    for ctx in matrix_contexts(job):
        action, env = None, dict(os.environ)
        for step in job["steps"]:
            uses = str(step.get("uses", ""))
            if "apicompat/apicompat" in uses:
                inputs = {k: expand(v, ctx) for k, v in (step.get("with") or {}).items()}
                action = run_action(tmp, work, inputs, {})
                for line in action[2]["env.txt"].splitlines():
                    k, _, v = line.partition("=")
                    env[k] = v
            elif uses and uses.split("@")[0] not in ("actions/checkout", "actions/upload-artifact", "actions/download-artifact"):
                check(False, f"{name}: step {uses} is not one this test plays")
            elif "run" in step:
                p = subprocess.run(["bash", "-c", "set -e\n" + expand(step["run"], ctx)], cwd=work, env=env,
                                   capture_output=True, text=True)
                check(p.returncode == 0, f"{name} {ctx}: step runs: {step['run'].splitlines()[0][:60]} ({p.stderr.strip()[:200]})")
        results.append((ctx, action))
    return results


wf = readme_workflow("nightly")
jobs = wf["jobs"]
check(list(jobs) == ["shards", "merge", "releases"], f"the nightly workflow's jobs ({list(jobs)})")
check(jobs["merge"].get("needs") == "shards" and jobs["merge"].get("if") == "always()",
      "the merge job runs after the shards, whatever they gave")
manifest_name = None
for step in jobs["shards"]["steps"]:
    if "apicompat/apicompat" in str(step.get("uses", "")):
        manifest_name = step["with"]["manifest"]
manifest = """version: 1
pairs:
  - name: pets-proto
    against: v1.0.0
    new: proto
  - name: pets-api
    old: git:v1.0.0:api/openapi.yaml
    new: api/openapi.yaml
  - name: pets-owner
    against: v1.0.0
    new: proto/v1/owner.proto
"""
with tempfile.TemporaryDirectory() as tmp:
    origin, work = make_repo(tmp, os.path.join(root, "fixtures/git/trees/head"), {manifest_name: manifest})
    # releases: v1.0.0 is the base; v1.1.0 the same contracts again (compared once)
    git(origin, "tag", "v1.0.0", "base")
    git(origin, "tag", "v1.1.0", "base")
    subprocess.run(["git", "-C", work, "fetch", "-q", "--unshallow", "--tags"], check=True)  # fetch-depth: 0

    shards = run_job(tmp, work, "shards", jobs["shards"])
    check(len(shards) == 3, f"the shards job is a matrix of three ({len(shards)})")
    for ctx, (code, out, files) in shards:
        k = ctx["matrix.shard"]
        report = os.path.join(work, f"apicompat-shard-{k}.json")
        ok = os.path.exists(report)
        doc = json.load(open(report)) if ok else {}
        check(ok and doc.get("shard") == {"index": int(k), "count": 3}, f"shard {k}/3 wrote its JSON report, naming its shard")
        breaks = any(p["status"] == "breaking" for p in doc.get("pairs", []))
        check(code == (1 if breaks else 0), f"shard {k}/3: exit {code}, by its own pairs")
        check("::error" not in out, f"shard {k}/3: format text, no annotations (the merge job makes them once)")
    names = sorted(p["name"] for k in "123" for p in json.load(open(os.path.join(work, f"apicompat-shard-{k}.json")))["pairs"])
    check(names == ["pets-api", "pets-owner", "pets-proto"], f"every pair is in exactly one shard ({names})")

    (ctx, (code, out, files)), = run_job(tmp, work, "merge", jobs["merge"])
    check(code == 1, f"merge: exit 1, a pair broke (got {code})")
    check("::error file=proto/v1/pet.proto" in out and "title=pets-proto%3A FIELD_NO_DELETE::" in out,
          "merge: the annotations name their pair")
    check(re.search(r"^\| pets-proto \| breaking \| 1 error(, \d+ info)? \|$", files["summary.md"], re.M) is not None,
          "merge: the step summary has a row per pair, with its status")
    junit = os.path.join(work, "apicompat-junit.xml")
    if os.path.exists(junit):
        t = ET.parse(junit).getroot()
        check(sorted(s.get("name") for s in t.findall("testsuite")) == ["pets-api", "pets-owner", "pets-proto"],
              "merge: JUnit has one suite per pair of every shard")
    else:
        check(False, "the merge job wrote apicompat-junit.xml")
    # a shard whose job died before writing its report: the merge fails instead of passing
    os.rename(os.path.join(work, "apicompat-shard-2.json"), os.path.join(tmp, "shard-2.json"))
    (ctx, (code, out, files)), = run_job(tmp, work, "merge without shard 2", jobs["merge"])
    check(code == 2 and "shard 2/3 is missing" in files["summary.md"], f"merge: a missing shard is exit 2 (got {code})")
    os.rename(os.path.join(tmp, "shard-2.json"), os.path.join(work, "apicompat-shard-2.json"))

    (ctx, (code, out, files)), = run_job(tmp, work, "releases", jobs["releases"])
    check(code == 1, f"releases: the working tree breaks v1.0.0: exit 1 (got {code})")
    check("title=against v1.0.0%3A FIELD_NO_DELETE::" in out, "releases: annotations name the release they break")
    check("| v1.1.0 | skipped | same contract as v1.0.0 |" in files["summary.md"],
          "releases: an unchanged release is compared once (the summary says which it equals)")
    rel = os.path.join(work, "apicompat-releases.xml")
    if os.path.exists(rel):
        suites = [s.get("name") for s in ET.parse(rel).getroot().findall("testsuite")]
        check(suites == ["against v1.0.0", "against v1.1.0"], f"releases: JUnit has a suite per release ({suites})")
    else:
        check(False, "the releases job wrote apicompat-releases.xml")
    check(os.path.exists(os.path.join(work, "CHANGES.md")) and
          open(os.path.join(work, "CHANGES.md")).read().startswith("## API changes"), "the releases job wrote release notes")

# ---- the nightly regression workflow: suites per release, static replay, live replay ------------
wf = readme_workflow("nightly-regression")
(job_name, job), = wf["jobs"].items()
with tempfile.TemporaryDirectory() as tmp:
    work = os.path.join(tmp, "work")
    os.makedirs(os.path.join(work, "api"))
    shutil.copy(os.path.join(root, "tests/live/api.yaml"), os.path.join(work, "api/openapi.yaml"))
    script = "git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm v1 && git tag v1.0.0"
    subprocess.run(["bash", "-c", script], cwd=work, check=True, capture_output=True)
    # the staging server: the live replay tests' fixture server, on a free loopback port
    open(os.path.join(tmp, "mode"), "w").write("ok\n")
    srv = subprocess.Popen(["/usr/bin/python3", os.path.join(root, "tests/live/http_server.py"), os.path.join(tmp, "port"),
                            os.path.join(tmp, "mode")], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(os.path.join(tmp, "port")):
                break
            subprocess.run(["sleep", "0.1"])
        port = open(os.path.join(tmp, "port")).read().strip()
        saved = dict(os.environ)
        # what the job's env: takes from the repository's variables and secrets
        check(set(job.get("env", {})) >= {"STAGING_URL", "APICOMPAT_BEARER_TOKEN", "APICOMPAT_API_KEY"},
              "nightly-regression: the server and the credentials come from the job's env")
        os.environ.update(STAGING_URL=f"http://127.0.0.1:{port}", APICOMPAT_BEARER_TOKEN="t0ken", APICOMPAT_API_KEY="k3y")
        (ctx, (code, out, files)), = run_job(tmp, work, job_name, job)
        os.environ.clear()
        os.environ.update(saved)
    finally:
        srv.kill()
        srv.wait()
    check(code == 0, f"nightly-regression: the contract breaks no release (exit {code})")
    check(os.path.exists(os.path.join(work, "suites/v1.0.0/cases.json")), "nightly-regression: a suite was written for v1.0.0")
    static = os.path.join(work, "replay-v1.0.0.xml")
    check(os.path.exists(static) and os.path.getsize(static) and ET.parse(static).getroot().get("failures") == "0",
          "nightly-regression: the static replay of v1.0.0's suite passes (JUnit)")
    live = os.path.join(work, "apicompat-live.xml")
    t = ET.parse(live).getroot() if os.path.exists(live) and os.path.getsize(live) else None
    check(t is not None and t.get("tests") == "9" and t.get("failures") == "0" and t.get("errors") == "0",
          "nightly-regression: the live replay sent v1.0.0's 9 requests to the server, all passed (JUnit)")

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
