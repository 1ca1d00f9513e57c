#!/usr/bin/env bash
# Golden test of `kmeta config` against the reference Yocto flow
# ($KMETA_SHARED/golden/config/<bsp>/, see its README):
#   1. BUILD/.config is byte-identical to expected.config;
#   2. every line of reference/semantic-mismatches.txt (the real differences
#      between what the fragments ask and what .config has) is among kmeta's
#      findings, with the same requested and actual values;
#   3. kmeta reports nothing else: no finding that is only a textual
#      difference (=n vs "is not set", "# OVERRIDE:" annotations), which
#      merge_config.sh's "not in final .config" lines are full of.
# Each golden holds for the kernel point release and toolchain it was recorded
# with; on any other tree the truth is the reference flow run live on it
# (tests/lib/golden_truth.sh), and the BSP's line says which truth it used
# ("truth: recorded 6.12.118" / "truth: live on 6.12.117 (recorded 6.12.118)").
# Prints one line per BSP and the totals; exit 77 (skipped) when no kernel tree
# is provisioned. KMETA_TRUTH_CACHE: where live truths are kept (default: a
# temporary directory, removed at exit). KMETA_GOLDEN_MATCH: a regex of the
# golden names to run (default: all).
set -uo pipefail

source "$(dirname "$0")/lib/common.sh"
GOLDEN=$SHARED/golden/config
if [ ! -d "$GOLDEN" ]; then echo "SKIP: no goldens at $GOLDEN"; exit 77; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/config-golden.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
TRUTHS=${KMETA_TRUTH_CACHE:-$WORK/truth}
# This run's own probe and model cache, never the user's ~/.cache/kmeta.
export KMETA_PROBE_CACHE=$WORK/probes

total=0 identical=0 ran=0 recall_hit=0 recall_all=0 false_reports=0 failed=0
for dir in "$GOLDEN"/*/; do
  bsp=$(basename "$dir")
  [[ "$bsp" =~ ${KMETA_GOLDEN_MATCH:-.} ]] || continue
  total=$((total + 1))
  # shellcheck disable=SC1091
  unset KVER KCACHE_BRANCH MACHINE KTYPE ARCH CROSS FEATURES MODE
  . "$dir/spec"
  ksrc=$KERNELS/linux-$KVER
  if [ ! -f "$ksrc/Makefile" ]; then
    echo "$bsp: skipped (no kernel tree $ksrc)"
    continue
  fi
  ran=$((ran + 1))
  if ! truth_line=$(bash "$(dirname "$0")/lib/golden_truth.sh" "$dir" "$ksrc" "$TRUTHS" 2>"$WORK/$bsp.truth.err"); then
    echo "$bsp: FAILED: no truth for this tree:"; sed 's/^/    /' "$WORK/$bsp.truth.err" | tail -20
    failed=$((failed + 1)); continue
  fi
  truth=${truth_line%%$'\t'*} truth_says=${truth_line#*$'\t'}
  out=$WORK/$bsp
  # The BSP audit level the reference ran with (--strict above 1).
  bsp_level=$(grep -o 'KCONF_BSP_AUDIT_LEVEL=[0-9]*' "$dir/reference/commands.txt" | head -1 | cut -d= -f2)
  args=(config --cache "$SHARED/data/yocto-kernel-cache/$KCACHE_BRANCH" --machine "$MACHINE" --type "$KTYPE"
        --kernel "$ksrc" --arch "$ARCH" --mode "${MODE:-alldefconfig}" --audit-level 2
        --bsp-audit-level "${bsp_level:-1}" --json -o "$out")
  [ -n "${CROSS:-}" ] && args+=(--cross-compile "$CROSS")
  for f in ${FEATURES:-}; do args+=(--feature "$f"); done
  start=$(date +%s.%N)
  # The reference ran with PATH=$YKT:/usr/sbin:/usr/bin:/sbin:/bin (reference/commands.txt); a
  # rustc or another compiler elsewhere on this machine's PATH would change the probes.
  env PATH=/usr/sbin:/usr/bin:/sbin:/bin "$KMETA" "${args[@]}" > "$WORK/$bsp.json" 2> "$WORK/$bsp.stderr"
  rc=$?
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    echo "$bsp: FAILED: kmeta exited $rc"; sed 's/^/    /' "$WORK/$bsp.stderr" | head -20
    failed=$((failed + 1)); continue
  fi
  same=no
  if cmp -s "$out/.config" "$truth/expected.config"; then
    same=yes; identical=$((identical + 1))
  else
    failed=$((failed + 1))
  fi
  # symbol_why.py --sanity and --invalid outputs: byte-identical (no file = empty output).
  files=ok
  for pair in redefinition:symbol_why-redefinition invalid:symbol_why-invalid; do
    mine=$out/.kernel-meta/cfg/${pair%%:*}.txt theirs=$truth/reference/${pair#*:}.txt
    [ -f "$mine" ] || mine=/dev/null
    if ! cmp -s "$mine" "$theirs"; then
      files="${pair%%:*}.txt differs"; failed=$((failed + 1))
      diff "$theirs" "$mine" | head -5 | sed 's/^/    /'
    fi
  done
  # The symbol_why.py drop-in, run as kernel-yocto.bbclass runs it: in S, on
  # the .kernel-meta kmeta scc writes, with ARCH/CC in the environment.
  S=$WORK/$bsp-S
  mkdir -p "$S/.kernel-meta/cfg/scratch"
  bspdef=$(cat "$out/.kernel-meta/bsp_definition" 2>/dev/null)
  kc=$SHARED/data/yocto-kernel-cache/$KCACHE_BRANCH
  # shellcheck disable=SC2086
  (cd "$S" && env PATH=/usr/sbin:/usr/bin:/sbin:/bin "$KMETA" scc --force -o "$S/.kernel-meta:cfg,merge,meta" \
     -I"$kc" -I"$ksrc/arch/$ARCH/configs" -I"$ksrc/kernel/configs" "$bspdef" ${FEATURES:-} >/dev/null 2>&1)
  strict=(); [ "${bsp_level:-1}" -gt 1 ] && strict=(--strict)
  for pair in "--sanity:symbol_why-redefinition" "--invalid:symbol_why-invalid"; do
    extra=(); [ "${pair%%:*}" = --invalid ] && extra=("${strict[@]}" '')
    (cd "$S" && env PATH=/usr/sbin:/usr/bin:/sbin:/bin ARCH="$ARCH" CC="${CROSS:-}gcc" "$KMETA" symbol-why \
       --dotconfig "$out/.config" "${pair%%:*}" "${extra[@]}" -s "$ksrc") > "$WORK/$bsp.sw" 2>&1
    if ! cmp -s "$WORK/$bsp.sw" "$truth/reference/${pair#*:}.txt"; then
      files="symbol-why ${pair%%:*} differs"; failed=$((failed + 1))
      diff "$truth/reference/${pair#*:}.txt" "$WORK/$bsp.sw" | head -5 | sed 's/^/    /'
    fi
  done
  # Findings vs the semantic truth.
  verdict=$(python3 - "$truth" "$WORK/$bsp.json" <<'PY'
import json, sys
d, js = sys.argv[1], sys.argv[2]

def norm(v):
    return "n" if v in (None, "", "n") else v

truth = {}
for line in open(d + "/reference/semantic-mismatches.txt"):
    if line.startswith("#") or not line.strip():
        continue
    _, sym, req, got = line.split()
    truth[sym] = (req[4:], got[4:])

report = json.load(open(js))
found = {f["symbol"]: f for f in report["findings"]}
hit = 0
missing = []
for sym, (req, got) in sorted(truth.items()):
    f = found.get(sym)
    ok = f is not None and norm(f["requested"]) == norm(req) and (
        (got == "None" and not f["written"]) or norm(f["actual"]) == norm(got))
    if ok:
        hit += 1
    else:
        missing.append(sym if f is None else "%s(kmeta: req=%s got=%s)" % (sym, f["requested"], f["actual"]))
false = sorted(s for s in found if s not in truth)
print(hit, len(truth), len(false))
if missing:
    print("    missed: " + " ".join(missing[:20]) + (" ..." if len(missing) > 20 else ""))
if false:
    print("    false reports: " + " ".join(false[:20]) + (" ..." if len(false) > 20 else ""))
PY
)
  read -r hit all nfalse <<< "$(echo "$verdict" | head -1)"
  recall_hit=$((recall_hit + hit)); recall_all=$((recall_all + all)); false_reports=$((false_reports + nfalse))
  [ "$hit" = "$all" ] && [ "$nfalse" = 0 ] || failed=$((failed + 1))
  printf '%s: truth: %s; .config identical: %s; findings %s/%s; false reports %s; cfg files %s; %.2fs\n' \
    "$bsp" "$truth_says" "$same" "$hit" "$all" "$nfalse" "$files" "$secs"
  echo "$verdict" | tail -n +2
  if [ "$same" = no ]; then
    diff "$truth/expected.config" "$out/.config" | head -10 | sed 's/^/    /'
  fi
done

if [ $ran -eq 0 ]; then echo "SKIP: no kernel trees under $KERNELS (scripts/kernels.sh provisions them)"; exit 77; fi
echo "config golden: .config identical $identical/$total; findings recall $recall_hit/$recall_all; false reports $false_reports"
[ $failed -eq 0 ] && [ $ran -eq $total ] || exit 1
