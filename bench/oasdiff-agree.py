#!/usr/bin/python3
"""apicompat against oasdiff's own checker tests (held-out cases).

oasdiff's checker/*_test.go load a base and a revision spec from its data/ folder, diff them, run
one check (singleCheckConfig) or all of them (allChecksConfig) down to a level, and assert which
check IDs come out. This script reads those tests from a git mirror of oasdiff (nothing of oasdiff is
copied into this repository: the files are extracted at run time into a cache), turns each test it can
read into (base file, revision file, options, expected IDs), runs
`apicompat changelog --format json OLD NEW` with the equivalent options and compares the sets of IDs.

usage: bench/oasdiff-agree.py [--apicompat build/apicompat] [--mirror DIR] [--cache DIR]
                              [-v] [--only SUBSTRING]

What is read (anything else in a test makes it excluded, with the reason counted):
  specs      open("../data/x.yaml"), open(deprecationFile("x")) and the other dataFileFn handles,
             file := "../data/..."; open(file), l(t, N), d(t, diff.NewConfig(), A, B),
             stabilityChanges(t, base, rev, level)
  diff       diff.NewConfig() only
  checks     singleCheckConfig(checker.XCheck[, checker.WithDeprecation(beta, stable)]),
             allChecksConfig(); CheckBackwardCompatibility (level WARN) or ...UntilLevel(..., LEVEL)
  asserts    requireSingleApiChange / requireSingleChange / requireApiChanges (exact),
             require.Len / require.Empty / require.NotEmpty, require.Equal(t, checker.XId,
             errs[i].GetId()), require.Equal(t, checker.ApiChange{Id: ...}, errs[i]),
             requireChange / requireNoChange, require.True/False(t, containsId(errs, ...)),
             for _, e := range errs { require.Equal(t, checker.XId, e.GetId()) }
Excluded: tests that change a loaded spec in Go (s2.Spec... = ...), run more than one comparison,
are table-driven, use another diff configuration or checker option, or assert nothing about IDs.

Options passed to apicompat:
  single check   --use with the IDs that oasdiff's rule table (checker/rules.go) gives that check
                 (and apicompat knows); allChecksConfig: the default rule set
  versioning     oasdiff's tests switch the versioning policy off (withoutVersioningPolicy):
                 --except api-version-decreased,api-major-version-not-bumped
                 (api-version-not-bumped is opt-in in apicompat already)
  level          findings below the test's level (oasdiff's ERR/WARN/INFO, our error/warning/info)
                 are dropped, as CheckBackwardCompatibilityUntilLevel drops them
  WithDeprecation(beta, stable)  an apicompat.yaml with deprecation: {beta_days, stable_days}
  stability level  an apicompat.yaml with stability: {check_from: LEVEL}
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

# Tests where oasdiff's expected IDs are not what apicompat reports on purpose (README,
# "Differences from the peers, on purpose"). They are counted apart, not as agreement.
_CALLBACK = ("callbacks are requests the API sends: apicompat compares their payloads as responses "
             "(a callback property's type changed), oasdiff only reports them added or removed")
_READONLY = ("the property is readOnly: clients do not send it, so apicompat does not check it in requests "
             "(the response-side finding is info); oasdiff reports request-property-pattern-*")
_ALLOF = ("the allOf member added or removed repeats what the other members ask (the merged schema accepts "
          "what it did): apicompat compares allOf by its merged meaning, as oasdiff's --flatten-allof does, and "
          "reports the member at info; oasdiff's default reports it as ERR/WARN (its docs/ALLOF.md calls this a "
          "false positive)")
_NOT = ("a change under `not` is judged in the opposite direction (what `not` accepts, the schema "
        "rejects); oasdiff reports it as if `not` were not there")
_BOUND31 = ("OpenAPI 3.1 minimum and exclusiveMinimum in one schema are one bound, the tighter one: "
            "apicompat reports that bound decreased (response-*-min-decreased); oasdiff reports each keyword")
DELIBERATE = {
    "TestBreaking_AddedEnum": _CALLBACK,
    "TestBreaking_ModifiedExtension": _CALLBACK,
    "TestBreaking_Comments": _CALLBACK,
    "TestWebhookOperationChangesDetected": (
        "a webhook is a request the API sends: its body becoming required is harmless to the receiver "
        "(judged as a response); oasdiff judges it as a request the client sends"),
    "TestBreaking_AddPattern": _READONLY,
    "TestBreaking_AddPatternRecursive": _READONLY,
    "TestBreaking_ModifyPattern": _READONLY,
    "TestBreaking_RequestPropertyAllOfAdded": _ALLOF,
    "TestBreaking_RequestPropertyAllOfRemoved": _ALLOF,
    "TestNotSubSchemaTraversalModifiedProperty": _NOT,
    "TestNotSubSchemaTraversalAddedProperty": _NOT,
    "TestNotSubSchemaTraversalDeletedProperty": _NOT,
    "TestResponseBodyExclusiveMinDecreased": _BOUND31,
    "TestResponsePropertyExclusiveMinDecreased": _BOUND31,
    "TestBreaking_RequestParameterMaxItemsWithoutFlatten": (
        "path-level parameters belong to every operation under the path (OpenAPI 3): apicompat always "
        "compares them; oasdiff sees them only with --flatten-params, and this test runs without it"),
}

LEVELS = {"INFO": 1, "WARN": 2, "ERR": 3}
OUR_LEVELS = {"info": 1, "warning": 2, "error": 3}
VERSIONING = ["api-version-decreased", "api-major-version-not-bumped"]
VERSIONING_CONSTS = {"APIVersionNotBumpedId", "APIVersionDecreasedId", "APIMajorVersionNotBumpedId"}


def sh(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def extract(mirror, cache):
    """The checker tests and the data folder of oasdiff's HEAD, in cache (once per commit)."""
    head = sh(["git", "-C", mirror, "rev-parse", "HEAD"]).stdout.decode().strip()
    if not head:
        sys.exit("oasdiff-agree: %s: not a git repository" % mirror)
    stamp = os.path.join(cache, ".commit")
    if not (os.path.exists(stamp) and open(stamp).read().strip() == head):
        os.makedirs(cache, exist_ok=True)
        arch = sh(["git", "-C", mirror, "archive", head, "checker", "data"])
        if arch.returncode:
            sys.exit("oasdiff-agree: git archive failed: " + arch.stderr.decode())
        tar = subprocess.run(["tar", "x", "-C", cache], input=arch.stdout)
        if tar.returncode:
            sys.exit("oasdiff-agree: tar failed")
        open(stamp, "w").write(head + "\n")
    return head


def strip_comments(src):
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c in "\"`'":
            q = c
            j = i + 1
            while j < n and src[j] != q:
                j += 2 if (src[j] == "\\" and q != "`") else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def matching(src, i, open_c="{", close_c="}"):
    """Index after the bracket that closes the one at src[i] (strings skipped)."""
    depth, n = 0, len(src)
    while i < n:
        c = src[i]
        if c in "\"`'":
            q = c
            i += 1
            while i < n and src[i] != q:
                i += 2 if (src[i] == "\\" and q != "`") else 1
        elif c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def call_args(body, start):
    """The text between the parenthesis at body[start] and its match."""
    end = matching(body, start, "(", ")")
    return body[start + 1:end - 1], end


def read_oasdiff(cache):
    ids, rules, handles = {}, {}, {}
    cdir = os.path.join(cache, "checker")
    for name in sorted(os.listdir(cdir)):
        if not name.endswith(".go"):
            continue
        src = open(os.path.join(cdir, name), encoding="utf-8").read()
        if name.endswith("_test.go"):
            for m in re.finditer(r'(\w+)\s*=\s*dataFileFn\("([^"]+)"\)', src):
                handles[m.group(1)] = m.group(2)
            continue
        for m in re.finditer(r'^\s*(\w+Id)\s*=\s*"([^"]+)"', src, re.M):
            ids[m.group(1)] = m.group(2)
    src = open(os.path.join(cdir, "rules.go"), encoding="utf-8").read()
    for m in re.finditer(r'newBackwardCompatibilityRule\((\w+),\s*(\w+),\s*(\w+),', src):
        rules[m.group(1)] = (m.group(2), m.group(3))
    return ids, rules, handles


def check_ids(cache, ids, rules):
    """The IDs each check can report: its rows in rules.go, and the ID constants named by the
    check's function and the functions of the package it calls directly (a check reports some IDs
    through helpers, e.g. APISunsetChangedCheck gives api-path-sunset-parse through
    getAPIPathSunsetParse). Deeper calls reach shared helpers that name every ID of their kind."""
    cdir = os.path.join(cache, "checker")
    funcs = {}
    for name in os.listdir(cdir):
        if name.endswith(".go") and not name.endswith("_test.go"):
            src = strip_comments(open(os.path.join(cdir, name), encoding="utf-8").read())
            for m in re.finditer(r'^func (?:\([^)]*\)\s*)?(\w+)\s*\(', src, re.M):
                b = src.find("{", m.end())
                funcs.setdefault(m.group(1), "")
                funcs[m.group(1)] += src[b:matching(src, b)]
    out = collections.defaultdict(set)
    for const, (level, handler) in rules.items():
        out[handler].add(const)
    for check in list(out):
        called = [w for w in re.findall(r'\b(\w+)\(', funcs.get(check, "")) if w in funcs and w not in out]
        for f in [check] + called:
            if f not in funcs:
                continue
            out[check].update(w for w in re.findall(r'\b(\w+Id)\b', funcs[f]) if w in ids)
    for check in out:
        out[check] -= VERSIONING_CONSTS
    return out


class Skip(Exception):
    pass


def spec_path(expr, strvars, handles):
    expr = expr.strip()
    m = re.fullmatch(r'"([^"]+)"', expr)
    if m:
        p = m.group(1)
    elif expr in strvars:
        p = strvars[expr]
    else:
        m = re.fullmatch(r'(\w+)\("([^"]+)"\)', expr)
        if m and m.group(1) in handles:
            p = "../data/%s/%s" % (handles[m.group(1)], m.group(2))
        else:
            raise Skip("spec path computed in Go (%s)" % expr.split("(")[0][:30])
    if not p.startswith("../data/"):
        raise Skip("spec outside data/")
    return p[len("../"):]


def parse_test(name, body, ids, handles):
    """One test's case: dict(base, rev, check, level, deprecation, stability, expect...)."""
    if re.search(r'\bfor\s+_,\s*tc\s*:=\s*range\b|\btc\.\w+', body) or "t.Run(" in body:
        raise Skip("table-driven")
    strvars = {m.group(1): m.group(2) for m in re.finditer(r'(\w+)\s*:=\s*"(\.\./data/[^"]+)"', body)}
    specs = {}
    for m in re.finditer(r'(\w+),\s*err\s*:?=\s*open\(', body):
        args, _ = call_args(body, m.end() - 1)
        am = re.fullmatch(r'(.*?),\s*loader\s*', args, re.S)
        if am:
            # a loader that records origins (newLoaderWithOriginTracking) or a plain one:
            # either reads the same document
            if not re.search(r'\bloader\s*:=\s*(newLoaderWithOriginTracking|openapi3\.NewLoader)\(\)', body):
                raise Skip("spec loaded another way")
            args = am.group(1)
        specs[m.group(1)] = spec_path(args, strvars, handles)
    for m in re.finditer(r'(\w+)\s*:?=\s*l\(t,\s*(\d+)\)', body):
        specs[m.group(1)] = "data/openapi-test%s.yaml" % m.group(2)
    if re.search(r'\bloadFrom\(|LoadFromFile|LoadFromData|loader\.\w+\s*=', body):
        raise Skip("spec loaded another way")
    for v in specs:
        # a loaded spec may appear where it is loaded and in the diff call, nowhere else
        # (s2.Spec... = ..., deleteParam(s2.Spec...), responseHeaderSchema(s2).Nullable = true)
        uses = len(re.findall(r'(?<![\w.])%s\b' % re.escape(v), body))
        diffuse = sum(len(re.findall(r'(?<![\w.])%s\b' % re.escape(v), call_args(body, m.end() - 1)[0]))
                      for m in re.finditer(r'GetWithOperationsSourcesMap\(', body))
        if uses - 1 - diffuse > 0:
            raise Skip("spec changed in Go code")
    c = {"deprecation": None, "stability": None}
    diffs = re.findall(r'diff\.Get\w*\(', body)
    dcalls = re.findall(r'\bd\(t,\s*diff\.NewConfig\(\),\s*(\d+),\s*(\d+)\)', body)
    stab = re.findall(r'stabilityChanges\(t,\s*("[^"]+"),\s*("[^"]+"),\s*checker\.StabilityLevel(\w+)\)', body)
    checks = re.findall(r'checker\.CheckBackwardCompatibility\w*\(', body)
    if len(diffs) + len(dcalls) + len(stab) != 1 or len(checks) + len(dcalls) + len(stab) != 1:
        if not (diffs or dcalls or stab):
            raise Skip("no comparison of two specs")
        raise Skip("more than one comparison in the test")
    if dcalls:
        c["base"] = "data/openapi-test%s.yaml" % dcalls[0][0]
        c["rev"] = "data/openapi-test%s.yaml" % dcalls[0][1]
        c["check"], c["level"] = None, "WARN"
        m = re.search(r'(\w+)\s*:?=\s*d\(t,', body)
        res = m.group(1) if m else None
    elif stab:
        c["base"] = "data/%s/%s" % (handles["stabilityFile"], stab[0][0].strip('"'))
        c["rev"] = "data/%s/%s" % (handles["stabilityFile"], stab[0][1].strip('"'))
        c["check"], c["level"], c["stability"] = None, "INFO", stab[0][2].lower()
        m = re.search(r'(\w+)\s*:?=\s*stabilityChanges\(', body)
        res = m.group(1) if m else None
    else:
        m = re.search(r'diff\.GetWithOperationsSourcesMap\(', body)
        if not m:
            raise Skip("another diff entry point")
        args, _ = call_args(body, m.end() - 1)
        parts = [a.strip() for a in args.split(",")]
        if len(parts) != 3 or parts[0] != "diff.NewConfig()":
            raise Skip("non-default diff configuration")
        if parts[1] not in specs or parts[2] not in specs:
            raise Skip("spec loaded another way")
        c["base"], c["rev"] = specs[parts[1]], specs[parts[2]]
        m = re.search(r'(\w+)\s*:?=\s*checker\.CheckBackwardCompatibility(UntilLevel)?\(', body)
        if not m:
            raise Skip("result not assigned")
        res = m.group(1)
        args, _ = call_args(body, m.end() - 1)
        level = "WARN"
        if m.group(2):
            lm = re.search(r',\s*checker\.(INFO|WARN|ERR)\s*$', args)
            if not lm:
                raise Skip("level not a constant")
            level = lm.group(1)
        c["level"] = level
        cfg = args.split(",")[0].strip()
        cm = re.match(r'(singleCheckConfig|allChecksConfig)\(', args)
        if cm:
            cargs, _ = call_args(args, cm.end() - 1)
        else:
            vm = re.search(r'\b%s\s*:=\s*(singleCheckConfig|allChecksConfig)\(' % re.escape(cfg), body)
            if not vm:
                raise Skip("checker configuration built another way")
            cm = vm
            cargs, _ = call_args(body, vm.end() - 1)
            for a in re.finditer(r'\b%s\.(\w+)\s*=\s*([\w.]+)' % re.escape(cfg), body):
                sm = re.fullmatch(r'checker\.StabilityLevel(\w+)', a.group(2))
                if a.group(1) == "StabilityLevel" and sm:
                    c["stability"] = sm.group(1).lower()
                else:
                    raise Skip("checker option %s" % a.group(1))
        opts = [o.strip() for o in re.split(r',\s*(?![^()]*\))', cargs) if o.strip()]
        if cm.group(1) == "singleCheckConfig":
            cmm = re.fullmatch(r'checker\.(\w+)', opts[0])
            if not cmm:
                raise Skip("check not a constant")
            c["check"] = cmm.group(1)
            opts = opts[1:]
        else:
            c["check"] = None
        for o in opts:
            dm = re.fullmatch(r'checker\.WithDeprecation\((\d+),\s*(\d+)\)', o)
            if dm:
                c["deprecation"] = (int(dm.group(1)), int(dm.group(2)))
            else:
                raise Skip("checker option %s" % o.split("(")[0])
    if not res:
        raise Skip("result not assigned")
    r = re.escape(res)
    exact, contains, absent, only = None, [], set(), None
    length, nonempty = None, False

    def idof(const):
        if const not in ids:
            raise Skip("unknown ID constant %s" % const)
        return ids[const]

    for m in re.finditer(r'requireSingleApiChange\(t,', body):
        args, _ = call_args(body, m.end() - len("(t,"))
        got = re.findall(r'\bId:\s*checker\.(\w+)', args)
        if not re.search(r'\b%s\s*\)?\s*$' % r, args) or len(got) != 1:
            raise Skip("assertion on another value")
        exact = [idof(got[0])]
    for m in re.finditer(r'requireSingleChange\(t,\s*%s,\s*checker\.(\w+)\)' % r, body):
        exact = [idof(m.group(1))]
    for m in re.finditer(r'requireApiChanges\(t,', body):
        args, _ = call_args(body, m.end() - len("(t,"))
        if not re.search(r'\b%s\s*$' % r, args):
            raise Skip("assertion on another value")
        exact = [idof(x) for x in re.findall(r'\bId:\s*checker\.(\w+)', args)]
    for m in re.finditer(r'require\.ElementsMatch\(t,', body):
        raise Skip("ElementsMatch on computed values")
    for m in re.finditer(r'require\.Len\(t,\s*%s,\s*(\d+)\)' % r, body):
        length = int(m.group(1))
    if re.search(r'require\.Empty\(t,\s*%s\)' % r, body):
        length = 0
    if re.search(r'require\.NotEmpty\(t,\s*%s\)' % r, body):
        nonempty = True
    pos = {}
    def idlit(x):
        # checker.SomeId or the ID written out ("request-property-pattern-added")
        if x.startswith('"'):
            if x.strip('"') not in ids.values():
                raise Skip("unknown ID %s" % x)
            return x.strip('"')
        return idof(x[len("checker."):])

    idx = r'(checker\.\w+Id|"[a-z0-9-]+")'
    for m in re.finditer(r'require\.Equal\(t,\s*%s,\s*%s\[(\d+)\]\.GetId\(\)\s*[,)]' % (idx, r), body):
        pos[int(m.group(2))] = idlit(m.group(1))
    # e0 := errs[0].(checker.ApiChange); require.Equal(t, "endpoint-added", e0.Id)
    for m in re.finditer(r'(\w+)\s*:=\s*%s\[(\d+)\]\.\(checker\.(?:Api|Security|Component)Change\)' % r, body):
        for e in re.finditer(r'require\.Equal\(t,\s*%s,\s*%s\.(?:Id|GetId\(\))\)' % (idx, re.escape(m.group(1))), body):
            pos[int(m.group(2))] = idlit(e.group(1))
    # for _, e := range errs { if e.GetId() == checker.XId { found = true ... } }; require.True(t, found)
    for m in re.finditer(r'for\s+_,\s*(\w+)\s*:=\s*range\s+%s\s*\{' % r, body):
        loop = body[m.end() - 1:matching(body, m.end() - 1)]
        e = re.escape(m.group(1))
        fm = re.search(r'if\s+%s\.GetId\(\)\s*==\s*%s\s*\{\s*(\w+)\s*=\s*true' % (e, idx), loop)
        if fm and re.search(r'require\.True\(t,\s*%s\b' % re.escape(fm.group(2)), body):
            contains.append(idlit(fm.group(1)))
        elif fm and re.search(r'require\.False\(t,\s*%s\b' % re.escape(fm.group(2)), body):
            absent.add(idlit(fm.group(1)))
        mm = re.search(r'(\w+)\[%s\.GetId\(\)\]\s*=\s*true' % e, loop)
        if mm:
            for t in re.finditer(r'require\.(True|False)\(t,\s*%s\[%s\]' % (re.escape(mm.group(1)), idx), body):
                (contains.append if t.group(1) == "True" else absent.add)(idlit(t.group(2)))
    for m in re.finditer(r'require\.Equal\(t,\s*checker\.(?:Api|Security|Component)Change\{', body):
        args, end = call_args(body, m.start() + len("require.Equal"))
        am = re.search(r',\s*%s\[(\d+)\]\s*$' % r, args)
        got = re.findall(r'\bId:\s*checker\.(\w+)', args)
        if am and len(got) == 1:
            pos[int(am.group(1))] = idof(got[0])
    for m in re.finditer(r'requireChange\(t,\s*%s,\s*checker\.(\w+)\)' % r, body):
        contains.append(idof(m.group(1)))
    for m in re.finditer(r'require\.True\(t,\s*containsId\(%s,\s*checker\.(\w+)\)' % r, body):
        contains.append(idof(m.group(1)))
    for m in re.finditer(r'requireNoChange\(t,\s*%s,\s*checker\.(\w+)\)' % r, body):
        absent.add(idof(m.group(1)))
    for m in re.finditer(r'require\.False\(t,\s*containsId\(%s,\s*checker\.(\w+)\)' % r, body):
        absent.add(idof(m.group(1)))
    for m in re.finditer(r'for\s+_,\s*(\w+)\s*:=\s*range\s+%s\s*\{' % r, body):
        loop = body[m.end() - 1:matching(body, m.end() - 1)]
        lm = re.findall(r'require\.Equal\(t,\s*checker\.(\w+Id),\s*%s\.GetId\(\)\)' % re.escape(m.group(1)), loop)
        if lm:
            only = idof(lm[0])
    if exact is None:
        if length is not None and length == 0:
            exact = []
        elif length is not None and sorted(pos) == list(range(length)):
            exact = [pos[i] for i in range(length)]
        elif length is not None and not pos and len(contains) == length:
            exact = list(contains)
        elif only is not None and (nonempty or (length or 0) > 0):
            exact = [only]
    contains += list(pos.values())
    if exact is None and not contains and not absent and only is None:
        raise Skip("no assertion on check IDs")
    c.update(exact=None if exact is None else sorted(set(exact)), contains=sorted(set(contains)),
             absent=sorted(absent), only=only, length=length, nonempty=nonempty)
    return c


def read_tests(cache, ids, handles):
    cdir = os.path.join(cache, "checker")
    for name in sorted(os.listdir(cdir)):
        if not name.endswith("_test.go"):
            continue
        src = strip_comments(open(os.path.join(cdir, name), encoding="utf-8").read())
        for m in re.finditer(r'^func (Test\w+)\(t \*testing\.T\)\s*\{', src, re.M):
            end = matching(src, m.end() - 1)
            yield name, m.group(1), src[m.end():end - 1]


def our_rules(apicompat):
    out = sh([apicompat, "rules", "--format", "json"])
    return {r["id"] for r in json.loads(out.stdout) if r.get("format") != "protobuf"}


def run_case(apicompat, cache, c, rules, ours_known, work):
    cmd = [apicompat, "changelog", "--format", "json", "--no-proofs",
           "--except", ",".join(VERSIONING)]
    if c["check"]:
        use = sorted(ids_by_const[i] for i in check_consts[c["check"]] if ids_by_const[i] in ours_known)
        if not use:
            return set(), None
        cmd += ["--use", ",".join(use)]
    conf = []
    if c["deprecation"]:
        conf.append("deprecation:\n  beta_days: %d\n  stable_days: %d\n" % c["deprecation"])
    if c["stability"]:
        conf.append("stability:\n  check_from: %s\n" % c["stability"])
    cfg = os.path.join(work, "apicompat.yaml")
    if conf:
        open(cfg, "w").write("version: 1\n" + "".join(conf))
        cmd += ["-c", cfg]
    cmd += [os.path.join(cache, c["base"]), os.path.join(cache, c["rev"])]
    p = sh(cmd, cwd=work, timeout=60)
    if conf:
        os.unlink(cfg)
    if p.returncode not in (0, 1):
        return None, p.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["exit %d" % p.returncode]
    got = set()
    for f in json.loads(p.stdout)["findings"]:
        if f["rule"] not in oasdiff_ids:
            own[f["rule"]] += 1  # apicompat's own diagnostics: not an oasdiff check, not compared
        elif OUR_LEVELS.get(f["severity"], 0) >= LEVELS[c["level"]]:
            got.add(f["rule"])
    return got, None


def judge(c, got):
    """None when apicompat agrees with the test, else the reason."""
    if c["exact"] is not None:
        want = set(c["exact"])
        if got == want:
            return None
        return "missing %s; extra %s" % (",".join(sorted(want - got)) or "-", ",".join(sorted(got - want)) or "-")
    miss = [i for i in c["contains"] if i not in got]
    bad = [i for i in c["absent"] if i in got]
    if c["only"] and got - {c["only"]}:
        bad += sorted(got - {c["only"]})
    if (c["nonempty"] or (c["length"] or 0) > 0) and not got:
        miss.append("(any)")
    if miss or bad:
        return "missing %s; extra %s" % (",".join(miss) or "-", ",".join(bad) or "-")
    return None


ids_by_const = {}
oasdiff_ids = set()
own = collections.Counter()
check_consts = {}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--apicompat", default=os.path.join(here, "build", "apicompat"))
    ap.add_argument("--mirror", default="/work/.mirror/oasdiff+oasdiff/repo")
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/apicompat/oasdiff"))
    ap.add_argument("--only", default="")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every test, agreements too, and the excluded tests by name")
    a = ap.parse_args()
    apicompat = os.path.abspath(a.apicompat)
    head = extract(a.mirror, a.cache)
    ids, rules, handles = read_oasdiff(a.cache)
    ids_by_const.update(ids)
    oasdiff_ids.update(ids.values())
    check_consts.update(check_ids(a.cache, ids, rules))
    known = our_rules(apicompat)
    excluded = collections.Counter()
    excluded_tests = collections.defaultdict(list)
    cases = []
    for fname, tname, body in read_tests(a.cache, ids, handles):
        if a.only and a.only not in fname + ":" + tname:
            continue
        try:
            cases.append((fname, tname, parse_test(tname, body, ids, handles)))
        except Skip as e:
            excluded[str(e)] += 1
            excluded_tests[str(e)].append(tname)
    agree, deliberate = 0, 0
    causes = collections.defaultdict(list)
    kinds = collections.Counter()
    with tempfile.TemporaryDirectory(prefix="oasdiff-agree.") as work:
        for fname, tname, c in cases:
            kinds["exact" if c["exact"] is not None else "partial"] += 1
            got, err = run_case(apicompat, a.cache, c, rules, known, work)
            why = ("apicompat could not check: " + err[0]) if err else judge(c, got)
            if why is None:
                agree += 1
                if a.verbose:
                    print("agree     %s %s" % (fname, tname))
                continue
            if tname in DELIBERATE:
                deliberate += 1
                print("deliberate %s %s: %s (%s)" % (fname, tname, why, DELIBERATE[tname]))
                continue
            print("disagree  %s %s: %s  [%s -> %s]" % (fname, tname, why, c["base"], c["rev"]))
            causes[why].append(tname)
    m = len(cases)
    print()
    print("oasdiff %s, checker tests: %d read (%d exact ID sets, %d partial), %d excluded"
          % (head[:12], m, kinds["exact"], kinds["partial"], sum(excluded.values())))
    for why, n in excluded.most_common():
        print("  excluded %4d  %s" % (n, why))
        if a.verbose:
            print("                " + ", ".join(excluded_tests[why]))
    if causes:
        print("disagreements by cause:")
        for why, tests in sorted(causes.items(), key=lambda kv: -len(kv[1])):
            print("  %3d  %s: %s" % (len(tests), why, ", ".join(tests)))
    if own:
        print("apicompat's own diagnostics, not compared (oasdiff has no such check): " +
              ", ".join("%s x%d" % kv for kv in sorted(own.items())))
    print("deliberate differences (README, on purpose): %d" % deliberate)
    print("agree %d of %d (%.1f%%); without the %d deliberate differences: agree %d of %d (%.1f%%)"
          % (agree, m, 100.0 * agree / m if m else 0, deliberate, agree, m - deliberate,
             100.0 * agree / (m - deliberate) if m > deliberate else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
