#include "config/audit.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_set>

#include "base/strings.h"
#include "config/requests.h"

namespace kmeta::config {

namespace kc = kmeta::kconfig;
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

namespace {

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

}  // namespace

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

namespace {

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
  Plan plan_symbol(SymbolId s, Tristate need, int depth, std::unordered_set<SymbolId>& seen);
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

void Auditor::explain_low(Finding& f, SymbolId t, Tristate need, int depth,
                          std::unordered_set<SymbolId>& seen) {
  if (depth > 5 || f.causes.size() >= 12 || !seen.insert(t).second) return;
  const kc::Symbol& ts = m_.sym(t);
  std::string n = name(t);
  if (ts.is(kc::kSymConst)) return;
  if (!defined(t)) {
    f.causes.push_back({n, "n", not_defined_reason(n), {}, depth});
    return;
  }
  std::string v = value_of(t);
  if (const SymbolRequests* r = c_.merge.find(n)) {
    std::string rv = r->winner().value.value;
    Location at = request_location(*r);
    if (bool_like(ts.type) && tri_of(rv) < need) {
      f.causes.push_back(
          {n, v, fmt::format("{} is requested {} at {}", n, rv, at.str()), def_location(t), depth});
      return;
    }
    f.causes.push_back({n, v, fmt::format("{} is requested {} at {} but is {} itself", n, rv, at.str(), v),
                        def_location(t), depth});
  } else if (has_prompt(t) && c_.cfg.visibility(t) >= need) {
    f.causes.push_back({n, v, fmt::format("{} is {}: no fragment requests it (its default is {})", n, v, v),
                        def_location(t), depth});
    return;
  } else if (!has_prompt(t)) {
    std::vector<ExprId> sel = or_terms(m_, ts.rev_dep);
    if (sel.empty()) {
      f.causes.push_back(
          {n, v, fmt::format("{} has no prompt and nothing selects it", n), def_location(t), depth});
      return;
    }
    std::string list;
    for (size_t i = 0; i < sel.size() && i < 6; ++i)
      list +=
          fmt::format("{}{} (={})", i ? ", " : "", m_.expr_to_string(sel[i]), tri_str(c_.cfg.eval(sel[i])));
    if (sel.size() > 6) list += fmt::format(", and {} more", sel.size() - 6);
    f.causes.push_back({n, v, fmt::format("{} has no prompt: only select sets it, from {}", n, list),
                        def_location(t), depth});
    for (size_t i = 0; i < sel.size() && i < 2; ++i) {
      SymbolId by = m_.expr(sel[i]).kind == ExprKind::symbol ? m_.expr(sel[i]).sym : kc::kNone;
      if (by == kc::kNone) {
        auto ts2 = and_terms(m_, sel[i]);
        if (!ts2.empty() && m_.expr(ts2.front()).kind == ExprKind::symbol) by = m_.expr(ts2.front()).sym;
      }
      if (by != kc::kNone) explain_low(f, by, need, depth + 1, seen);
    }
    return;
  } else {
    f.causes.push_back(
        {n, v, fmt::format("{} is {}: its prompt is not visible", n, v), def_location(t), depth});
  }
  bool from_prompt = false;
  for (ExprId b : blocking_terms(t, need, &from_prompt)) {
    const kc::Expr& x = m_.expr(b);
    if (x.kind == ExprKind::symbol) {
      explain_low(f, x.sym, dep_need(t, need), depth + 1, seen);
    } else {
      f.causes.push_back({"", term_value(b),
                          fmt::format("{} needs {} (={})", n, m_.expr_to_string(b), term_value(b)),
                          term_location(m_, t, b), depth + 1});
    }
  }
}

void Auditor::explain_blocking(Finding& f, SymbolId s, Tristate need) {
  bool from_prompt = false;
  std::vector<ExprId> blocks = blocking_terms(s, need, &from_prompt);
  for (ExprId b : blocks) f.terms.push_back({m_.expr_to_string(b), term_value(b), term_location(m_, s, b)});
  std::unordered_set<SymbolId> seen{s};
  for (ExprId b : blocks) {
    const kc::Expr& x = m_.expr(b);
    if (x.kind == ExprKind::symbol) {
      explain_low(f, x.sym, dep_need(s, need), 1, seen);
    } else if (x.kind == ExprKind::not_ && m_.expr(x.left).kind == ExprKind::symbol) {
      SymbolId t = m_.expr(x.left).sym;
      std::string n = name(t);
      std::string why;
      if (const SymbolRequests* r = c_.merge.find(n))
        why = fmt::format("requested {} at {}", r->winner().value.value, request_location(*r).str());
      else if (c_.cfg.rev_dep_value(t) != Tristate::no)
        why = "selected";
      else
        why = "its default";
      f.causes.push_back(
          {n, value_of(t), fmt::format("{} is {} ({})", n, value_of(t), why), def_location(t), 1});
    } else if (x.kind == ExprKind::or_) {
      for (ExprId alt : or_terms(m_, b))
        if (m_.expr(alt).kind == ExprKind::symbol)
          explain_low(f, m_.expr(alt).sym, dep_need(s, need), 1, seen);
    }
  }
  std::string list;
  for (const Term& t : f.terms)
    list += fmt::format("{}{} (={})", list.empty() ? "" : " && ", t.expr, t.value);
  if (from_prompt && !f.terms.empty())
    f.message = fmt::format("the prompt is only visible if {}", list);
  else if (!f.terms.empty())
    f.message = fmt::format("depends on {}", list);
  else
    f.message = "its dependencies are not met";
}

void Auditor::explain_promptless(Finding& f, SymbolId s, Tristate need) {
  const kc::Symbol& sy = m_.sym(s);
  std::vector<ExprId> sel = or_terms(m_, sy.rev_dep);
  if (sel.empty()) {
    f.message = "it has no prompt, so a fragment cannot set it, and nothing selects it";
  } else {
    f.message = "it has no prompt, so a fragment cannot set it; only select can";
    for (ExprId t : sel)
      f.terms.push_back({"selected by " + m_.expr_to_string(t), tri_str(c_.cfg.eval(t)), {}});
  }
  std::unordered_set<SymbolId> seen{s};
  for (size_t i = 0; i < sel.size() && i < 3; ++i) {
    auto ts = and_terms(m_, sel[i]);
    if (!ts.empty() && m_.expr(ts.front()).kind == ExprKind::symbol && c_.cfg.eval(sel[i]) < need)
      explain_low(f, m_.expr(ts.front()).sym, need, 1, seen);
  }
}

void Auditor::unknown(Finding& f) {
  f.kind = FindingKind::unknown_symbol;
  f.message = fmt::format("CONFIG_{} is not a symbol of this kernel for ARCH={}", f.symbol, c_.arch);
  // Another architecture?
  if (c_.tree) {
    std::vector<Location> locs = c_.tree->all(f.symbol);
    if (!locs.empty()) {
      f.suggestion = fmt::format("defined only outside ARCH={}: {}", c_.arch, locs.front().str());
      if (locs.size() > 1) f.suggestion += fmt::format(" (and {} more)", locs.size() - 1);
      f.fix.status = Fix::Status::none;
      f.fix.reason =
          "the symbol belongs to another architecture; move the line into an "
          "`if [ \"$KARCH\" = ... ]` block or a fragment of that architecture";
      return;
    }
  }
  // Renamed? A symbol whose help text names the old name.
  if (!help_indexed_) {
    help_indexed_ = true;
    for (SymbolId s = 0; s < m_.symbol_count(); ++s) {
      if (!defined(s)) continue;
      for (kc::NodeId n : m_.sym(s).nodes)
        for (std::string_view w : split(m_.help(n), ' ')) {
          std::string word;
          for (char ch : w)
            if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') word += ch;
          if (starts_with(word, "CONFIG_")) word = word.substr(7);
          if (word.size() > 3 && word.find('_') != std::string::npos) {
            auto& v = help_mentions_[word];
            if (v.empty() || v.back() != s) v.push_back(s);
          }
        }
    }
  }
  if (auto it = help_mentions_.find(f.symbol); it != help_mentions_.end() && !it->second.empty()) {
    SymbolId s = it->second.front();
    f.suggestion =
        fmt::format("probably renamed to CONFIG_{}: its help text ({}) names {}; write CONFIG_{}={}", name(s),
                    def_location(s).str(), f.symbol, name(s), f.requested);
    return;
  }
  if (defined_names_.empty())
    for (SymbolId s = 0; s < m_.symbol_count(); ++s)
      if (defined(s) && !m_.sym(s).name.empty()) defined_names_.push_back(m_.sym(s).name);
  std::string guess = suggest(f.symbol, defined_names_);
  if (!guess.empty()) {
    f.suggestion = fmt::format("did you mean CONFIG_{}?", guess);
  } else {
    f.suggestion = "no similar symbol in this kernel (removed, or out of tree?)";
  }
}

void Auditor::classify_bool(Finding& f, const SymbolRequests& req, SymbolId s, Tristate want) {
  kc::Origin o = c_.cfg.why(s);
  Tristate got = c_.cfg.tri(s);
  const std::string n = name(s);
  if (c_.cfg.is_choice_value(s) && o.visibility != Tristate::no) {
    SymbolId w = o.chosen;
    if (w != kc::kNone && w != s && (want == Tristate::yes || got == Tristate::yes || want == Tristate::no)) {
      f.kind = FindingKind::choice_loser;
      std::string wn = name(w);
      f.by.push_back("CONFIG_" + wn);
      const SymbolRequests* wr = c_.merge.find(wn);
      switch (o.choice_rule) {
        case kc::Origin::ChoiceRule::user_y:
          if (wr)
            f.message = fmt::format("the choice picked {}, requested later at {} (the last request wins)", wn,
                                    request_location(*wr).str());
          else
            f.message = fmt::format("the choice picked {} (also requested y)", wn);
          break;
        case kc::Origin::ChoiceRule::default_member:
          f.message = fmt::format("the choice picked its default, {}", wn);
          break;
        default: f.message = fmt::format("the choice picked {}", wn); break;
      }
      if (want == Tristate::no && got == Tristate::yes)
        f.message = fmt::format("a choice always has one member set, and it is {}", n);
      return;
    }
  }
  if (got < want) {
    if (!has_prompt(s)) {
      f.kind = FindingKind::promptless;
      explain_promptless(f, s, want);
      return;
    }
    if (o.dir_dep < dep_need(s, want) || o.visibility < want) {
      f.kind = FindingKind::unmet_dependency;
      explain_blocking(f, s, want);
      if (o.visibility == Tristate::mod && want == Tristate::yes) f.message += "; the most it can be is m";
      return;
    }
    if (want == Tristate::mod && m_.sym(s).type == kc::SymbolType::tristate &&
        c_.cfg.modules_value() == Tristate::no) {
      f.kind = FindingKind::unmet_dependency;
      f.message = "modules are disabled (MODULES=n): m is not possible";
      return;
    }
  } else if (got > want) {
    if (o.rev_dep > want) {
      f.kind = FindingKind::select_override;
      for (const auto& sel : o.selectors)
        if (sel.value > want)
          f.by.push_back(fmt::format("{} (={})", m_.expr_to_string(sel.term), tri_str(sel.value)));
      f.message = fmt::format("selected to {} by {} symbol{}", tri_str(o.rev_dep), f.by.size(),
                              f.by.size() == 1 ? "" : "s");
      return;
    }
    if (o.source == kc::Origin::Source::implied) {
      f.kind = FindingKind::select_override;
      for (const auto& im : o.impliers)
        if (im.value > want)
          f.by.push_back(fmt::format("{} (={}, imply)", m_.expr_to_string(im.term), tri_str(im.value)));
      f.message = "raised by imply (the request cannot apply: the symbol is not visible)";
      return;
    }
    if (o.promoted_to_y && want == Tristate::mod) {
      f.kind = FindingKind::unmet_dependency;
      f.message = c_.cfg.modules_value() == Tristate::no ? "modules are disabled (MODULES=n): m becomes y"
                                                         : "m becomes y here (a bool in this configuration)";
      return;
    }
    if (!has_prompt(s)) {
      f.kind = FindingKind::promptless;
      f.message = o.default_prop != kc::kNone ? fmt::format("it has no prompt, so its default ({}) decides",
                                                            m_.prop(o.default_prop).where.str())
                                              : "it has no prompt, so a fragment cannot set it";
      return;
    }
    if (!o.user_value_used && o.visibility == Tristate::no) {
      f.kind = FindingKind::unmet_dependency;
      explain_blocking(f, s, Tristate::mod);
      if (o.default_prop != kc::kNone)
        f.message += fmt::format("; its default ({}) applies", m_.prop(o.default_prop).where.str());
      return;
    }
  }
  (void)req;
  f.kind = FindingKind::unexplained;
  f.message = "kmeta cannot explain this difference (please report it)";
}

void Auditor::classify_value(Finding& f, const SymbolRequests& req, SymbolId s) {
  kc::Origin o = c_.cfg.why(s);
  if (o.range_clamped) {
    f.kind = FindingKind::range_clamp;
    f.message = fmt::format("{} is outside the range at {}: clamped to {}",
                            o.unclamped_value.empty() ? f.requested : o.unclamped_value,
                            m_.prop(o.range_prop).where.str(), f.actual);
    return;
  }
  if (o.range_prop != kc::kNone && !c_.cfg.string_within_range(s, f.requested)) {
    f.kind = FindingKind::range_clamp;
    f.message = fmt::format("{} is outside the range at {}: the kernel dropped it and the default {} applies",
                            f.requested, m_.prop(o.range_prop).where.str(), f.actual);
    return;
  }
  if (!has_prompt(s)) {
    f.kind = FindingKind::promptless;
    f.message = "it has no prompt, so a fragment cannot set it; its default decides";
    return;
  }
  if (!o.user_value_used) {
    f.kind = FindingKind::unmet_dependency;
    explain_blocking(f, s, Tristate::mod);
    if (!f.written) f.message += "; the symbol is not written to .config";
    return;
  }
  (void)req;
  f.kind = FindingKind::unexplained;
  f.message = "kmeta cannot explain this difference (please report it)";
}

void Auditor::classify(Finding& f, const SymbolRequests& req, SymbolId s) {
  const Assignment& w = req.winner();
  if (!w.in_seed) {
    f.kind = FindingKind::lost_in_merge;
    for (const Collateral& col : c_.merge.collateral)
      if (col.line == w.at) {
        f.message = fmt::format(
            "merge_config.sh deleted this line while merging CONFIG_{} from {} (its `sed /CONFIG_{}[ =]/d` "
            "also "
            "matches this line)",
            col.by_symbol, c_.queue[col.by_fragment].fragment.path, col.by_symbol);
        f.by.push_back("CONFIG_" + col.by_symbol);
      }
    if (f.message.empty()) f.message = "merge_config.sh deleted this line";
    return;
  }
  if (!defined(s) || m_.sym(s).type == kc::SymbolType::unknown) {
    unknown(f);
    return;
  }
  const kc::Symbol& sy = m_.sym(s);
  const FragmentLine& line = c_.queue[w.at.fragment].fragment.lines[w.at.line - 1];
  ValueSyntax vs = value_syntax(value_type(sy.type), line.kind == LineKind::unset ? "n" : line.raw_value);
  if (line.kind == LineKind::unset && !bool_like(sy.type)) {
    f.kind = FindingKind::bad_value;
    f.message = fmt::format("'is not set' does not apply to a {} symbol: the line is ignored and {} applies",
                            kc::type_name(sy.type), f.actual);
    return;
  }
  if (!vs.ok) {
    f.kind = FindingKind::bad_value;
    f.message = fmt::format("the kernel ignores this value: {}", vs.problem);
    return;
  }
  if (bool_like(sy.type)) {
    if (!vs.problem.empty() && vs.accepted == f.actual) {
      f.kind = FindingKind::bad_value;
      f.message = vs.problem;
      return;
    }
    classify_bool(f, req, s, tri_of(vs.accepted));
  } else {
    classify_value(f, req, s);
  }
}

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

}  // namespace

AuditReport audit(AuditContext& ctx, const AuditOptions& opt) { return Auditor(ctx, opt).run(); }

}  // namespace kmeta::config
