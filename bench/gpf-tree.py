#!/usr/bin/env python3
"""Copies a google-proto-files subtree and everything it imports into DEST, so that the two tools
compare the same self-contained directory.  usage: gpf-tree.py PACKAGE_ROOT SUBDIR DEST"""
import os
import re
import shutil
import sys

root, sub, dest = sys.argv[1:4]
files, todo = set(), []
for dp, _, fn in os.walk(os.path.join(root, sub)):
    todo += [os.path.relpath(os.path.join(dp, f), root) for f in fn if f.endswith(".proto")]
imp = re.compile(r'^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"', re.M)
while todo:
    f = todo.pop()
    if f in files:
        continue
    files.add(f)
    p = os.path.join(root, f)
    if os.path.exists(p):
        todo += imp.findall(open(p, encoding="utf-8", errors="replace").read())
shutil.rmtree(dest, ignore_errors=True)
n = 0
for f in sorted(files):
    s = os.path.join(root, f)
    if os.path.exists(s):
        os.makedirs(os.path.dirname(os.path.join(dest, f)), exist_ok=True)
        shutil.copy(s, os.path.join(dest, f))
        n += 1
print(f"{dest}: {n} files")
