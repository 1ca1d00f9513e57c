#!/usr/bin/env bash
# Inputs that are not regular files, and hostile caches, through the CLI
# (issue 9 items 2, 3, 11, 12): a FIFO, a link to /dev/zero, a directory, a
# symlink loop, /dev/stdin and a 20 GB sparse file given as a .scc, a fragment,
# a Kconfig file or a .config each end at once (no hang: every run has a
# timeout) with a non-zero exit and the real reason, not "does not exist" and
# not bad_alloc; the same oddities in the probe and model caches are misses
# with a warning, and the .config stays what it was.
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
case $KMETA in /*) ;; *) KMETA=$PWD/$KMETA ;; esac
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
W=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-inputs.XXXXXX")
trap 'rm -rf "$W"' EXIT
export KMETA_PROBE_CACHE=$W/probes
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAILED: $1"; sed 's/^/    /' "$W/err" | head -8; fail=1; }

# run DESC EXPECTED_RC PATTERN cmd...: exit status and a stderr line.
run() {
  local desc=$1 want=$2 pat=$3
  shift 3
  timeout 60 "$@" > "$W/out" 2> "$W/err" < /dev/null
  local rc=$?
  if [ $rc -ge 124 ]; then bad "$desc: exit $rc (hung or crashed)"; return; fi
  if [ $rc -ne "$want" ]; then bad "$desc: exit $rc, want $want"; return; fi
  if [ -n "$pat" ] && ! grep -qF -- "$pat" "$W/err"; then bad "$desc: no '$pat' on stderr"; return; fi
  if [ -n "${PAT2:-}" ] && ! grep -qF -- "$PAT2" "$W/err"; then bad "$desc: no '$PAT2' on stderr"; return; fi
  ok "$desc"
}

# The odd files, made once: F=FIFO, Z=/dev/zero link, D=directory, L=loop,
# H=20 GB sparse.
odd() {  # dir name-stem suffix
  mkfifo "$1/fifo$2"
  ln -s /dev/zero "$1/zero$2"
  mkdir "$1/dir$2"
  ln -s "loop-b$2" "$1/loop$2"
  ln -s "loop$2" "$1/loop-b$2"
  truncate -s 20G "$1/huge$2"
}

# --- .scc inputs and includes (kmeta scc) --------------------------------
mkdir -p "$W/s" && cd "$W/s" || exit 1
odd . .scc
for k in fifo:"is not a regular file (a FIFO)" zero:"is not a regular file (a character device)" \
         dir:"is a directory" loop:"is a symlink loop" huge:"is too large: 21474836480 bytes"; do
  run "scc input ${k%%:*}.scc: ${k#*:}" 1 "input file \"${k%%:*}.scc\" ${k#*:}" "$KMETA" scc "${k%%:*}.scc"
  printf 'include %s.scc\n' "${k%%:*}" > "inc-${k%%:*}.scc"
  PAT2="ERROR: could not read file ${k%%:*}.scc, included from " \
    run "scc include of ${k%%:*}.scc: ${k#*:}" 1 "${k#*:}" "$KMETA" scc "inc-${k%%:*}.scc"
done
echo | timeout 60 "$KMETA" scc /dev/stdin > "$W/out" 2> "$W/err"
rc=$?
if [ $rc -eq 1 ] && grep -qF 'input file "/dev/stdin" is not a regular file (a FIFO)' "$W/err"; then
  ok "scc /dev/stdin (a pipe): says so"
else bad "scc /dev/stdin: exit $rc"; fi
printf 'kconf non-hardware fifo.cfg\n' > kfifo.scc && mkfifo fifo.cfg
run "scc kconf of a FIFO fragment: says so (-v)" 1 "fragment 'fifo.cfg' not found (is not a regular file (a FIFO))" \
  "$KMETA" scc -v kfifo.scc
run "a missing .scc is still 'does not exist'" 1 'input file "nope.scc" does not exist' "$KMETA" scc nope.scc

# --- fragments (kmeta config on the bundled example) ----------------------
cp -r "$SRC/examples/kernel-cache" "$W/kc"
mkdir -p "$W/kc/features/odd"
odd "$W/kc/features/odd" .cfg
cfg=(config --cache "$W/kc" --machine demo-board --type standard --kernel "$SRC/examples/linux" --arch x86 -q)
for k in fifo:"is not a regular file (a FIFO)" zero:"is not a regular file (a character device)" \
         dir:"is a directory" loop:"is a symlink loop"; do
  printf 'kconf non-hardware %s.cfg\n' "${k%%:*}" > "$W/kc/features/odd/${k%%:*}.scc"
  run "config fragment ${k%%:*}.cfg: ${k#*:}" 1 "fragment '${k%%:*}.cfg' not found (${k#*:})" \
    "$KMETA" "${cfg[@]}" --feature "features/odd/${k%%:*}.scc" -o "$W/o-${k%%:*}"
done
printf 'kconf non-hardware huge.cfg\n' > "$W/kc/features/odd/huge.scc"
PAT2="is too large: 21474836480 bytes" run "config fragment huge.cfg (20 GB): located 'too large'" 1 \
  "features/odd/huge.scc:1: error: cannot read fragment " "$KMETA" "${cfg[@]}" --feature features/odd/huge.scc -o "$W/o-huge"

# A good run: the .config the cache tests below must keep.
run "config on the example" 0 "" "$KMETA" "${cfg[@]}" --feature features/virtio/virtio.scc -o "$W/good"
cp "$W/good/.config" "$W/good.config"

# --- .config inputs (kmeta audit --dotconfig) ------------------------------
mkdir -p "$W/c" && odd "$W/c" .config
for k in fifo:"not a regular file (a FIFO)" zero:"not a regular file (a character device)" \
         dir:"Is a directory" loop:"Too many levels of symbolic links" huge:"too large: 21474836480 bytes"; do
  run "audit --dotconfig ${k%%:*}: ${k#*:}" 1 "cannot read $W/c/${k%%:*}.config: ${k#*:}" \
    "$KMETA" audit -C "$W/good" --dotconfig "$W/c/${k%%:*}.config" -q
done

# --- Kconfig files (kmeta conf) --------------------------------------------
mkdir -p "$W/k" && cd "$W/k" || exit 1
odd . .kconfig
for k in fifo:"not a regular file (a FIFO)" zero:"not a regular file (a character device)" \
         huge:"too large: 21474836480 bytes"; do
  printf 'config A\n\tbool "a"\nsource "%s.kconfig"\n' "${k%%:*}" > "K-${k%%:*}"
  run "Kconfig source of ${k%%:*}: ${k#*:}" 1 "K-${k%%:*}:3: error: cannot read \"${k%%:*}.kconfig\": ${k#*:}" \
    "$KMETA" conf --olddefconfig "K-${k%%:*}"
  run "Kconfig top file ${k%%:*}: ${k#*:}" 1 "${k%%:*}.kconfig: error: cannot read: ${k#*:}" \
    "$KMETA" conf --olddefconfig "${k%%:*}.kconfig"
done
printf 'config A\n\tbool "a"\n\tdefault y\n' > K
mkfifo fifo.config
run "conf with a FIFO as .config: not read, no hang" 0 "" env KCONFIG_CONFIG=fifo.config "$KMETA" conf --olddefconfig K

# --- the caches: oddities are misses with a warning, .config unchanged ---------
cd "$W" || exit 1
poison() {  # every probe entry -> $1 (fifo|zero), every model -> the other
  local e
  while IFS= read -r e; do
    rm -f "$e"
    if [ "$1" = fifo ]; then mkfifo "$e"; else ln -s /dev/zero "$e"; fi
  done < <(find "$KMETA_PROBE_CACHE" -path "$KMETA_PROBE_CACHE/models" -prune -o -type f -print)
  while IFS= read -r e; do
    rm -f "$e"
    if [ "$1" = fifo ]; then ln -s /dev/zero "$e"; else mkfifo "$e"; fi
  done < <(find "$KMETA_PROBE_CACHE/models" -name '*.model')
}
nprobes=$(find "$KMETA_PROBE_CACHE" -path "$KMETA_PROBE_CACHE/models" -prune -o -type f -print | wc -l)
nmodels=$(find "$KMETA_PROBE_CACHE/models" -name '*.model' | wc -l)
if [ "$nprobes" -gt 0 ] && [ "$nmodels" -gt 0 ]; then ok "the example recorded $nprobes probes and $nmodels model"
else echo "FAILED: nothing cached ($nprobes probes, $nmodels models)"; fail=1; fi
for p in fifo zero; do
  poison $p
  run "caches poisoned ($p): still runs" 0 "kmeta: warning: ignoring probe cache entry" \
    "$KMETA" "${cfg[@]}" --feature features/virtio/virtio.scc -o "$W/good"
  grep -qF "kmeta: warning: ignoring model cache entry" "$W/err" && ok "caches poisoned ($p): the model is refused, with a warning" \
    || bad "caches poisoned ($p): no model warning"
  cmp -s "$W/good/.config" "$W/good.config" && ok "caches poisoned ($p): same .config" || bad "caches poisoned ($p): .config changed"
done
# ...and the entries were replaced: the next run is clean.
run "after the repair: no warning" 0 "" "$KMETA" "${cfg[@]}" --feature features/virtio/virtio.scc -o "$W/good"
grep -q warning "$W/err" && bad "after the repair: still warns"
# A flipped bit in a probe answer: a miss, re-probed, same .config.
e=$(grep -rl --include='*' -e '^y$' "$KMETA_PROBE_CACHE" --exclude-dir=models | head -1)
if [ -n "$e" ]; then
  sed -i 's/^y$/x/' "$e"
  run "a flipped probe answer is caught" 0 "is damaged (checksum mismatch): probing again" \
    "$KMETA" "${cfg[@]}" --feature features/virtio/virtio.scc -o "$W/good"
  cmp -s "$W/good/.config" "$W/good.config" && ok "a flipped probe answer: same .config" || bad "flipped probe: .config changed"
else
  echo "FAILED: no probe answered 'y' in the example"; fail=1
fi
# A cache directory others can write: not used, said so, same .config.
chmod 0777 "$KMETA_PROBE_CACHE"
run "a world-writable cache is ignored" 0 "kmeta: warning: ignoring the probe cache $KMETA_PROBE_CACHE: $KMETA_PROBE_CACHE is writable by group or others" \
  "$KMETA" "${cfg[@]}" --feature features/virtio/virtio.scc -o "$W/good"
cmp -s "$W/good/.config" "$W/good.config" && ok "a world-writable cache: same .config" || bad "world-writable cache: .config changed"
chmod 0700 "$KMETA_PROBE_CACHE"
if [ "$(id -u)" -eq 0 ]; then
  chown -R 65534:65534 "$KMETA_PROBE_CACHE"
  run "another user's cache is ignored" 0 "is owned by uid 65534, not by the current user" \
    "$KMETA" "${cfg[@]}" --feature features/virtio/virtio.scc -o "$W/good"
  chown -R 0:0 "$KMETA_PROBE_CACHE"
fi
exit $fail
