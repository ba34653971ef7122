#!/usr/bin/env bash
# One source for the options: the table in cmd/options.c (apicompat --dump-options).  The parser
# and --help read it directly; the man page and the completions are generated from it
# (dist/gen.sh); the README's table is written by hand and checked here against it, so none of
# them can drift.  Each check below fails when an option is added to one place only.
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL $*"; fail=1; }

"$bin" --dump-options > "$tmp/dump"
# "--name" and "-x" of the options the command in $1 takes
opts_of() { awk -F'\t' -v c="$1" '$1 == "option" && (" " $6 " ") ~ (" " c " ") { print "--" $2; if ($3 != "-") print "-" $3 }' "$tmp/dump" | sort -u; }
[ "$(opts_of breaking | wc -l)" -ge 25 ] || no "the dump lists $(opts_of breaking | wc -l) options of breaking"

# the README's table: the options of breaking (and --help), no more, no fewer
sed -n '/^Options of `breaking`/,/^$/p; /^| option | meaning |/,/^$/p' "$root/README.md" | grep '^| `' |
  cut -d'|' -f2 | grep -o '`-[^` ]*' | tr -d '`' | sort -u > "$tmp/readme"
{ opts_of breaking; printf '%s\n' --help -h; } | sort -u > "$tmp/table"
diff "$tmp/table" "$tmp/readme" > "$tmp/diff" || no "README's option table differs from the option table (< table only, > README only): $(tr '\n' ' ' < "$tmp/diff")"
# the other commands' options are documented in their README sections
for o in $(awk -F'\t' '$1 == "option" {print "--" $2}' "$tmp/dump"); do
  grep -q -- "$o\b" "$root/README.md" || no "README never mentions $o"
done

# --help of each command lists exactly its options
for c in $(awk -F'\t' '$1 == "command" {print $2}' "$tmp/dump"); do
  "$bin" "$c" --help | grep -o -- '^  \(-[A-Za-z], \)\?--[a-z-]*\|^      --[a-z-]*' | grep -o -- '-[A-Za-z]\b\|--[a-z-]*' | sort -u > "$tmp/help"
  { opts_of "$c"; printf '%s\n' --help -h; } | sort -u > "$tmp/want"
  diff "$tmp/want" "$tmp/help" > /dev/null || no "$c --help: $(diff "$tmp/want" "$tmp/help" | tr '\n' ' ')"
done

# the generated man page and completions name every option
sh "$root/dist/gen.sh" "$bin" "$tmp/gen" >/dev/null
for o in $(awk -F'\t' '$1 == "option" {print $2}' "$tmp/dump"); do
  grep -qF -- "\\-\\-${o//-/\\-}\\fR" "$tmp/gen/man1/apicompat.1" || no "apicompat.1 does not list --$o"
  grep -q -- "--$o\b" "$tmp/gen/completions/apicompat.bash" || no "the bash completion does not offer --$o"
  grep -q -- "--$o\(\[\|}\)" "$tmp/gen/completions/_apicompat" || no "the zsh completion does not offer --$o"
  grep -q -- "-l $o " "$tmp/gen/completions/apicompat.fish" || no "the fish completion does not offer --$o"
done
# and every command
for c in $(awk -F'\t' '$1 == "command" {print $2}' "$tmp/dump"); do
  grep -q "^\\\\fBapicompat $c\\\\fR" "$tmp/gen/man1/apicompat.1" || no "apicompat.1 has no entry for $c"
done

[ $fail -eq 0 ] && echo "option table: ok"
exit $fail
