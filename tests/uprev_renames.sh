#!/usr/bin/env bash
# Rename detection of `kmeta uprev`, measured on the real renames between
# Linux 6.1 and 6.12. The truth is found here, from the Kconfig text alone
# (every Kconfig* file of both trees, every architecture): a symbol 6.1
# defines and 6.12 defines nowhere, whose prompt text is, in 6.12, the prompt
# of exactly one symbol 6.1 did not have. kmeta's ranking (--all-vanished,
# for ARCH=x86 and arm64) is then scored on the vanished symbols of the
# truth's kind:
#   recall    = truth renames whose best candidate is the truth's symbol;
#   precision = "probable" best candidates (score >= 40) that are right,
#               over vanished symbols with a truth answer or none;
# also without the prompt evidence (the other signals alone). Prints the
# lists (docs/uprev.md quotes them). Fails below 0.9 recall or 0.3 precision
# (the truth only knows renames that kept their prompt: many proposals it counts
# as wrong are renames whose prompt changed too, see docs/uprev.md).
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
for v in 6.1 6.12; do
  if [ ! -f "$KERNELS/linux-$v/Makefile" ]; then echo "SKIP: no kernel tree $KERNELS/linux-$v (scripts/kernels.sh)"; exit 77; fi
done
command -v aarch64-linux-gnu-gcc > /dev/null || { echo "FAIL: aarch64-linux-gnu-gcc is missing (scripts/kernels.sh)"; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-renames.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
C=$SHARED/data/yocto-kernel-cache
for a in x86:qemux86-64: arm64:qemuarm64:aarch64-linux-gnu-; do
  IFS=: read -r arch machine cross <<< "$a"
  args=(uprev --from-kernel "$KERNELS/linux-6.1" --to-kernel "$KERNELS/linux-6.12" --from-cache "$C/yocto-6.1"
        --to-cache "$C/yocto-6.12" --machine "$machine" --arch "$arch" --probe-cache "$WORK/probes" --all-vanished
        --no-rename-check --json -o "$WORK/out-$arch")
  [ -n "$cross" ] && args+=(--cross-compile "$cross")
  env PATH=/usr/sbin:/usr/bin:/sbin:/bin "$KMETA" "${args[@]}" > "$WORK/$arch.json" 2> "$WORK/$arch.err"
  [ $? -le 1 ] || { echo "FAIL: kmeta uprev ($arch)"; head -5 "$WORK/$arch.err"; exit 1; }
done
python3 - "$KERNELS/linux-6.1" "$KERNELS/linux-6.12" "$WORK/x86.json" "$WORK/arm64.json" <<'PY'
import json, os, re, sys

def scan(root):
    """symbol -> set of prompts, from every Kconfig* file (text only)."""
    syms = {}
    for d, _, files in os.walk(root):
        for f in files:
            if not f.startswith("Kconfig"):
                continue
            cur = None
            for line in open(os.path.join(d, f), errors="replace"):
                m = re.match(r"^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*$", line)
                if m:
                    cur = m.group(1)
                    syms.setdefault(cur, set())
                    continue
                if re.match(r"^\s*(choice|endchoice|menu|endmenu|if|endif|comment|source|mainmenu)\b", line):
                    cur = None
                    continue
                if cur is None:
                    continue
                m = re.match(r'^\s*(?:bool|tristate|int|hex|string|prompt|def_bool|def_tristate)\s+"((?:[^"\\]|\\.)*)"', line)
                if m:
                    syms[cur].add(" ".join(m.group(1).split()).lower())
    return syms

old, new = scan(sys.argv[1]), scan(sys.argv[2])
by_prompt = {}
for s, ps in new.items():
    if s in old:
        continue
    for p in ps:
        by_prompt.setdefault(p, set()).add(s)
truth = {}
for s, ps in old.items():
    if s in new:
        continue
    hits = set()
    for p in ps:
        hits |= by_prompt.get(p, set())
    if len(hits) == 1:
        truth[s] = hits.pop()

# kmeta's ranking per symbol (x86 first, arm64 adds the symbols only it has).
ranked = {}
for js in sys.argv[3:]:
    for v in json.load(open(js))["all_vanished"]:
        ranked.setdefault(v["symbol"][7:], v["candidates"])
gone_everywhere = {s for s in ranked if s not in new}

def best(cands, no_prompt=False):
    scored = []
    for c in cands:
        score = c["score"]
        if no_prompt:
            # The score without its prompt items; capped below 40 when no help
            # evidence is left either (as kmeta caps it).
            ev = [e for e in c["evidence"] if not e.startswith("no prompt or help")]
            score = sum(int(re.search(r"\(([+-]\d+)\)$", e).group(1)) for e in ev if "prompt" not in e.split("(")[0])
            def helpful(e):
                m = re.match(r"similar help text \((\d\.\d+)\)", e)
                return e.startswith("its help text names") or (m is not None and float(m.group(1)) >= 0.5)
            if not any(helpful(e) for e in ev) and score >= 40:
                score = 39
        scored.append((-score, c["symbol"][7:], score))
    scored.sort()
    return (scored[0][1], scored[0][2]) if scored else (None, 0)

def measure(no_prompt):
    scope = [s for s in sorted(gone_everywhere)]
    tp, proposals, found, wrong = 0, 0, [], []
    for s in scope:
        b, score = best(ranked[s], no_prompt)
        if b is not None and score >= 40:
            proposals += 1
            if truth.get(s) == b:
                tp += 1
            else:
                wrong.append((s, b, truth.get(s)))
        if s in truth and b == truth[s]:
            found.append(s)
    in_scope = [s for s in scope if s in truth]
    recall = len(found) / len(in_scope) if in_scope else 1.0
    precision = tp / proposals if proposals else 1.0
    missed = [(s, truth[s], best(ranked[s], no_prompt)[0]) for s in in_scope if s not in found]
    return recall, precision, len(in_scope), proposals, tp, missed, wrong

r, p, n, props, tp, missed, wrong = measure(False)
print("vanished from 6.12 (x86 + arm64, defined nowhere in 6.12): %d; truth renames among them: %d" % (len(gone_everywhere), n))
print("recall %.3f (%d/%d), precision %.3f (%d/%d probable proposals)" % (r, n - len(missed), n, p, tp, props))
print("truth renames (old -> new):")
for s in sorted(t for t in truth if t in gone_everywhere):
    print("  %s -> %s" % (s, truth[s]))
for s, t, b in missed:
    print("  missed: %s -> %s (kmeta's best: %s)" % (s, t, b))
for s, b, t in wrong:
    print("  proposal not in the truth: %s -> %s (truth: %s)" % (s, b, t))
r2, p2, _, props2, tp2, missed2, _ = measure(True)
print("without the prompt evidence: recall %.3f (%d/%d), precision %.3f (%d/%d)" % (r2, n - len(missed2), n, p2, tp2, props2))
sys.exit(0 if r >= 0.9 and p >= 0.3 else 1)
PY
