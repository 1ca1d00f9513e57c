// The help block conf prints for `?` answers and --helpnewconfig
// (menu.c:menu_get_ext_help, get_symbol_str, get_prompt_str).
#include "kconfig/conf.h"

namespace kmeta::kconfig {
namespace {

bool expr_is_yes(const Model& m, ExprId e) {
  return e == kNone || (m.expr(e).kind == ExprKind::symbol && m.expr(e).sym == kSymYes);
}

void dep_str(Configuration& cfg, ExprId e, std::string_view prefix, std::string& r) {
  if (expr_is_yes(cfg.model(), e)) return;
  r += prefix;
  cfg.print_expr(e, r);
  r += '\n';
}

std::string_view node_prompt(const Model& m, NodeId n) {
  const MenuNode& nd = m.node(n);
  if (nd.prompt != kNone) return m.prop(nd.prompt).text;
  if (nd.sym != kNone) return m.sym(nd.sym).name;
  return {};
}

void prompt_str(Configuration& cfg, PropId p, std::string& r) {
  const Model& m = cfg.model();
  const Property& prop = m.prop(p);
  r += "  Prompt: ";
  r += prop.text;
  r += '\n';
  const MenuNode& pn = m.node(prop.node);
  dep_str(cfg, pn.dep, "  Depends on: ", r);
  // Hash-consed expressions: equal shapes have equal ids (lkc's expr_eq is
  // slightly more lenient with reordered &&/|| operands).
  bool same = pn.dep == prop.cond || (expr_is_yes(m, pn.dep) && expr_is_yes(m, prop.cond));
  if (!same) dep_str(cfg, prop.cond, "  Visible if: ", r);

  std::vector<NodeId> chain;
  bool located = false;
  for (NodeId n = prop.node; n != m.root() && n != kNone && chain.size() < 8; n = m.node(n).parent) {
    chain.push_back(n);
    if (!located && cfg.node_visible(n)) located = true;  // lkc looks for the jump target
  }
  r += "  Location:\n";
  int j = 0;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it, ++j) {
    int indent = 2 * j + 4;
    r += std::string(static_cast<size_t>(indent), ' ');
    r += "-> ";
    r += node_prompt(m, *it);
    SymbolId s = m.node(*it).sym;
    if (s != kNone) {
      const Symbol& sy = m.sym(s);
      r += " (";
      r += sy.name.empty() && sy.is(kSymChoice) ? std::string("<choice>") : sy.name;
      r += " [=";
      r += cfg.string_value(s);
      r += "])";
    }
    r += '\n';
  }
}

const char* type_name_long(SymbolType t) {
  switch (t) {
    case SymbolType::boolean: return "bool";
    case SymbolType::tristate: return "tristate";
    case SymbolType::integer: return "integer";
    case SymbolType::hex: return "hex";
    case SymbolType::string: return "string";
    case SymbolType::unknown: return "unknown";
  }
  return "???";
}

void symbol_str(Configuration& cfg, SymbolId s, std::string& r) {
  const Model& m = cfg.model();
  const Symbol& sym = m.sym(s);
  if (!sym.name.empty()) {
    r += "Symbol: " + sym.name + " [=" + std::string(cfg.string_value(s)) + "]\n";
    r += std::string("Type  : ") + type_name_long(sym.type) + "\n";
    if (sym.type == SymbolType::integer || sym.type == SymbolType::hex) {
      PropId rp = kNone;
      for (PropId p : sym.props) {
        if (m.prop(p).kind != PropKind::range) continue;
        if (cfg.eval(m.prop(p).cond) != Tristate::no) {
          rp = p;
          break;
        }
      }
      if (rp != kNone) {
        r += "Range : [";
        auto bound = [&](SymbolId b) {
          const Symbol& bs = m.sym(b);
          r += bs.name;
          if (bs.type != SymbolType::unknown) r += " [=" + std::string(cfg.string_value(b)) + "]";
        };
        bound(m.prop(rp).range_lo);
        r += ' ';
        bound(m.prop(rp).range_hi);
        r += "]\n";
      }
    }
  }
  for (NodeId n : sym.nodes) {
    const MenuNode& nd = m.node(n);
    if (nd.prompt == kNone) continue;
    r += "Defined at " + nd.where.file + ":" + std::to_string(nd.where.line) + "\n";
    prompt_str(cfg, nd.prompt, r);
  }
  for (NodeId n : sym.nodes) {
    const MenuNode& nd = m.node(n);
    if (nd.prompt != kNone) continue;
    r += "Defined at " + nd.where.file + ":" + std::to_string(nd.where.line) + "\n";
    dep_str(cfg, nd.dep, "  Depends on: ", r);
  }
  auto props_str = [&](PropKind kind, std::string_view prefix) {
    bool hit = false;
    for (PropId p : sym.props) {
      if (m.prop(p).kind != kind) continue;
      r += hit ? std::string_view(" && ") : prefix;
      hit = true;
      cfg.print_expr(m.prop(p).expr, r);
    }
    if (hit) r += '\n';
  };
  props_str(PropKind::select, "Selects: ");
  if (sym.rev_dep != kNone) {
    cfg.print_revdep(sym.rev_dep, Tristate::yes, "Selected by [y]:\n", r);
    cfg.print_revdep(sym.rev_dep, Tristate::mod, "Selected by [m]:\n", r);
    cfg.print_revdep(sym.rev_dep, Tristate::no, "Selected by [n]:\n", r);
  }
  props_str(PropKind::imply, "Implies: ");
  if (sym.implied != kNone) {
    cfg.print_revdep(sym.implied, Tristate::yes, "Implied by [y]:\n", r);
    cfg.print_revdep(sym.implied, Tristate::mod, "Implied by [m]:\n", r);
    cfg.print_revdep(sym.implied, Tristate::no, "Implied by [n]:\n", r);
  }
  r += "\n\n";
}

}  // namespace

std::string node_help(Configuration& cfg, NodeId node, std::string_view prefix) {
  const Model& m = cfg.model();
  const MenuNode& nd = m.node(node);
  std::string r;
  std::string_view text = "There is no help available for this option.";
  if (nd.has_help) {
    if (nd.sym != kNone && !m.sym(nd.sym).name.empty()) {
      r += prefix;
      r += m.sym(nd.sym).name;
      r += ":\n\n";
    }
    text = m.help(node);
  }
  r += text;
  r += '\n';
  if (nd.sym != kNone) symbol_str(cfg, nd.sym, r);
  return r;
}

}  // namespace kmeta::kconfig
