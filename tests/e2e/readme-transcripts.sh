#!/usr/bin/env bash
# Every "$ apicompat ..." transcript in README.md whose inputs are files of this repository is run
# from the repository's root, and its output must be what the README shows: each line as printed,
# up to a line "..." (the rest left out), and the whole output when there is none.
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
python3 - "$bin" README.md <<'PY'
import os, re, shlex, subprocess, sys
bin_, readme = sys.argv[1], sys.argv[2]
blocks = re.findall(r"```[a-z]*\n(.*?)```", open(readme).read(), re.S)
ran = failed = 0
for block in blocks:
    lines = block.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ apicompat "):
            i += 1
            continue
        cmd = lines[i][2:].split("   #")[0].strip()
        expected = []
        i += 1
        while i < len(lines) and not lines[i].startswith("$ "):
            expected.append(lines[i])
            i += 1
        while expected and expected[-1] == "":
            expected.pop()
        args = shlex.split(cmd)[1:]
        operands = [a for a in args[1:] if not a.startswith("-")]
        if ">" in args or not operands or not os.path.exists(operands[0]):
            continue  # an illustration (paths of the reader's own project) or a redirect
        out = subprocess.run([bin_] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.split("\n")
        ran += 1
        for k, want in enumerate(expected):
            if want == "...":
                break
            got = out[k] if k < len(out) else "(nothing)"
            if got != want:
                print("FAIL: README.md: %s\n  line %d: README shows: %s\n  the program prints:  %s" % (cmd, k + 1, want, got))
                failed += 1
                break
        else:
            if out[len(expected):] not in ([], [""]):
                print("FAIL: README.md: %s prints more than the README shows: %s" % (cmd, out[len(expected)]))
                failed += 1
if ran == 0:
    sys.exit("FAIL: no README transcript was run")
print("%d README transcripts run, %d differ" % (ran, failed))
sys.exit(1 if failed else 0)
PY
