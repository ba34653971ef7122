#!/bin/sh
# Writes what comes from the option table (apicompat --dump-options): the man page apicompat(1)
# from dist/apicompat.1.in, and the bash, zsh and fish completions.  One table, so --help, the
# parser, the page and the completions cannot drift (tests/e2e/option-table.sh checks the README).
# Usage: dist/gen.sh APICOMPAT_BINARY OUTDIR
set -eu
bin=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/man1" "$out/completions"
dump=$out/options.tsv
"$bin" --dump-options > "$dump.tmp"
mv "$dump.tmp" "$dump"
version=$(cat "$here/../VERSION" 2>/dev/null || echo unknown)

# ---- apicompat(1): the template with its COMMANDS and OPTIONS sections filled in ----
awk -F'\t' -v version="$version" '
function roff(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); return s }
function line(s) { return (s ~ /^[.\047]/) ? "\\&" s : s }
FNR == NR {
  if ($1 == "command") { ncmd++; cname[ncmd] = $2; csum[ncmd] = $4 }
  if ($1 == "usage") { nu[$2]++; usage[$2, nu[$2]] = $3 }
  if ($1 == "option") { nopt++; o[nopt] = $0 }
  next
}
/^@COMMANDS@$/ {
  for (i = 1; i <= ncmd; i++) {
    print ".TP"
    for (k = 1; k <= nu[cname[i]]; k++) print (k > 1 ? ".TQ\n" : "") "\\fBapicompat " cname[i] "\\fR " roff(usage[cname[i], k])
    print line(roff(csum[i])) "."
  }
  next
}
/^@OPTIONS@$/ {
  for (i = 1; i <= nopt; i++) {
    split(o[i], f, "\t")
    head = (f[3] != "-" ? "\\fB\\-" f[3] "\\fR, " : "") "\\fB\\-\\-" roff(f[2]) "\\fR"
    if (f[4] != "none") head = head " \\fI" roff(f[5]) "\\fR"
    print ".TP"
    print line(head)
    print line(roff(f[8]) ".")
    print ".br"
    print line("\\fICommands:\\fR " roff(f[6]) ".")
  }
  next
}
{ gsub(/@VERSION@/, version); print }
' "$dump" "$here/apicompat.1.in" > "$out/man1/apicompat.1"

# ---- bash: a function that reads COMP_WORDS, no bash-completion helpers needed ----
awk -F'\t' '
$1 == "command" { ncmd++; cname[ncmd] = $2; cfmt[$2] = $3; cmds = cmds (cmds ? " " : "") $2 }
$1 == "option" {
  n = split($6, cs, " ")
  for (k = 1; k <= n; k++) {
    copts[cs[k]] = copts[cs[k]] " --" $2 (($3 != "-") ? " -" $3 : "")
  }
  names = "--" $2 (($3 != "-") ? "|-" $3 : "")
  if ($2 == "format") ;
  else if ($4 == "file" || $4 == "outfile" || $4 == "input") files = files (files ? "|" : "") names
  else if ($4 == "dir" || $4 == "outdir") dirs = dirs (dirs ? "|" : "") names
  else if ($7 != "-") { nval++; vname[nval] = names; vals[nval] = $7 }
  else if ($4 != "none") strs = strs (strs ? "|" : "") names
}
END {
  print "# bash completion for apicompat (generated from apicompat --dump-options by dist/gen.sh)"
  print "_apicompat() {"
  print "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd=${COMP_WORDS[1]}"
  print "    COMPREPLY=()"
  print "    if [ \"$COMP_CWORD\" -eq 1 ]; then"
  print "        COMPREPLY=($(compgen -W \"" cmds " help --help --version\" -- \"$cur\"))"
  print "        return 0"
  print "    fi"
  print "    if [ \"$cmd\" = help ]; then"
  print "        [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W \"" cmds "\" -- \"$cur\"))"
  print "        return 0"
  print "    fi"
  print "    case $prev in"
  print "    --format|-f)"
  print "        case $cmd in"
  for (i = 1; i <= ncmd; i++) if (cfmt[cname[i]] != "") print "        " cname[i] ") COMPREPLY=($(compgen -W \"" cfmt[cname[i]] "\" -- \"$cur\")) ;;"
  print "        esac"
  print "        return 0 ;;"
  for (i = 1; i <= nval; i++) print "    " vname[i] ") COMPREPLY=($(compgen -W \"" vals[i] "\" -- \"$cur\")); return 0 ;;"
  print "    " files ") COMPREPLY=($(compgen -f -- \"$cur\")); return 0 ;;"
  print "    " dirs ") COMPREPLY=($(compgen -d -- \"$cur\")); return 0 ;;"
  print "    " strs ") return 0 ;;"
  print "    esac"
  print "    if [[ $cur == -* ]]; then"
  print "        local opts"
  print "        case $cmd in"
  for (i = 1; i <= ncmd; i++) print "        " cname[i] ") opts=\"" substr(copts[cname[i]], 2) " --help\" ;;"
  print "        esac"
  print "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))"
  print "        return 0"
  print "    fi"
  print "    case $cmd in"
  print "    report) [ \"$COMP_CWORD\" -eq 2 ] && { COMPREPLY=($(compgen -W merge -- \"$cur\")); return 0; } ;;"
  print "    config) [ \"$COMP_CWORD\" -eq 2 ] && { COMPREPLY=($(compgen -W check -- \"$cur\")); return 0; } ;;"
  print "    rules) return 0 ;;"
  print "    esac"
  print "    COMPREPLY=($(compgen -f -- \"$cur\"))"
  print "}"
  print "complete -o filenames -o bashdefault -F _apicompat apicompat"
}' "$dump" > "$out/completions/apicompat.bash"

# ---- zsh: _arguments per command ----
awk -F'\t' '
function q(s) { gsub(/[\[\]\047`:\\]/, "", s); return s }
$1 == "command" { ncmd++; cname[ncmd] = $2; csum[ncmd] = $4; cfmt[$2] = $3 }
$1 == "option" { nopt++; o[nopt] = $0 }
END {
  print "#compdef apicompat"
  print "# zsh completion for apicompat (generated from apicompat --dump-options by dist/gen.sh)"
  print "_apicompat() {"
  print "    local curcontext=\"$curcontext\" state line"
  print "    local -a commands"
  print "    commands=("
  for (i = 1; i <= ncmd; i++) print "        \047" cname[i] ":" q(csum[i]) "\047"
  print "    )"
  print "    _arguments -C \047(- *)--version[print the version]\047 \047(- *)\047{-h,--help}\047[show the help]\047 \0471: :->command\047 \047*:: :->args\047"
  print "    case $state in"
  print "    command) _describe -t commands \047apicompat command\047 commands ;;"
  print "    args)"
  print "        case $words[1] in"
  for (i = 1; i <= ncmd; i++) {
    c = cname[i]
    printf "        %s) _arguments -s \\\n", c
    for (k = 1; k <= nopt; k++) {
      split(o[k], f, "\t")
      if ((" " f[6] " ") !~ (" " c " ")) continue
      action = ""
      if (f[4] != "none") {
        if (f[2] == "format") action = ":format:(" cfmt[c] ")"
        else if (f[7] != "-") action = ":" tolower(f[5]) ":(" f[7] ")"
        else if (f[4] == "file" || f[4] == "outfile" || f[4] == "input") action = ":" tolower(f[5]) ":_files"
        else if (f[4] == "dir" || f[4] == "outdir") action = ":" tolower(f[5]) ":_files -/"
        else action = ":" tolower(f[5]) ": "
      }
      rep = (f[2] == "include" || f[2] == "path" || f[2] == "use" || f[2] == "except") ? "*" : ""
      if (f[3] != "-" && rep) printf "            \047*\047{-%s,--%s}\047[%s]%s\047 \\\n", f[3], f[2], q(f[8]), action
      else if (f[3] != "-") printf "            \047(-%s --%s)\047{-%s,--%s}\047[%s]%s\047 \\\n", f[3], f[2], f[3], f[2], q(f[8]), action
      else printf "            \047%s--%s[%s]%s\047 \\\n", rep, f[2], q(f[8]), action
    }
    if (c == "rules") print "            && return 0 ;;"
    else if (c == "report") print "            \0471:subcommand:(merge)\047 \047*:report:_files\047 && return 0 ;;"
    else if (c == "config") print "            \0471:subcommand:(check)\047 \047*:file:_files\047 && return 0 ;;"
    else print "            \047*:file:_files\047 && return 0 ;;"
  }
  print "        esac ;;"
  print "    esac"
  print "}"
  print "_apicompat \"$@\""
}' "$dump" > "$out/completions/_apicompat"

# ---- fish ----
awk -F'\t' '
function q(s) { gsub(/\047/, "\\\047", s); return s }
$1 == "command" { ncmd++; cname[ncmd] = $2; csum[ncmd] = $4; cfmt[$2] = $3; cmds = cmds (cmds ? " " : "") $2 }
$1 == "option" { nopt++; o[nopt] = $0 }
END {
  print "# fish completion for apicompat (generated from apicompat --dump-options by dist/gen.sh)"
  print "complete -c apicompat -f"
  print "complete -c apicompat -n __fish_use_subcommand -l version -d \047print the version\047"
  print "complete -c apicompat -s h -l help -d \047show the help\047"
  for (i = 1; i <= ncmd; i++) print "complete -c apicompat -n __fish_use_subcommand -a " cname[i] " -d \047" q(csum[i]) "\047"
  print "complete -c apicompat -n \047__fish_seen_subcommand_from report\047 -a merge"
  print "complete -c apicompat -n \047__fish_seen_subcommand_from config\047 -a check"
  print "complete -c apicompat -n \047__fish_seen_subcommand_from " cmds "; and not __fish_seen_subcommand_from rules\047 -F"
  for (k = 1; k <= nopt; k++) {
    split(o[k], f, "\t")
    flag = (f[3] != "-" ? "-s " f[3] " " : "") "-l " f[2]
    if (f[2] == "format") {
      for (i = 1; i <= ncmd; i++) if (cfmt[cname[i]] != "")
        print "complete -c apicompat -n \047__fish_seen_subcommand_from " cname[i] "\047 " flag " -x -a \047" cfmt[cname[i]] "\047 -d \047output format\047"
      continue
    }
    arg = ""
    if (f[4] == "none") arg = ""
    else if (f[7] != "-") arg = " -x -a \047" f[7] "\047"
    else if (f[4] == "file" || f[4] == "outfile" || f[4] == "input") arg = " -r -F"
    else if (f[4] == "dir" || f[4] == "outdir") arg = " -x -a \047(__fish_complete_directories)\047"
    else arg = " -x"
    print "complete -c apicompat -n \047__fish_seen_subcommand_from " f[6] "\047 " flag arg " -d \047" q(f[8]) "\047"
  }
}' "$dump" > "$out/completions/apicompat.fish"
