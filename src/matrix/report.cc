#include "matrix/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "config/findings.h"

namespace kmeta::matrix {

using nlohmann::json;

namespace {

json toolchain_json(const Toolchain& t) {
  return {{"cross_compile", t.cross_compile},
          {"compiler", t.wanted.empty() ? std::string("gcc (host)")
                       : t.found        ? t.wanted
                                        : std::string("gcc (host)")},
          {"wanted", t.wanted},
          {"found", t.found},
          {"note", t.note}};
}

const json& empty_array() {
  static const json a = json::array();
  return a;
}

}  // namespace

json to_json(const MatrixRequest& req, const MatrixResult& res) {
  json j;
  j["format"] = "kmeta-matrix-1";
  j["kernel"] = req.kernel;
  j["caches"] = req.caches;
  j["features"] = req.features;
  j["levels"] = {{"audit_level", req.levels.audit_level}, {"bsp_audit_level", req.levels.bsp_audit_level}};
  j["entry_points"] = res.all_entry_points.size();
  j["seconds"] = res.seconds;
  json kernels = json::array();
  for (const KernelRow& k : res.kernels)
    kernels.push_back({{"arch", k.toolchain.arch},
                       {"toolchain", toolchain_json(k.toolchain)},
                       {"cc_version_text", k.cc_version_text},
                       {"ok", k.ok},
                       {"error", k.error},
                       {"model", k.model_reused ? "reused" : "parsed"},
                       {"probes", {{"hits", k.probe_hits}, {"misses", k.probe_misses}}},
                       {"seconds", k.seconds},
                       {"bsps", k.bsps}});
  std::sort(kernels.begin(), kernels.end(), [](const json& a, const json& b) {
    return std::make_pair(a["arch"].get<std::string>(), a["toolchain"]["cross_compile"].get<std::string>()) <
           std::make_pair(b["arch"].get<std::string>(), b["toolchain"]["cross_compile"].get<std::string>());
  });
  j["kernels"] = std::move(kernels);
  json bsps = json::array();
  for (const BspRow& r : res.rows) {
    json b;
    b["id"] = r.entry.id();
    b["machine"] = r.entry.machine;
    b["ktype"] = r.entry.ktype;
    b["definition"] = r.entry.definition;
    b["karch"] = r.entry.karch;
    b["arch"] = r.arch;
    b["toolchain"] = toolchain_json(r.toolchain);
    b["mode"] = r.mode;
    b["dir"] = r.dir;
    b["status"] = r.ok ? "ok" : r.empty ? "empty" : "error";
    b["error"] = r.error;
    b["diagnostics"] = r.diags;
    b["fragments"] = r.fragments;
    b["requested"] = r.requested;
    b["matched"] = r.matched;
    b["findings"] = r.findings;
    b["shown"] = r.shown;
    b["fragment_findings"] = r.fragment_findings;
    b["redefinitions"] = r.redefinitions;
    json counts = json::object();
    for (const auto& [kind, by] : r.counts) {
      json c = json::object();
      size_t total = 0;
      for (const auto& [hw, n] : by) {
        c[hw] = n;
        total += n;
      }
      c["total"] = total;
      counts[kind] = c;
    }
    b["counts"] = counts;
    b["unknown_symbols"] = r.unknown_symbols;
    b["seconds"] = r.seconds;
    b["score"] = r.score();
    b["finding_list"] = r.findings_json.is_null() ? json::array() : r.findings_json;
    if (r.has_baseline_config)
      b["config_changes"] = {{"removed", r.config_removed}, {"added", r.config_added}};
    bsps.push_back(std::move(b));
  }
  j["bsps"] = std::move(bsps);
  return j;
}

std::string finding_key(const json& f) {
  return fmt::format("{} {}={}", f.value("kind", ""), f.value("symbol", ""), f.value("requested", ""));
}

bool apply_baseline(const json& prev, const std::string& name, json& cur, Diagnostics* diags) {
  if (!prev.is_object() || prev.value("format", "") != "kmeta-matrix-1" || !prev.contains("bsps")) {
    diags->error(Location{FileName(name)}, "not a kmeta matrix.json (no \"format\": \"kmeta-matrix-1\")");
    return false;
  }
  std::map<std::string, const json*> before;
  for (const json& b : prev["bsps"]) before[b.value("id", "")] = &b;
  std::set<std::string> seen;
  size_t new_total = 0, resolved_total = 0, changed_configs = 0;
  json added_bsps = json::array();
  for (json& b : cur["bsps"]) {
    std::string id = b.value("id", "");
    seen.insert(id);
    auto it = before.find(id);
    json d;
    d["present"] = it != before.end();
    std::set<std::string> old_keys, new_keys;
    if (it != before.end())
      for (const json& f : it->second->value("finding_list", empty_array()))
        if (f.value("shown", false)) old_keys.insert(finding_key(f));
    json nf = json::array(), rf = json::array();
    for (json& f : b["finding_list"]) {
      if (!f.value("shown", false)) continue;
      std::string k = finding_key(f);
      new_keys.insert(k);
      bool is_new = it != before.end() && !old_keys.count(k);
      f["new"] = is_new;
      if (is_new) nf.push_back(k);
    }
    if (it != before.end())
      for (const json& f : it->second->value("finding_list", empty_array()))
        if (f.value("shown", false) && !new_keys.count(finding_key(f))) rf.push_back(finding_key(f));
    if (it == before.end())
      added_bsps.push_back(id);
    else if (it->second->value("status", "") != b.value("status", ""))
      d["status_before"] = it->second->value("status", "");
    new_total += nf.size();
    resolved_total += rf.size();
    d["new_findings"] = nf;
    d["resolved_findings"] = rf;
    if (b.contains("config_changes") &&
        (!b["config_changes"]["removed"].empty() || !b["config_changes"]["added"].empty()))
      ++changed_configs;
    b["baseline"] = d;
  }
  json removed = json::array();
  for (const auto& [id, _] : before)
    if (!seen.count(id)) removed.push_back(id);
  cur["baseline"] = {{"bsps_added", added_bsps},
                     {"bsps_removed", removed},
                     {"new_findings", new_total},
                     {"resolved_findings", resolved_total},
                     {"changed_configs", changed_configs}};
  return true;
}

bool fails(const json& cur, const std::string& fail_on) {
  for (const json& b : cur["bsps"]) {
    std::string st = b.value("status", "");
    if (st == "empty") continue;  // nothing to configure
    if (st != "ok") return true;
    if (fail_on == "any-findings" && b.value("shown", 0) > 0) return true;
    if (fail_on == "new-findings" && b.contains("baseline")) {
      const json& d = b["baseline"];
      if (!d["new_findings"].empty()) return true;
      if (!d.value("present", true) && b.value("shown", 0) > 0)
        return true;  // a new BSP: all its findings are new
    }
  }
  return false;
}

std::string render_summary(const json& cur, bool colour) {
  std::vector<const json*> rows;
  for (const json& b : cur["bsps"]) rows.push_back(&b);
  std::stable_sort(rows.begin(), rows.end(), [](const json* a, const json* b) {
    return a->value("score", 0.0) > b->value("score", 0.0);
  });
  bool base = cur.contains("baseline");
  std::string out;
  size_t errors = 0, shown = 0;
  for (const json* b : rows) {
    errors += b->value("status", "") == "error";
    shown += b->value("shown", 0);
  }
  out += fmt::format(
      "kmeta matrix: {} BSPs (of {} entry points), {} toolchains, {} shown findings, {} failed, {:.1f} s\n",
      rows.size(), cur.value("entry_points", 0), cur["kernels"].size(), shown, errors,
      cur.value("seconds", 0.0));
  std::string head = fmt::format("{:<34} {:<10} {:<12} {:>5} {:>8} {:>7}", "BSP (worst first)", "arch",
                                 "mode", "shown", "findings", "unknown");
  if (base) head += fmt::format(" {:>4} {:>8} {:>7}", "new", "resolved", ".config");
  out += head + fmt::format(" {:>6}  {}\n", "time", "compiler");
  const char* red = colour ? "\033[31m" : "";
  const char* yellow = colour ? "\033[33m" : "";
  const char* reset = colour ? "\033[0m" : "";
  for (const json* b : rows) {
    const json& tc = (*b)["toolchain"];
    std::string cc = tc.value("compiler", "");
    if (!tc.value("found", true)) cc += " (missing " + tc.value("wanted", "") + ")";
    if (b->value("status", "") == "empty") {
      out += fmt::format("{:<34} {:<10} no configuration fragment (the definition queues none)\n",
                         b->value("id", ""), b->value("arch", ""));
      continue;
    }
    if (b->value("status", "") != "ok") {
      std::string err = b->value("error", "");
      err = err.substr(0, err.find('\n'));
      out += fmt::format("{}{:<34} {:<10} error: {}{}\n", red, b->value("id", ""), b->value("arch", ""), err,
                         reset);
      continue;
    }
    size_t sh = b->value("shown", 0);
    std::string line =
        fmt::format("{:<34} {:<10} {:<12} {:>5} {:>8} {:>7}", b->value("id", ""), b->value("arch", ""),
                    b->value("mode", ""), sh, b->value("findings", 0), (*b)["unknown_symbols"].size());
    if (base) {
      const json& d = b->contains("baseline") ? (*b)["baseline"] : json::object();
      std::string cfg = "-";
      if (b->contains("config_changes"))
        cfg = fmt::format("-{}+{}", (*b)["config_changes"]["removed"].size(),
                          (*b)["config_changes"]["added"].size());
      size_t nnew = d.contains("new_findings") ? d["new_findings"].size() : 0;
      size_t nres = d.contains("resolved_findings") ? d["resolved_findings"].size() : 0;
      line += fmt::format(" {:>4} {:>8} {:>7}",
                          d.value("present", true) ? std::to_string(nnew) : std::string("new"), nres, cfg);
    }
    line += fmt::format(" {:>5.2f}s  {}", b->value("seconds", 0.0), cc);
    const char* c = sh > 0 ? yellow : "";
    out += fmt::format("{}{}{}\n", c, line, sh > 0 ? reset : "");
  }
  if (base) {
    const json& s = cur["baseline"];
    out += fmt::format(
        "since the baseline: {} new findings, {} resolved, {} BSPs with .config changes, {} BSPs added, {} "
        "removed\n",
        s.value("new_findings", 0), s.value("resolved_findings", 0), s.value("changed_configs", 0),
        s["bsps_added"].size(), s["bsps_removed"].size());
  }
  return out;
}

}  // namespace kmeta::matrix
