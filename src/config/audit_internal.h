// The audit's internals, shared by its parts: audit.cc (the run and the facts
// it reads), audit_classify.cc (what kind of finding), audit_explain.cc (why,
// down to the root cause) and audit_fix.cc (the smallest fix, verified by
// resolving again). Not for use outside the audit.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "config/audit.h"
#include "config/requests.h"

namespace kmeta::config::audit_internal {

namespace kc = kmeta::kconfig;
using kc::ExprId;
using kc::ExprKind;
using kc::SymbolId;
using kc::Tristate;

// The OR-operands of an expression (kNone gives none).
std::vector<ExprId> or_terms(const kc::Model& m, ExprId e);
bool contains(const std::vector<ExprId>& v, ExprId e);
ValueType value_type(kc::SymbolType t);
bool bool_like(kc::SymbolType t);
Tristate tri_of(std::string_view v);
std::string tri_str(Tristate t);

// The per-run state of the audit.
class Auditor {
 public:
  Auditor(AuditContext& ctx, const AuditOptions& opt) : c_(ctx), m_(ctx.model), opt_(opt) {}

  AuditReport run();

 private:
  // --- facts ---
  bool defined(SymbolId s) const { return s != kc::kNone && m_.sym(s).is(kc::kSymDefined); }
  bool has_prompt(SymbolId s) const {
    for (kc::PropId p : m_.sym(s).props)
      if (is_prompt(m_.prop(p))) return true;
    return false;
  }
  std::string name(SymbolId s) const {
    const kc::Symbol& sy = m_.sym(s);
    return sy.name.empty() ? std::string("<choice>") : sy.name;
  }
  std::string value_of(SymbolId s) {
    if (bool_like(m_.sym(s).type)) return tri_str(c_.cfg.tri(s));
    return std::string(c_.cfg.str(s));
  }
  std::string term_value(ExprId e) {
    const kc::Expr& x = m_.expr(e);
    if (x.kind == ExprKind::symbol && !bool_like(m_.sym(x.sym).type) &&
        m_.sym(x.sym).type != kc::SymbolType::unknown)
      return value_of(x.sym);
    return tri_str(c_.cfg.eval(e));
  }
  Location def_location(SymbolId s) const {
    const auto& nodes = m_.sym(s).nodes;
    return nodes.empty() ? Location{} : m_.node(nodes.front()).where;
  }
  Location request_location(const SymbolRequests& r) const { return location_of(c_.queue, r.winner().at); }
  // What the dependencies of `s` must reach for `s` to reach `need`: a bool
  // whose dependencies are m is visible as y (lkc promotes m visibility of a
  // bool), so any non-n value does.
  Tristate dep_need(SymbolId s, Tristate need) const {
    if (m_.sym(s).type == kc::SymbolType::boolean && need != Tristate::no) return Tristate::mod;
    return need;
  }
  std::string not_defined_reason(const std::string& n);
  // The terms of `s`'s dependencies (depends on, then the prompt's own
  // condition) whose value is below `need`.
  std::vector<ExprId> blocking_terms(SymbolId s, Tristate need, bool* from_prompt);

  // --- classification ---
  void classify(Finding& f, const SymbolRequests& req, SymbolId s);
  void classify_bool(Finding& f, const SymbolRequests& req, SymbolId s, Tristate want);
  void classify_value(Finding& f, const SymbolRequests& req, SymbolId s);
  void unknown(Finding& f);
  void explain_blocking(Finding& f, SymbolId s, Tristate need);
  void explain_low(Finding& f, SymbolId t, Tristate need, int depth, std::unordered_set<SymbolId>& seen);
  void explain_promptless(Finding& f, SymbolId s, Tristate need);

  // --- fixes ---
  struct Plan {
    bool ok = true;
    std::string reason;
    std::vector<FixLine> lines;
  };
  Plan plan_symbol(SymbolId s, Tristate need, int depth, std::unordered_set<SymbolId>& stack);
  Plan plan_term(ExprId e, Tristate need, int depth, std::unordered_set<SymbolId>& seen);
  void fix(Finding& f, const SymbolRequests& req, SymbolId s);
  bool verify(const Finding& f, const SymbolRequests& req, SymbolId s, const std::vector<FixLine>& lines);

  static constexpr int kPlanBudget = 4000;  // plan_symbol calls per fix
  static constexpr size_t kResolvedKept = 8;
  std::unordered_map<std::string, std::unique_ptr<kc::Configuration>> resolved_;
  std::deque<std::string> resolved_order_;
  size_t resolutions_ = 0;
  int plan_steps_ = 0;
  static void append(std::vector<FixLine>& to, const std::vector<FixLine>& from) {
    for (const auto& l : from)
      if (std::none_of(to.begin(), to.end(), [&](const FixLine& o) { return o.symbol == l.symbol; }))
        to.push_back(l);
  }

  AuditContext& c_;
  const kc::Model& m_;
  const AuditOptions& opt_;
  std::vector<std::string> defined_names_;  // for did-you-mean, built on demand
  std::unordered_map<std::string, std::vector<SymbolId>>
      help_mentions_;  // word -> symbols whose help names it
  bool help_indexed_ = false;
};

}  // namespace kmeta::config::audit_internal
