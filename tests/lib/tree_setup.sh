# Shared by tests/tree_reference.sh and bench/tree_vs_kgit_s2q.sh (sourced, not
# a test itself): a kernel repository made from Debian's linux-source the way
# do_kernel_checkout makes it, the patch pass with the BSP injected, and the
# reference do_patch run (kgit-s2q, git >= 2.40 semantics through the
# harness's shim), skip-and-continue to the end of the series.
#
# Needs: KMETA (binary), KMETA_SHARED, KMETA_KERNELS (default ~/.cache/kmeta/kernels).

# Set when sourced (tree_prereqs runs in a command substitution: its
# assignments would not reach the caller).
KERNELS=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
KSRC=$KERNELS/linux-6.12
TOOLS=$KMETA_SHARED/reference/yocto-kernel-tools/tools
HARNESS=$KMETA_SHARED/docs/tree/harness
CACHE=$KMETA_SHARED/data/yocto-kernel-cache/yocto-6.12

tree_prereqs() {  # prints a reason and returns 1 when something is missing
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

# --- recorded reference truth (tests/tree_reference/<ktype>/, README there) ---

# tree_series_listing S: "n sha256 entry" for every entry of the series, in
# order (entries as kgit-s2q reads them: lines starting [a-zA-Z0-9_/]).
tree_series_listing() {
  local S=$1 n=0 e
  while read -r e; do
    n=$((n + 1))
    printf '%d %s %s\n' "$n" "$(sha256sum < "$S/.kernel-meta/$e" | cut -c1-64)" "$e"
  done < <(grep '^[a-zA-Z0-9_/]' "$S/.kernel-meta/patch.queue" | awk '{print $1}')
}

# tree_inputs S KTYPE: the inputs that decide the reference's outcome, one
# "key value" a line. A recording is the truth only where these are equal.
tree_inputs() {
  local S=$1 ktype=$2
  echo "machine qemux86-64"
  echo "ktype $ktype"
  echo "kernel $(awk -F' *= *' '$1=="VERSION"{v=$2} $1=="PATCHLEVEL"{p=$2} $1=="SUBLEVEL"{s=$2} $1=="EXTRAVERSION"{e=$2}
                  END{printf "%s.%s.%s%s\n", v, p, s, e}' "$KSRC/Makefile")"
  echo "linux-source $(cat "$KSRC/.kmeta-unpacked" 2>/dev/null || dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)"
  echo "git $(git --version | awk '{print $3}')"
  echo "shim $(sha256sum < "$HARNESS/shim/git" | cut -c1-64)"
  echo "kgit-s2q $(sha256sum < "$TOOLS/kgit-s2q" | cut -c1-64)"
  echo "source-date-epoch ${SOURCE_DATE_EPOCH:-1700000000}"
  echo "baseline $(git -C "$S" rev-parse refs/research/baseline)"
  echo "series $(tree_series_listing "$S" | sha256sum | cut -c1-64)"
}

# tree_reference_record S OUT: the reference do_patch (kgit-s2q -v, SHIM=1),
# rerun after each failure to the end of the series as the harness's loop.sh
# does, writing the recording to OUT/:
#   stops     "iteration exit-status HEAD" after every do_patch run
#   outcomes  "n outcome commit entry": am | am-C1 | apply | failed, and the
#             commit the patch became (- for a failure)
#   chain     the commits on the baseline, oldest first
#   hunks     git apply -v -C1's offset / reduced-context lines for every
#             patch on the pre-state the reference chain gives it
#   series    tree_series_listing; about: when, how long, load
#   inputs    tree_inputs (written last: a recording without it is incomplete)
tree_reference_record() {
  local S=$1 out=$2 ktype=$3 iter=0 rc t0
  mkdir -p "$out"
  rm -f "$out"/*
  t0=$(date +%s)
  : > "$out/stops"
  while :; do
    iter=$((iter + 1))
    (export KMETA_REF_TOOLS=$TOOLS S KMACHINE=qemux86-64 SHIM=1
     "$HARNESS/do_patch.sh") > "$out/iter$iter.log" 2>&1
    rc=$?
    echo "$iter $rc $(git -C "$S" rev-parse HEAD)" >> "$out/stops"
    [ $rc -eq 0 ] && break
    rm -rf "$S/.git/rebase-apply"
    [ $iter -ge 40 ] && { echo "tree_reference_record: 40 runs without reaching the end" >&2; return 1; }
  done
  local wall=$(( $(date +%s) - t0 ))
  git -C "$S" rev-list --reverse refs/research/baseline..HEAD > "$out/chain"
  tree_series_listing "$S" > "$out/series"
  python3 - "$out" <<'PY' || return 1
import re, sys, glob, os
out = sys.argv[1]
series = [l.split(None, 2)[2].strip() for l in open(out + "/series")]
chain = [l.strip() for l in open(out + "/chain") if l.strip()]
outcome = {}
logs = sorted(glob.glob(out + "/iter*.log"), key=lambda p: int(re.search(r"iter(\d+)", p).group(1)))
for log in logs:
    cur = None
    for line in open(log, errors="replace"):
        m = re.match(r"^\((\d+)/(\d+)\) ", line)
        if m:
            cur = int(m.group(1)); outcome[cur] = "am"; continue
        if cur is None: continue
        if "with \"git am\" did not pass, trying reduced context" in line: outcome[cur] = "am-C1"
        elif "Context reduced git-am of" in line: outcome[cur] = "apply"
        elif line.startswith("[ERROR]: Application of"): outcome[cur] = "failed"
if sorted(outcome) != list(range(1, len(series) + 1)):
    sys.exit("tree_reference_record: the logs do not cover every patch of the series")
applied = [n for n in sorted(outcome) if outcome[n] != "failed"]
if len(applied) != len(chain):
    sys.exit("tree_reference_record: %d patches applied but %d commits" % (len(applied), len(chain)))
commit = dict(zip(applied, chain))
with open(out + "/outcomes", "w") as f:
    for n in range(1, len(series) + 1):
        f.write("%d %s %s %s\n" % (n, outcome[n], commit.get(n, "-"), series[n - 1]))
PY
  tree_git_hunks "$S" "$out/outcomes" > "$out/hunks" || return 1
  { echo "recorded $(date -u +%Y-%m-%dT%H:%MZ) on $(uname -m), reference wall ${wall} s in $iter run(s), load $(cut -d' ' -f1-3 /proc/loadavg)"; } > "$out/about"
  rm -f "$out"/iter*.log
  tree_inputs "$S" "$ktype" > "$out/inputs"
}

# tree_git_hunks S OUTCOMES: git apply -v -C1's "Hunk #" / "Context reduced"
# lines for every patch, each on the pre-state the chain gives it (a failed
# patch leaves the state as it was), as "n file: message", sorted. One scratch
# index walks the chain; the work tree is not touched.
tree_git_hunks() {
  local S=$1 outcomes=$2 tmp n kind commit entry prev
  tmp=$(mktemp -d)
  prev=$(git -C "$S" rev-parse refs/research/baseline)
  while read -r n kind commit entry; do
    GIT_INDEX_FILE=$tmp/index git -C "$S" read-tree "$prev"
    git -C "$S" mailinfo -b "$tmp/msg" "$tmp/patch" < "$S/.kernel-meta/$entry" > /dev/null
    GIT_INDEX_FILE=$tmp/index git -C "$S" apply --cached -v -C1 "$tmp/patch" 2>&1 |
      awk -v n="$n" '/^Checking patch /{f=substr($0,16); sub(/\.\.\.$/,"",f)} /^(Hunk #|Context reduced)/{print n " " f ": " $0}'
    [ "$commit" = - ] || prev=$commit
  done < "$outcomes" | LC_ALL=C sort
  rm -rf "$tmp"
}
