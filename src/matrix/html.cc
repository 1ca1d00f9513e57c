// matrix.html: one static file, the matrix.json embedded, no network. The
// table is built by the page's script from that JSON, so what it shows is
// what matrix.json says (tests/matrix_html.sh checks it in headless chromium).
#include <nlohmann/json.hpp>
#include <string>

#include "base/json_bytes.h"
#include "matrix/report.h"

namespace kmeta::matrix {

namespace {

const char* const kPage = R"HTML(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>kmeta matrix</title>
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:1em;color:#222}
h1{font-size:18px;margin:0 0 .3em}
#meta{color:#555;margin-bottom:.8em}
table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:right;white-space:nowrap}
th{background:#eee;cursor:pointer;position:sticky;top:0}
th.sorted-asc::after{content:" \25B2"}th.sorted-desc::after{content:" \25BC"}
td.id{text-align:left;font-family:monospace}
tr.bsp{cursor:pointer}tr.bsp:hover td{outline:1px solid #888}
tr.sel td{background:#def!important}
.s0{background:#fff}.s1{background:#fff4c2}.s2{background:#ffd98a}.s3{background:#ffb070}.s4{background:#ff7b6b;color:#fff}
.err{background:#b00020;color:#fff}
.new{background:#ffe0f0;border-left:4px solid #d0006f}
.gone{color:#267a26;text-decoration:line-through}
.delta{color:#d0006f;font-weight:bold}
#detail{margin-top:1em;border-top:2px solid #888;padding-top:.5em}
.finding{margin:.4em 0;padding:.3em .5em;border:1px solid #ddd}
.finding .msg{font-weight:bold}
.cause{margin-left:1.2em;color:#444}
.fix{font-family:monospace;background:#f4fff4;margin-left:1.2em}
.nofix{color:#777;margin-left:1.2em}
code,pre{font-family:monospace}
pre{background:#f7f7f7;padding:.3em}
</style></head><body>
<h1>kmeta matrix</h1>
<div id="meta"></div>
<table id="matrix"><thead><tr id="head"></tr></thead><tbody id="rows"></tbody></table>
<div id="detail">Click a BSP to see its findings, why, and the fixes.</div>
<script id="data" type="application/json">@DATA@</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const KINDS = [["lost-in-merge",50],["unknown-symbol",20],["bad-value",20],["unmet-dependency",10],["promptless",2],
  ["select-override",5],["choice-loser",5],["range-clamp",5],["unexplained",100]];
const hasBase = "baseline" in D;
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const k in (attrs || {})) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = String(text);
  return e;
}
function shownOf(b, kind) {
  let n = 0;
  for (const f of b.finding_list) if (f.shown && f.kind === kind) n++;
  return n;
}
function sev(n, w) {
  const s = n * w;
  return s === 0 ? 0 : s < 20 ? 1 : s < 100 ? 2 : s < 300 ? 3 : 4;
}
const cols = [
  {h: "BSP", v: b => b.id, cls: () => "id"},
  {h: "arch", v: b => b.arch},
  {h: "mode", v: b => b.mode},
  {h: "compiler", v: b => b.toolchain.found ? b.toolchain.compiler : "missing " + b.toolchain.wanted,
   cls: b => b.toolchain.found ? "" : "s2"},
  {h: "shown", v: b => b.status === "ok" ? b.shown : -1, cls: b => b.status === "ok" ? "s" + sev(b.shown, 3) : "err",
   t: b => b.status === "ok" ? b.shown : "error"},
];
for (const [k, w] of KINDS)
  cols.push({h: k, kind: k, v: b => shownOf(b, k), cls: b => "s" + sev(shownOf(b, k), w),
             t: b => { const n = shownOf(b, k), all = (b.counts[k] || {}).total || 0;
                       return all > n ? n + " (" + all + ")" : n; }});
cols.push({h: "unknown", v: b => b.unknown_symbols.length, cls: b => "s" + sev(b.unknown_symbols.length, 20)});
if (hasBase) {
  cols.push({h: "new", v: b => b.baseline ? b.baseline.new_findings.length : 0,
             cls: b => b.baseline && b.baseline.new_findings.length ? "new" : ""});
  cols.push({h: "resolved", v: b => b.baseline ? b.baseline.resolved_findings.length : 0});
  cols.push({h: ".config \u0394", v: b => b.config_changes ? b.config_changes.removed.length + b.config_changes.added.length : 0,
             cls: b => b.config_changes && (b.config_changes.removed.length + b.config_changes.added.length) ? "delta" : ""});
}
cols.push({h: "time (s)", v: b => b.seconds, t: b => b.seconds.toFixed(2)});
let sortCol = -1, sortDir = -1, selected = null;
function render() {
  const rows = D.bsps.slice();
  if (sortCol < 0) rows.sort((a, b) => b.score - a.score);
  else rows.sort((a, b) => { const x = cols[sortCol].v(a), y = cols[sortCol].v(b);
                             return (x < y ? -1 : x > y ? 1 : 0) * sortDir; });
  const tb = document.getElementById("rows");
  tb.textContent = "";
  for (const b of rows) {
    const tr = el("tr", {"class": "bsp" + (selected === b.id ? " sel" : ""), "data-id": b.id});
    for (const c of cols) {
      const td = el("td", {}, c.t ? c.t(b) : c.v(b));
      const k = c.cls ? c.cls(b) : "";
      if (k) td.className = k;
      if (c.kind) td.setAttribute("data-kind", c.kind);
      tr.appendChild(td);
    }
    tr.addEventListener("click", () => { selected = b.id; render(); show(b); });
    tb.appendChild(tr);
  }
}
function head() {
  const tr = document.getElementById("head");
  tr.textContent = "";
  cols.forEach((c, i) => {
    const th = el("th", {}, c.h);
    if (i === sortCol) th.className = sortDir > 0 ? "sorted-asc" : "sorted-desc";
    th.addEventListener("click", () => { sortDir = sortCol === i ? -sortDir : (i === 0 ? 1 : -1); sortCol = i; head(); render(); });
    tr.appendChild(th);
  });
}
function loc(a) { return a && a.file ? a.file + ":" + a.line : ""; }
function show(b) {
  const d = document.getElementById("detail");
  d.textContent = "";
  d.appendChild(el("h2", {}, b.id + " (" + b.arch + ", " + b.mode + ")"));
  d.appendChild(el("div", {}, "definition: " + b.definition));
  d.appendChild(el("div", {}, "compiler: " + (b.toolchain.found ? b.toolchain.compiler : "missing " + b.toolchain.wanted)));
  if (b.toolchain.note) d.appendChild(el("div", {"class": "s2"}, b.toolchain.note));
  if (b.status !== "ok") { d.appendChild(el("pre", {"class": "err"}, b.error)); return; }
  d.appendChild(el("div", {}, b.requested + " requested values, " + b.matched + " as requested, " + b.findings +
                   " findings (" + b.shown + " shown), " + b.fragments.length + " fragments"));
  if (b.baseline) {
    const bl = b.baseline;
    if (bl.resolved_findings.length) {
      d.appendChild(el("h3", {}, "resolved since the baseline"));
      for (const k of bl.resolved_findings) d.appendChild(el("div", {"class": "gone"}, k));
    }
  }
  if (b.config_changes && (b.config_changes.removed.length || b.config_changes.added.length)) {
    d.appendChild(el("h3", {}, ".config lines changed since the baseline"));
    const pre = el("pre", {"class": "delta"});
    pre.textContent = b.config_changes.removed.map(l => "- " + l).concat(b.config_changes.added.map(l => "+ " + l)).join("\n");
    d.appendChild(pre);
  }
  d.appendChild(el("h3", {}, "findings"));
  for (const f of b.finding_list) {
    if (!f.shown) continue;
    const box = el("div", {"class": "finding" + (f.new ? " new" : ""), "data-key": f.kind + " " + f.symbol});
    box.appendChild(el("div", {"class": "msg"}, (f.new ? "NEW " : "") + f.kind + ": " + f.symbol + " requested " +
                       f.requested + ", got " + f.actual));
    box.appendChild(el("div", {}, f.message + (f.at ? "  [" + loc(f.at) + "]" : "")));
    for (const c of f.causes || [])
      box.appendChild(el("div", {"class": "cause"}, "\u2514 " + (c.symbol ? c.symbol + "=" + c.value + ": " : "") +
                         c.reason + (c.at && c.at.file ? "  [" + loc(c.at) + "]" : "")));
    if (f.fix && f.fix.status === "verified")
      box.appendChild(el("div", {"class": "fix"}, "fix (verified) in " + f.fix.fragment + ": " + f.fix.lines.join("  ")));
    else if (f.fix && f.fix.reason) box.appendChild(el("div", {"class": "nofix"}, "no fix: " + f.fix.reason));
    if (f.suggestion) box.appendChild(el("div", {"class": "nofix"}, f.suggestion));
    d.appendChild(box);
  }
}
document.getElementById("meta").textContent = D.bsps.length + " BSPs of " + D.entry_points + " entry points; kernel " +
  D.kernel + "; " + D.kernels.length + " toolchains" + (hasBase ? "; baseline: " + D.baseline.new_findings +
  " new, " + D.baseline.resolved_findings + " resolved findings" : "");
// Deep links: #open=<bsp id>&sort=<column>&dir=asc|desc
const params = new URLSearchParams(location.hash.slice(1));
if (params.get("sort")) {
  const i = cols.findIndex(c => c.h === params.get("sort"));
  if (i >= 0) { sortCol = i; sortDir = params.get("dir") === "asc" ? 1 : -1; }
}
head();
render();
if (params.get("open")) {
  const b = D.bsps.find(x => x.id === params.get("open"));
  if (b) { selected = b.id; render(); show(b); }
}
</script></body></html>
)HTML";

}  // namespace

std::string render_html(const nlohmann::json& cur) {
  std::string data = json_dump(cur);
  std::string safe;
  safe.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '<' && i + 1 < data.size() && data[i + 1] == '/') {
      safe += "<\\/";
      ++i;
    } else {
      safe += data[i];
    }
  }
  std::string page = kPage;
  size_t at = page.find("@DATA@");
  page.replace(at, 6, safe);
  return page;
}

}  // namespace kmeta::matrix
