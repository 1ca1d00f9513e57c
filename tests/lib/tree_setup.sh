# Shared by tests/tree_reference.sh and bench/tree_vs_kgit_s2q.sh (sourced, not
# a test itself): a kernel repository made from Debian's linux-source the way
# do_kernel_checkout makes it, the patch pass with the BSP injected, and the
# reference do_patch run (kgit-s2q, git >= 2.40 semantics through the
# harness's shim), skip-and-continue to the end of the series.
#
# Needs: KMETA (binary), KMETA_SHARED, KMETA_KERNELS (default ~/.cache/kmeta/kernels).

tree_prereqs() {  # prints a reason and returns 1 when something is missing
  KERNELS=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
  KSRC=$KERNELS/linux-6.12
  TOOLS=$KMETA_SHARED/reference/yocto-kernel-tools/tools
  HARNESS=$KMETA_SHARED/docs/tree/harness
  CACHE=$KMETA_SHARED/data/yocto-kernel-cache/yocto-6.12
  [ -f "$KSRC/Makefile" ] || { echo "no kernel tree at $KSRC (scripts/kernels.sh provisions it)"; return 1; }
  [ -x "$TOOLS/kgit-s2q" ] || { echo "no reference tools at $TOOLS"; return 1; }
  [ -d "$CACHE" ] || { echo "no kernel cache at $CACHE"; return 1; }
  command -v diffstat > /dev/null || { echo "diffstat is not installed (scripts/setup.sh installs it)"; return 1; }
  return 0
}

# tree_make_base S: copy the kernel, baseline commit as do_kernel_checkout
# (tarball case) with the reproducible identity; tags refs/research/baseline.
tree_make_base() {
  local S=$1
  mkdir -p "$S"
  cp -a "$KSRC/." "$S/"
  rm -f "$S/.kmeta-unpacked"
  (
    export KMETA_REF_TOOLS=$TOOLS
    . "$HARNESS/env.sh"
    cd "$S" || exit 1
    rm -f .gitignore
    git init -q
    git config gc.auto 0   # no background gc racing the runs (ids are unaffected)
    check_git_config
    reproducible_git_committer_author
    git add .
    git commit -q -n -m "baseline commit: creating repo for linux-yocto-6.12.118"
    git clean -q -d -f
    git update-ref refs/research/baseline HEAD
  )
}

# tree_patch_pass S KTYPE: .kernel-meta/patch.queue with the BSP injected
# (KMETA_EXTERNAL_BSPS), through kmeta's drop-in spp/scc.
tree_patch_pass() {
  local S=$1 ktype=$2
  (
    export KMETA_REF_TOOLS=$TOOLS
    . "$HARNESS/env.sh"
    cd "$S" || exit 1
    kgit --meta > /dev/null
    local inc="-I$CACHE -I$S/arch/x86/configs -I$S/kernel/configs"
    local bsp
    bsp=$("$KMETA" spp $inc --find -DKMACHINE=qemux86-64 -DKTYPE="$ktype") || exit 1
    "$KMETA" scc --force -o "$S/.kernel-meta:patch" --cmds patch $inc $bsp \
      features/netfilter/netfilter.scc cfg/virtio.scc > /dev/null || exit 1
  )
}

# tree_reference_run S OUTPREFIX: the reference do_patch, rerun after each
# failure until the end (its fence post skips the failed patch). Leaves the
# chain in refs/research/reference and the failed entries in OUTPREFIX.failed.
tree_reference_run() {
  local S=$1 out=$2
  (
    export KMETA_REF_TOOLS=$TOOLS S KMACHINE=qemux86-64 SHIM=1
    "$HARNESS/loop.sh" "$out" > "$out.loop"
    cd "$S" && git update-ref refs/research/reference HEAD
  )
  grep -h '^\[ERROR\]: Application of' "$out".iter*.out | sed 's/.*Application of //; s/ failed\.$//' > "$out.failed"
}

# tree_reset S: back to the baseline, keeping .kernel-meta (harness reset.sh).
tree_reset() {
  (export S=$1; "$HARNESS/reset.sh")
  rm -rf "$1/.git/kmeta-tree"
}
