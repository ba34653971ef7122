#!/usr/bin/env bash
# The hostile Markdown report (fixtures/hostile/output/batch-markdown, the binary's exact output)
# rendered as GitHub renders it: no link, image, HTML, emphasis or strikethrough comes out of the
# names in it, and every table row keeps its cells.  Needs cmark-gfm (apt-get install cmark-gfm);
# skipped without it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v cmark-gfm >/dev/null || { echo "cmark-gfm not installed: skipped"; exit 0; }
html=$(cmark-gfm -e table -e autolink -e strikethrough -e tagfilter "$root/fixtures/hostile/output/batch-markdown/expected")
fail=0
for tag in '<a ' '<img' '<b>' '<em>' '<strong>' '<del>' '<code>c</code>'; do
  if grep -qF -- "$tag" <<< "$html"; then echo "FAIL: the report renders $tag"; fail=1; fi
done
# rows of 3 cells (pairs: name, status, result; findings: rule, change, where), never more
cells=$(python3 -c 'import re,sys; print(sorted({len(re.findall(r"<t[dh][ >]", r)) for r in sys.stdin.read().split("<tr>")[1:]}))' <<< "$html")
[ "$cells" = "[3]" ] || { echo "FAIL: table rows with these cell counts: $cells"; fail=1; }
[ $fail -eq 0 ] && echo "ok: the hostile names render as text"
exit $fail
