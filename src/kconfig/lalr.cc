#include "kconfig/lalr.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace kmeta::kconfig::lalr {
namespace {

using Mask = uint64_t;              // one bit per terminal
constexpr Mask kHash = 1ull << 63;  // the "#" propagation marker

struct Builder {
  const Grammar& g;
  int nt0;                                 // first nonterminal
  std::vector<std::vector<int>> rules_of;  // per symbol (nonterminals only)
  std::vector<uint8_t> nullable;
  std::vector<Mask> first;     // per symbol
  std::vector<int> item_base;  // per rule: first item id
  std::vector<int> item_rule, item_dot;

  std::vector<std::vector<int>> kernels;  // per state, sorted item ids
  std::map<std::vector<int>, int> state_of;
  std::vector<std::map<int, int>> trans;  // per state: symbol -> state
  std::vector<std::vector<Mask>> la;      // per state, per kernel item

  explicit Builder(const Grammar& gr) : g(gr), nt0(gr.n_terminals) {}

  bool is_term(int s) const { return s < nt0; }
  int after_dot(int item) const {
    const Rule& r = g.rules[item_rule[item]];
    int d = item_dot[item];
    return d < static_cast<int>(r.rhs.size()) ? r.rhs[d] : -1;
  }

  void analyse() {
    rules_of.assign(g.n_symbols, {});
    for (size_t i = 0; i < g.rules.size(); ++i) rules_of[g.rules[i].lhs].push_back(static_cast<int>(i));
    nullable.assign(g.n_symbols, 0);
    first.assign(g.n_symbols, 0);
    for (int t = 0; t < nt0; ++t) first[t] = 1ull << t;
    for (bool changed = true; changed;) {
      changed = false;
      for (const Rule& r : g.rules) {
        Mask m = first[r.lhs];
        bool all_null = true;
        for (int s : r.rhs) {
          m |= first[s];
          if (!nullable[s]) {
            all_null = false;
            break;
          }
        }
        if (m != first[r.lhs]) {
          first[r.lhs] = m;
          changed = true;
        }
        if (all_null && !nullable[r.lhs]) {
          nullable[r.lhs] = 1;
          changed = true;
        }
      }
    }
    for (size_t i = 0; i < g.rules.size(); ++i) {
      item_base.push_back(static_cast<int>(item_rule.size()));
      for (size_t d = 0; d <= g.rules[i].rhs.size(); ++d) {
        item_rule.push_back(static_cast<int>(i));
        item_dot.push_back(static_cast<int>(d));
      }
    }
  }

  // FIRST of the rest of `item` after the symbol following its dot; *null says
  // whether that rest can derive the empty string.
  Mask first_of_rest(int item, bool* null) const {
    const Rule& r = g.rules[item_rule[item]];
    Mask m = 0;
    for (size_t i = item_dot[item] + 1; i < r.rhs.size(); ++i) {
      m |= first[r.rhs[i]];
      if (!nullable[r.rhs[i]]) {
        *null = false;
        return m;
      }
    }
    *null = true;
    return m;
  }

  std::vector<int> closure0(const std::vector<int>& kernel) const {
    std::vector<int> items = kernel;
    std::vector<uint8_t> added(g.n_symbols, 0);
    for (size_t i = 0; i < items.size(); ++i) {
      int s = after_dot(items[i]);
      if (s < 0 || is_term(s) || added[s]) continue;
      added[s] = 1;
      for (int r : rules_of[s]) items.push_back(item_base[r]);
    }
    return items;
  }

  // LR(1) closure: item -> lookahead mask (worklist until no mask grows).
  std::map<int, Mask> closure1(const std::map<int, Mask>& seed) const {
    std::map<int, Mask> items = seed;
    std::vector<int> work;
    work.reserve(items.size());
    for (auto& [item, l] : items) work.push_back(item);
    while (!work.empty()) {
      int item = work.back();
      work.pop_back();
      int s = after_dot(item);
      if (s < 0 || is_term(s)) continue;
      bool null = false;
      Mask add = first_of_rest(item, &null);
      if (null) add |= items[item];
      for (int r : rules_of[s]) {
        auto [it, fresh] = items.emplace(item_base[r], add);
        if (fresh) {
          work.push_back(item_base[r]);
        } else if ((it->second | add) != it->second) {
          it->second |= add;
          work.push_back(item_base[r]);
        }
      }
    }
    return items;
  }

  void lr0() {
    kernels.push_back({item_base[0]});
    state_of[kernels[0]] = 0;
    trans.emplace_back();
    for (size_t s = 0; s < kernels.size(); ++s) {
      std::vector<int> items = closure0(kernels[s]);
      std::map<int, std::vector<int>> next;
      for (int it : items) {
        int x = after_dot(it);
        if (x >= 0) next[x].push_back(it + 1);
      }
      for (auto& [x, k] : next) {
        std::sort(k.begin(), k.end());
        k.erase(std::unique(k.begin(), k.end()), k.end());
        auto found = state_of.find(k);
        int t;
        if (found == state_of.end()) {
          t = static_cast<int>(kernels.size());
          kernels.push_back(k);
          state_of[k] = t;
          trans.emplace_back();
        } else {
          t = found->second;
        }
        trans[s][x] = t;
      }
    }
  }

  int kernel_pos(int state, int item) const {
    const auto& k = kernels[state];
    auto it = std::lower_bound(k.begin(), k.end(), item);
    return static_cast<int>(it - k.begin());
  }

  void lookaheads() {
    la.resize(kernels.size());
    for (size_t s = 0; s < kernels.size(); ++s) la[s].assign(kernels[s].size(), 0);
    struct Edge {
      int s, k, t, p;
    };
    std::vector<Edge> edges;
    for (size_t s = 0; s < kernels.size(); ++s) {
      for (size_t k = 0; k < kernels[s].size(); ++k) {
        auto cl = closure1({{kernels[s][k], kHash}});
        for (auto& [item, l] : cl) {
          int x = after_dot(item);
          if (x < 0) continue;
          int t = trans[s].at(x);
          int p = kernel_pos(t, item + 1);
          la[t][p] |= l & ~kHash;
          if (l & kHash) edges.push_back({static_cast<int>(s), static_cast<int>(k), t, p});
        }
      }
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (const Edge& e : edges) {
        Mask m = la[e.t][e.p] | la[e.s][e.k];
        if (m != la[e.t][e.p]) {
          la[e.t][e.p] = m;
          changed = true;
        }
      }
    }
  }

  int rule_prec(int r) const {
    const Rule& rule = g.rules[r];
    for (auto it = rule.rhs.rbegin(); it != rule.rhs.rend(); ++it)
      if (is_term(*it)) return g.prec[*it];
    return 0;
  }

  Tables tables() {
    Tables t;
    const int nst = static_cast<int>(kernels.size());
    const int ntm = g.n_terminals;
    t.n_states = nst;
    t.n_terminals = ntm;
    t.n_symbols = g.n_symbols;
    t.names = g.names;
    t.action.assign(static_cast<size_t>(nst) * ntm, 0);
    t.default_rule.assign(nst, -1);
    t.needs_lookahead.assign(nst, 0);
    t.go.assign(static_cast<size_t>(nst) * g.n_symbols, -1);
    for (const Rule& r : g.rules) {
      t.rule_lhs.push_back(r.lhs);
      t.rule_len.push_back(static_cast<int>(r.rhs.size()));
      t.rule_action.push_back(r.action);
    }
    constexpr int kErr = 1 << 30;  // explicit (%nonassoc) error marker
    for (int s = 0; s < nst; ++s) {
      std::vector<int> row(ntm, 0);
      bool shifts_error = false;
      bool shifts_terminal = false;
      for (auto& [x, to] : trans[s]) {
        if (is_term(x)) {
          row[x] = to + 1;
          shifts_terminal = true;
          if (x == 1) shifts_error = true;
          if (x == 0 && kernels[s].size() == 1 && item_rule[kernels[s][0]] == 0) t.final_state = to;
        } else {
          t.go[static_cast<size_t>(s) * g.n_symbols + x] = to;
        }
      }
      // Reductions with their lookaheads, in rule order.
      std::map<int, Mask> seed;
      for (size_t k = 0; k < kernels[s].size(); ++k) seed[kernels[s][k]] = la[s][k];
      auto cl = closure1(seed);
      std::map<int, Mask> reds;  // rule -> lookaheads
      for (auto& [item, l] : cl)
        if (after_dot(item) < 0 && item_rule[item] != 0) reds[item_rule[item]] |= l;
      for (auto& [r, l] : reds) {
        int rp = rule_prec(r);
        for (int x = 0; x < ntm; ++x) {
          if (!(l & (1ull << x))) continue;
          int cur = row[x];
          if (cur == 0) {
            row[x] = -r - 1;
          } else if (cur > 0 && cur != kErr) {  // shift/reduce
            int tp = g.prec[x];
            if (rp == 0 || tp == 0) {
              t.conflicts.push_back("shift/reduce on " + g.names[x] + " in state " + std::to_string(s));
              l &= ~(1ull << x);
            } else if (tp < rp || (tp == rp && g.assoc[x] == Assoc::left)) {
              row[x] = -r - 1;
            } else if (tp > rp || g.assoc[x] == Assoc::right) {
              l &= ~(1ull << x);
            } else {  // nonassoc
              row[x] = kErr;
              l &= ~(1ull << x);
            }
          } else if (cur < 0) {
            t.conflicts.push_back("reduce/reduce on " + g.names[x] + " in state " + std::to_string(s));
            l &= ~(1ull << x);
          }
        }
      }
      // Default reduction (Bison tables.c:action_row).
      int def = -1;
      if (!reds.empty() && !shifts_error) {
        if (reds.size() == 1 && !shifts_terminal) {
          def = reds.begin()->first;
        } else {
          int best = 0;
          for (auto& [r, l] : reds) {
            int count = 0;
            for (int x = 0; x < ntm; ++x)
              if (row[x] == -r - 1) ++count;
            if (count > best) {
              best = count;
              def = r;
            }
          }
        }
      }
      bool any = false;
      for (int x = 0; x < ntm; ++x) {
        if (def >= 0 && row[x] == -def - 1) row[x] = 0;
        if (row[x] == kErr) {
          if (def >= 0)
            t.conflicts.push_back("explicit error with a default reduction in state " + std::to_string(s));
          row[x] = 0;
        }
        if (row[x] != 0) any = true;
        t.action[static_cast<size_t>(s) * ntm + x] = row[x];
      }
      t.default_rule[s] = def;
      t.needs_lookahead[s] = any;
    }
    return t;
  }
};

}  // namespace

Tables build(const Grammar& g) {
  if (g.n_terminals > 63) throw std::logic_error("lalr: too many terminals");
  Builder b(g);
  b.analyse();
  b.lr0();
  b.lookaheads();
  return b.tables();
}

}  // namespace kmeta::kconfig::lalr
