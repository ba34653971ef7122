#!/usr/bin/env python3
"""Validates every fixture whose cmd asks for a machine-read format against that format's schema:
json (compat/report/report.schema.json), sarif (the SARIF 2.1.0 subset we write; also the official
OASIS schema when ~/.cache/apicompat/sarif-schema-2.1.0.json exists, see bench/fetch.sh), gitlab
(GitLab Code Quality), junit (well-formed XML with the attributes CI servers read) and github
(workflow command syntax).  Exit 1 on the first kind of failure, listing every bad file."""
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

import jsonschema

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(p):
    return json.load(open(os.path.join(root, p)))


schemas = {
    "json": load("compat/report/report.schema.json"),
    "sarif": load("tests/schemas/sarif-subset.schema.json"),
    "gitlab": load("tests/schemas/gitlab-code-quality.schema.json"),
    "validate": load("compat/validate/validate-result.schema.json"),
    "replay-live": load("compat/report/replay-live.schema.json"),
}
official = os.path.expanduser("~/.cache/apicompat/sarif-schema-2.1.0.json")
official_sarif = json.load(open(official)) if os.path.exists(official) else None

GH = re.compile(r"^::(error|warning|notice)( (file=[^,:]+,line=\d+,col=\d+(,endLine=\d+)?(,endColumn=\d+)?,)?title=[^,:]+)?::.+$")


def check_sarif(doc):
    for run in doc["runs"]:
        rules = run["tool"]["driver"]["rules"]
        for r in run["results"]:
            if "ruleIndex" in r and rules[r["ruleIndex"]]["id"] != r["ruleId"]:
                raise ValueError(f"ruleIndex {r['ruleIndex']} is not {r['ruleId']}")


def check_junit(text):
    t = ET.fromstring(text.encode())
    if t.tag != "testsuites":
        raise ValueError("root is not <testsuites>")
    total = 0
    for s in t.findall("testsuite"):
        cases = s.findall("testcase")
        if int(s.get("tests")) != len(cases):
            raise ValueError(f"suite {s.get('name')}: tests={s.get('tests')} but {len(cases)} test cases")
        fails = sum(1 for c in cases if c.find("failure") is not None)
        if int(s.get("failures")) != fails:
            raise ValueError(f"suite {s.get('name')}: failures={s.get('failures')} but {fails} failures")
        total += len(cases)
    if int(t.get("tests")) != total:
        raise ValueError("testsuites tests= is not the sum of its suites")


bad, checked = [], 0
# the live replay's JSON results (tests/live/expected/*.json: stdout, then "--" and stderr)
for exp in sorted(glob.glob(os.path.join(root, "tests/live/expected/*.json"))):
    text = open(exp).read().split("\n--\n")[0]
    try:
        doc = json.loads(text)
        jsonschema.validate(doc, schemas["replay-live"])
        s = doc["summary"]
        if s["cases"] != len(doc["cases"]) or s["cases"] != s["passed"] + s["failed"] + s["error"]:
            raise ValueError("summary.cases is not the number of cases, or not passed + failed + error")
        checked += 1
    except (ValueError, jsonschema.ValidationError) as e:
        bad.append(f"{os.path.relpath(exp, root)}: {str(e).splitlines()[0]}")
for cmd in sorted(glob.glob(os.path.join(root, "fixtures/**/cmd"), recursive=True)):
    args = open(cmd).read().split("\n")
    if "--format" not in args:
        continue
    fmt = args[args.index("--format") + 1]
    if args[0] in ("replay", "cases"):
        continue  # their own results (cases per suite), not a findings report; no schema for them yet
    if args[0] == "validate" and fmt == "json":
        fmt = "validate"  # apicompat validate's result, not a findings report
    exp = os.path.join(os.path.dirname(cmd), "expected")
    if not os.path.exists(exp) or fmt in ("text", "markdown"):
        continue
    code = os.path.join(os.path.dirname(cmd), "exit")
    if os.path.exists(code) and int(open(code).read()) >= 2:
        continue  # could not check: nothing on stdout to validate
    text = open(exp).read()
    try:
        if fmt in schemas:
            doc = json.loads(text)
            if fmt == "validate":
                jsonschema.Draft202012Validator(schemas[fmt]).validate(doc)
            else:
                jsonschema.validate(doc, schemas[fmt])
            if fmt == "sarif":
                check_sarif(doc)
                if official_sarif:
                    jsonschema.validate(doc, official_sarif)
        elif fmt == "junit":
            check_junit(text)
        elif fmt == "github":
            for line in text.splitlines():
                if not GH.match(line):
                    raise ValueError(f"not a workflow command: {line}")
        checked += 1
    except Exception as e:  # report every bad file
        bad.append(f"{os.path.relpath(exp, root)}: {str(e).splitlines()[0]}")
print(f"{checked} format fixtures valid" + ("" if official_sarif else " (official SARIF schema not cached)"))
for b in bad:
    print("INVALID " + b)
sys.exit(1 if bad or not checked else 0)
