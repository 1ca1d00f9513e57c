#!/usr/bin/env bash
# The configure goldens hold on a kernel tree of another point release than the
# one they were recorded on: the 6.12 goldens (recorded on the release named in
# their reference/commands.txt) are run against a tree that says it is one
# point release older (a copy of the provisioned 6.12 tree whose Makefile has
# SUBLEVEL - 1: every file but the Makefile is the provisioned tree's, through
# links). Each BSP must use the live truth of that tree (the reference flow run
# on it, tests/lib/golden_truth.sh) and pass; the recorded truth would fail on
# the version header alone. The Resolve/Classify unit tests run the same way.
#
# The live truth is the whole reference flow per BSP (about 3 minutes each at
# load 3), so the test command checks one native and one cross BSP:
# KMETA_OLDER_TREE_BSPS (a regex on the golden's name) widens it, e.g. to
# '^linux-6\.12--' for every 6.12 golden.
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
here=$(cd "$(dirname "$0")" && pwd)
KERNELS=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
src=$KERNELS/linux-6.12
if [ ! -f "$src/Makefile" ]; then echo "SKIP: no 6.12 tree at $src (scripts/kernels.sh provisions it)"; exit 77; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/golden-older.XXXXXX")
trap 'rm -rf "$work"' EXIT
old=$work/kernels/linux-6.12
mkdir -p "$old"
for e in "$src"/* "$src"/.[!.]*; do
  [ -e "$e" ] || continue
  [ "$(basename "$e")" = Makefile ] || ln -s "$e" "$old/$(basename "$e")"
done
sub=$(awk -F' *= *' '$1=="SUBLEVEL"{print $2}' "$src/Makefile")
if [ "$sub" -gt 0 ]; then new=$((sub - 1)); else new=$((sub + 1)); fi
sed "s/^SUBLEVEL = $sub\$/SUBLEVEL = $new/" "$src/Makefile" > "$old/Makefile"
grep -q "^SUBLEVEL = $new\$" "$old/Makefile" || { echo "could not rewrite SUBLEVEL in a copy of $src/Makefile"; exit 1; }
ver=$(awk -F' *= *' '$1=="VERSION"{v=$2} $1=="PATCHLEVEL"{p=$2} END{print v "." p}' "$src/Makefile").$new
echo "older tree: $old says $ver (provisioned: .$sub)"

status=0
export KMETA_KERNELS=$work/kernels KMETA_TRUTH_CACHE=$work/truth
export KMETA_GOLDEN_MATCH=${KMETA_OLDER_TREE_BSPS:-'^linux-6\.12--(qemux86-64|qemuarm64)-standard$'}
bash "$here/config_golden.sh" | tee "$work/golden.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# Every BSP line must name the live truth of the older tree.
lines=$(grep -c '^linux-6\.12--.*: truth: ' "$work/golden.log")
live=$(grep -c "^linux-6\.12--.*: truth: live on $ver " "$work/golden.log")
echo "older tree: $live/$lines BSPs used the live truth on $ver"
if [ "$lines" -eq 0 ] || [ "$live" -ne "$lines" ]; then status=1; fi

if [ -n "${KMETA_CONFIG_TEST:-}" ]; then
  "$KMETA_CONFIG_TEST" --gtest_filter='Resolve.GoldenBspsAreByteIdentical:Classify.AgreesWithGoldenMismatchReports' \
    > "$work/unit.log" 2>&1 || status=1
  grep -E "truth:|OK \]|FAILED|Failure" "$work/unit.log" | head -40
  [ "$(grep -c "truth: live on $ver" "$work/unit.log")" -gt 0 ] || { echo "unit tests did not use the live truth"; status=1; }
fi
exit $status
