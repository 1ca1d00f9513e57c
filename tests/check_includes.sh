#!/usr/bin/env bash
# scripts/check_includes.py on this repository (every include points down, the
# module table of docs/architecture.md agrees with the CMakeLists.txt), and on
# a small synthetic repository where it must find each kind of violation.
set -uo pipefail
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
CHECK=$SRC/scripts/check_includes.py
fail=0
check() {  # description, command...
  if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi
}
python3 "$CHECK" "$SRC"
check "this repository passes" test $? -eq 0

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/src/low" "$W/src/high/testing" "$W/docs"
echo 'kmeta_module(low DEPS fmt::fmt)' > "$W/src/low/CMakeLists.txt"
echo 'kmeta_module(high DEPS kmeta_low fmt::fmt)' > "$W/src/high/CMakeLists.txt"
printf '#include "low/a.h"\n' > "$W/src/high/b.h"
printf '#pragma once\n#include <vector>\n#include "high/b.h"\n' > "$W/src/low/a.h"
printf '#include "high/b.h"\n' > "$W/src/high/testing/t.h"
cat > "$W/docs/architecture.md" <<'MD'
| module | what | may use | note |
| --- | --- | --- | --- |
| `low` | low things | — | x |
| `high` | high things | low | x |
MD
python3 "$CHECK" "$W" > "$W/out" 2>&1
check "the synthetic repository fails on its planted upward include" test $? -eq 1
check "the upward include is reported at its line" grep -q "^src/low/a.h:3: error: module 'low' includes \"high/...\"" "$W/out"
check "a downward include is not" bash -c "! grep -q '^src/high/b.h' '$W/out'"
sed -i 's|^#include "high/b.h"$||' "$W/src/low/a.h"
python3 "$CHECK" "$W" > "$W/out" 2>&1
check "without it the synthetic repository passes" test $? -eq 0
sed -i 's/| `high` | high things | low | x |/| `high` | high things | — | x |/' "$W/docs/architecture.md"
python3 "$CHECK" "$W" > "$W/out" 2>&1
check "a module table that disagrees with CMakeLists.txt fails" test $? -eq 1
check "... naming the table line" grep -q "^docs/architecture.md:4: error: 'high' may use nothing here but its CMakeLists.txt declares low" "$W/out"
[ $fail -eq 0 ] && echo "check_includes: all checks passed"
exit $fail
