#!/usr/bin/env bash
# Golden test of `kmeta scc` / `kmeta spp --find` against the reference outputs
# in $KMETA_SHARED/golden/scc (see its README.md).
#
# For every combo of yocto-6.1 and yocto-6.12 (COMBOS.tsv) and every
# extra/prefer-modules combo, runs kmeta exactly as the combo's `cmd` says
# (spp --find, the config pass, the patch pass; each in a fresh, empty $S with
# .kernel-meta/cfg/scratch pre-created, LC_ALL=C TZ=UTC), then compares.
#
# Comparing: compare.sh (bash + perl, ~0.7 s of CPU per combo) is too slow for
# all ~220 combos on CI's 2 cores, so by default the same normalization and
# comparison run in one perl process (scc_golden_compare.pl below, a
# reimplementation of compare.sh's rules); combos that differ are then run
# through compare.sh to show the diff. SCC_GOLDEN_COMPARE=compare.sh uses
# compare.sh for every combo instead. SCC_GOLDEN_JOBS (default 2) combos run
# (and, with compare.sh, compare) at a time. SCC_GOLDEN_KEEP=1 keeps the runs.
#
# Env: KMETA (kmeta binary), KMETA_SHARED (the shared dir). Exit 77 = skipped.
set -uo pipefail
export LC_ALL=C TZ=UTC

KMETA=${KMETA:?KMETA must name the kmeta binary}
case $KMETA in /*) ;; *) KMETA=$PWD/$KMETA ;; esac
SHARED=${KMETA_SHARED:-$(dirname "$0")/../../shared}
GOLD=$SHARED/golden/scc
DATA=$SHARED/data/yocto-kernel-cache
if [ ! -f "$GOLD/compare.sh" ] || [ ! -d "$DATA" ]; then
  echo "SKIP: goldens ($GOLD) or caches ($DATA) not present"
  exit 77
fi
command -v perl >/dev/null || { echo "SKIP: perl not available"; exit 77; }

# ~100k small files are written and removed: prefer a tmpfs when there is one.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then TMPDIR=/dev/shm; fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scc-golden.XXXXXX")
[ -n "${SCC_GOLDEN_KEEP:-}" ] && echo "scc golden: keeping $WORK" || trap 'rm -rf "$WORK"' EXIT

# run_combo GOLDEN_COMBO_DIR CACHE_ROOT RUN_DIR
run_combo() {
  local g=$1 k=$2 r=$3 line pass
  mkdir -p "$r"
  while IFS= read -r line; do
    case $line in '#'*|'') continue ;; esac
    line=${line//\$KCACHE/$k}
    set -f; set -- $line; set +f
    case $1 in
      spp)
        mkdir -p "$r/find/S"
        (cd "$r/find/S" && "$KMETA" "$@" > "$r/find/stdout" 2> "$r/find/stderr"; echo $? > "$r/find/rc")
        ;;
      scc)
        case " $* " in *" --cmds patch "*) pass=patch ;; *) pass=config ;; esac
        local s=$r/$pass/S
        mkdir -p "$s/.kernel-meta/cfg/scratch"
        shift
        local args=() a
        for a in "$@"; do args+=("${a//\$S/$s}"); done
        (cd "$s" && "$KMETA" scc "${args[@]}" > "$r/$pass/stdout" 2> "$r/$pass/stderr"; echo $? > "$r/$pass/rc")
        ;;
    esac
  done < "$g/cmd"
}

# Lines "golden_dir<TAB>cache_root<TAB>run_dir<TAB>name".
LIST=$WORK/list.tsv
: > "$LIST"
for branch in yocto-6.1 yocto-6.12; do
  [ -f "$GOLD/$branch/COMBOS.tsv" ] || continue
  tail -n +2 "$GOLD/$branch/COMBOS.tsv" | cut -f1 | while read -r combo; do
    printf '%s\t%s\t%s\t%s\n' "$GOLD/$branch/$combo" "$DATA/$branch" "$WORK/run/$branch/$combo" "$branch/$combo"
  done >> "$LIST"
done
for g in "$GOLD"/extra/prefer-modules/*/*; do
  [ -f "$g/cmd" ] || continue
  branch=$(basename "$(dirname "$g")")
  printf '%s\t%s\t%s\t%s\n' "$g" "$DATA/$branch" "$WORK/run/extra/$branch/$(basename "$g")" "extra/prefer-modules/$branch/$(basename "$g")" >> "$LIST"
done
total=$(wc -l < "$LIST")
[ "$total" -gt 0 ] || { echo "SKIP: no combos found under $GOLD"; exit 77; }

start=$(date +%s.%N)
export KMETA
export -f run_combo
JOBS=${SCC_GOLDEN_JOBS:-2}
xargs -P "$JOBS" -d '\n' -n 1 bash -c 'IFS=$'"'"'\t'"'"' read -r g k r name <<< "$1"; run_combo "$g" "$k" "$r"' _ < "$LIST"
ran=$(date +%s.%N)

FAILED=$WORK/failed.txt
if [ "${SCC_GOLDEN_COMPARE:-}" = compare.sh ]; then
  export GOLD
  xargs -P "$JOBS" -d '\n' -n 1 bash -c '
    IFS=$'"'"'\t'"'"' read -r g k r name <<< "$1"
    KCACHE=$k "$GOLD/compare.sh" "$r" "$g" > "$r.cmp" 2>&1 || echo "$name"' _ < "$LIST" > "$FAILED"
else
  perl "$(dirname "$0")/scc_golden_compare.pl" "$LIST" > "$FAILED"
fi
done_t=$(date +%s.%N)

nfail=$(grep -c . "$FAILED")
echo "scc golden: $((total - nfail)) identical / $total total"
awk -v n="$total" -v a="$start" -v b="$ran" -v c="$done_t" \
  'BEGIN { printf "scc golden: kmeta ran %d combos (3 steps each) in %.1f s; comparing took %.1f s\n", n, b - a, c - b }'
if [ "$nfail" -gt 0 ]; then
  echo "differing combos:"
  sed 's/^/  /' "$FAILED"
  shown=0
  while read -r name && [ $shown -lt 3 ]; do
    line=$(awk -F'\t' -v n="$name" '$4 == n' "$LIST")
    IFS=$'\t' read -r g k r _ <<< "$line"
    echo "---- compare.sh $name"
    KCACHE=$k "$GOLD/compare.sh" "$r" "$g" | head -40
    shown=$((shown + 1))
  done < "$FAILED"
  exit 1
fi
exit 0
