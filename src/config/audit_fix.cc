// The audit's fixes: the smallest set of extra fragment lines that reaches a
// requested value, planned from the dependency expressions and proven by
// resolving again (audit_internal.h).
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "base/strings.h"
#include "config/audit_internal.h"

namespace kmeta::config::audit_internal {

// --- fixes ---------------------------------------------------------------------------

Auditor::Plan Auditor::plan_term(ExprId e, Tristate need, int depth, std::unordered_set<SymbolId>& seen) {
  Plan p;
  if (c_.cfg.eval(e) >= need) return p;
  const kc::Expr& x = m_.expr(e);
  switch (x.kind) {
    case ExprKind::symbol: return plan_symbol(x.sym, need, depth, seen);
    case ExprKind::and_:
      for (ExprId t : and_terms(m_, e)) {
        Plan q = plan_term(t, need, depth, seen);
        if (!q.ok) return q;
        append(p.lines, q.lines);
      }
      return p;
    case ExprKind::or_: {
      Plan best;
      best.ok = false;
      for (ExprId alt : or_terms(m_, e)) {
        Plan q = plan_term(alt, need, depth, seen);
        if (q.ok && (!best.ok || q.lines.size() < best.lines.size())) best = q;
        if (!best.ok && best.reason.empty()) best.reason = q.reason;
      }
      return best;
    }
    case ExprKind::not_: {
      const kc::Expr& in = m_.expr(x.left);
      if (in.kind != ExprKind::symbol) break;
      SymbolId t = in.sym;
      std::string n = name(t);
      if (c_.cfg.rev_dep_value(t) != Tristate::no) {
        p.ok = false;
        p.reason = fmt::format("needs {}=n, but it is selected", n);
        return p;
      }
      if (const SymbolRequests* r = c_.merge.find(n)) {
        p.ok = false;
        p.reason = fmt::format("needs {}=n, but {} requests {}", n, request_location(*r).str(),
                               r->winner().value.value);
        return p;
      }
      if (!has_prompt(t) || !c_.cfg.changeable(t)) {
        p.ok = false;
        p.reason = fmt::format("needs {}=n, which cannot be set here", n);
        return p;
      }
      p.lines.push_back({n, "n"});
      return p;
    }
    default: break;
  }
  p.ok = false;
  p.reason = fmt::format("needs {} (={}), which no fragment line can change", m_.expr_to_string(e),
                         tri_str(c_.cfg.eval(e)));
  return p;
}

Auditor::Plan Auditor::plan_symbol(SymbolId s, Tristate need, int depth,
                                   std::unordered_set<SymbolId>& stack) {
  Plan p;
  const kc::Symbol& sy = m_.sym(s);
  std::string n = name(s);
  if (bool_like(sy.type) && c_.cfg.tri(s) >= need) return p;
  auto fail = [&](std::string why) {
    p.ok = false;
    p.reason = std::move(why);
    return p;
  };
  if (!defined(s)) return fail(not_defined_reason(n));
  if (depth > 8 || ++plan_steps_ > kPlanBudget) return fail("the dependency chain is too long to plan a fix");
  if (stack.count(s)) return fail(fmt::format("{} depends on itself through its dependencies", n));
  if (!bool_like(sy.type) && depth > 0)
    return fail(fmt::format("needs {} (a {} symbol) to have a value", n, kc::type_name(sy.type)));
  if (sy.type == kc::SymbolType::boolean && need != Tristate::no) need = Tristate::yes;
  if (const SymbolRequests* r = c_.merge.find(n); r && depth > 0 && tri_of(r->winner().value.value) < need)
    return fail(fmt::format("needs {}={}, but {} requests {}", n, tri_str(need), request_location(*r).str(),
                            r->winner().value.value));
  stack.insert(s);
  struct Pop {
    std::unordered_set<SymbolId>& st;
    SymbolId s;
    ~Pop() { st.erase(s); }
  } pop{stack, s};
  Tristate dn = dep_need(s, bool_like(sy.type) ? need : Tristate::mod);
  if (has_prompt(s)) {
    // Make it visible (depends on, then the prompt's own condition), then ask for the value.
    std::vector<ExprId> deps = and_terms(m_, sy.dir_dep);
    for (ExprId t : deps) {
      Plan q = plan_term(t, dn, depth + 1, stack);
      if (!q.ok) return q;
      append(p.lines, q.lines);
    }
    bool from_prompt = false;
    for (ExprId t : blocking_terms(s, bool_like(sy.type) ? need : Tristate::mod, &from_prompt)) {
      if (contains(deps, t)) continue;
      Plan q = plan_term(t, dn, depth + 1, stack);
      if (!q.ok) return q;
      append(p.lines, q.lines);
    }
    if (depth > 0) p.lines.push_back({n, tri_str(need)});
    return p;
  }
  // No prompt: the cheapest selector, or a default that can be made active.
  Plan best;
  best.ok = false;
  std::string first_reason;
  auto consider = [&](Plan q, const std::string& via) {
    if (q.ok && (!best.ok || q.lines.size() < best.lines.size()))
      best = std::move(q);
    else if (!q.ok && first_reason.empty())
      first_reason = fmt::format("{} (through {})", q.reason, via);
  };
  for (ExprId t : or_terms(m_, sy.rev_dep))
    consider(plan_term(t, need, depth + 1, stack), "select " + m_.expr_to_string(t));
  for (kc::PropId pid : sy.props) {
    const kc::Property& pr = m_.prop(pid);
    if (pr.kind != kc::PropKind::default_ || pr.expr == kc::kNone) continue;
    Plan q = plan_term(pr.cond, Tristate::mod, depth + 1, stack);
    if (q.ok) {
      Plan v = plan_term(pr.expr, need, depth + 1, stack);
      if (!v.ok)
        q = v;
      else
        append(q.lines, v.lines);
    }
    consider(std::move(q), "its default at " + pr.where.str());
  }
  if (!best.ok)
    best.reason = first_reason.empty() ? fmt::format("{} has no prompt and nothing selects it", n)
                                       : fmt::format("{} has no prompt; {}", n, first_reason);
  return best;
}

bool Auditor::verify(const Finding& f, const SymbolRequests& req, SymbolId s,
                     const std::vector<FixLine>& lines) {
  const std::string& path = c_.queue[req.winner().at.fragment].fragment.path;
  std::string extra;
  for (const auto& l : lines) extra += l.line() + "\n";
  // One resolution per (fragment, added lines): findings that share a fix, and
  // the minimisation steps, reuse it.
  std::string key = path + '\0' + extra;
  auto it = resolved_.find(key);
  if (it == resolved_.end()) {
    // The queue with the fix lines appended to that fragment (each queued
    // copy of it); the other fragments are not copied.
    std::deque<QueuedFragment> changed;
    std::vector<const QueuedFragment*> q;
    q.reserve(c_.queue.size());
    size_t first_changed = SIZE_MAX;
    for (const QueuedFragment& qf : c_.queue) {
      if (qf.fragment.path != path) {
        q.push_back(&qf);
        continue;
      }
      if (first_changed == SIZE_MAX) first_changed = q.size();
      QueuedFragment& x = changed.emplace_back(qf);
      std::string text = qf.fragment.text;
      if (!text.empty() && text.back() != '\n') text += '\n';
      x.fragment = parse_fragment(path, text + extra);
      q.push_back(&x);
    }
    MergeResult m2 = c_.merge_seed && first_changed >= c_.merge_seed->merged() ? c_.merge_seed->extend(q)
                                                                               : merge_fragments(q);
    // A Configuration is a few MB on a real kernel: keep the last few only.
    if (resolved_order_.size() >= kResolvedKept) {
      resolved_.erase(resolved_order_.front());
      resolved_order_.pop_front();
    }
    it = resolved_.emplace(key, c_.resolve(m2.seed)).first;
    resolved_order_.push_back(key);
    ++resolutions_;
  }
  kc::Configuration* cfg = it->second.get();
  if (!cfg) return false;
  if (bool_like(m_.sym(s).type)) return tri_str(cfg->tri(s)) == f.requested;
  return std::string(cfg->str(s)) == f.requested;
}

void Auditor::fix(Finding& f, const SymbolRequests& req, SymbolId s) {
  f.fix.fragment = c_.queue[req.winner().at.fragment].fragment.path;
  std::unordered_set<SymbolId> seen;
  plan_steps_ = 0;
  Tristate need = bool_like(m_.sym(s).type) ? tri_of(f.requested) : Tristate::mod;
  Plan p = plan_symbol(s, need, 0, seen);
  if (!p.ok || p.lines.empty()) {
    f.fix.status = Fix::Status::none;
    f.fix.reason = p.ok ? "no fragment line can change it" : p.reason;
    return;
  }
  if (!verify(f, req, s, p.lines)) {
    f.fix.status = Fix::Status::none;
    f.fix.reason = "the candidate lines did not make the value stick when resolved again:";
    for (const auto& l : p.lines) f.fix.reason += " " + l.line();
    return;
  }
  // Drop lines that are not needed (a default may do their job).
  for (size_t i = p.lines.size(); i-- > 0 && p.lines.size() > 1;) {
    std::vector<FixLine> fewer = p.lines;
    fewer.erase(fewer.begin() + static_cast<long>(i));
    if (verify(f, req, s, fewer)) p.lines = std::move(fewer);
  }
  f.fix.status = Fix::Status::verified;
  f.fix.lines = std::move(p.lines);
}

}  // namespace kmeta::config::audit_internal
