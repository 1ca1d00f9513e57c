// all{no,yes,mod,def}config, randconfig and the tristate rewrite modes
// (conf.c:conf_set_all_new_symbols, randomize_choice_values,
// conf_rewrite_tristates), for both dialects.
//
// 6.12 walks the menu tree and only touches prompted bool/tristate symbols;
// choices draw one member per unset member and move it to the back of the
// priority list. 6.1 walks the symbol table, draws for every bool/tristate
// symbol (choice symbols too), then picks one member per `y` choice, and
// repeats the whole pass until nothing changes.
#include "kconfig/conf.h"
#include "kconfig/glibc_rand.h"
#include "kconfig/lkc_plumbing.h"
#include "kconfig/tristate_names.h"

namespace kmeta::kconfig {
namespace {

enum class DefMode { default_, yes, mod, no, random };

DefMode def_mode(ConfMode m) {
  switch (m) {
    case ConfMode::allnoconfig: return DefMode::no;
    case ConfMode::allyesconfig: return DefMode::yes;
    case ConfMode::allmodconfig: return DefMode::mod;
    case ConfMode::randconfig: return DefMode::random;
    default: return DefMode::default_;
  }
}

bool bool_like(SymbolType t) { return t == SymbolType::boolean || t == SymbolType::tristate; }

Tristate draw(SymbolType type, const RandProbabilities& p, GlibcRand& rng) {
  int cnt = rng.next() % 100;
  if (type == SymbolType::tristate) {
    if (cnt < p.tri_y) return kY;
    if (cnt < p.tri_y + p.tri_m) return kM;
    return kN;
  }
  return cnt < p.bool_y ? kY : kN;
}

// 6.12 randomize_choice_values.
void randomize_choice_612(Configuration& cfg, SymbolId choice, GlibcRand& rng) {
  const std::vector<SymbolId>& entries = cfg.choice_entries(choice);
  int cnt = 0;
  for (SymbolId m : entries)
    if (!cfg.has_value(m)) ++cnt;
  while (cnt > 0) {
    int x = rng.next() % cnt;
    for (SymbolId m : entries) {
      if (!cfg.has_value(m)) --x;
      if (x < 0) {
        plumbing(cfg).store_tri(m, DefSlot::user, kY);
        cfg.prioritize_member(m, false);
        break;
      }
    }
    --cnt;
  }
}

void set_all_612(Configuration& cfg, DefMode mode, const RandProbabilities* p, GlibcRand* rng) {
  const Model& m = cfg.model();
  if (mode == DefMode::default_) {
    // alldefconfig: the walk below stores nothing in this mode (every case
    // ends in `continue`), so only its last step has an effect.
    cfg.clear_all_valid();
    return;
  }
  std::vector<NodeId> order;
  m.walk([&](NodeId n) {
    if (n != m.root()) order.push_back(n);
  });
  for (NodeId n : order) {
    const MenuNode& nd = m.node(n);
    SymbolId s = nd.sym;
    if (s == kNone || nd.prompt == kNone || cfg.has_value(s) || !bool_like(m.sym(s).type) ||
        cfg.is_choice_value(s))
      continue;
    if (cfg.is_choice(s)) {
      if (mode == DefMode::random) randomize_choice_612(cfg, s, *rng);
      continue;
    }
    Tristate v;
    switch (mode) {
      case DefMode::yes: v = kY; break;
      case DefMode::mod: v = kM; break;
      case DefMode::no: v = kN; break;
      case DefMode::random: v = draw(m.sym(s).type, *p, *rng); break;
      default: continue;
    }
    plumbing(cfg).store_tri(s, DefSlot::user, v);
  }
  cfg.clear_all_valid();
}

// 6.1 randomize_choice_values.
bool randomize_choice_61(Configuration& cfg, SymbolId cs, GlibcRand& rng) {
  if (cfg.tri_now(cs) != kY) return false;
  const std::vector<SymbolId>& members = cfg.choice_entries(cs);
  if (members.empty()) return false;
  int def = rng.next() % static_cast<int>(members.size());
  int i = 0;
  for (SymbolId m : members) {
    if (def == i++) {
      plumbing(cfg).store_tri(m, DefSlot::user, kY);
      plumbing(cfg).set_user_choice(cs, m);
    } else {
      plumbing(cfg).store_tri(m, DefSlot::user, kN);
    }
    plumbing(cfg).invalidate(m);
  }
  plumbing(cfg).set_has_value(cs, DefSlot::user, true);
  plumbing(cfg).invalidate(cs);
  return true;
}

bool set_all_61(Configuration& cfg, DefMode mode, const RandProbabilities* p, GlibcRand* rng) {
  const Model& m = cfg.model();
  bool has_changed = false;
  for (SymbolId s : cfg.table_order()) {
    if (cfg.has_value(s) || cfg.valid(s)) continue;
    if (!bool_like(cfg.effective_type(s))) continue;
    has_changed = true;
    Tristate v;
    switch (mode) {
      case DefMode::yes: v = kY; break;
      case DefMode::mod: v = kM; break;
      case DefMode::no: v = kN; break;
      case DefMode::random: v = draw(m.sym(s).type, *p, *rng); break;
      default: continue;
    }
    plumbing(cfg).store_tri(s, DefSlot::user, v, !(cfg.is_choice(s) && mode == DefMode::random));
  }
  cfg.clear_all_valid();
  if (mode != DefMode::random) {
    for (SymbolId s : cfg.table_order())
      if ((cfg.is_choice(s) && !cfg.has_value(s)) || cfg.is_choice_value(s))
        plumbing(cfg).set_need_set_choice_values(s);
  }
  for (SymbolId cs : cfg.table_order()) {
    if (cfg.has_value(cs) || !cfg.is_choice(cs)) continue;
    cfg.calc(cs);
    if (mode == DefMode::random) {
      has_changed |= randomize_choice_61(cfg, cs, *rng);
    } else {
      plumbing(cfg).set_all_choice_values(cs);
      has_changed = true;
    }
  }
  return has_changed;
}

}  // namespace

void set_all_new_symbols(Configuration& cfg, ConfMode mode) {
  if (cfg.rules().choice_value_symbol)
    set_all_61(cfg, def_mode(mode), nullptr, nullptr);
  else
    set_all_612(cfg, def_mode(mode), nullptr, nullptr);
}

void randomize_config(Configuration& cfg, const RandProbabilities& p, GlibcRand& rng) {
  if (cfg.rules().choice_value_symbol) {
    while (set_all_61(cfg, DefMode::random, &p, &rng)) {
    }
  } else {
    set_all_612(cfg, DefMode::random, &p, &rng);
  }
}

void rewrite_tristates(Configuration& cfg, Tristate from, Tristate to) {
  for (SymbolId s : cfg.table_order())
    if (cfg.effective_type(s) == SymbolType::tristate && cfg.def_tri(s) == from)
      plumbing(cfg).store_tri(s, DefSlot::user, to, false);
  cfg.clear_all_valid();
}

}  // namespace kmeta::kconfig
