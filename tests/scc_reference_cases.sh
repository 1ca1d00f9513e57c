#!/usr/bin/env bash
# Differential cases for `kmeta scc` on a small synthetic cache
# (src/scc/testdata/mini): each src/scc/testdata/cases/<name>/ holds `cmd`
# (one scc command line per line; @ROOT@ = the mini cache, @S@ = the scratch
# dir, which is also the cwd) and `expected.txt`: what the reference
# yocto-kernel-tools scc (v0.8, fe67c98) produced for it, normalized (every
# file of the scratch dir, then stdout, stderr and exit status of each command).
#
# The cases cover what the big goldens do not: several -I dirs and their
# ordering, relative and .cfg/.patch/defconfig inputs, nocfg/nopatch/inherit,
# branches below branches, merge/git/tag, conditions (also in the patch pass,
# where define is off), a missing file in a branch not taken, the error texts,
# OVERRIDE fixups, -o variants, --cmds subsets and --configs.
#
#   tests/scc_reference_cases.sh            compare kmeta with expected.txt
#   KMETA_YKT_TOOLS=<tools dir> tests/scc_reference_cases.sh --regen
#                                           rewrite expected.txt from the reference
set -uo pipefail
export LC_ALL=C TZ=UTC
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
ROOT=$SRC/src/scc/testdata/mini
CASES=$SRC/src/scc/testdata/cases
regen=
[ "${1:-}" = --regen ] && regen=t
if [ -n "$regen" ]; then
  [ -x "${KMETA_YKT_TOOLS:-}/scc" ] || { echo "--regen needs KMETA_YKT_TOOLS=<yocto-kernel-tools tools dir>"; exit 2; }
  run() { PATH=$KMETA_YKT_TOOLS:$PATH scc "$@"; }
else
  KMETA=${KMETA:?KMETA must name the kmeta binary}
  case $KMETA in /*) ;; *) KMETA=$PWD/$KMETA ;; esac
  run() { "$KMETA" scc "$@"; }
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/scc-cases.XXXXXX")
trap 'rm -rf "$W"' EXIT

# Paths of this run -> tokens: $S, @ROOT@ (the mini cache), @ROOT@ without its
# leading slash (a reference quirk puts it inside a relative path), and
# @ROOT_PARENT@ (the # _reloc_dir of -I@ROOT@), where not followed by a path character.
norm() {
  NS=$S NR=$ROOT perl -pe '
    BEGIN { ($rel = $ENV{NR}) =~ s{^/}{}; ($par = $ENV{NR}) =~ s{/[^/]*$}{}; }
    s/\Q$ENV{NS}\E/\$S/g; s/\Q$ENV{NR}\E/\@ROOT\@/g; s/\Q$rel\E/\@ROOT\@-relative/g;
    s/\Q$par\E(?![\w.\/-])/\@ROOT_PARENT\@/g;
    s/^# processed: .*/# processed: DATE/; s{[^\s]*/tmp\.[A-Za-z0-9]{6,}}{\$TMPFILE}g;' "$@"
}

pass=0 fail=0
for c in "$CASES"/*/; do
  name=$(basename "$c")
  S=$W/$name/S
  mkdir -p "$S/.kernel-meta/cfg/scratch"
  n=0
  while IFS= read -r line; do
    n=$((n + 1))
    line=${line//@ROOT@/$ROOT}
    line=${line//@S@/$S}
    set -f; set -- $line; set +f
    (cd "$S" && run "$@" > "$W/$name/stdout.$n" 2> "$W/$name/stderr.$n"; echo $? > "$W/$name/rc.$n")
    [ -n "$regen" ] && rm -f /tmp/debug.txt 2>/dev/null  # the reference's kconf leaves this behind
  done < "$c/cmd"
  {
    # Listed in the order of their normalised names, so that where the
    # checkout lives cannot reorder them (absolute cache paths appear in names).
    (cd "$W/$name" && find S -type f) | while IFS= read -r f; do
      printf '%s\t%s\n' "$(printf '%s\n' "$f" | norm)" "$f"
    done | LC_ALL=C sort | while IFS=$'\t' read -r nf f; do
      echo "== $nf"; norm "$W/$name/$f"
    done
    for i in $(seq 1 $n); do
      for k in stdout stderr rc; do echo "== $k.$i"; norm "$W/$name/$k.$i"; done
    done
  } > "$W/$name/actual.txt"
  if [ -n "$regen" ]; then
    cp "$W/$name/actual.txt" "$c/expected.txt"
    echo "regenerated $name"
  elif diff -u "$c/expected.txt" "$W/$name/actual.txt" > "$W/$name/diff"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "DIFFERENT: $name"
    head -40 "$W/$name/diff"
  fi
done
[ -n "$regen" ] && exit 0
echo "scc reference cases: $pass identical / $((pass + fail)) total"
[ $fail -eq 0 ]
