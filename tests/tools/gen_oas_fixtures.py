#!/usr/bin/env python3
"""Writes fixtures/openapi/generated/<ID>/: one minimal old/new pair per oasdiff check ID that the
hand-written fixtures do not already show firing.

An ID is PREFIX + CHANGE.  PREFIX says where the schema sits (a request body, a property of a
response body, a query parameter, a response header, ...) and CHANGE what happened to it.  For each
ID the script places each candidate change for CHANGE in the place PREFIX names, runs
`apicompat changelog`, and keeps the first candidate whose output contains the ID.  The expected
output is the whole output, so every other finding the pair produces is pinned too (a check that
fires where it must not shows up as a diff).  Every third case is written as JSON.

usage: tests/tools/gen_oas_fixtures.py BIN [--force]
  Cases that exist are left alone unless --force; IDs no candidate produces are listed (exit 1).
Review new expected files before committing them: they are what the binary printed."""
import copy
import glob
import json
import os
import re
import subprocess
import sys

import yaml

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out_dir = os.path.join(root, "fixtures/openapi/generated")

# ---- where a schema sits ----------------------------------------------------------------------

PREFIXES = [  # longest first
    "request-parameter-property-", "request-header-property-", "request-read-only-property-",
    "response-write-only-property-", "request-optional-property-", "request-required-property-",
    "response-optional-property-", "response-required-property-", "response-optional-write-only-property-",
    "response-required-write-only-property-", "request-body-", "request-property-", "request-parameter-",
    "response-body-", "response-property-", "response-header-",
]


def doc(req_body=None, resp_body=None, params=None, resp_headers=None, media="application/json", version="1.0.0"):
    op = {}
    if params:
        op["parameters"] = params
    if req_body is not None:
        op["requestBody"] = {"content": {media: {"schema": req_body}}}
    resp = {"description": "ok"}
    if resp_headers:
        resp["headers"] = resp_headers
    if resp_body is not None:
        resp["content"] = {media: {"schema": resp_body}}
    op["responses"] = {"200": resp}
    return {"openapi": "3.1.0", "info": {"title": "generated", "version": version},
            "paths": {"/items": {"post": op}}}


def obj(prop, required=False, extra=None):
    s = {"type": "object", "properties": {"p": prop}}
    if required:
        s["required"] = ["p"]
    if extra:
        s["properties"].update(extra)
    return s


def place(prefix, schema, media="application/json", version="1.0.0"):
    """The document with `schema` where `prefix` says it belongs."""
    side, rest = prefix.split("-", 1)
    rest = rest[:-1]
    if rest == "body":
        kw = {"req_body" if side == "request" else "resp_body": schema}
    elif rest == "property":
        kw = {"req_body" if side == "request" else "resp_body": obj(schema)}
    elif rest in ("optional-property", "required-property"):
        kw = {"req_body" if side == "request" else "resp_body": obj(schema, rest.startswith("required"))}
    elif rest == "read-only-property":
        kw = {"req_body": obj(dict(schema, readOnly=True))}
    elif rest == "write-only-property":
        kw = {"resp_body": obj(dict(schema, writeOnly=True))}
    elif rest == "parameter":
        kw = {"params": [{"name": "q", "in": "query", "schema": schema}]}
    elif rest == "parameter-property":
        kw = {"params": [{"name": "q", "in": "query", "content": {"application/json": {"schema": obj(schema)}}}]}
    elif rest == "header-property":
        kw = {"params": [{"name": "X-Q", "in": "header", "content": {"application/json": {"schema": obj(schema)}}}]}
    elif rest == "header":
        kw = {"resp_headers": {"X-R": {"schema": schema}}}
    else:
        raise ValueError(prefix)
    return doc(media=media, version=version, **kw)


# ---- what happened to it: (old schema, new schema) candidates ------------------------------------

def S(**kw):
    return dict(kw)


N, I, STR, ARR = S(type="number"), S(type="integer"), S(type="string"), S(type="array", items=S(type="string"))


def bound(kw, base, lo, hi):
    """set / unset / increased / decreased of one numeric keyword."""
    return {
        "set": [(base, dict(base, **{kw: lo}))],
        "unset": [(dict(base, **{kw: lo}), base)],
        "increased": [(dict(base, **{kw: lo}), dict(base, **{kw: hi}))],
        "decreased": [(dict(base, **{kw: hi}), dict(base, **{kw: lo}))],
    }


CHANGES = {}
for name, kw, base, lo, hi in [
        ("max", "maximum", N, 5, 10), ("min", "minimum", N, 5, 10),
        ("exclusive-max", "exclusiveMaximum", N, 5, 10), ("exclusive-min", "exclusiveMinimum", N, 5, 10),
        ("max-length", "maxLength", STR, 5, 10), ("min-length", "minLength", STR, 5, 10),
        ("max-items", "maxItems", ARR, 5, 10), ("min-items", "minItems", ARR, 5, 10),
        ("max-contains", "maxContains", dict(ARR, contains=STR), 5, 10),
        ("min-contains", "minContains", dict(ARR, contains=STR), 5, 10),
        ("max-properties", "maxProperties", S(type="object"), 5, 10),
        ("min-properties", "minProperties", S(type="object"), 5, 10)]:
    for ch, pairs in bound(kw, base, lo, hi).items():
        CHANGES[f"{name}-{ch}"] = pairs

A = S(type="object", title="A", properties={"a": S(type="string")})
B = S(type="object", title="B", properties={"b": S(type="integer")})
C = S(type="object", title="C", properties={"c": S(type="boolean")})
CHANGES.update({
    "pattern-added": [(STR, dict(STR, pattern="^[a-z]+$"))],
    "pattern-removed": [(dict(STR, pattern="^[a-z]+$"), STR)],
    "pattern-changed": [(dict(STR, pattern="^[a-z]+$"), dict(STR, pattern="^[0-9]+$"))],
    "pattern-generalized": [(dict(STR, pattern="^[a-z]+$"), dict(STR, pattern=".*"))],
    "enum-value-removed": [(dict(STR, enum=["a", "b"]), dict(STR, enum=["a"]))],
    "enum-value-added": [(dict(STR, enum=["a"]), dict(STR, enum=["a", "b"]))],
    "became-enum": [(STR, dict(STR, enum=["a", "b"]))],
    "x-extensible-enum-value-removed": [(dict(STR, **{"x-extensible-enum": ["a", "b"]}), dict(STR, **{"x-extensible-enum": ["a"]}))],
    "const-added": [(STR, dict(STR, const="a"))],
    "const-removed": [(dict(STR, const="a"), STR)],
    "const-changed": [(dict(STR, const="a"), dict(STR, const="b"))],
    "default-value-added": [(STR, dict(STR, default="a"))],
    "default-value-removed": [(dict(STR, default="a"), STR)],
    "default-value-changed": [(dict(STR, default="a"), dict(STR, default="b"))],
    "became-nullable": [(STR, S(type=["string", "null"]))],
    "became-not-nullable": [(S(type=["string", "null"]), STR)],
    "type-changed": [(STR, I), (I, STR), (N, I), (I, N), (S(type="object"), STR)],
    "type-generalized": [(I, N), (N, I), (dict(I, format="int32"), dict(I, format="int64")),
                         (dict(I, format="int64"), dict(I, format="int32")), (STR, S(type=["string", "integer"]))],
    "type-specialized": [(N, I), (dict(I, format="int64"), dict(I, format="int32")), (S(type=["string", "integer"]), STR),
                         (I, N)],
    "type-compatible": [(I, STR), (STR, I)],
    "list-of-types-widened": [(STR, S(oneOf=[STR, I]))],
    "list-of-types-narrowed": [(S(oneOf=[STR, I]), STR)],
    "if-added": [(STR, dict(STR, **{"if": S(minLength=2)}))],
    "if-removed": [(dict(STR, **{"if": S(minLength=2)}), STR)],
    "then-added": [(STR, dict(STR, then=S(maxLength=9)))],
    "then-removed": [(dict(STR, then=S(maxLength=9)), STR)],
    "else-added": [(STR, dict(STR, **{"else": S(maxLength=9)}))],
    "else-removed": [(dict(STR, **{"else": S(maxLength=9)}), STR)],
    "contains-added": [(ARR, dict(ARR, contains=S(const="x")))],
    "contains-removed": [(dict(ARR, contains=S(const="x")), ARR)],
    "property-names-added": [(S(type="object"), S(type="object", propertyNames=S(maxLength=3)))],
    "property-names-removed": [(S(type="object", propertyNames=S(maxLength=3)), S(type="object"))],
    "content-schema-added": [(STR, dict(STR, contentMediaType="application/json", contentSchema=S(type="object")))],
    "content-schema-removed": [(dict(STR, contentMediaType="application/json", contentSchema=S(type="object")),
                                dict(STR, contentMediaType="application/json"))],
    "content-encoding-changed": [(dict(STR, contentEncoding="base64"), dict(STR, contentEncoding="base32"))],
    "content-media-type-changed": [(dict(STR, contentMediaType="image/png"), dict(STR, contentMediaType="image/gif"))],
    "prefix-items-added": [(S(type="array"), S(type="array", prefixItems=[STR]))],
    "prefix-items-removed": [(S(type="array", prefixItems=[STR]), S(type="array"))],
    "unevaluated-items-added": [(S(type="array"), S(type="array", unevaluatedItems=False))],
    "unevaluated-items-removed": [(S(type="array", unevaluatedItems=False), S(type="array"))],
    "unevaluated-properties-added": [(S(type="object"), S(type="object", unevaluatedProperties=False))],
    "unevaluated-properties-removed": [(S(type="object", unevaluatedProperties=False), S(type="object"))],
    "pattern-property-added": [(S(type="object"), S(type="object", patternProperties={"^x-": STR}))],
    "pattern-property-removed": [(S(type="object", patternProperties={"^x-": STR}), S(type="object"))],
    "dependent-schema-added": [(S(type="object"), S(type="object", dependentSchemas={"a": S(required=["b"])}))],
    "dependent-schema-removed": [(S(type="object", dependentSchemas={"a": S(required=["b"])}), S(type="object"))],
    "dependent-required-added": [(S(type="object"), S(type="object", dependentRequired={"a": ["b"]}))],
    "dependent-required-removed": [(S(type="object", dependentRequired={"a": ["b"]}), S(type="object"))],
    "dependent-required-changed": [(S(type="object", dependentRequired={"a": ["b"]}),
                                    S(type="object", dependentRequired={"a": ["b", "c"]})),
                                   (S(type="object", dependentRequired={"a": ["b", "c"]}),
                                    S(type="object", dependentRequired={"a": ["b"]}))],
    "discriminator-added": [(S(oneOf=[A, B]), S(oneOf=[A, B], discriminator={"propertyName": "kind"}))],
    "discriminator-removed": [(S(oneOf=[A, B], discriminator={"propertyName": "kind"}), S(oneOf=[A, B]))],
    "discriminator-property-name-changed": [(S(oneOf=[A, B], discriminator={"propertyName": "kind"}),
                                             S(oneOf=[A, B], discriminator={"propertyName": "type"}))],
    "discriminator-mapping-added": [(S(oneOf=[A, B], discriminator={"propertyName": "kind"}),
                                     S(oneOf=[A, B], discriminator={"propertyName": "kind", "mapping": {"a": "#/x"}}))],
    "discriminator-mapping-deleted": [(S(oneOf=[A, B], discriminator={"propertyName": "kind", "mapping": {"a": "#/x"}}),
                                       S(oneOf=[A, B], discriminator={"propertyName": "kind"}))],
    "discriminator-mapping-changed": [(S(oneOf=[A, B], discriminator={"propertyName": "kind", "mapping": {"a": "#/x"}}),
                                       S(oneOf=[A, B], discriminator={"propertyName": "kind", "mapping": {"a": "#/y"}}))],
    "one-of-added": [(S(oneOf=[A, B]), S(oneOf=[A, B, C]))],
    "one-of-removed": [(S(oneOf=[A, B, C]), S(oneOf=[A, B]))],
    "any-of-added": [(S(anyOf=[A, B]), S(anyOf=[A, B, C]))],
    "any-of-removed": [(S(anyOf=[A, B, C]), S(anyOf=[A, B]))],
    "all-of-added": [(S(allOf=[S(type="object", properties={"a": STR})]),
                      S(allOf=[S(type="object", properties={"a": STR}), S(type="object", required=["a"])]))],
    "all-of-removed": [(S(allOf=[S(type="object", properties={"a": STR}), S(type="object", required=["a"])]),
                        S(allOf=[S(type="object", properties={"a": STR})]))],
    "all-of-added-annotation-only": [(S(allOf=[S(type="object", properties={"a": STR})]),
                                      S(allOf=[S(type="object", properties={"a": STR}), S(description="notes")]))],
    "all-of-removed-annotation-only": [(S(allOf=[S(type="object", properties={"a": STR}), S(description="notes")]),
                                        S(allOf=[S(type="object", properties={"a": STR})]))],
    "deprecated": [(STR, dict(STR, deprecated=True))],
    "deprecated-with-sunset": [(STR, dict(STR, deprecated=True, **{"x-sunset": "2999-12-31"}))],
    "deprecated-sunset-missing": [(STR, dict(STR, deprecated=True))],
    "deprecated-sunset-invalid": [(STR, dict(STR, deprecated=True, **{"x-sunset": "someday"}))],
    "sunset-date-too-small": [(STR, dict(STR, deprecated=True, **{"x-sunset": "2020-01-02"}))],
    "reactivated": [(dict(STR, deprecated=True), STR)],
    "stability-decreased": [(dict(STR, **{"x-stability-level": "stable"}), dict(STR, **{"x-stability-level": "beta"}))],
    "stability-increased": [(dict(STR, **{"x-stability-level": "beta"}), dict(STR, **{"x-stability-level": "stable"}))],
    "became-read-only": [(STR, dict(STR, readOnly=True))],
    "became-not-read-only": [(dict(STR, readOnly=True), STR)],
    "became-write-only": [(STR, dict(STR, writeOnly=True))],
    "became-not-write-only": [(dict(STR, writeOnly=True), STR)],
    "added": [(None, STR)],
})

# options a change needs: a deprecation period, a fixed today
OPTIONS = {
    "deprecated-sunset-missing": ["--deprecation-days", "30"],
    "sunset-date-too-small": ["--deprecation-days", "30"],
}
TODAY = "2020-01-01"


def split(rule):
    for p in PREFIXES:
        if rule.startswith(p):
            return p, rule[len(p):]
    return None, None


def with_property_added(prefix, new_schema):
    """response-optional-write-only-property-added & co: the property is new in the new version."""
    side = prefix.split("-", 1)[0]
    required = "-required-" in prefix
    wo = "write-only" in prefix
    old = doc(**{"req_body" if side == "request" else "resp_body": S(type="object", properties={"a": STR})})
    p = dict(new_schema, writeOnly=True) if wo else new_schema
    s = S(type="object", properties={"a": STR, "p": p})
    if required:
        s["required"] = ["p"]
    new = doc(version="2.0.0", **{"req_body" if side == "request" else "resp_body": s})
    return old, new


def op_doc(version="1.0.0", op=None, param=None, media=None):
    """One GET /items operation: `op` keys merged in, `param` as its query parameter, its 200
    response's content `media` (a dict of media type -> media object)."""
    o = {"responses": {"200": {"description": "ok"}}}
    if media is not None:
        o["responses"]["200"]["content"] = media
    if param is not None:
        o["parameters"] = [dict({"name": "q", "in": "query", "schema": STR}, **param)]
    o.update(op or {})
    return {"openapi": "3.1.0", "info": {"title": "generated", "version": version}, "paths": {"/items": {"get": o}}}


JSON_OBJ = {"schema": S(type="object")}
SPECIAL = {  # rule: [(old, new)], for changes outside schemas
    "api-major-version-not-bumped": [(op_doc(param={}), op_doc("1.1.0", param={"required": True}))],
    "api-version-decreased": [(op_doc("2.0.0"), op_doc("1.0.0"))],
    "request-parameter-deprecated-sunset-missing": [(op_doc(param={}), op_doc("2.0.0", param={"deprecated": True}))],
    "request-parameter-sunset-date-changed-too-small": [
        (op_doc(param={"deprecated": True, "x-sunset": "2020-03-01"}),
         op_doc("2.0.0", param={"deprecated": True, "x-sunset": "2020-01-15"}))],
    "request-parameter-sunset-date-too-small": [(op_doc(param={}),
                                                 op_doc("2.0.0", param={"deprecated": True, "x-sunset": "2020-01-02"}))],
    "request-parameter-sunset-deleted": [(op_doc(param={"deprecated": True, "x-sunset": "2020-03-01"}),
                                          op_doc("2.0.0", param={"deprecated": True}))],
    "api-deprecated-sunset-missing": [(op_doc(), op_doc("2.0.0", op={"deprecated": True}))],
    "api-sunset-date-too-small": [(op_doc(), op_doc("2.0.0", op={"deprecated": True, "x-sunset": "2020-01-02"}))],
    "response-body-media-type-schema-added": [(op_doc(media={"application/json": {}}),
                                               op_doc("2.0.0", media={"application/json": JSON_OBJ}))],
    "response-body-media-type-schema-removed": [(op_doc(media={"application/json": JSON_OBJ}),
                                                 op_doc("2.0.0", media={"application/json": {}}))],
    "response-media-type-name-generalized": [(op_doc(media={"application/json": JSON_OBJ}),
                                              op_doc("2.0.0", media={"application/*": JSON_OBJ}))],
    "response-media-type-name-changed": [(op_doc(media={"application/json; charset=utf-8": JSON_OBJ}),
                                          op_doc("2.0.0", media={"application/json; charset=utf-16": JSON_OBJ}))],
    "response-media-type-name-specialized": [(op_doc(media={"application/*": JSON_OBJ}),
                                              op_doc("2.0.0", media={"application/json": JSON_OBJ}))],
}
for _r in ("request-parameter-deprecated-sunset-missing", "request-parameter-sunset-date-too-small",
           "request-parameter-sunset-date-changed-too-small", "api-deprecated-sunset-missing", "api-sunset-date-too-small"):
    OPTIONS[_r] = ["--deprecation-days", "30"]


def candidates(rule):
    if rule in SPECIAL:
        yield from SPECIAL[rule]
        return
    prefix, change = split(rule)
    if not prefix or change not in CHANGES:
        return
    for o, n in CHANGES[change]:
        if change == "added":
            yield with_property_added(prefix, n)
            continue
        for media in ("application/json", "application/x-www-form-urlencoded"):
            if media != "application/json" and change != "type-compatible":
                continue
            yield place(prefix, o, media), place(prefix, n, media, version="2.0.0")


def dump(d, as_json):
    if as_json:
        return json.dumps(d, indent=2) + "\n"
    return yaml.safe_dump(d, sort_keys=False, default_flow_style=False, width=120)


def run(binary, case, cmd):
    env = dict(os.environ, APICOMPAT_TODAY=TODAY)
    p = subprocess.run([binary] + cmd, cwd=case, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def covered_by_hand():
    seen = set()
    for f in glob.glob(os.path.join(root, "fixtures/openapi/**/expected"), recursive=True):
        if "/generated/" in f:
            continue
        for line in open(f):
            m = re.match(r"\S+:\d+:\d+: (\S+)", line)
            if m:
                seen.add(m.group(1))
    return seen


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    force = "--force" in sys.argv
    table = open(os.path.join(root, "compat/rules/rules_openapi.def")).read()
    rules = re.findall(r'^OAS_RULE\(\w+, "([^"]+)", (\w+)', table, re.M)
    hand = covered_by_hand()
    os.makedirs(out_dir, exist_ok=True)
    written, failed, n = 0, [], 0
    for rule, level in rules:
        if rule in hand:
            continue
        case = os.path.join(out_dir, rule)
        if os.path.isdir(case) and not force:
            continue
        ok = False
        for old, new in candidates(rule) or []:
            as_json = n % 3 == 2
            ext = "json" if as_json else "yaml"
            os.makedirs(case, exist_ok=True)
            for f in glob.glob(os.path.join(case, "*")):
                os.remove(f)
            open(os.path.join(case, "old." + ext), "w").write(dump(old, as_json))
            open(os.path.join(case, "new." + ext), "w").write(dump(new, as_json))
            cmd = ["changelog", "old." + ext, "new." + ext] + OPTIONS.get(rule, OPTIONS.get(split(rule)[1], []))
            code, out, err = run(binary, case, cmd)
            if code == 0 and re.search(r": %s[ (]" % re.escape(rule), out):
                open(os.path.join(case, "cmd"), "w").write("\n".join(cmd) + "\n")
                open(os.path.join(case, "expected"), "w").write(out)
                open(os.path.join(case, "env"), "w").write(f"APICOMPAT_TODAY={TODAY}\n")
                open(os.path.join(case, "exit"), "w").write("0\n")  # changelog: findings, exit 0
                ok = True
                n += 1
                written += 1
                break
        if not ok:
            if os.path.isdir(case):
                for f in glob.glob(os.path.join(case, "*")):
                    os.remove(f)
                os.rmdir(case)
            failed.append(rule)
    print(f"{written} cases written; {len(failed)} IDs without a generated case:")
    for r in failed:
        print("  " + r)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
