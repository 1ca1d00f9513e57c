#!/usr/bin/env bash
# The truth a configure golden stands for, on the kernel tree and toolchain at hand.
#
# usage: golden_truth.sh [--live] GOLDEN_DIR KERNEL_SRC CACHE_ROOT
#
# A golden of ../shared/golden/config was recorded on one kernel point release
# and one toolchain (reference/commands.txt, first line; CONFIG_CC_VERSION_TEXT
# and CONFIG_CC_CAN_LINK in expected.config). When KERNEL_SRC is that release
# and the compiler the golden names is the same and links the same, the
# recording is the truth. Otherwise the truth is computed live, by the reference
# flow itself, exactly as reference/commands.txt ran it:
#   spp --find and scc (../shared/reference/yocto-kernel-tools) -> .kernel-meta;
#   merge_config.sh as the recording's PATH found it (yocto-kernel-tools') over
#   its config queue, in the tree with an O= directory, with the golden's
#   ARCH/CC/LD/OBJCOPY/STRIP                                          -> expected.config;
#   the golden's semantic rule (semantic_mismatches.py)               -> semantic-mismatches.txt;
#   CONFIG_LOCALVERSION appended and `make olddefconfig` (do_configure), then
#   symbol_why.py with its Kconfiglib (--mismatches [--classify], --invalid [--strict],
#   --sanity)                                                          -> symbol_why-*.txt.
# The live truth is laid out like a golden (expected.config, spec, reference/)
# under CACHE_ROOT/<golden>/<kernel version>-<toolchain digest>/ and reused while
# it is complete; concurrent callers wait on a lock.
#
# Prints one line: "<truth dir><TAB>recorded <ver>" or
# "<truth dir><TAB>live on <ver> (recorded <ver>[, <toolchain difference>])".
# --live computes the live truth even when the recording would do (used to check
# that the live flow reproduces the recordings).
set -euo pipefail

live_forced=0
if [ "${1:-}" = --live ]; then live_forced=1; shift; fi
[ $# -eq 3 ] || { echo "usage: golden_truth.sh [--live] GOLDEN_DIR KERNEL_SRC CACHE_ROOT" >&2; exit 2; }
golden=$(cd "$1" && pwd)
ksrc=$(cd "$2" && pwd)
cache_root=$3
here=$(cd "$(dirname "$0")" && pwd)
shared=${KMETA_SHARED:-$(cd "$here/../../../shared" && pwd)}
ykt=$shared/reference/yocto-kernel-tools
sys_path=/usr/sbin:/usr/bin:/sbin:/bin   # the PATH the goldens were recorded with

die() { echo "golden_truth.sh: $*" >&2; exit 1; }
[ -f "$golden/spec" ] && [ -f "$golden/reference/commands.txt" ] || die "$golden is not a configure golden"
[ -f "$ksrc/Makefile" ] || die "$ksrc is not a kernel tree"

# shellcheck disable=SC1091
KVER='' KCACHE_BRANCH='' MACHINE='' KTYPE='' ARCH='' CROSS='' FEATURES='' MODE=''
. "$golden/spec"

kernel_version() {  # the tree's version as its Makefile states it
  awk -F' *= *' '$1=="VERSION"{v=$2} $1=="PATCHLEVEL"{p=$2} $1=="SUBLEVEL"{s=$2} $1=="EXTRAVERSION"{e=$2}
                  END{printf "%s.%s.%s%s\n", v, p, s, e}' "$1/Makefile"
}
tree_ver=$(kernel_version "$ksrc")
rec_ver=$(head -1 "$golden/reference/commands.txt" | sed -n 's/.*Makefile \([^ ]*\).*/\1/p')
[ -n "$rec_ver" ] ||
  rec_ver=$(sed -n 's|^# Linux/[^ ]* \([^ ]*\) Kernel Configuration$|\1|p' "$golden/expected.config" | head -1)

# The toolchain: the compiler's first --version line and whether it links (the
# kernel's own cc-can-link.sh, as Kconfig's CC_CAN_LINK asks it).
cc=${CROSS}gcc
rec_cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$golden/expected.config")
rec_link=$(grep -q '^CONFIG_CC_CAN_LINK=y' "$golden/expected.config" && echo yes || echo no)
cur_cc=$(PATH=$sys_path LC_ALL=C "$cc" --version 2>/dev/null | head -n 1 || true)
m64=""
PATH=$sys_path "$cc" -m64 -E -x c /dev/null -o /dev/null >/dev/null 2>&1 && m64=-m64
cur_link=no
if [ -n "$cur_cc" ] && PATH=$sys_path sh "$ksrc/scripts/cc-can-link.sh" "$cc" $m64 >/dev/null 2>&1; then cur_link=yes; fi

why=()
[ "$tree_ver" = "$rec_ver" ] || why+=("kernel $tree_ver")
if [ -z "$cur_cc" ]; then why+=("no $cc on $sys_path")
elif [ "$cur_cc" != "$rec_cc" ]; then why+=("compiler '$cur_cc', recorded '$rec_cc'"); fi
[ -z "$cur_cc" ] || [ "$cur_link" = "$rec_link" ] || why+=("$cc links: $cur_link, recorded: $rec_link")

if [ ${#why[@]} -eq 0 ] && [ $live_forced -eq 0 ]; then
  printf '%s\trecorded %s\n' "$golden" "$rec_ver"
  exit 0
fi

# --- the live truth -----------------------------------------------------------
self_digest=$(cat "$0" "$here/semantic_mismatches.py" | sha256sum | cut -c1-12)
tc_digest=$(printf '%s\n' "$cur_cc" "$cur_link" "$self_digest" | sha256sum | cut -c1-12)
name=$(basename "$golden")
out=$cache_root/$name/$tree_ver-$tc_digest
describe="live on $tree_ver (recorded $rec_ver"
for w in "${why[@]}"; do [ "$w" = "kernel $tree_ver" ] || describe+=", $w"; done
describe+=")"

mkdir -p "$cache_root/$name"
exec 9>"$out.lock"
flock 9
if [ -f "$out/.complete" ]; then
  printf '%s\t%s\n' "$out" "$describe"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/golden-truth.XXXXXX")
S=$work/S B=$work/B new=$out.new.$$
trap 'rm -rf "$work" "$new"' EXIT
mkdir -p "$S/.kernel-meta" "$B" "$new/reference"
kcache=$shared/data/yocto-kernel-cache/$KCACHE_BRANCH
[ -d "$kcache" ] || die "no kernel cache $kcache"
ref_path=$ykt/tools:$sys_path
incs=(-I"$kcache" -I"$ksrc/arch/$ARCH/configs" -I"$ksrc/kernel/configs")
log=$work/flow.log

run() { echo "+ $*" >>"$log"; "$@" >>"$log" 2>&1 || { tail -20 "$log" >&2; die "$name: reference step failed: $*"; }; }

# 1. The BSP definition and the config queue, by the reference spp and scc (cwd $S).
bspdef=$(cd "$S" && PATH=$ref_path spp "${incs[@]}" --find -DKMACHINE="$MACHINE" -DKTYPE="$KTYPE" 2>>"$log") ||
  die "$name: spp --find failed"
[ -n "$bspdef" ] || die "$name: spp --find found no BSP for $MACHINE/$KTYPE"
# shellcheck disable=SC2086
(cd "$S" && run env PATH="$ref_path" scc --force -o "$S/.kernel-meta:cfg,merge,meta" "${incs[@]}" "$bspdef" $FEATURES)
# shellcheck disable=SC2207
frags=($(cd "$S" && PATH=$ref_path scc --configs -o .kernel-meta))
[ ${#frags[@]} -gt 0 ] || die "$name: scc --configs listed no fragments"
abs=()
for f in "${frags[@]}"; do abs+=("$S/$f"); done

# 2. expected.config: merge_config.sh as the recording's PATH found it (yocto-kernel-tools' copy,
#    which hands CC/LD/... to make: the kernel's own would build with the host gcc), run in the
#    tree (make O=$B).
tool_env=(CFLAGS= HOSTCC=gcc "HOSTCPP=gcc -E" CC="${CROSS}gcc" LD="${CROSS}ld" OBJCOPY="${CROSS}objcopy"
          STRIP="${CROSS}strip" ARCH="$ARCH")
noconf=(); [ "${MODE:-alldefconfig}" = allnoconfig ] && noconf=(-n)
(cd "$ksrc" && run env PATH="$ref_path" "${tool_env[@]}" merge_config.sh -O "$B" "${noconf[@]}" "${abs[@]}")
[ -f "$B/.config" ] || die "$name: merge_config.sh wrote no .config"
cp "$B/.config" "$new/expected.config"

# 3. The semantic truth, by the goldens' rule.
python3 "$here/semantic_mismatches.py" "$S/.kernel-meta/config.queue" "$S/.kernel-meta" "$B/.config" \
  >"$new/reference/semantic-mismatches.txt" || die "$name: semantic rule failed"

# 4. symbol_why.py, as the bbclass runs it: on the .config of do_configure (CONFIG_LOCALVERSION
#    appended, then olddefconfig), cwd $S with the .kernel-meta there.
localversion=$(sed -n 's/^append \(CONFIG_LOCALVERSION=[^;]*\);.*/\1/p' "$golden/reference/commands.txt")
[ -z "$localversion" ] || echo "$localversion" >>"$B/.config"
(cd "$ksrc" && run env PATH="$sys_path" make O="$B" ARCH="$ARCH" CROSS_COMPILE="$CROSS" olddefconfig)
strict=()
grep -q -- '--invalid --strict' "$golden/reference/commands.txt" && strict=(--strict)
sw_env=(PATH="$ref_path" PYTHONPATH="$ykt/Kconfiglib" ARCH="$ARCH" CC="${CROSS}gcc" LD="${CROSS}ld"
        OBJCOPY="${CROSS}objcopy" STRIP="${CROSS}strip" srctree="$ksrc")
for pair in "mismatch:--mismatches --classify" "mismatch-noclassify:--mismatches" \
            "invalid:--invalid ${strict[*]}" "redefinition:--sanity"; do
  file=${pair%%:*} args=${pair#*:}
  # shellcheck disable=SC2086
  (cd "$S" && env "${sw_env[@]}" python3 "$ykt/tools/symbol_why.py" --dotconfig "$B/.config" $args -s "$ksrc" \
     >"$new/reference/symbol_why-$file.txt" 2>"$new/reference/symbol_why-$file.stderr") || true
done

# 5. The rest of the golden's layout, with this run's facts.
cp "$golden/spec" "$new/spec"
cp "$S/.kernel-meta/config.queue" "$new/reference/config.queue"
{ echo "kernel: $ksrc, Makefile $tree_ver (live truth; the golden was recorded on $rec_ver)"
  echo "compiler: ${cur_cc:-none} (links: $cur_link)"
  tail -n +2 "$golden/reference/commands.txt"; } >"$new/reference/commands.txt"
cp "$log" "$new/reference/flow.log"
touch "$new/.complete"
rm -rf "$out"
mv "$new" "$out"
printf '%s\t%s\n' "$out" "$describe"
