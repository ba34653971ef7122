#!/usr/bin/env python3
"""Scales an OpenAPI document K times for the linearity benchmark: every path is copied under
/scaledN, every component (schemas, parameters, responses, ...) under NameN, and the $refs inside
each copy point at that copy's components, so the document really is K times larger.
usage: scale-openapi.py IN.json K OUT.json"""
import copy
import json
import sys

src, k, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
doc = json.load(open(src))


def retarget(node, suffix):
    if isinstance(node, dict):
        for key, v in list(node.items()):
            if key == "$ref" and isinstance(v, str) and v.startswith("#/components/"):
                parts = v.split("/")
                parts[3] = parts[3] + suffix
                node[key] = "/".join(parts)
            else:
                retarget(v, suffix)
    elif isinstance(node, list):
        for v in node:
            retarget(v, suffix)


paths, comps = doc.get("paths", {}), doc.get("components", {})
new_paths, new_comps = {}, {kind: {} for kind in comps}
for i in range(k):
    suffix = "" if i == 0 else f"_scaled{i}"
    prefix = "" if i == 0 else f"/scaled{i}"
    for p, item in paths.items():
        c = copy.deepcopy(item)
        retarget(c, suffix)
        new_paths[prefix + p] = c
    for kind, entries in comps.items():
        if not isinstance(entries, dict):
            new_comps[kind] = entries
            continue
        for name, v in entries.items():
            c = copy.deepcopy(v)
            retarget(c, suffix)
            new_comps[kind][name + suffix] = c
doc["paths"] = new_paths
doc["components"] = new_comps
json.dump(doc, open(out, "w"), indent=2)
