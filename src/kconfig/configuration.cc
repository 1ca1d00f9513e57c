#include "kconfig/configuration.h"

#include <algorithm>

#include "kconfig/cnum.h"
#include "kconfig/tristate_names.h"

namespace kmeta::kconfig {
namespace {

bool is_prompt_kind(PropKind k) {
  // lkc's for_all_prompts: every property with a text (menuconfig prompts are P_MENU).
  return k == PropKind::prompt || k == PropKind::menu || k == PropKind::comment;
}

bool is_bool_like(SymbolType t) { return t == SymbolType::boolean || t == SymbolType::tristate; }

std::string_view tri_string(Tristate t) {
  switch (t) {
    case kN: return "n";
    case kM: return "m";
    case kY: return "y";
  }
  return "n";
}

}  // namespace

Configuration::Configuration(const Model& model, Messages* sink) : Configuration(model, index(model), sink) {}

Configuration::Configuration(const Model& model, std::shared_ptr<const Index> index, Messages* sink)
    : model_(&model),
      log_(sink ? sink : &own_log_),
      index_(std::move(index)),
      info_(index_->info),
      prompts_(index_->prompts),
      defaults_(index_->defaults),
      ranges_(index_->ranges),
      member_choice_(index_->member_choice),
      choice_slot_(index_->choice_slot),
      choices_(index_->choices),
      table_order_(index_->table_order) {
  init_state();
}

void Configuration::init_state() {
  const Model& m = *model_;
  const size_t n = m.symbol_count();
  state_.assign(n, SymState{});
  prop_vis_.assign(m.prop_count(), kN);
  expr_cache_.assign(m.expr_count(), kExprUnknown);
  for (SymbolId s : {kSymYes, kSymMod, kSymNo}) {
    SymState& st = state_[s];
    st.flags = kValid;
    st.tri = s == kSymYes ? kY : s == kSymMod ? kM : kN;
    st.val = tri_string(st.tri);
    st.source = Origin::Source::constant;
  }
}

std::shared_ptr<const Configuration::Index> Configuration::index(const Model& m) {
  auto ix = std::make_shared<Index>();
  const size_t n = m.symbol_count();
  ix->member_choice.assign(n, kNone);
  ix->choice_slot.assign(n, UINT32_MAX);
  ix->info.resize(n);
  for (PropIndex* pi : {&ix->prompts, &ix->defaults, &ix->ranges}) {
    pi->begin.assign(n + 1, 0);
    pi->refs.clear();
  }
  for (SymbolId s : m.symbol_ids()) {
    const Symbol& sym = m.sym(s);
    ix->info[s] = SymInfo{sym.type, sym.is(kSymChoice), sym.dir_dep, sym.rev_dep, sym.implied};
    for (PropIndex* pi : {&ix->prompts, &ix->defaults, &ix->ranges})
      pi->begin[s.index()] = static_cast<uint32_t>(pi->refs.size());
    for (PropId p : sym.props) {
      const Property& pr = m.prop(p);
      CondRef r{p, pr.cond, pr.expr, pr.range_lo, pr.range_hi};
      if (is_prompt_kind(pr.kind))
        ix->prompts.refs.push_back(r);
      else if (pr.kind == PropKind::default_)
        ix->defaults.refs.push_back(r);
      else if (pr.kind == PropKind::range)
        ix->ranges.refs.push_back(r);
    }
  }
  for (PropIndex* pi : {&ix->prompts, &ix->defaults, &ix->ranges})
    pi->begin[n] = static_cast<uint32_t>(pi->refs.size());
  for (SymbolId s : m.symbol_ids()) {
    const Symbol& sym = m.sym(s);
    if (sym.choice != kNone) ix->member_choice[s] = sym.choice;
    if (!sym.is(kSymChoice)) continue;
    for (SymbolId member : sym.members) ix->member_choice[member] = s;
    ChoiceInfo ci;
    ci.sym = s;
    ci.node = sym.nodes.empty() ? kNone : sym.nodes.front();
    ci.priority = sym.members;
    if (m.rules().choice_value_symbol || ci.node == kNone) {
      ci.entries = sym.members;
    } else {
      // menu_for_each_sub_entry: depth-first below the choice node.
      std::vector<NodeId> stack;
      for (NodeId c = m.node(ci.node).first_child; c != kNone; c = m.node(c).next) stack.push_back(c);
      std::reverse(stack.begin(), stack.end());
      while (!stack.empty()) {
        NodeId x = stack.back();
        stack.pop_back();
        if (m.node(x).sym != kNone) ci.entries.push_back(m.node(x).sym);
        std::vector<NodeId> kids;
        for (NodeId c = m.node(x).first_child; c != kNone; c = m.node(c).next) kids.push_back(c);
        stack.insert(stack.end(), kids.rbegin(), kids.rend());
      }
    }
    ix->choice_slot[s] = static_cast<uint32_t>(ix->choices.size());
    ix->choices.push_back(std::move(ci));
  }

  // hash_order(model), as a counting sort over the buckets (linear).
  const uint32_t buckets = m.rules().symbol_hash_buckets;
  IdVec<SymbolId, uint32_t> bucket(n, 0);
  std::vector<uint32_t> start(buckets + 1, 0);
  for (SymbolId s : id_range(kSymFirstOther, n)) {
    const Symbol& sym = m.sym(s);
    bucket[s] = sym.is(kSymChoice) && sym.name.empty() ? 0 : symbol_hash(sym.name) % buckets;
    ++start[bucket[s] + 1];
  }
  for (uint32_t b = 0; b < buckets; ++b) start[b + 1] += start[b];
  const uint32_t first = kSymFirstOther.index();
  ix->table_order.assign(n > first ? n - first : 0, kNone);
  for (auto i = static_cast<uint32_t>(n); i-- > first;) {
    const SymbolId s(i);
    ix->table_order[start[bucket[s]]++] = s;
  }
  return ix;
}

std::string_view Configuration::intern(std::string_view s) {
  strings_.emplace_back(s);
  return strings_.back();
}

std::string_view Configuration::string_value(SymbolId s) const {
  const SymState& st = state_[s];
  if (is_bool_like(info_[s].type)) return tri_string(st.tri);
  return st.val;
}

SymbolType Configuration::effective_type(SymbolId s) const {
  SymbolType t = info_[s].type;
  if (t == SymbolType::tristate) {
    if (rules().tristate_choices && is_choice_value(s) && state_[s].visible == kY) return SymbolType::boolean;
    if (modules_val_ == kN) return SymbolType::boolean;
  }
  return t;
}

// --- symbols -----------------------------------------------------------------

void Configuration::calc_visibility(SymbolId s) {
  const SymInfo& sym = info_[s];
  SymState& st = state_[s];
  const SymbolId csym = rules().tristate_choices ? member_choice_[s] : kNone;
  Tristate tri = kN;
  for (const CondRef *r = prompts_.first(s), *e = prompts_.last(s); r != e; ++r) {
    Tristate v = eval(r->cond);
    // [6.1] tristate members with m-visibility are hidden when the choice is y.
    if (csym != kNone && sym.type == SymbolType::tristate && v == kM && state_[csym].tri == kY) v = kN;
    prop_vis_[r->prop] = v;
    tri = tri_or(tri, v);
  }
  if (tri == kM && (sym.type != SymbolType::tristate || modules_val_ == kN)) tri = kY;
  st.visible = tri;
  if (member_choice_[s] != kNone) return;
  auto promote = [&](Tristate t) { return t == kM && effective_type(s) == SymbolType::boolean ? kY : t; };
  st.dir_dep = promote(sym.dir_dep == kNone ? kY : eval(sym.dir_dep));
  st.rev_dep = promote(sym.rev_dep == kNone ? kN : eval(sym.rev_dep));
  st.implied = promote(sym.implied == kNone ? kN : eval(sym.implied));
}

PropId Configuration::default_prop(SymbolId s) {
  for (const CondRef *r = defaults_.first(s), *e = defaults_.last(s); r != e; ++r) {
    Tristate v = eval(r->cond);
    prop_vis_[r->prop] = v;
    if (v != kN) return r->prop;
  }
  return kNone;
}

PropId Configuration::range_prop(SymbolId s) {
  for (const CondRef *r = ranges_.first(s), *e = ranges_.last(s); r != e; ++r) {
    Tristate v = eval(r->cond);
    prop_vis_[r->prop] = v;
    if (v != kN) return r->prop;
  }
  return kNone;
}

int64_t Configuration::range_val(SymbolId bound, int base) {
  calc(bound);
  switch (model_->sym(bound).type) {
    case SymbolType::integer: base = 10; break;
    case SymbolType::hex: base = 16; break;
    default: break;
  }
  return c_strtoll(state_[bound].val, base).value;
}

void Configuration::validate_range(SymbolId s) {
  int base;
  switch (info_[s].type) {
    case SymbolType::integer: base = 10; break;
    case SymbolType::hex: base = 16; break;
    default: return;
  }
  PropId p = range_prop(s);
  SymState& st = state_[s];
  st.orange = p;
  if (p == kNone) return;
  const Property& pr = model_->prop(p);
  int64_t val = c_strtoll(st.val, base).value;
  SymbolId bound = pr.range_lo;
  int64_t lim = range_val(bound, base);
  if (val >= lim) {
    bound = pr.range_hi;
    lim = range_val(bound, base);
    if (val <= lim) return;
  }
  st.unclamped = st.val;
  st.val = state_[bound].val;
  st.obits |= kORangeClamped;
}

void Configuration::warn_unmet_dep(SymbolId s) {
  const Symbol& sym = model_->sym(s);
  const SymState& st = state_[s];
  std::string m = "\nWARNING: unmet direct dependencies detected for ";
  m += sym.name;
  m += "\n  Depends on [";
  m += st.dir_dep == kM ? 'm' : 'n';
  m += "]: ";
  print_expr(sym.dir_dep, m);
  m += '\n';
  print_revdep(sym.rev_dep, kY, "  Selected by [y]:\n", m);
  print_revdep(sym.rev_dep, kM, "  Selected by [m]:\n", m);
  Location where;
  if (!sym.nodes.empty()) where = model_->node(sym.nodes.front()).where;
  log_->err(std::move(m), Severity::warning, std::move(where));
  ++sym_warnings_;
}

void Configuration::calc(SymbolId s) {
  if (s == kNone) return;
  if (state_[s].flags & kValid) return;
  const SymInfo& sym = info_[s];
  const bool valued_choice = rules().choice_value_symbol;
  const bool zero = rules().empty_number_reads_as_zero;
  if (valued_choice && is_choice_value(s) && (state_[s].flags & kNeedSetChoice)) {
    state_[s].flags &= ~kNeedSetChoice;
    calc(member_choice_[s]);
  }
  SymState& st = state_[s];
  st.flags |= kValid;

  Tristate newtri = kN;
  std::string_view newval;
  switch (sym.type) {
    case SymbolType::integer: newval = zero ? "0" : ""; break;
    case SymbolType::hex: newval = zero ? "0x0" : ""; break;
    case SymbolType::string: newval = ""; break;
    case SymbolType::boolean:
    case SymbolType::tristate: newval = "n"; break;
    case SymbolType::unknown:
      st.val = model_->sym(s).name;
      st.tri = kN;
      st.source = model_->sym(s).is(kSymConst) ? Origin::Source::constant : Origin::Source::untyped;
      return;
  }
  st.flags &= ~kWrite;
  st.obits = 0;
  st.oprop = kNone;
  st.orange = kNone;
  st.source = Origin::Source::initial;

  calc_visibility(s);
  if (st.visible != kN) st.flags |= kWrite;

  // Seen by recursive requests while this symbol is being computed.
  st.val = newval;
  st.tri = kN;
  if (valued_choice && is_choice(s)) st.curr_choice = kNone;

  switch (effective_type(s)) {
    case SymbolType::boolean:
    case SymbolType::tristate: calc_bool(s, st, newtri); break;
    case SymbolType::string:
    case SymbolType::hex:
    case SymbolType::integer: calc_string(s, st, newval); break;
    default: break;
  }

  st.val = newval;
  st.tri = newtri;
  if (valued_choice && is_choice(s) && newtri == kY) st.curr_choice = calc_choice_61(s);
  validate_range(s);

  if (s == model_->modules_sym) modules_val_ = st.tri;

  if (valued_choice && is_choice(s)) {
    const bool write = st.flags & kWrite;
    for (SymbolId m : choice_info(s).entries)
      if (write && state_[m].visible != kN) state_[m].flags |= kWrite;
  }
  if (is_choice(s)) st.flags &= ~kWrite;
  if (valued_choice && (st.flags & kNeedSetChoice)) set_all_choice_values(s);
}

void Configuration::calc_bool(SymbolId s, SymState& st, Tristate& newtri) {
  const bool member = is_choice_value(s);
  const bool valued_choice = rules().choice_value_symbol;
  if (!valued_choice && member) {
    calc_choice(member_choice_[s]);
    newtri = st.tri;
    st.source = Origin::Source::choice;
  } else if (valued_choice && member && st.visible == kY) {
    newtri = state_[member_choice_[s]].curr_choice == s ? kY : kN;
    st.source = Origin::Source::choice;
  } else {
    bool user = false;
    if (st.visible != kN && (st.flags & kDefUser)) {
      newtri = tri_and(st.user_tri, st.visible);
      st.source = Origin::Source::user;
      st.obits |= kOUserUsed;
      if (st.user_tri > st.visible) st.obits |= kOVisCapped;
      user = true;
    }
    if (!user) {
      if (st.rev_dep != kN) st.flags |= kWrite;
      if (!is_choice(s)) {
        PropId p = default_prop(s);
        if (p != kNone) {
          newtri = tri_and(eval(model_->prop(p).expr), prop_vis_[p]);
          if (newtri != kN) st.flags |= kWrite;
          st.oprop = p;
          st.source = Origin::Source::default_value;
        }
        if (st.implied != kN) {
          st.flags |= kWrite;
          Tristate raised = tri_or(newtri, st.implied);
          Tristate capped = tri_and(raised, st.dir_dep);
          if (raised > newtri && capped > newtri) st.source = Origin::Source::implied;
          if (capped < raised) st.obits |= kODepCapped;
          newtri = capped;
        }
      }
    }
    if (st.dir_dep < st.rev_dep) {
      warn_unmet_dep(s);
      st.obits |= kOUnmet;
    }
    if (st.rev_dep > newtri) st.source = Origin::Source::selected;
    newtri = tri_or(newtri, st.rev_dep);
  }
  if (newtri == kM && effective_type(s) == SymbolType::boolean) {
    newtri = kY;
    st.obits |= kOPromoted;
  }
}

void Configuration::calc_string(SymbolId s, SymState& st, std::string_view& newval) {
  if (st.visible != kN && (st.flags & kDefUser)) {
    newval = st.user_val;
    st.source = Origin::Source::user;
    st.obits |= kOUserUsed;
    return;
  }
  PropId p = default_prop(s);
  if (p == kNone) return;
  ExprId e = model_->prop(p).expr;
  if (e == kNone || model_->expr(e).kind != ExprKind::symbol) return;
  SymbolId ds = model_->expr(e).sym;
  st.flags |= kWrite;
  calc(ds);
  newval = state_[ds].val;
  st.oprop = p;
  st.source = Origin::Source::default_value;
}

void Configuration::clear_all_valid() {
  const size_t n = state_.size();
  for (SymbolId s : id_range(kSymFirstOther, n)) state_[s].flags &= ~kValid;
  if (rules().expression_value_cache) std::fill(expr_cache_.begin(), expr_cache_.end(), kExprUnknown);
  changed_ = true;
  calc(model_->modules_sym);
}

void Configuration::calc_all() {
  for (SymbolId s : table_order_) calc(s);
}

bool Configuration::changeable(SymbolId s) const {
  if (!rules().choice_value_symbol && is_choice(s)) return false;
  return state_[s].visible > state_[s].rev_dep;
}

bool Configuration::tristate_within_range(SymbolId s, Tristate v) const {
  const SymState& st = state_[s];
  SymbolType type = effective_type(s);
  if (st.visible == kN) return false;
  if (!is_bool_like(type)) return false;
  if (type == SymbolType::boolean && v == kM) return false;
  if (st.visible <= st.rev_dep) return false;
  if (rules().choice_value_symbol && is_choice_value(s) && st.visible == kY) return v == kY;
  return v >= st.rev_dep && v <= st.visible;
}

std::string_view Configuration::string_default(SymbolId s) {
  calc_visibility(s);
  calc(model_->modules_sym);
  const Symbol& sym = model_->sym(s);
  Tristate val = kN;
  std::string_view str = "";
  PropId p = default_prop(s);
  if (p != kNone) {
    const Property& pr = model_->prop(p);
    if (is_bool_like(sym.type)) {
      val = tri_and(eval(pr.expr), prop_vis_[p]);
    } else if (pr.expr != kNone && model_->expr(pr.expr).kind == ExprKind::symbol) {
      SymbolId ds = model_->expr(pr.expr).sym;
      calc(ds);
      str = state_[ds].val;
    }
  }
  const SymState& st = state_[s];
  val = tri_or(val, st.rev_dep);
  if (val == kM && !is_choice_value(s) && state_[model_->modules_sym].tri == kN) val = kY;
  if (sym.type == SymbolType::boolean && val == kM) val = kY;
  if (val < st.implied) val = st.implied;
  switch (sym.type) {
    case SymbolType::boolean:
    case SymbolType::tristate: return tri_string(val);
    case SymbolType::integer:
      if (str.empty() && rules().empty_number_reads_as_zero) str = "0";
      return str;
    case SymbolType::hex:
      if (str.empty() && rules().empty_number_reads_as_zero) str = "0x0";
      return str;
    case SymbolType::string: return str;
    case SymbolType::unknown: return rules().untyped_default_is_empty ? std::string_view("") : str;
  }
  return str;
}

bool Configuration::node_visible(NodeId n) {
  if (n == model_->root()) return true;
  const MenuNode& nd = model_->node(n);
  if (nd.prompt == kNone) return false;
  if (nd.visibility != kNone && eval(nd.visibility) == kN) return false;
  Tristate v;
  if (nd.sym != kNone) {
    calc(nd.sym);
    v = prop_vis_[nd.prompt];
  } else {
    v = eval(model_->prop(nd.prompt).cond);
    prop_vis_[nd.prompt] = v;
  }
  if (v != kN) return true;
  if (nd.sym == kNone || state_[nd.sym].tri == kN) return false;
  for (NodeId c = nd.first_child; c != kNone; c = model_->node(c).next) {
    if (node_visible(c)) {
      if (rules().menu_visibility_sets_user_flag) state_[nd.sym].flags |= kDefUser;
      return true;
    }
  }
  return false;
}

// --- user values -------------------------------------------------------------

void Configuration::store_tri(SymbolId s, DefSlot slot, Tristate v, bool mark) {
  SymState& st = state_[s];
  if (slot == DefSlot::user)
    st.user_tri = v;
  else
    st.auto_tri = v;
  if (mark) set_has_value(s, slot, true);
}

void Configuration::store_str(SymbolId s, DefSlot slot, std::string_view v) {
  SymState& st = state_[s];
  (slot == DefSlot::user ? st.user_val : st.auto_val) = intern(v);
  set_has_value(s, slot, true);
}

void Configuration::set_has_value(SymbolId s, DefSlot slot, bool on) {
  uint16_t f = slot == DefSlot::user ? kDefUser : kDefAuto;
  if (on)
    state_[s].flags |= f;
  else
    state_[s].flags &= ~f;
}

void Configuration::set_user_location(SymbolId s, uint32_t file, int line) {
  state_[s].user_file = file;
  state_[s].user_line = line;
}

uint32_t Configuration::add_source_file(std::string name) {
  source_files_.push_back(std::move(name));
  return static_cast<uint32_t>(source_files_.size() - 1);
}

void Configuration::reset_slot(DefSlot slot) {
  const uint16_t f = slot == DefSlot::user ? kDefUser : kDefAuto;
  const size_t n = state_.size();
  for (SymbolId s : id_range(kSymFirstOther, n)) {
    SymState& st = state_[s];
    st.flags &= ~f;
    if (rules().conf_read_invalidates_per_symbol) {
      st.flags &= ~kValid;
      if (is_choice(s)) st.flags |= f;
    }
    if (slot == DefSlot::user) {
      st.user_val = {};
      st.user_tri = kN;
      st.user_choice = kNone;
      st.user_file = kNoFile;
      st.user_line = 0;
    } else {
      st.auto_val = {};
      st.auto_tri = kN;
    }
  }
  if (slot == DefSlot::user && !rules().conf_read_invalidates_per_symbol) {
    for (SymbolId s : id_range(kSymFirstOther, n)) state_[s].flags &= ~kValid;
    std::fill(expr_cache_.begin(), expr_cache_.end(), kExprUnknown);
  }
}

bool Configuration::set_tristate_value(SymbolId s, Tristate v) {
  Tristate oldval = state_[s].tri;
  SymState& st = state_[s];
  if (!rules().choice_value_symbol) {
    if (!tristate_within_range(s, v)) return false;
    if (!(st.flags & kDefUser) || st.user_tri != v) {
      st.user_tri = v;
      st.flags |= kDefUser;
      st.user_file = kNoFile;
    }
    if (oldval != v) clear_all_valid();
    return true;
  }
  if (oldval != v && !tristate_within_range(s, v)) return false;
  st.flags |= kDefUser;
  st.user_file = kNoFile;
  if (is_choice_value(s) && v == kY) {
    SymbolId cs = member_choice_[s];
    state_[cs].user_choice = s;
    state_[cs].flags |= kDefUser;
    for (SymbolId m : choice_info(cs).entries)
      if (state_[m].visible != kN) state_[m].flags |= kDefUser;
  }
  st.user_tri = v;
  if (oldval != v) clear_all_valid();
  return true;
}

bool Configuration::string_within_range(SymbolId s, std::string_view v) {
  const Symbol& sym = model_->sym(s);
  switch (sym.type) {
    case SymbolType::string: return true;
    case SymbolType::integer:
    case SymbolType::hex: {
      if (!string_valid_for(sym.type, v)) return false;
      PropId p = range_prop(s);
      if (p == kNone) return true;
      int base = sym.type == SymbolType::integer ? 10 : 16;
      int64_t x = c_strtoll(v, base).value;
      const Property& pr = model_->prop(p);
      return x >= range_val(pr.range_lo, base) && x <= range_val(pr.range_hi, base);
    }
    case SymbolType::boolean:
    case SymbolType::tristate:
      switch (v.empty() ? '\0' : v[0]) {
        case 'y':
        case 'Y': return tristate_within_range(s, kY);
        case 'm':
        case 'M': return tristate_within_range(s, kM);
        case 'n':
        case 'N': return tristate_within_range(s, kN);
      }
      return false;
    case SymbolType::unknown: return false;
  }
  return false;
}

bool Configuration::set_string_value(SymbolId s, std::string_view v) {
  const Symbol& sym = model_->sym(s);
  if (is_bool_like(sym.type)) {
    switch (v.empty() ? '\0' : v[0]) {
      case 'y':
      case 'Y': return set_tristate_value(s, kY);
      case 'm':
      case 'M': return set_tristate_value(s, kM);
      case 'n':
      case 'N': return set_tristate_value(s, kN);
    }
    return false;
  }
  if (!string_within_range(s, v)) return false;
  SymState& st = state_[s];
  st.flags |= kDefUser;
  st.user_file = kNoFile;
  if (sym.type == SymbolType::hex && !(v.size() >= 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))) {
    st.user_val = intern("0x" + std::string(v));
  } else if (st.user_val.data() == nullptr || st.user_val != v) {
    st.user_val = intern(v);
  } else {
    return true;
  }
  clear_all_valid();
  return true;
}

// --- explaining --------------------------------------------------------------

namespace {

// The selecting/implying symbol of one rev_dep/implied OR-term (`SYM && cond`).
SymbolId term_symbol(const Model& m, ExprId e) {
  while (e != kNone) {
    const Expr& x = m.expr(e);
    if (x.kind == ExprKind::symbol) return x.sym;
    if (x.kind != ExprKind::and_) return kNone;
    e = x.left;
  }
  return kNone;
}

}  // namespace

Origin Configuration::why(SymbolId s) const {
  const Symbol& sym = model_->sym(s);
  const SymState& st = state_[s];
  Origin o;
  o.symbol = s;
  o.source = st.source;
  o.default_prop = st.oprop;
  o.has_user_value = st.flags & kDefUser;
  o.user_value_used = st.obits & kOUserUsed;
  if (o.has_user_value) {
    o.user_value = is_bool_like(sym.type) ? std::string(tri_string(st.user_tri)) : std::string(st.user_val);
    if (st.user_file != kNoFile && st.user_file < source_files_.size())
      o.user_at = Location{source_files_[st.user_file], st.user_line, 0};
  }
  o.capped_by_visibility = st.obits & kOVisCapped;
  o.capped_by_dependency = st.obits & kODepCapped;
  o.promoted_to_y = st.obits & kOPromoted;
  o.visibility = st.visible;
  o.dir_dep = st.dir_dep;
  o.rev_dep = st.rev_dep;
  o.implied_by = st.implied;
  o.unmet_dependencies = st.obits & kOUnmet;
  o.range_prop = st.orange;
  o.range_clamped = st.obits & kORangeClamped;
  if (o.range_clamped) o.unclamped_value = std::string(st.unclamped);
  o.written = st.flags & kWrite;

  // Peek-evaluate OR-terms with the current values (no computation).
  auto peek = [&](auto& self, ExprId e) -> Tristate {
    if (e == kNone) return kY;
    const Expr& x = model_->expr(e);
    switch (x.kind) {
      case ExprKind::symbol: return state_[x.sym].tri;
      case ExprKind::and_: return tri_and(self(self, x.left), self(self, x.right));
      case ExprKind::or_: return tri_or(self(self, x.left), self(self, x.right));
      case ExprKind::not_: return tri_not(self(self, x.left));
      case ExprKind::sym_as_expr: return kGarbage;
      default: return compare(x);
    }
  };
  auto terms = [&](ExprId e, std::vector<Origin::Contributor>& out) {
    auto rec = [&](auto& self, ExprId id) -> void {
      if (id == kNone) return;
      const Expr& x = model_->expr(id);
      if (x.kind == ExprKind::or_) {
        self(self, x.left);
        self(self, x.right);
        return;
      }
      Tristate v = peek(peek, id);
      if (v != kN) out.push_back({term_symbol(*model_, id), id, v});
    };
    rec(rec, e);
  };
  terms(sym.rev_dep, o.selectors);
  terms(sym.implied, o.impliers);

  if (is_choice_value(s)) {
    o.choice = member_choice_[s];
    const ChoiceInfo& ci = choice_info(o.choice);
    const bool valued_choice = rules().choice_value_symbol;
    o.chosen = valued_choice ? state_[o.choice].curr_choice : ci.chosen;
    o.choice_rule = ci.rule;
    o.choice_default_prop = ci.default_prop;
    if (st.visible == kN && !valued_choice) o.choice_rule = Origin::ChoiceRule::invisible;
    if (valued_choice && st.visible != kY && st.source != Origin::Source::choice)
      o.choice_rule = st.visible == kN ? Origin::ChoiceRule::invisible : Origin::ChoiceRule::mod_mode;
  }
  return o;
}

}  // namespace kmeta::kconfig
