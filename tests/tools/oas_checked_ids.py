#!/usr/bin/env python3
"""Marks, in compat/rules/rules_openapi.def, the oasdiff IDs that compat/rules/oas_check.c can emit.

IDs are emitted whole (emit(X, "id", ...)) or composed from a context prefix and a change suffix
(emit_cx(X, d, c, "suffix", ...)); this script collects both from the source, composes every
prefix with every suffix, and sets CHECKED to 1 for the IDs that exist in the table.
usage: tests/tools/oas_checked_ids.py [--check]   (--check: exit 1 if the file would change)"""
import re
import sys

root = __file__.rsplit("/tests/", 1)[0]
src = open(root + "/compat/rules/oas_check.c").read()
deff = root + "/compat/rules/rules_openapi.def"
table = open(deff).read()
ids = set(re.findall(r'OAS_RULE\("([^"]+)"', table))
literals = set(re.findall(r'"([a-z0-9][a-z0-9-]*)"', src))
prefixes = set(re.findall(r'"((?:request|response)-[a-z-]*-)"', src))
emitted = {s for s in literals if s in ids}
for p in prefixes:
    for s in literals:
        if p + s in ids:
            emitted.add(p + s)
# composed with printf: "%s-%s-property-became-%sread-only", "%s-removed%s", "%s-scope-added" ...
for side in ("request", "response"):
    for req in ("required", "optional"):
        for kind in ("read-only", "write-only"):
            for neg in ("", "not-"):
                emitted.add(f"{side}-{req}-property-became-{neg}{kind}")
for p in prefixes:
    for base in ("one-of", "any-of", "all-of", "if", "then", "else", "contains", "property-names", "content-schema",
                 "prefix-items", "unevaluated-items", "unevaluated-properties"):
        for ch in ("added", "removed", "added-annotation-only", "removed-annotation-only"):
            emitted.add(p + base + "-" + ch)
    for base in ("max", "min", "exclusive-max", "exclusive-min", "max-length", "min-length", "max-items", "min-items",
                 "max-contains", "min-contains"):
        for ch in ("set", "unset", "increased", "decreased"):
            emitted.add(p + base + "-" + ch)
for p in ("api-security", "api-global-security"):
    for ch in ("added", "removed", "scope-added", "scope-removed"):
        emitted.add(f"{p}-{ch}")
emitted &= ids
out = re.sub(r'(OAS_RULE\("([^"]+)", \w+, \w+, "[^"]+", "[^"]+", )(\d)',
             lambda m: m.group(1) + ("1" if m.group(2) in emitted else "0"), table)
if "--check" in sys.argv:
    sys.exit(0 if out == table else 1)
open(deff, "w").write(out)
levels = re.findall(r'OAS_RULE\("[^"]+", (\w+), \w+, "[^"]+", "[^"]+", (\d)', out)
for lv in ("ERR", "WARN", "INFO"):
    total = sum(1 for l, c in levels if l == lv)
    done = sum(1 for l, c in levels if l == lv and c == "1")
    print(f"{lv}: {done} of {total} detected")
