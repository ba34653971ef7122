#!/usr/bin/env python3
"""Compare apicompat's findings with buf's on the same pair of inputs.

usage: buf-compare.py BUF_JSON_LINES APICOMPAT_JSON [--show N]

BUF_JSON_LINES is `buf breaking NEW --against OLD --error-format json` output (one object per line);
APICOMPAT_JSON is `apicompat breaking OLD NEW --format json`.  Findings are compared as
(rule, path, line, column).  A finding with no location in the new contract (a deleted file or
package) is compared by rule and message subject only, since buf prints no path for it and
apicompat prints the old location.
"""
import collections
import json
import re
import sys


def subject(msg):
    # buf names elements by nested name ("Region"), apicompat by full name ("acme.v1.Region"):
    # compare the last component
    m = re.search(r'"([^"]+)"', msg)
    s = m.group(1) if m else msg
    return s if s.endswith(".proto") else s.rsplit(".", 1)[-1]


def load_buf(path):
    out = []
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        o = json.loads(line)
        if o.get("path"):
            out.append((o["type"], o["path"], o.get("start_line", 1) or 1, o.get("start_column", 1) or 1))
        else:
            out.append((o["type"], None, subject(o["message"]), None))
    return out


def load_ours(path):
    out = []
    for f in json.load(open(path))["findings"]:
        if f.get("suppressed"):
            continue
        if f["line"]:
            out.append((f["rule"], f["path"], f["line"], f["column"]))
        else:
            out.append((f["rule"], None, subject(f["message"]), None))
    return out


def main():
    show = 50
    args = sys.argv[1:]
    if "--show" in args:
        i = args.index("--show")
        show = int(args[i + 1])
        del args[i : i + 2]
    buf = collections.Counter(load_buf(args[0]))
    ours = collections.Counter(load_ours(args[1]))
    both = buf & ours
    only_buf = buf - ours
    only_ours = ours - buf
    print(f"buf: {sum(buf.values())} findings, apicompat: {sum(ours.values())}, agree: {sum(both.values())}, "
          f"only buf: {sum(only_buf.values())}, only apicompat: {sum(only_ours.values())}")
    per_rule = collections.Counter(k[0] for k in both.elements())
    for rule, n in sorted(per_rule.items()):
        print(f"  agree {rule}: {n}")
    for title, c in (("only buf", only_buf), ("only apicompat", only_ours)):
        for k in sorted(c.elements(), key=lambda k: tuple(str(x) for x in k))[:show]:
            print(f"{title}: {k}")
    return 0 if not only_buf and not only_ours else 1


if __name__ == "__main__":
    sys.exit(main())
