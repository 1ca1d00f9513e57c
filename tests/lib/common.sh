# Sourced by the shell tests (not a test itself): where everything is.
#   SRC     this repository (KMETA_SRC overrides)
#   KMETA   the kmeta binary, made absolute (tests cd into scratch directories)
#   SHARED  the shared test data beside the repository (KMETA_SHARED overrides)
#   KERNELS scripts/kernels.sh's kernel trees (KMETA_KERNELS overrides)
# skip_without_tree DIR ends the test as skipped (exit 77) when DIR is no
# kernel tree.
SRC=${KMETA_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KMETA=${KMETA:?KMETA must name the kmeta binary}
KMETA=$(cd "$(dirname "$KMETA")" && pwd)/$(basename "$KMETA")
SHARED=${KMETA_SHARED:-$(cd "$SRC/../shared" 2>/dev/null && pwd)}
KERNELS=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}

skip_without_tree() {
  [ -f "$1/Makefile" ] || { echo "SKIP: no kernel tree at $1 (scripts/kernels.sh provisions it)"; exit 77; }
}
