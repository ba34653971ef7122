#!/usr/bin/env python3
"""Marks, in compat/rules/rules_openapi.def, the oasdiff IDs that the OpenAPI checks can emit.

The checks emit a rule symbol (AC_OAS_<SYMBOL>, in compat/rules/oas_*.c) or a change in a place
(emit_cx), whose IDs are the rows of compat/rules/oas_compose.def; this script collects both and sets
CHECKED to 1 for those rows of the table, 0 for the others.
usage: tests/tools/oas_checked_ids.py [--check]   (--check: exit 1 if the file would change)"""
import glob
import re
import sys

root = __file__.rsplit("/tests/", 1)[0]
deff = root + "/compat/rules/rules_openapi.def"
table = open(deff).read()
rows = re.findall(r'^OAS_RULE\((\w+), "([^"]+)"', table, re.M)
if not rows:
    sys.exit("oas_checked_ids: no OAS_RULE rows found in " + deff)
symbols = {sym for sym, _ in rows}
emitted = set()
for path in glob.glob(root + "/compat/rules/oas_*.c"):
    emitted |= set(re.findall(r"\bAC_OAS_(\w+)", open(path).read())) & symbols
compose = open(root + "/compat/rules/oas_compose.def").read()
for place, change in re.findall(r"^OAS_COMPOSED\((\w+), (\w+)\)", compose, re.M):
    emitted.add(place + "_" + change)
out = re.sub(r'^(OAS_RULE\((\w+), "[^"]+", \w+, \w+, "[^"]+", "[^"]+", )(\d)',
             lambda m: m.group(1) + ("1" if m.group(2) in emitted else "0"), table, flags=re.M)
if "--check" in sys.argv:
    sys.exit(0 if out == table else 1)
open(deff, "w").write(out)
levels = re.findall(r'^OAS_RULE\(\w+, "[^"]+", (\w+), \w+, "[^"]+", "[^"]+", (\d)', out, re.M)
for lv in ("ERR", "WARN", "INFO"):
    total = sum(1 for l, c in levels if l == lv)
    done = sum(1 for l, c in levels if l == lv and c == "1")
    print(f"{lv}: {done} of {total} detected")
