#!/usr/bin/python3
"""Cross-checks `apicompat validate` with an independent validator (Debian's python3-jsonschema).

For each schema below, the instances are the fixtures' own payloads and mutations of them (a
member dropped, a value replaced by one of another type, an array grown or shrunk); every one is
validated by both, and the verdicts must agree.  The schemas are plain JSON Schema (no OpenAPI-only
keyword decides a verdict here: no readOnly in a direction, no nullable, no OpenAPI format), so any
disagreement is a bug in one of the two.

usage: crosscheck_jsonschema.py APICOMPAT_BINARY   (exit 0 when all agree)
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
V = os.path.join(ROOT, "fixtures", "validate")

# (contract, --schema REF or None, validator class, base instances)
CASES = [
    ("contracts/shop-3.1.yaml", "#/components/schemas/Order", jsonschema.Draft202012Validator,
     ["contracts/order-ok.json", "contracts/order-bad.json"]),
    ("contracts/tree.schema.json", None, jsonschema.Draft202012Validator,
     ["jsonschema-root/instance.json", "jsonschema-dynamic-ref/instance.json"]),
    # (its #/$defs/strict, reached by a $ref beside a $dynamicAnchor, sends python3-jsonschema 4.10
    # into endless recursion: left out)
    ("jsonschema-draft4/schema.json", None, jsonschema.Draft4Validator, ["jsonschema-draft4/instance.json"]),
]

REPLACEMENTS = [None, 0, -1, 2.5, "", "x", True, [], {}]


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k in sorted(value):
            yield from paths(value[k], prefix + (k,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from paths(item, prefix + (i,))


def at(value, path):
    for p in path:
        value = value[p]
    return value


def mutations(base):
    yield base
    for path in paths(base):
        if path:
            parent, last = at(base, path[:-1]), path[-1]
            m = copy.deepcopy(base)
            del at(m, path[:-1])[last]
            yield m
        for r in REPLACEMENTS:
            if path:
                m = copy.deepcopy(base)
                at(m, path[:-1])[path[-1]] = copy.deepcopy(r)
            else:
                m = copy.deepcopy(r)
            yield m
        target = at(base, path)
        if isinstance(target, list) and target:
            m = copy.deepcopy(base)
            at(m, path).append(copy.deepcopy(target[0]))
            yield m


def load(path):
    with open(path) as f:
        return yaml.safe_load(f) if path.endswith((".yaml", ".yml")) else json.load(f)


def main():
    binary = os.path.abspath(sys.argv[1])
    agree = disagree = 0
    with tempfile.TemporaryDirectory() as tmp:
        for contract, ref, cls, bases in CASES:
            doc = load(os.path.join(V, contract))
            schema = dict(doc)
            if ref:
                schema["$ref"] = ref
            if cls is jsonschema.Draft4Validator and ref:
                schema = {"$ref": ref, **{k: v for k, v in doc.items()}}
            validator = cls(schema)
            seen, insts = set(), []
            for b in bases:
                for inst in mutations(load(os.path.join(V, b))):
                    key = json.dumps(inst, sort_keys=True)
                    if key not in seen:
                        seen.add(key)
                        insts.append(inst)
            files = []
            for i, inst in enumerate(insts):
                files.append(os.path.join(tmp, "i%d-%d.json" % (len(files), i)))
                with open(files[-1], "w") as f:
                    json.dump(inst, f)
            args = [binary, "validate", os.path.join(V, contract)] + files + ["--format", "json"]
            if ref:
                args += ["--schema", ref]
            if cls is jsonschema.Draft4Validator:
                args += ["--dialect", "4"]
            run = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp)
            if run.returncode not in (0, 1):
                print("apicompat could not check %s: %s" % (contract, run.stderr.decode()))
                return 1
            results = json.loads(run.stdout)
            for inst, res in zip(insts, results if isinstance(results, list) else [results]):
                theirs = validator.is_valid(inst)
                if res["valid"] != theirs:
                    disagree += 1
                    print("DISAGREE %s %s: apicompat %s, jsonschema %s: %s" %
                          (contract, ref or "#", "valid" if res["valid"] else "invalid", "valid" if theirs else "invalid",
                           json.dumps(inst)[:300]))
                else:
                    agree += 1
    print("apicompat and python3-jsonschema: %d instances agree, %d disagree" % (agree, disagree))
    return 1 if disagree or not agree else 0


if __name__ == "__main__":
    sys.exit(main())
