#!/usr/bin/env bash
# matrix.html in a real browser (Debian's chromium, headless, no network):
#   1. a small matrix (qemux86-64 and qemuarm64, every type) is run twice, the
#      second time with an extra feature and --baseline of the first, so the
#      report has a baseline diff;
#   2. the page loads with no console message (no error, no warning);
#   3. the table shows what matrix.json says: one row per BSP, the shown
#      count and the per-class counts of each row;
#   4. sorted by a column (#sort=...) the rows are in that column's order;
#      a BSP opened (#open=..., what a click does) lists its shown findings
#      with their why-chains, fixes and the new ones highlighted;
#   5. a screenshot is kept in the build tree (test-artifacts/matrix.png).
# Exit 77 when the kernel tree is absent. Chromium is a setup.sh package.
set -uo pipefail

source "$(dirname "$0")/lib/common.sh"
KSRC=$KERNELS/linux-6.12
KCACHE=$SHARED/data/yocto-kernel-cache/yocto-6.12
skip_without_tree "$KSRC"
CHROMIUM=$(command -v chromium || true)
[ -n "$CHROMIUM" ] || { echo "FAIL: chromium is not installed (scripts/setup.sh installs it)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-matrix-html.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ART=$(dirname "$KMETA")/test-artifacts
mkdir -p "$ART"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

common=(--cache "$KCACHE" --kernel "$KSRC" --machine qemux86-64 --machine qemuarm64 --probe-cache "$WORK/probes" -q)
"$KMETA" matrix "${common[@]}" -o "$WORK/a" > "$WORK/a.out" 2>&1 || [ $? = 1 ] || { cat "$WORK/a.out"; exit 1; }
"$KMETA" matrix "${common[@]}" --feature features/netfilter/netfilter.scc --feature features/debug/debug-kernel.scc \
  --baseline "$WORK/a/matrix.json" --fail-on new-findings -o "$WORK/b" > "$WORK/b.out" 2>&1
rc=$?
echo "second run: exit $rc: $(head -n 1 "$WORK/b.out")"
python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["bsps"]; sys.exit(0 if b and all(x["status"]=="ok" for x in b) else 1)' \
  "$WORK/b/matrix.json" || { echo "FAIL: the second run has rows that are not ok"; head -20 "$WORK/b.out"; exit 1; }
# A feature that does not exist fails every row (it is not an "empty" BSP).
"$KMETA" matrix "${common[@]}" --type standard --feature features/no/such.scc -o "$WORK/c" > "$WORK/c.out" 2>&1
rc=$?
python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["bsps"]; sys.exit(0 if b and all(x["status"]=="error" and "no/such.scc" in x.get("error","") for x in b) else 1)' \
  "$WORK/c/matrix.json" && [ $rc = 1 ] || { echo "FAIL: a missing --feature must fail each row (exit $rc)"; head -20 "$WORK/c.out"; exit 1; }
echo "ok: a missing --feature fails every row (exit 1)"

browse() {  # URL-FRAGMENT OUT: the DOM after load, console messages in OUT.log
  rm -rf "$WORK/profile"
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$WORK/profile" --enable-logging=stderr --v=0 \
    --virtual-time-budget=5000 --dump-dom "file://$WORK/b/matrix.html$1" > "$2" 2> "$2.log"
}
status=0
browse "" "$WORK/dom.html"
browse "#sort=shown&dir=desc" "$WORK/sorted.html"
# The BSP to open: the one with the most shown findings (its id in matrix.json).
OPEN=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["bsps"]; print(max(b, key=lambda x: (x.get("shown",0), x["id"]))["id"])' "$WORK/b/matrix.json")
echo "opening $OPEN"
browse "#open=$OPEN" "$WORK/open.html"
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$WORK/profile2" --hide-scrollbars \
  --window-size=1600,1000 --screenshot="$ART/matrix.png" "file://$WORK/b/matrix.html#open=$OPEN" \
  > /dev/null 2>&1
[ -s "$ART/matrix.png" ] && echo "ok: screenshot $ART/matrix.png" || { echo "FAIL: no screenshot"; status=1; }

if grep -h "CONSOLE" "$WORK"/*.html.log; then echo "FAIL: console messages (above)"; status=1; else echo "ok: no console message"; fi

OPEN=$OPEN python3 - "$WORK/b/matrix.json" "$WORK/dom.html" "$WORK/sorted.html" "$WORK/open.html" <<'PY' || status=1
import html.parser, json, os, sys
j = json.load(open(sys.argv[1]))

class Rows(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.row = None; self.cell = None; self.head = []; self.in_th = False
        self.detail = []; self.depth_detail = 0; self.classes = []
    def handle_starttag(self, tag, a):
        a = dict(a)
        if tag == "tr" and "data-id" in a: self.row = [a["data-id"]]; self.rows.append(self.row)
        elif tag == "td" and self.row is not None: self.cell = ""
        elif tag == "th": self.in_th = True; self.head.append("")
        if a.get("id") == "detail": self.depth_detail = 1
        elif self.depth_detail and tag == "div": self.classes.append(a.get("class", ""))
    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None: self.row.append(self.cell); self.cell = None
        elif tag == "tr": self.row = None
        elif tag == "th": self.in_th = False
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
        elif self.in_th: self.head[-1] += d
        if self.depth_detail: self.detail.append(d)

def parse(path):
    p = Rows(); p.feed(open(path).read()); return p

ok = True
def check(cond, what):
    global ok
    print(("ok: " if cond else "FAIL: ") + what)
    ok = ok and cond

t = parse(sys.argv[2])
by_id = {b["id"]: b for b in j["bsps"]}
check(len(t.rows) == len(j["bsps"]) and len(j["bsps"]) > 0, f"one row per BSP ({len(t.rows)} rows, {len(j['bsps'])} BSPs)")
head = t.head
kinds = ["lost-in-merge", "unknown-symbol", "bad-value", "unmet-dependency", "promptless", "select-override",
         "choice-loser", "range-clamp", "unexplained"]
bad = []
for r in t.rows:
    b = by_id.get(r[0])
    if b is None: bad.append(r[0]); continue
    cell = dict(zip(head, r[1:]))  # r[0] is the row's data-id
    if b["status"] == "ok" and cell["shown"] != str(b["shown"]): bad.append(f"{r[0]} shown {cell['shown']} != {b['shown']}")
    for k in kinds:
        shown = sum(1 for f in b["finding_list"] if f["shown"] and f["kind"] == k)
        total = b["counts"].get(k, {}).get("total", 0)
        want = str(shown) if total == shown else f"{shown} ({total})"
        if cell.get(k) != want: bad.append(f"{r[0]} {k}: {cell.get(k)} != {want}")
    if "new" in cell and cell["new"] != str(len(b["baseline"]["new_findings"])): bad.append(f"{r[0]} new")
check(not bad, "every cell matches matrix.json" + (": " + "; ".join(bad[:5]) if bad else ""))
check("new" in head and "resolved" in head, "the baseline columns are shown")

s = parse(sys.argv[3])
shown = [int(dict(zip(s.head, r[1:]))["shown"]) for r in s.rows]
check(shown == sorted(shown, reverse=True), f"#sort=shown orders the rows by shown findings, descending {shown}")

o = parse(sys.argv[4])
b = by_id[os.environ["OPEN"]]
text = "".join(o.detail)
want = [f for f in b["finding_list"] if f["shown"]]
missing = [f["symbol"] for f in want if f["symbol"] not in text]
check(not missing and len(want) > 0, f"the opened BSP lists its {len(want)} shown findings" + (f" (missing {missing[:5]})" if missing else ""))
causes = [c["reason"] for f in want for c in f.get("causes", [])]
check(all(c in text for c in causes[:20]), f"with their why-chains ({len(causes)} causes)")
fixes = [l for f in want if f["fix"]["status"] == "verified" for l in f["fix"]["lines"]]
check(all(l in text for l in fixes[:20]), f"and their verified fixes ({len(fixes)} lines)")
news = [f for f in want if f.get("new")]
check(sum(1 for c in o.classes if "finding new" in c) == len(news), f"new findings highlighted ({len(news)})")
sys.exit(0 if ok else 1)
PY
exit $status
