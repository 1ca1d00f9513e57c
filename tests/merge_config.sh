#!/usr/bin/env bash
# Differential test of `kmeta merge-config` against the kernel's own
# scripts/kconfig/merge_config.sh (linux-6.12): the same output file, the
# same stdout and stderr, the same exit status, for
#   * the 6.12 golden queues of $KMETA_SHARED/golden/config (their
#     config.queue mapped back onto the cache's fragments), alldefconfig or
#     allnoconfig (-n) as the golden ran, with the golden's CROSS_COMPILE;
#   * edge cases of each option: -m, -n, -r, -y, -s, -Q, -O (trailing slash,
#     missing directory), -h, no argument, a missing base, a missing fragment.
# Both run in a scratch directory that mirrors the kernel tree (one symlink
# per top-level entry), since merge_config.sh runs make in its cwd and writes
# its temporary files there. Normalised before comparing: the temporary file's
# random name, the usage line's program name, and what make itself prints
# (entering/leaving directory, kbuild's "  GEN"/"  HOSTCC" lines): no make runs
# under kmeta.
set -uo pipefail

source "$(dirname "$0")/lib/common.sh"
KSRC=$KERNELS/linux-6.12
SCRIPT=$KSRC/scripts/kconfig/merge_config.sh
if [ ! -f "$SCRIPT" ]; then echo "SKIP: no kernel tree at $KSRC (scripts/kernels.sh provisions it)"; exit 77; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-merge-config.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export KMETA_PROBE_CACHE=$WORK/probes
# The goldens' PATH (a rustc elsewhere would turn on the Rust symbols).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

mirror() {  # DIR: a directory whose entries are the kernel tree's
  mkdir -p "$1"
  for e in "$KSRC"/* "$KSRC"/.[!.]*; do
    [ -e "$e" ] || continue
    case $(basename "$e") in .config|.tmp*|.merge_tmp*|.kmeta-unpacked) continue ;; esac
    ln -s "$e" "$1/$(basename "$e")"
  done
}
norm() {
  sed -E -e 's/\.tmp\.config\.[A-Za-z0-9]{10}/.tmp.config.XXXXXXXXXX/g' -e "s#$WORK/(ref|kmeta)/#SIDE/#g" \
         -e 's#^Usage: .* \[OPTIONS\]#Usage: PROG [OPTIONS]#' \
         -e '/^make(\[[0-9]+\])?: (Entering|Leaving|Nothing)/d' \
         -e '/^  [A-Z0-9_]+ +[^ ]/d' \
         -e '/^\*\*\* Default configuration is based on/d' "$1"
}

REF=$WORK/ref KM=$WORK/kmeta
mirror "$REF"; mirror "$KM"
pass=0 fail=0
# run NAME ENV... -- ARGS...: both tools in their mirror, outputs compared.
# ARGS may name $OUT (the -O directory, created fresh in each mirror).
run() {
  local name=$1; shift
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  local side dir
  for side in ref kmeta; do
    dir=$WORK/$side
    # out/ is kept between cases (make builds conf there once); its .config is not.
    rm -f "$dir/out/.config" "$dir/.config" "$dir"/.tmp.config.* "$dir"/.merge_tmp.config.* "$dir/newbase.cfg"
    mkdir -p "$dir/out"
    local args=()
    for a in "$@"; do args+=("${a//@OUT@/out}"); done
    if [ $side = ref ]; then
      (cd "$dir" && env "${envs[@]}" sh "$SCRIPT" "${args[@]}") > "$WORK/$side.stdout" 2> "$WORK/$side.stderr"
    else
      (cd "$dir" && env "${envs[@]}" "$KMETA" merge-config "${args[@]}") > "$WORK/$side.stdout" 2> "$WORK/$side.stderr"
    fi
    echo $? > "$WORK/$side.rc"
    cat "$dir/out/.config" "$dir/.config" > "$WORK/$side.config" 2>/dev/null
  done
  local bad=""
  cmp -s "$WORK/ref.rc" "$WORK/kmeta.rc" || bad+=" exit($(cat "$WORK/ref.rc") vs $(cat "$WORK/kmeta.rc"))"
  cmp -s "$WORK/ref.config" "$WORK/kmeta.config" || bad+=" .config"
  cmp -s <(norm "$WORK/ref.stdout") <(norm "$WORK/kmeta.stdout") || bad+=" stdout"
  cmp -s <(norm "$WORK/ref.stderr") <(norm "$WORK/kmeta.stderr") || bad+=" stderr"
  if [ -z "$bad" ]; then
    pass=$((pass + 1)); echo "ok: $name"
  else
    fail=$((fail + 1)); echo "FAIL: $name:$bad"
    for s in stdout stderr; do diff <(norm "$WORK/ref.$s") <(norm "$WORK/kmeta.$s") | head -n 10; done
    diff "$WORK/ref.config" "$WORK/kmeta.config" | head -n 10
  fi
}

# --- edge cases of each option (x86_64, host gcc) ---
F=$WORK/frags; mkdir -p "$F"
printf 'CONFIG_MODULES=y\nCONFIG_NET=y\nCONFIG_INET=y\nCONFIG_IKCONFIG=y\nCONFIG_IKCONFIG_PROC=y\n# CONFIG_SWAP is not set\n' > "$F/base.cfg"
printf 'CONFIG_NET=y\nCONFIG_PROC_FS=y\nCONFIG_IKCONFIG=m\nCONFIG_EXT4_FS=m\n' > "$F/b.cfg"
printf 'CONFIG_EXT4_FS=y\nCONFIG_SWAP=y\nCONFIG_NO_SUCH_SYMBOL=y\nCONFIG_IKCONFIG=m # keep\n' > "$F/c.cfg"
printf 'CONFIG_NET=y' > "$F/nonl.cfg"
printf 'CONFIG_EXT4_FS=m\nCONFIG_IKCONFIG_PROC=m\n' > "$F/demote.cfg"
X86=(ARCH=x86_64)
run "-m (merge only)" "${X86[@]}" -- -m "$F/base.cfg" "$F/b.cfg" "$F/c.cfg"
run "-m -O dir/ (trailing slash)" "${X86[@]}" -- -m -O @OUT@/ "$F/base.cfg" "$F/b.cfg" "$F/nonl.cfg" "$F/c.cfg"
run "alldefconfig -O" "${X86[@]}" -- -O @OUT@ "$F/base.cfg" "$F/b.cfg" "$F/c.cfg"
run "-n allnoconfig -O" "${X86[@]}" -- -n -O @OUT@ "$F/base.cfg" "$F/c.cfg"
run "-r redundant" "${X86[@]}" -- -m -r "$F/base.cfg" "$F/b.cfg" "$F/b.cfg"
run "-y builtin over modules" "${X86[@]}" -- -y -O @OUT@ "$F/base.cfg" "$F/b.cfg" "$F/demote.cfg"
run "-y -m, m then y" "${X86[@]}" -- -y -m "$F/demote.cfg" "$F/base.cfg" "$F/c.cfg"
run "-s strict, a redefinition" "${X86[@]}" -- -s -O @OUT@ "$F/base.cfg" "$F/b.cfg"
run "-s strict, none" "${X86[@]}" -- -s -m "$F/base.cfg" "$F/nonl.cfg"
run "-Q quiet" "${X86[@]}" -- -Q -m -r "$F/base.cfg" "$F/b.cfg" "$F/c.cfg"
run "-h" -- -h
run "no argument" --
run "-O missing directory" -- -O "$WORK/none" "$F/base.cfg"
run "missing fragment" "${X86[@]}" -- -m "$F/base.cfg" "$F/absent.cfg" "$F/b.cfg"
cp "$F/base.cfg" "$F/keep.cfg"
run "missing base (created)" "${X86[@]}" -- -m newbase.cfg "$F/b.cfg"

# --- the 6.12 golden queues ---
GOLDEN=$SHARED/golden/config
for g in "$GOLDEN"/linux-6.12--*/; do
  [ -f "$g/spec" ] || continue
  unset KVER KCACHE_BRANCH MACHINE KTYPE ARCH CROSS FEATURES MODE
  # shellcheck disable=SC1091
  . "$g/spec"
  cache=$SHARED/data/yocto-kernel-cache/$KCACHE_BRANCH
  q=$WORK/q-$(basename "$g"); mkdir -p "$q"
  files=() i=0 ok=1
  while read -r name _; do
    [ -n "$name" ] || continue
    rest=${name#configs/} found=""
    while [ "$rest" != "${rest#*/}" ]; do
      rest=${rest#*/}
      [ -f "$cache/$rest" ] && { found=$cache/$rest; break; }
    done
    [ -n "$found" ] || { ok=0; break; }
    i=$((i + 1))
    mkdir -p "$q/$i"; cp "$found" "$q/$i/$(basename "$found")"
    files+=("$q/$i/$(basename "$found")")
  done < "$g/reference/config.queue"
  [ $ok = 1 ] || { fail=$((fail + 1)); echo "FAIL: $(basename "$g"): queue not found in $cache"; continue; }
  flags=(-O @OUT@)
  [ "$MODE" = allnoconfig ] && flags=(-n -O @OUT@)
  envs=(ARCH="$ARCH")
  [ -n "$CROSS" ] && envs+=(CROSS_COMPILE="$CROSS")
  run "golden $(basename "$g") (${#files[@]} fragments)" "${envs[@]}" -- "${flags[@]}" "${files[@]}"
done

echo "merge-config: $pass identical / $((pass + fail))"
[ $fail -eq 0 ]
