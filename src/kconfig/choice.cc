// Choices: 6.12's priority-list decision (symbol.c:sym_calc_choice,
// sym_choice_default, choice_set_value) and 6.1's choice symbol
// (sym_calc_choice(sym), set_all_choice_values).
#include <algorithm>

#include "kconfig/configuration.h"
#include "kconfig/tristate_names.h"

namespace kmeta::kconfig {

// --- choices -----------------------------------------------------------------

const std::vector<SymbolId>& Configuration::priority_list(SymbolId choice) const {
  return choice_info(choice).priority;
}

const std::vector<SymbolId>& Configuration::choice_entries(SymbolId choice) const {
  return choice_info(choice).entries;
}

NodeId Configuration::choice_node(SymbolId choice) const { return choice_info(choice).node; }

void Configuration::prioritize_member(SymbolId member, bool to_front) {
  SymbolId c = member_choice_[member];
  if (c == kNone) return;
  std::vector<SymbolId>& pl = choice_info(c).priority;
  auto it = std::find(pl.begin(), pl.end(), member);
  if (it == pl.end()) return;
  if (to_front)
    std::rotate(pl.begin(), it, it + 1);
  else
    std::rotate(it, it + 1, pl.end());
}

SymbolId Configuration::choice_default(SymbolId choice) {
  ChoiceInfo& ci = choice_info(choice);
  ci.default_prop = kNone;
  for (const CondRef *r = defaults_.first(choice), *e = defaults_.last(choice); r != e; ++r) {
    prop_vis_[r->prop] = eval(r->cond);
    if (prop_vis_[r->prop] == kN) continue;
    if (r->expr == kNone || model_->expr(r->expr).kind != ExprKind::symbol) continue;
    SymbolId ds = model_->expr(r->expr).sym;
    if (state_[ds].visible != kN) {
      ci.default_prop = r->prop;
      return ds;
    }
  }
  for (SymbolId m : ci.entries)
    if (state_[m].visible != kN) return m;
  return kNone;
}

SymbolId Configuration::calc_choice(SymbolId choice) {
  if (rules().choice_value_symbol) {
    calc(choice);
    return state_[choice].curr_choice;
  }
  ChoiceInfo& ci = choice_info(choice);
  using Rule = Origin::ChoiceRule;
  SymbolId res = kNone;
  Rule rule = Rule::none;
  for (SymbolId m : ci.priority) {
    calc_visibility(m);
    if (state_[m].visible == kN) continue;
    if ((state_[m].flags & kDefUser) && state_[m].user_tri == kY) {
      res = m;
      rule = Rule::user_y;
      break;
    }
  }
  if (res == kNone) {
    res = choice_default(choice);
    rule = Rule::default_member;
    if (res != kNone && (state_[res].flags & kDefUser) && state_[res].user_tri == kN) res = kNone;
  }
  if (res == kNone) {
    for (SymbolId m : ci.entries) {
      if (state_[m].visible == kN || (state_[m].flags & kDefUser)) continue;
      res = m;
      rule = Rule::first_unset;
      break;
    }
  }
  if (res == kNone) {
    for (auto it = ci.priority.rbegin(); it != ci.priority.rend(); ++it) {
      if (state_[*it].visible == kN) continue;
      res = *it;
      rule = Rule::last_n;
      break;
    }
  }
  for (SymbolId m : ci.entries) {
    SymState& ms = state_[m];
    if (ms.visible == kN) continue;
    ms.tri = m == res ? kY : kN;
    ms.flags |= kValid | kWrite;
    ms.source = Origin::Source::choice;
    if (m != res) ms.obits = 0;
  }
  ci.chosen = res;
  ci.rule = res == kNone ? Rule::none : rule;
  return res;
}

SymbolId Configuration::choice_default_61(SymbolId choice) { return choice_default(choice); }

SymbolId Configuration::calc_choice_61(SymbolId choice) {
  ChoiceInfo& ci = choice_info(choice);
  SymState& cs = state_[choice];
  uint16_t flags = cs.flags;
  for (SymbolId m : ci.entries) {
    calc_visibility(m);
    if (state_[m].visible != kN) flags &= state_[m].flags;
  }
  cs.flags &= flags | static_cast<uint16_t>(~kDefUser);
  SymbolId def = cs.user_choice;
  if (def != kNone && state_[def].visible != kN) {
    ci.chosen = def;
    ci.rule = Origin::ChoiceRule::user_y;
    return def;
  }
  def = choice_default_61(choice);
  ci.chosen = def;
  ci.rule = def == kNone ? Origin::ChoiceRule::none : Origin::ChoiceRule::default_member;
  if (def == kNone) cs.tri = kN;
  return def;
}

void Configuration::set_all_choice_values(SymbolId choice) {
  for (SymbolId m : choice_info(choice).entries)
    if (!(state_[m].flags & kDefUser)) state_[m].user_tri = kN;
  state_[choice].flags |= kDefUser;
  state_[choice].flags &= ~(kValid | kNeedSetChoice);
}

void Configuration::choice_set_value(SymbolId choice, SymbolId member) {
  bool changed = false;
  for (SymbolId m : choice_info(choice).entries) {
    SymState& ms = state_[m];
    if (ms.visible == kN) continue;
    Tristate v = m == member ? kY : kN;
    if (ms.tri != v) changed = true;
    ms.user_tri = v;
    ms.flags |= kDefUser;
    ms.user_file = kNoFile;
    prioritize_member(m, true);
  }
  if (changed) clear_all_valid();
}

}  // namespace kmeta::kconfig
