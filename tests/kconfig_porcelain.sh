#!/usr/bin/env bash
# `kmeta kconfig` on a miniature kernel tree (no real kernel needed): the
# derived environment reaches Kconfig, probes run once and then come from the
# cache, replay executes nothing, the modes write what conf would, and the
# stored parse is reused only while the tree is unchanged.
#
# Environment: KMETA (kmeta binary).
set -u
if [ -z "${KMETA:-}" ] || [ ! -x "$KMETA" ]; then
    echo "kmeta binary not found (KMETA=${KMETA:-unset})" >&2
    exit 1
fi
t=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-porcelain.XXXXXX")
trap 'rm -rf "$t"' EXIT
fails=0 passes=0
check() {  # description, command...
    local d=$1; shift
    if "$@"; then passes=$((passes + 1)); else echo "FAIL: $d"; fails=$((fails + 1)); fi
}

# The tree: a top Makefile with the facts kernel_env reads, one arch, and a
# Kconfig that reads the environment and runs a probe that counts its runs.
k=$t/linux
mkdir -p "$k/arch/x86/configs" "$k/scripts/kconfig" "$t/bin"
cat > "$k/Makefile" <<'EOF'
VERSION = 6
PATCHLEVEL = 12
SUBLEVEL = 7
EXTRAVERSION = -test
unexport LC_ALL
ifeq ($(ARCH),x86_64)
        SRCARCH := x86
endif
export ARCH SRCARCH CROSS_COMPILE LD CC
export VERSION PATCHLEVEL SUBLEVEL KERNELRELEASE KERNELVERSION
export building_out_of_srctree srctree objtree VPATH
export KBUILD_DEFCONFIG KBUILD_KCONFIG CC_VERSION_TEXT
EOF
printf 'export KCONFIG_DEFCONFIG_LIST :=\nunexport CONFIG_\n' > "$k/scripts/kconfig/Makefile"
printf 'KBUILD_DEFCONFIG := $(ARCH)_defconfig\n' > "$k/arch/x86/Makefile"
cat > "$k/Kconfig" <<'EOF'
mainmenu "Linux/$(ARCH) $(KERNELVERSION) Kernel Configuration"

source "arch/$(SRCARCH)/Kconfig"

config CC_VERSION_TEXT
	string
	default "$(CC_VERSION_TEXT)"

config PROBED
	def_bool $(shell,probe-counter)

config FEATURE
	bool "feature"
	depends on PROBED

config OTHER
	tristate "other"
	default y
	help
	  The other option.
EOF
printf 'config X86_THING\n\tbool "x86 thing"\n\tdefault y\n\nconfig MODULES\n\tbool "modules"\n\tmodules\n' > "$k/arch/x86/Kconfig"
printf 'CONFIG_FEATURE=y\n# CONFIG_X86_THING is not set\n' > "$k/arch/x86/configs/x86_64_defconfig"
# A fake compiler (CC_VERSION_TEXT) and a probe that logs every run.
printf '#!/bin/sh\necho "fakegcc (kmeta test) 1.0"\n' > "$t/bin/gcc"
printf '#!/bin/sh\necho run >> %s/probe.log\necho y\n' "$t" > "$t/bin/probe-counter"
chmod +x "$t/bin/gcc" "$t/bin/probe-counter"
export PATH="$t/bin:$PATH"

run() { "$KMETA" kconfig --kernel "$k" --arch x86_64 -O "$t/out" --probe-cache "$t/probes" "$@"; }

# 1. env: what make would export, derived from the miniature tree.
envsh=$(run env)
check "env has KERNELVERSION" grep -qx "export KERNELVERSION='6.12.7-test'" <<< "$envsh"
check "env has SRCARCH" grep -qx "export SRCARCH='x86'" <<< "$envsh"
check "env has CC_VERSION_TEXT from the fake gcc" grep -qx "export CC_VERSION_TEXT='fakegcc (kmeta test) 1.0'" <<< "$envsh"
check "env has KBUILD_DEFCONFIG" grep -qx "export KBUILD_DEFCONFIG='x86_64_defconfig'" <<< "$envsh"
check "env unsets LC_ALL" grep -qx "unset LC_ALL" <<< "$envsh"

# 2. defconfig (the arch default): the probe runs once, the env reaches Kconfig.
rm -f "$t/probe.log"
run -s --probe-stats defconfig 2> "$t/err1"
check "defconfig exit 0" test $? -eq 0 || cat "$t/err1"
check ".config header has the mainmenu with ARCH and KERNELVERSION" \
    grep -qx '# Linux/x86_64 6.12.7-test Kernel Configuration' "$t/out/.config"
check "CC_VERSION_TEXT reached Kconfig" grep -qx 'CONFIG_CC_VERSION_TEXT="fakegcc (kmeta test) 1.0"' "$t/out/.config"
check "the probe made FEATURE visible" grep -qx 'CONFIG_FEATURE=y' "$t/out/.config"
check "the defconfig's n is kept" grep -qx '# CONFIG_X86_THING is not set' "$t/out/.config"
check "the probe ran once" test "$(wc -l < "$t/probe.log")" -eq 1

# 3. A second run answers every probe from the cache.
run -s --probe-stats olddefconfig 2> "$t/err2"
check "warm run spawns nothing" grep -q ' 0 misses, 0 stored, 0 spawned' "$t/err2"
check "the probe still ran only once" test "$(wc -l < "$t/probe.log")" -eq 1

# 4. Replay: recorded probes work; a changed probe tool is a miss that names the command.
run -s --replay olddefconfig 2> "$t/err3"
check "replay with recorded probes" test $? -eq 0
printf '#!/bin/sh\n# upgraded\necho n\n' > "$t/bin/gcc.new" && chmod +x "$t/bin/gcc.new" && mv "$t/bin/gcc.new" "$t/bin/gcc"
run -s --replay olddefconfig 2> "$t/err4"
rc=$?
check "replay after a compiler change fails" test $rc -ne 0
check "the error names the missing probe" grep -q 'probe cache miss in replay mode: \$(shell,LC_ALL=C gcc --version' "$t/err4"

# 5. all*config and savedefconfig, and show.
run -s allnoconfig && check "allnoconfig: FEATURE n" grep -qx '# CONFIG_FEATURE is not set' "$t/out/.config"
run -s allyesconfig && check "allyesconfig: OTHER y" grep -qx 'CONFIG_OTHER=y' "$t/out/.config"
run -s allmodconfig && check "allmodconfig: OTHER m" grep -qx 'CONFIG_OTHER=m' "$t/out/.config"
run -s savedefconfig="$t/saved" && check "savedefconfig written" grep -qx 'CONFIG_OTHER=m' "$t/saved"
show=$(run show OTHER)
check "show prints the definition with file:line" grep -qx "Kconfig:16:" <<< "$show"
check "show prints the value" grep -qx 'value: CONFIG_OTHER=m' <<< "$show"
run show NO_SUCH_SYMBOL 2> "$t/err5"
check "show of an unknown symbol fails" test $? -ne 0

# 6. The stored parse: reused across runs and build directories, byte-identical
# to a fresh parse, and parsed again once a Kconfig file changes.
run -s --probe-stats olddefconfig 2> "$t/err6"
run -s --probe-stats olddefconfig 2> "$t/err7"
check "second run reuses the stored parse" grep -q '^kmeta kconfig: model: reused' "$t/err7"
mkdir -p "$t/fresh" && cp "$t/out/.config" "$t/fresh/.config"
"$KMETA" kconfig --kernel "$k" --arch x86_64 -O "$t/fresh" --probe-cache "$t/probes" --no-model-cache \
    -s --probe-stats olddefconfig 2> "$t/err8"
check "--no-model-cache parses (no model line)" test "$(grep -c 'model:' "$t/err8")" -eq 0
check "the reused parse writes the same .config as a fresh one" cmp -s "$t/out/.config" "$t/fresh/.config"
# Help text stays in the stored file until asked for: show reads it from there.
run show OTHER > "$t/show-stored" 2>/dev/null
"$KMETA" kconfig --kernel "$k" --arch x86_64 -O "$t/out" --probe-cache "$t/probes" --no-model-cache \
    show OTHER > "$t/show-parsed" 2>/dev/null
check "show from the stored parse prints the help text" grep -qx $'\t  The other option.' "$t/show-stored"
check "show from the stored parse equals show from a parse" cmp -s "$t/show-stored" "$t/show-parsed"
printf '\nconfig ADDED_LATER\n\tbool "added"\n\tdefault y\n' >> "$k/arch/x86/Kconfig"
run -s --probe-stats olddefconfig 2> "$t/err9"
check "an edited Kconfig file is parsed again, and named" grep -q 'model: parsed (.*arch/x86/Kconfig changed), stored' "$t/err9"
check "the edit took effect" grep -qx 'CONFIG_ADDED_LATER=y' "$t/out/.config"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
