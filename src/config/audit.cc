#include "config/audit.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_set>

#include "base/strings.h"
#include "config/audit_internal.h"
#include "config/requests.h"

namespace kmeta::config {

namespace kc = kmeta::kconfig;
using audit_internal::contains;
using kc::ExprId;
using kc::ExprKind;
using kc::SymbolId;
using kc::Tristate;

// --- expression helpers ------------------------------------------------------------

std::vector<ExprId> and_terms(const kc::Model& m, ExprId e) {
  std::vector<ExprId> out;
  auto rec = [&](auto& self, ExprId id) -> void {
    if (id == kc::kNone) return;
    const kc::Expr& x = m.expr(id);
    if (x.kind == ExprKind::and_) {
      self(self, x.left);
      self(self, x.right);
    } else if (std::find(out.begin(), out.end(), id) == out.end()) {
      out.push_back(id);
    }
  };
  rec(rec, e);
  return out;
}

bool is_prompt(const kc::Property& p) {
  return p.kind == kc::PropKind::prompt || (p.kind == kc::PropKind::menu && p.sym != kc::kNone);
}

Location term_location(const kc::Model& m, SymbolId s, ExprId term) {
  for (kc::NodeId n : m.sym(s).nodes) {
    std::vector<kc::NodeId> path;
    for (kc::NodeId a = n; a != kc::kNone && a != m.root(); a = m.node(a).parent) path.push_back(a);
    std::reverse(path.begin(), path.end());  // outermost first
    for (kc::NodeId a : path)
      if (contains(and_terms(m, m.node(a).dep), term)) return m.node(a).where;
  }
  for (kc::PropId p : m.sym(s).props) {
    const kc::Property& pr = m.prop(p);
    if (is_prompt(pr) && contains(and_terms(m, pr.cond), term)) return pr.where;
  }
  return m.sym(s).nodes.empty() ? Location{} : m.node(m.sym(s).nodes.front()).where;
}

namespace audit_internal {

std::vector<ExprId> or_terms(const kc::Model& m, ExprId e) {
  std::vector<ExprId> out;
  auto rec = [&](auto& self, ExprId id) -> void {
    if (id == kc::kNone) return;
    const kc::Expr& x = m.expr(id);
    if (x.kind == ExprKind::or_) {
      self(self, x.left);
      self(self, x.right);
    } else {
      out.push_back(id);
    }
  };
  rec(rec, e);
  return out;
}

bool contains(const std::vector<ExprId>& v, ExprId e) { return std::find(v.begin(), v.end(), e) != v.end(); }

ValueType value_type(kc::SymbolType t) {
  switch (t) {
    case kc::SymbolType::boolean: return ValueType::boolean;
    case kc::SymbolType::tristate: return ValueType::tristate;
    case kc::SymbolType::integer: return ValueType::integer;
    case kc::SymbolType::hex: return ValueType::hex;
    case kc::SymbolType::string: return ValueType::string;
    default: return ValueType::unknown;
  }
}

bool bool_like(kc::SymbolType t) { return t == kc::SymbolType::boolean || t == kc::SymbolType::tristate; }

Tristate tri_of(std::string_view v) {
  if (v == "y") return Tristate::yes;
  if (v == "m") return Tristate::mod;
  return Tristate::no;
}

std::string tri_str(Tristate t) { return std::string(1, kc::tri_char(t)); }

// --- facts ---------------------------------------------------------------------------

std::string Auditor::not_defined_reason(const std::string& n) {
  std::string r = fmt::format("{} is not defined for ARCH={}", n, c_.arch);
  // The all-architecture index walks the whole tree: use it here only when an
  // unknown-symbol finding has already paid for it.
  if (c_.tree && c_.tree->scanned()) {
    std::vector<Location> locs = c_.tree->all(n);
    if (!locs.empty()) {
      r += "; it is defined in ";
      for (size_t i = 0; i < locs.size() && i < 3; ++i) r += (i ? ", " : "") + locs[i].str();
      if (locs.size() > 3) r += fmt::format(" and {} more", locs.size() - 3);
    } else {
      r += " (nor anywhere in this kernel tree)";
    }
  }
  return r;
}

std::vector<ExprId> Auditor::blocking_terms(SymbolId s, Tristate need, bool* from_prompt) {
  std::vector<ExprId> out;
  *from_prompt = false;
  const kc::Symbol& sy = m_.sym(s);
  need = dep_need(s, need);
  if (c_.cfg.eval(sy.dir_dep) < need)
    for (ExprId t : and_terms(m_, sy.dir_dep))
      if (c_.cfg.eval(t) < need) out.push_back(t);
  if (!out.empty()) return out;
  // Visible prompts decide; the best prompt's own blocking terms.
  std::vector<ExprId> deps = and_terms(m_, sy.dir_dep);
  for (kc::PropId p : sy.props) {
    const kc::Property& pr = m_.prop(p);
    if (!is_prompt(pr)) continue;
    for (ExprId t : and_terms(m_, pr.cond))
      if (c_.cfg.eval(t) < need && !contains(deps, t) && !contains(out, t)) out.push_back(t);
    *from_prompt = true;
  }
  return out;
}

AuditReport Auditor::run() {
  AuditReport r;
  r.fragment_findings = fragment_findings(c_.queue);
  r.redefinitions = redefinitions(c_.queue, c_.merge);
  std::vector<std::pair<const SymbolRequests*, SymbolId>> for_fix;
  // Unknown symbols need the all-architecture index; build it first, so every
  // explanation of this run can name where an undefined symbol lives.
  if (c_.tree)
    for (const SymbolRequests& req : c_.merge.requests)
      if (!defined(m_.find(req.name))) {
        c_.tree->find(req.name);
        break;
      }
  for (const SymbolRequests& req : c_.merge.requests) {
    ++r.requested;
    const Assignment& w = req.winner();
    const FragmentLine& line = c_.queue[w.at.fragment].fragment.lines[w.at.line - 1];
    const std::string* written = c_.dotconfig.get(req.name);
    std::string actual = written ? *written : "n";
    std::string requested = w.value.value;
    if (same_value(requested, actual)) {
      bool unset_line = c_.dotconfig.is_unset_line(req.name);
      bool textual = written && ((line.kind == LineKind::unset && unset_line) ||
                                 (line.kind == LineKind::set && !unset_line && line.raw_value == *written));
      if (textual) {
        ++r.matched;
      } else {
        ++r.equivalent;
        r.equivalent_symbols.push_back("CONFIG_" + req.name);
      }
      continue;
    }
    Finding f;
    if (auto it = c_.classes.y_or_m.find(req.name); it != c_.classes.y_or_m.end() &&
                                                    (requested == "y" || requested == "m") &&
                                                    (actual == "y" || actual == "m"))
      f.y_or_m = true;
    f.symbol = req.name;
    f.requested = requested;
    f.actual = actual;
    f.written = written != nullptr;
    const QueuedFragment& q = c_.queue[w.at.fragment];
    f.at = location_of(c_.queue, w.at);
    f.chain = q.chain;
    f.fragment = q.queue_name;
    f.kconf_class = q.kconf_class;
    f.hw = c_.classes.of(req.name);
    SymbolId s = m_.find(req.name);
    classify(f, req, s);
    if (f.y_or_m) {
      auto it = c_.classes.y_or_m.find(req.name);
      f.message += fmt::format(" ({} accepts y or m)", it->second);
    }
    r.findings.push_back(std::move(f));
    for_fix.emplace_back(&req, s);
  }
  if (opt_.fixes && c_.resolve) {
    for (size_t i = 0; i < r.findings.size(); ++i) {
      Finding& f = r.findings[i];
      if (f.fix.status != Fix::Status::not_attempted) continue;
      if (f.kind != FindingKind::unmet_dependency && f.kind != FindingKind::promptless) continue;
      if (opt_.want_fix && !opt_.want_fix(f)) continue;
      if (f.requested == "n") continue;
      fix(f, *for_fix[i].first, for_fix[i].second);
    }
  }
  std::stable_sort(r.findings.begin(), r.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.kind < b.kind; });
  return r;
}

}  // namespace audit_internal

AuditReport audit(AuditContext& ctx, const AuditOptions& opt) {
  return audit_internal::Auditor(ctx, opt).run();
}

}  // namespace kmeta::config
