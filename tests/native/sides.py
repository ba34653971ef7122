#!/usr/bin/env python3
"""Lists the sides of fixture cases that hold .proto sources, one per line:
SIDE<TAB>ROOTS<TAB>FILES (space-separated).  A case is a directory with an `expected` file; a side is
a directory right under it (old/, new/, src-old/, ...).  The roots are those its buf.yaml /
buf.work.yaml names, else the side itself.  Usage: sides.py FIXTURES_DIR..."""
import os, re, sys

sides = set()
for top in sys.argv[1:]:
    for d, _, fs in os.walk(top):
        if not any(f.endswith('.proto') for f in fs):
            continue
        # the nearest case directory above d, and the side right under it
        p = d
        while p != top and p != os.path.dirname(p):
            parent = os.path.dirname(p)
            if os.path.exists(os.path.join(parent, 'expected')):
                sides.add(p)
                break
            p = parent
for s in sorted(sides):
    roots = []
    for cfg in ('buf.work.yaml', 'buf.yaml'):
        p = os.path.join(s, cfg)
        if not os.path.exists(p):
            continue
        txt = open(p).read()
        m = re.search(r'^(?:directories|  roots):\s*\n((?:\s+- .*\n?)+)', txt, re.M) or \
            re.search(r'^modules:\s*\n((?:\s+- path: .*\n?)+)', txt, re.M)
        if m:
            roots = [re.sub(r'^\s*-\s*(path:\s*)?', '', l).strip() for l in m.group(1).splitlines() if l.strip()]
            break
    roots = [os.path.join(s, r) for r in roots if os.path.isdir(os.path.join(s, r))] or [s]
    files = []
    for r in roots:
        for d, _, fs in os.walk(r):
            for f in fs:
                if f.endswith('.proto'):
                    files.append(os.path.relpath(os.path.join(d, f), r))
    if files:
        print('\t'.join([s, ' '.join(roots), ' '.join(sorted(set(files)))]))
