#!/usr/bin/env bash
# The bundled example (examples/README.md), end to end through the CLI: the
# .config equals what the kernel's own merge_config.sh + conf wrote for the same
# fragments (examples/expected/), every planted finding is reported with its
# kind (and fix), the equivalent values are not, `kmeta why` and `kmeta audit
# -C` re-run the recorded configuration, and the exit statuses follow the levels.
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# This run's own probe and model cache, never the user's ~/.cache/kmeta.
export KMETA_PROBE_CACHE=$WORK/probes
cd "$SRC" || exit 1
fail=0
check() {  # description, command...
  if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi
}

args=(config --cache examples/kernel-cache --machine demo-board --type standard
      --kernel examples/linux --arch x86 --feature features/virtio/virtio.scc
      --audit-level 2 --bsp-audit-level 1 -o "$WORK/demo")
"$KMETA" "${args[@]}" > "$WORK/audit.txt" 2> "$WORK/stderr"
check "kmeta config exits 0 without --werror" test $? -eq 0
check ".config is what merge_config.sh + conf write" cmp -s "$WORK/demo/.config" examples/expected/demo-board-standard.config
check "the Yocto audit files are written" test -s "$WORK/demo/.kernel-meta/cfg/mismatch.txt" -a \
  -s "$WORK/demo/.kernel-meta/cfg/invalid.txt" -a -s "$WORK/demo/.kernel-meta/cfg/redefinition.txt"

"$KMETA" "${args[@]}" --json > "$WORK/audit.json" 2>/dev/null
python3 - "$WORK/audit.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
found = {f["symbol"]: f for f in j["findings"]}
want = {
    "CONFIG_VIRTIO_NET": ("unmet-dependency", ["CONFIG_VIRTIO_PCI=y"]),
    "CONFIG_VIRTIO_BALLOON": ("unmet-dependency", ["CONFIG_VIRTIO_PCI=y"]),
    "CONFIG_DRM_BOCHS": ("unmet-dependency", ["CONFIG_DRM=m"]),
    "CONFIG_SERIAL_AMBA_PL011": ("unmet-dependency", None),
    "CONFIG_CRC32": ("select-override", None),
    "CONFIG_HZ_1000": ("choice-loser", None),
    "CONFIG_CRC7": ("promptless", ["CONFIG_MMC=y", "CONFIG_MMC_SPI=y"]),
    "CONFIG_NR_CPUS": ("range-clamp", None),
    "CONFIG_EXT4_FS_POSIX_ACLS": ("unknown-symbol", None),
    "CONFIG_SERIAL_CONSOLE_8250": ("unknown-symbol", None),
    "CONFIG_LOG_BUF_SHIFT": ("bad-value", None),
    "CONFIG_CMDLINE": ("bad-value", None),
}
bad = []
for sym, (kind, fix) in want.items():
    f = found.get(sym)
    if f is None or f["kind"] != kind:
        bad.append("%s: want %s, got %s" % (sym, kind, f and f["kind"]))
    elif fix is not None and (f["fix"]["status"] != "verified" or f["fix"]["lines"] != fix):
        bad.append("%s: want fix %s, got %s" % (sym, fix, f["fix"]))
if "arch/arm64/Kconfig" not in found.get("CONFIG_SERIAL_AMBA_PL011", {}).get("fix", {}).get("reason", ""):
    bad.append("PL011: the no-fix reason should name arch/arm64/Kconfig")
if found.get("CONFIG_EXT4_FS_POSIX_ACLS", {}).get("suggestion") != "did you mean CONFIG_EXT4_FS_POSIX_ACL?":
    bad.append("EXT4_FS_POSIX_ACLS: no did-you-mean")
if "renamed to CONFIG_SERIAL_8250_CONSOLE" not in found.get("CONFIG_SERIAL_CONSOLE_8250", {}).get("suggestion", ""):
    bad.append("SERIAL_CONSOLE_8250: no rename guess")
for sym in ["CONFIG_EXPERT", "CONFIG_LOCALVERSION_AUTO", "CONFIG_KALLSYMS_ALL", "CONFIG_MODULE_UNLOAD"]:
    if sym in found:
        bad.append("%s is only a textual difference but was reported" % sym)
extra = sorted(set(found) - set(want))
if extra:
    bad.append("unexpected findings: " + " ".join(extra))
kinds = sorted(f["kind"] for f in j["fragment_findings"])
if kinds != ["duplicate", "space-around-equals", "unset-malformed"]:
    bad.append("fragment problems: %s" % kinds)
print("\n".join(bad) if bad else "findings as planted")
sys.exit(1 if bad else 0)
PY
check "the planted findings, and nothing else" test $? -eq 0

"$KMETA" why -C "$WORK/demo" CONFIG_VIRTIO_NET > "$WORK/why.txt"
check "kmeta why explains from the recorded run" grep -q "CONFIG_VIRTIO_PCI=y" "$WORK/why.txt"
"$KMETA" audit -C "$WORK/demo" -q > /dev/null
check "kmeta audit exits 1 when findings are shown" test $? -eq 1
"$KMETA" audit -C "$WORK/demo" --audit-level 0 --bsp-audit-level 0 -q > /dev/null
check "kmeta audit exits 0 when the levels show nothing" test $? -eq 0
"$KMETA" "${args[@]}" --werror -q > /dev/null 2>&1
check "--werror fails kmeta config when findings are shown" test $? -eq 1
exit $fail
