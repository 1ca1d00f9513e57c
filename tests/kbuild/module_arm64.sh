#!/usr/bin/env bash
# Against the kernel kbuild.real_arm64 left (fixture kbuild_arm64): an
# external module (make M=DIR) builds into an aarch64 .ko; the same module
# with a deliberate error yields the compiler's located error (file:line:col)
# and the failing target, the sources being a scratch copy (never the tree).
source "$(dirname "$0")/common.sh"
B=${KMETA_KBUILD_OUT:?}/build
[ -f "$B/build.json" ] || fail "no kmeta-built arm64 kernel in $B (kbuild.real_arm64 sets it up)"
mkdir -p "$T/mod"
printf 'obj-m += hello.o\n' >"$T/mod/Kbuild"
cat >"$T/mod/hello.c" <<'C'
#include <linux/module.h>
static int __init hello_init(void) { return 0; }
module_init(hello_init);
MODULE_LICENSE("GPL");
C
"$KMETA" build -C "$B" -M "$T/mod" --progress plain
[ "$(elf_machine "$T/mod/hello.ko")" = 183 ] || fail "hello.ko is not EM_AARCH64"
echo "ok: external module hello.ko (EM_AARCH64)"

cat >"$T/mod/hello.c" <<'C'
#include <linux/module.h>
static int __init hello_init(void)
{
	return undeclared_thing;
}
module_init(hello_init);
MODULE_LICENSE("GPL");
C
rc=0
"$KMETA" build -C "$B" -M "$T/mod" --progress plain 2>"$T/err" || rc=$?
cat "$T/err"
[ $rc = 1 ] || fail "a broken module exited $rc"
grep -q "^$T/mod/hello.c:4:[0-9]*: error: .*undeclared_thing.* undeclared" "$T/err" || fail "no located compiler error"
grep -q "^failing target: $T/mod/hello.o" "$T/err" || fail "no failing target"
grep -q "^last [0-9]* lines of $T/mod/kmeta-build.log" "$T/err" || fail "no log tail"
echo PASS
