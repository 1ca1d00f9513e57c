#!/usr/bin/env bash
# Issue #9 part A, end to end through the CLI on the bundled example:
#  1. non-UTF-8 bytes (a Latin-1 value, a binary fragment, a Latin-1 file
#     name) go through `kmeta config`, every JSON output, `kmeta audit -C`
#     and `kmeta why -C` without loss (docs/base.md, "Byte strings in JSON");
#  4. symlinks planted at the outputs are replaced, never followed;
#  5. the build directory protocol (docs/config.md): a run killed at every
#     rename/link/unlink it makes (strace fault injection) leaves the old run
#     or the new one complete, or readers refuse the directory; concurrent
#     runs into one directory serialize; temporaries of killed runs go;
#  7. empty path options are usage errors; .config.old is kept as conf does;
# 13. `kmeta kconfig`/`kmeta conf`: .config exists at every kill point;
# 15. out-of-range levels are usage errors; ENOSPC and a read-only directory
#     are reported with the path.
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
command -v strace >/dev/null || { echo "FAILED: strace is missing (scripts/setup.sh installs it)"; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$SRC" || exit 1
fail=0
check() {  # description, command...
  if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi
}

base=(config --cache examples/kernel-cache --machine demo-board --type standard --kernel examples/linux --arch x86
      --feature features/virtio/virtio.scc --audit-level 2 --bsp-audit-level 1
      --probe-cache "$WORK/probes" --no-model-cache -q)

# --- 1. bytes ----------------------------------------------------------------
latin=$'frag-caf\xe9.cfg'
printf 'CONFIG_LOCALVERSION="-caf\xe9"\nCONFIG_EXPERT\xe9=y\n' > "$WORK/$latin"
python3 -c '
import random, sys
r = random.Random(9)
sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(4096)) + b"\nCONFIG_LOCALVERSION=\"-caf\xe9\"\n")
' > "$WORK/binary.cfg"
B1=$WORK/bytes
"$KMETA" "${base[@]}" --fragment "$WORK/binary.cfg" --fragment "$WORK/$latin" -o "$B1" --json > "$WORK/config.json" 2> "$WORK/config.err"
rc=$?
check "kmeta config with Latin-1 and binary fragments exits 0 (rc=$rc)" test $rc -eq 0
check ".config carries the Latin-1 byte" grep -q $'^CONFIG_LOCALVERSION="-caf\xe9"$' "$B1/.config"
python3 - "$WORK/config.json" "$B1/.kernel-meta/kmeta-audit.json" "$B1/.kernel-meta/kmeta-config.json" "$WORK/$latin" <<'PY' || fail=1
import json, sys
def dec(s):  # docs/base.md: U+EF80..U+EFFF -> byte 0x80..0xFF, the rest UTF-8
    out = bytearray()
    for ch in s:
        o = ord(ch)
        out += bytes([o - 0xEF00]) if 0xEF80 <= o <= 0xEFFF else ch.encode()
    return bytes(out)
def strings(j):
    if isinstance(j, str): yield j
    elif isinstance(j, list):
        for e in j: yield from strings(e)
    elif isinstance(j, dict):
        for k, v in j.items(): yield k; yield from strings(v)
ok = True
for path in sys.argv[1:3]:
    j = json.load(open(path, encoding="utf-8"))  # strict UTF-8 JSON
    found = [dec(s) for s in strings(j) if b"CONFIG_EXPERT\xe9" in dec(s)]
    if not found:
        print("FAILED: %s does not carry CONFIG_EXPERT\\xe9 losslessly" % path); ok = False
    else:
        print("ok: %s carries the byte (%r)" % (path, found[0][:40]))
rec = json.load(open(sys.argv[3], encoding="utf-8"))
frags = [dec(f) for f in rec["fragments"]]
if sys.argv[4].encode("utf-8", "surrogateescape") in frags:
    print("ok: the record holds the Latin-1 fragment path byte for byte")
else:
    print("FAILED: record fragments %r" % frags); ok = False
sys.exit(0 if ok else 1)
PY
# -C replays the probe answers from the cache the run used (its record names
# it), not from the default cache: an empty default proves it.
export KMETA_PROBE_CACHE=$WORK/empty-default-probes
"$KMETA" why -C "$B1" CONFIG_LOCALVERSION > "$WORK/why.txt" 2> "$WORK/why.err"
rc=$?
check "kmeta why -C reads the record back (the Latin-1 path) (rc=$rc)" test $rc -eq 0 || sed 's/^/    /' "$WORK/why.err"
check "kmeta why shows the Latin-1 value and its fragment" grep -q $'caf\xe9' "$WORK/why.txt"
"$KMETA" why -C "$B1" --json CONFIG_LOCALVERSION > "$WORK/why.json" 2>/dev/null
check "kmeta why --json is valid UTF-8 JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1],encoding="utf-8"))' "$WORK/why.json"
"$KMETA" audit -C "$B1" --json > "$WORK/audit.json" 2> "$WORK/audit.err"
rc=$?
check "kmeta audit -C --json exits 0/1, not a crash (rc=$rc)" test $rc -le 1
check "kmeta audit --json is valid UTF-8 JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1],encoding="utf-8"))' "$WORK/audit.json"

unset KMETA_PROBE_CACHE

# --- 7. empty paths, .config.old ----------------------------------------------
mkdir -p "$WORK/cwd"
echo "hand made" > "$WORK/cwd/.config"
(cd "$WORK/cwd" && "$KMETA" "${base[@]/#examples/$SRC/examples}" -o "" >/dev/null 2>"$WORK/empty.err")
rc=$?
check "-o \"\" is a usage error (rc=$rc)" test $rc -eq 2
check "... naming the empty value" grep -q "empty value" "$WORK/empty.err"
check "... and ./.config is untouched" grep -qx "hand made" "$WORK/cwd/.config"
"$KMETA" "${base[@]}" --kernel "" -o "$WORK/x" >/dev/null 2>&1
check "--kernel \"\" is a usage error" test $? -eq 2
"$KMETA" why -C "" CONFIG_X >/dev/null 2>&1
check "why -C \"\" is a usage error" test $? -eq 2
"$KMETA" symbol-why --dotconfig "" --invalid >/dev/null 2>&1
check "symbol-why --dotconfig \"\" is a usage error" test $? -eq 2
# kernel-yocto.bbclass passes its extra_params as one argument, empty unless --strict.
"$KMETA" symbol-why --dotconfig "$B1/.config" --invalid "" -s "$SRC/examples/linux" >/dev/null 2>"$WORK/sw.err"
check "symbol-why --invalid \"\" (the bbclass's empty extra_params) is accepted" \
  bash -c '! grep -q "empty value" "$1"' _ "$WORK/sw.err"
"$KMETA" "${base[@]}" --audit-level 99 -o "$WORK/x" >/dev/null 2>"$WORK/lvl.err"
check "--audit-level 99 is a usage error" test $? -eq 2
check "... naming the range" grep -q "not in range 0 to 2" "$WORK/lvl.err"
"$KMETA" "${base[@]}" --bsp-audit-level -5 -o "$WORK/x" >/dev/null 2>&1
check "--bsp-audit-level -5 is a usage error" test $? -eq 2
KCONF_AUDIT_LEVEL=7 "$KMETA" config --cache examples/kernel-cache --machine demo-board --kernel examples/linux --arch x86 \
  -o "$WORK/x" >/dev/null 2>"$WORK/lvl.err"
check "KCONF_AUDIT_LEVEL=7 is a usage error" test $? -eq 2
check "... naming the variable" grep -q "KCONF_AUDIT_LEVEL=7" "$WORK/lvl.err"

# --- 4. planted symlinks --------------------------------------------------------
P=$WORK/planted
mkdir -p "$P/.kernel-meta/cfg"
echo precious > "$WORK/victim"
for f in .config .config.old .kernel-meta/kmeta-config.json .kernel-meta/kmeta-audit.json .kernel-meta/config.queue \
         .kernel-meta/cfg/mismatch.txt .kernel-meta/cfg/merge_config_build.log .kernel-meta/kmeta-incomplete; do
  ln -s "$WORK/victim" "$P/$f"
done
"$KMETA" "${base[@]}" -o "$P" >/dev/null 2>&1
check "a run into a directory of planted symlinks succeeds" test $? -eq 0
check "... the symlinks' target is untouched" grep -qx precious "$WORK/victim"
check "... and .config is a regular file, not the symlink" test -f "$P/.config" -a ! -L "$P/.config"
check "... and so is kmeta-audit.json" test ! -L "$P/.kernel-meta/kmeta-audit.json"

# --- 5. kill at every write point -----------------------------------------------
printf 'CONFIG_LOCALVERSION="-a"\n' > "$WORK/a.cfg"
printf 'CONFIG_LOCALVERSION="-b"\nCONFIG_EXPERT=y\n' > "$WORK/b.cfg"
A=("${base[@]}" --fragment "$WORK/a.cfg")
Bargs=("${base[@]}" --fragment "$WORK/b.cfg")
"$KMETA" "${A[@]}" -o "$WORK/refA" >/dev/null 2>&1
"$KMETA" "${Bargs[@]}" -o "$WORK/refB" >/dev/null 2>&1
# The files that make up a run (the lock, .config.old and temporaries aside).
snapshot() {
  (cd "$1" && find . -type f ! -name kmeta.lock ! -name .config.old ! -name '*.kmeta-tmp.*' ! -name kmeta-incomplete \
     | LC_ALL=C sort | while read -r f; do printf '%s ' "$f"; md5sum < "$f"; done)
}
snapshot "$WORK/refA" > "$WORK/snapA"
snapshot "$WORK/refB" > "$WORK/snapB"
check "the two reference runs differ" test "$(cat "$WORK/snapA")" != "$(cat "$WORK/snapB")"
# State after a run into D: "A", "B", "incomplete" (and the readers refuse it), or "MIX".
state() {
  local D=$1 s
  s=$(snapshot "$D")
  if [ -e "$D/.kernel-meta/kmeta-incomplete" ]; then
    "$KMETA" why -C "$D" CONFIG_LOCALVERSION >/dev/null 2>"$WORK/r.err"
    local r1=$?
    "$KMETA" audit -C "$D" -q >/dev/null 2>>"$WORK/r.err"
    local r2=$?
    if [ $r1 -eq 1 ] && [ $r2 -eq 1 ] && [ "$(grep -c 'holds no complete' "$WORK/r.err")" -eq 2 ]; then
      echo incomplete
    else
      echo "MIX(readers accepted an incomplete dir)"
    fi
  elif [ "$s" = "$(cat "$WORK/snapA")" ]; then echo A
  elif [ "$s" = "$(cat "$WORK/snapB")" ]; then echo B
  else echo MIX; fi
}
declare -A seen=()
for sc in rename link unlink; do
  for n in $(seq 1 40); do
    D=$WORK/kill
    rm -rf "$D"
    "$KMETA" "${A[@]}" -o "$D" >/dev/null 2>&1
    { ( strace -f -o /dev/null -e inject=$sc:signal=KILL:when=$n "$KMETA" "${Bargs[@]}" -o "$D" >/dev/null 2>&1 ); } 2>/dev/null
    rc=$?
    st=$(state "$D")
    seen[$st]=$(( ${seen[$st]:-0} + 1 ))
    case $st in MIX*) echo "FAILED: killed at $sc #$n: $st"; fail=1 ;; esac
    if [ $rc -eq 0 ]; then
      check "$sc: a run not killed (past its last $sc, #$n) is complete" test "$st" = B
      break
    fi
    # The next run cleans up after the killed one and completes.
    "$KMETA" "${Bargs[@]}" -o "$D" >/dev/null 2>&1
    if [ "$(state "$D")" != B ] || [ -n "$(find "$D" -name '*.kmeta-tmp.*')" ]; then
      echo "FAILED: after the kill at $sc #$n, the next run is not complete and clean"; fail=1
    fi
  done
done
echo "kill points: ${!seen[*]} -> ${seen[*]}"
check "killed runs leave the old run (A) at some points" test "${seen[A]:-0}" -gt 0
check "killed runs leave an incomplete directory the readers refuse at others" test "${seen[incomplete]:-0}" -gt 0

# Two concurrent runs into one directory: both succeed, one complete run remains.
D=$WORK/conc
conc_fail=0
for i in $(seq 1 8); do
  "$KMETA" "${A[@]}" -o "$D" >/dev/null 2>&1 & p1=$!
  "$KMETA" "${Bargs[@]}" -o "$D" >/dev/null 2>&1 & p2=$!
  wait $p1; r1=$?; wait $p2; r2=$?
  st=$(state "$D")
  if [ $r1 -ne 0 ] || [ $r2 -ne 0 ] || { [ "$st" != A ] && [ "$st" != B ]; }; then
    echo "concurrent round $i: rc $r1/$r2, state $st"; conc_fail=1
  fi
done
check "8 rounds of two concurrent runs: both exit 0, one complete run remains" test $conc_fail -eq 0
# A run waits for the lock another holds, and says so.
flock "$D/.kernel-meta/kmeta.lock" sleep 4 & holder=$!
sleep 0.2
"$KMETA" "${A[@]}" -o "$D" >/dev/null 2>"$WORK/wait.err"
check "a second writer waits for the lock and completes" test $? -eq 0 -a "$(state "$D")" = A
check "... saying it waits" grep -q "waiting for another kmeta run" "$WORK/wait.err"
wait $holder

# .config.old as conf keeps it: only when .config changes.
"$KMETA" "${Bargs[@]}" -o "$D" >/dev/null 2>&1
check ".config.old is the previous .config" cmp -s "$D/.config.old" "$WORK/refA/.config"
"$KMETA" "${Bargs[@]}" -o "$D" >/dev/null 2>&1
check "... and stays when the .config did not change" cmp -s "$D/.config.old" "$WORK/refA/.config"

# --- 13. kconfig/conf: .config exists at every kill point ------------------------
K=$WORK/kcfg
"$KMETA" kconfig --kernel examples/linux --arch x86 --probe-cache "$WORK/probes" -O "$K" alldefconfig >/dev/null 2>&1
cp "$K/.config" "$WORK/k.before"
echo 'CONFIG_LOCALVERSION="-k"' >> "$K/.config"
cp "$K/.config" "$WORK/k.edited"
"$KMETA" kconfig --kernel examples/linux --arch x86 --probe-cache "$WORK/probes" -O "$WORK/kref" alldefconfig >/dev/null 2>&1
cp "$WORK/k.edited" "$WORK/kref/.config"
"$KMETA" kconfig --kernel examples/linux --arch x86 --probe-cache "$WORK/probes" -O "$WORK/kref" olddefconfig >/dev/null 2>&1
check "kconfig olddefconfig rewrites the edited .config" test "$(cat "$WORK/kref/.config")" != "$(cat "$WORK/k.edited")"
for n in 1 2 3; do
  cp "$WORK/k.edited" "$K/.config"
  rm -f "$K/.config.old"
  { ( strace -f -o /dev/null -e inject=rename:signal=KILL:when=$n \
    "$KMETA" kconfig --kernel examples/linux --arch x86 --probe-cache "$WORK/probes" -O "$K" olddefconfig >/dev/null 2>&1 ); } 2>/dev/null
  check "kconfig killed at rename #$n: .config is the old or the new one" \
    bash -c 'cmp -s "$1" "$2" || cmp -s "$1" "$3"' _ "$K/.config" "$WORK/k.edited" "$WORK/kref/.config"
done
check "... and .config.old is the edited one after a complete run" cmp -s "$K/.config.old" "$WORK/k.edited"
# -- 15. ENOSPC and a read-only directory name the path ---------------------------
if unshare -rm true 2>/dev/null; then
  T=$WORK/tiny
  mkdir -p "$T"
  unshare -rm bash -c "mount -t tmpfs -o size=16k tmpfs '$T' && \"\$0\" \"\$@\"" "$KMETA" "${base[@]}" -o "$T/b" \
    >/dev/null 2>"$WORK/nospc.err"
  check "ENOSPC: kmeta config fails" test $? -eq 1
  check "... naming the file" grep -q "$T/b/.*: No space left on device" "$WORK/nospc.err"
  R=$WORK/ro
  "$KMETA" "${A[@]}" -o "$R" >/dev/null 2>&1
  unshare -rm bash -c "mount --bind '$R' '$R' && mount -o remount,bind,ro '$R' && \"\$0\" \"\$@\"" "$KMETA" \
    "${Bargs[@]}" -o "$R" >/dev/null 2>"$WORK/ro.err"
  check "read-only BUILD: kmeta config fails" test $? -eq 1
  check "... naming the path" grep -q "$R/.*: Read-only file system" "$WORK/ro.err"
  check "... and the previous run is intact" test "$(state "$R")" = A
else
  echo "FAILED: unshare -rm is not permitted here (needed for a tiny tmpfs and a read-only mount)"; fail=1
fi
exit $fail
