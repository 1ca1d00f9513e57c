#!/usr/bin/env bash
# The native x86_64 path and a distributed compile in one: a distccd started
# here on 127.0.0.1 (not "localhost", which distcc compiles in-process), with
# DISTCC_FALLBACK=0 so a job that cannot reach it fails instead of quietly
# compiling locally; `kmeta build --distcc --no-ccache --target mm/` on the
# fixtures' x86_64 config (tinyconfig + boot.fragment). The daemon's log must
# show the mm/ compiles. The build is interrupted once and resumed.
source "$(dirname "$0")/common.sh"
CFG=$SHARED/fixtures/kernels/x86_64/config
[ -f "$CFG" ] || { echo "SKIP: $CFG missing"; exit 77; }
[ "$(uname -m)" = x86_64 ] || { echo "SKIP: not an x86_64 host"; exit 77; }
DISTCCD=$(command -v distccd || echo /usr/bin/distccd)
[ -x "$DISTCCD" ] || fail "distccd missing (scripts/setup.sh installs distcc)"

chmod 755 "$T"
LOG=$T/distccd.log
: >"$LOG"
chmod 666 "$LOG"
PORT=$(( 20000 + RANDOM % 20000 ))
"$DISTCCD" --daemon --no-detach --listen 127.0.0.1 --port "$PORT" --allow 127.0.0.1 --jobs 2 \
  --log-file "$LOG" --log-level info &
dpid=$!
trap 'kill $dpid 2>/dev/null || true; wait $dpid 2>/dev/null || true; rm -rf "$T"' EXIT
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
  sleep 0.1
done
export DISTCC_HOSTS="127.0.0.1:$PORT/2" DISTCC_FALLBACK=0 DISTCC_DIR=$T/distcc-client DISTCC_VERBOSE=0
mkdir -p "$DISTCC_DIR"

B=$T/b
run() { "$KMETA" build --kernel "$SRC" --arch x86_64 --config "$CFG" -o "$B" --target mm/ --distcc --no-ccache \
  --progress plain "$@"; }

# Interrupt once after a few compiles, then resume.
setsid bash -c "$(declare -f run); KMETA='$KMETA' SRC='$SRC' CFG='$CFG' B='$B' run" >"$T/int.out" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  n=$(grep -c '^  CC' "$B/kmeta-build.log" 2>/dev/null) || true
  [ "${n:-0}" -ge 10 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.5
done
kill -INT -- -$pid 2>/dev/null || true
rc=0; wait $pid || rc=$?
cat "$T/int.out"
[ $rc = 130 ] || fail "interrupted build exited $rc, not 130"
grep -q 'interrupted; run `kmeta build' "$T/int.out" || fail "no interruption message"

run 2>"$T/err" || { cat "$T/err"; fail "kmeta build --distcc failed"; }
cat "$T/err"
grep -q 'resuming the interrupted build' "$T/err" || fail "the rerun did not say it resumes"
grep -q '"launcher": "distcc"' "$B/build.json" || fail "build.json does not record distcc"
[ "$(elf_machine "$B/mm/filemap.o")" = 62 ] || fail "mm/filemap.o is not EM_X86_64"
mm=$(grep -c '^  CC      mm/' "$B/kmeta-build.log")
remote=$(grep -c 'COMPILE_OK' "$LOG" || true)
remote_mm=$(grep COMPILE_OK "$LOG" | grep -cF "$SRC/mm/" || true)
echo "distccd compiled $remote jobs ($remote_mm of them mm/); kmeta's resumed run compiled $mm mm/ objects"
[ "$mm" -gt 10 ] || fail "too few mm/ compiles ($mm)"
# Every mm/ object of the resumed run went through the daemon (assembler-only
# and link jobs may run locally).
[ "$remote_mm" -ge $(( mm * 9 / 10 )) ] || { tail -20 "$LOG"; fail "only $remote_mm of $mm mm/ compiles reached distccd"; }
echo PASS
