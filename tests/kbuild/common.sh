# Shared by the kbuild test runners: the 6.12 tree, a private temp dir.
set -euo pipefail
: "${KMETA:?KMETA must name the kmeta binary}"
SHARED=${KMETA_SHARED:-$(dirname "$0")/../../../shared}
SRC=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}/linux-6.12
if [ ! -f "$SRC/.kmeta-unpacked" ]; then
  echo "SKIP: no Linux 6.12 tree at $SRC (scripts/kernels.sh provisions it)"
  exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-kbuild.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# e_machine of an ELF file (little-endian), as a decimal number.
elf_machine() { od -An -tu2 -j18 -N2 "$1" | tr -d ' '; }
