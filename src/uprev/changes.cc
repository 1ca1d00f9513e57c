#include "uprev/changes.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

namespace kmeta::uprev {

const char* to_string(ChangeKind k) {
  switch (k) {
    case ChangeKind::regressed: return "regressed";
    case ChangeKind::vanished: return "vanished";
    case ChangeKind::newly_unknown: return "newly-unknown";
    case ChangeKind::new_failure: return "new-failure";
    case ChangeKind::newly_satisfied: return "newly-satisfied";
    case ChangeKind::value_changed: return "value-changed";
    case ChangeKind::unchanged: return "unchanged";
  }
  return "?";
}

const char* title(ChangeKind k) {
  switch (k) {
    case ChangeKind::regressed: return "regressed (held on OLD, lost on NEW)";
    case ChangeKind::vanished: return "vanished (no such symbol in NEW)";
    case ChangeKind::newly_unknown: return "newly unknown (NEW requests a symbol NEW does not define)";
    case ChangeKind::new_failure: return "new requests that do not hold on NEW";
    case ChangeKind::newly_satisfied: return "newly satisfied (lost on OLD, holds on NEW)";
    case ChangeKind::value_changed: return "value changed";
    case ChangeKind::unchanged: return "unchanged";
  }
  return "?";
}

namespace {

SideState state_of(const SideFacts& f, const std::string& name,
                   const std::unordered_map<std::string, const SideFacts::Request*>& requests) {
  SideState s;
  if (auto it = requests.find(name); it != requests.end()) {
    s.requested = true;
    s.request = it->second->value;
    s.at = it->second->at;
    s.fragment = it->second->fragment;
    if (auto fi = f.findings.find(name); fi != f.findings.end() && fi->second) s.finding = *fi->second;
  }
  s.defined = f.defined && f.defined(name);
  if (f.value) s.value = f.value(name);
  if (f.written) s.written = f.written(name);
  return s;
}

std::string outcome(const SideState& s) {
  if (!s.requested) return fmt::format("not requested, {}", s.value);
  if (!s.finding) return fmt::format("{} holds", s.request);
  return fmt::format("{} requested, got {} ({}: {})", s.request, s.finding->actual,
                     config::to_string(s.finding->kind), s.finding->message);
}

std::string summarize(const SymbolChange& c) {
  const SideState &a = c.from, &b = c.to;
  switch (c.kind) {
    case ChangeKind::regressed:
      return fmt::format("CONFIG_{}={} held on OLD; NEW gives {} ({}: {})", c.symbol, b.request,
                         b.finding->actual, config::to_string(b.finding->kind), b.finding->message);
    case ChangeKind::vanished:
      return fmt::format("CONFIG_{} (requested {} at {}) is not a symbol of NEW", c.symbol, a.request,
                         a.at.str());
    case ChangeKind::newly_unknown:
      return fmt::format("NEW requests CONFIG_{}={} at {}, which NEW does not define", c.symbol, b.request,
                         b.at.str());
    case ChangeKind::new_failure:
      return fmt::format("new request CONFIG_{}={} at {}: {}", c.symbol, b.request, b.at.str(), outcome(b));
    case ChangeKind::newly_satisfied: return fmt::format("OLD: {}; NEW: {}", outcome(a), outcome(b));
    case ChangeKind::value_changed:
    case ChangeKind::unchanged:
      if (a.requested && !b.requested)
        return fmt::format("no longer requested on NEW (OLD: {}); value {} -> {}", outcome(a), a.value,
                           b.value);
      if (!a.requested && b.requested)
        return fmt::format("newly requested on NEW ({}); value {} -> {}", outcome(b), a.value, b.value);
      if (a.request != b.request)
        return fmt::format("request {} -> {}; value {} -> {}", a.request, b.request, a.value, b.value);
      if (a.value != b.value) return fmt::format("value {} -> {} ({})", a.value, b.value, outcome(b));
      return outcome(b);
  }
  return "";
}

ChangeKind classify(const SideState& a, const SideState& b) {
  if (a.requested && a.defined && !b.defined) return ChangeKind::vanished;
  if (b.requested && !b.defined && !(a.requested && !a.defined)) return ChangeKind::newly_unknown;
  if (a.requested && b.requested) {
    if (a.satisfied() && !b.satisfied()) return ChangeKind::regressed;
    if (!a.satisfied() && b.satisfied()) return ChangeKind::newly_satisfied;
    if (a.request != b.request || a.value != b.value) return ChangeKind::value_changed;
    return ChangeKind::unchanged;
  }
  if (b.requested && !b.satisfied()) return ChangeKind::new_failure;
  return a.value != b.value ? ChangeKind::value_changed : ChangeKind::unchanged;
}

}  // namespace

std::vector<SymbolChange> compare_requests(const SideFacts& from, const SideFacts& to) {
  std::unordered_map<std::string, const SideFacts::Request*> ra, rb;
  for (const auto& [n, r] : from.requests) ra[n] = &r;
  for (const auto& [n, r] : to.requests) rb[n] = &r;
  std::vector<std::string> order;
  std::unordered_set<std::string> seen;
  for (const auto& [n, r] : from.requests)
    if (seen.insert(n).second) order.push_back(n);
  for (const auto& [n, r] : to.requests)
    if (seen.insert(n).second) order.push_back(n);
  std::vector<SymbolChange> out;
  out.reserve(order.size());
  for (const std::string& n : order) {
    SymbolChange c;
    c.symbol = n;
    c.from = state_of(from, n, ra);
    c.to = state_of(to, n, rb);
    c.kind = classify(c.from, c.to);
    c.summary = summarize(c);
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const SymbolChange& a, const SymbolChange& b) { return a.kind < b.kind; });
  return out;
}

}  // namespace kmeta::uprev
