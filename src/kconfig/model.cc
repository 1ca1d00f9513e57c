#include "kconfig/model.h"

#include <functional>

namespace kmeta::kconfig {

char tri_char(Tristate t) { return "nmy"[static_cast<int>(t)]; }

const char* type_name(SymbolType t) {
  switch (t) {
    case SymbolType::unknown: return "unknown";
    case SymbolType::boolean: return "bool";
    case SymbolType::tristate: return "tristate";
    case SymbolType::integer: return "int";
    case SymbolType::hex: return "hex";
    case SymbolType::string: return "string";
  }
  return "unknown";
}

Model::Model() {
  for (const char* n : {"y", "m", "n"}) {
    Symbol s;
    s.name = n;
    s.type = SymbolType::tristate;
    s.flags = kSymConst;
    consts_.emplace(n, static_cast<SymbolId>(symbols_.size()));
    symbols_.push_back(std::move(s));
  }
  MenuNode root;
  root.kind = NodeKind::root;
  nodes_.push_back(root);
  last_child_.push_back(kNone);
}

SymbolId Model::intern(std::string_view name) {
  if (name == "y") return kSymYes;
  if (name == "m") return kSymMod;
  if (name == "n") return kSymNo;
  auto it = by_name_.find(std::string(name));
  if (it != by_name_.end()) return it->second;
  SymbolId id = static_cast<SymbolId>(symbols_.size());
  Symbol s;
  s.name = std::string(name);
  symbols_.push_back(std::move(s));
  by_name_.emplace(std::string(name), id);
  return id;
}

SymbolId Model::intern_const(std::string_view name) {
  auto it = consts_.find(std::string(name));
  if (it != consts_.end()) return it->second;
  SymbolId id = static_cast<SymbolId>(symbols_.size());
  Symbol s;
  s.name = std::string(name);
  s.flags = kSymConst;
  symbols_.push_back(std::move(s));
  consts_.emplace(std::string(name), id);
  return id;
}

SymbolId Model::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? kNone : it->second;
}

SymbolId Model::new_choice_symbol(SymbolType type) {
  SymbolId id = static_cast<SymbolId>(symbols_.size());
  Symbol s;
  s.type = type;
  s.flags = kSymChoice;
  symbols_.push_back(std::move(s));
  return id;
}

SymbolId Model::intern_choice(std::string_view name) {
  if (name == "y") return kSymYes;  // lkc's sym_lookup answers y/m/n first
  if (name == "m") return kSymMod;
  if (name == "n") return kSymNo;
  auto it = choices_.find(std::string(name));
  if (it != choices_.end()) return it->second;
  SymbolId id = new_choice_symbol(SymbolType::unknown);
  symbols_[id].name = std::string(name);
  choices_.emplace(std::string(name), id);
  return id;
}

size_t Model::ExprHash::operator()(const Expr& e) const {
  size_t h = static_cast<size_t>(e.kind);
  for (uint32_t v : {e.left, e.right, e.sym, e.sym2}) h = h * 1000003u ^ v;
  return h;
}

ExprId Model::cons(const Expr& e) {
  auto it = expr_index_.find(e);
  if (it != expr_index_.end()) return it->second;
  ExprId id = static_cast<ExprId>(exprs_.size());
  exprs_.push_back(e);
  expr_index_.emplace(e, id);
  return id;
}

ExprId Model::e_sym(SymbolId s) { return cons({ExprKind::symbol, kNone, kNone, s, kNone}); }
ExprId Model::e_cmp(ExprKind k, SymbolId a, SymbolId b) { return cons({k, kNone, kNone, a, b}); }
ExprId Model::e_and(ExprId a, ExprId b) {
  if (a == kNone) return b;
  if (b == kNone) return a;
  return cons({ExprKind::and_, a, b, kNone, kNone});
}
ExprId Model::e_or(ExprId a, ExprId b) {
  if (a == kNone) return b;
  if (b == kNone) return a;
  return cons({ExprKind::or_, a, b, kNone, kNone});
}
ExprId Model::e_not(ExprId a) {
  if (a == kNone) return kNone;
  return cons({ExprKind::not_, a, kNone, kNone, kNone});
}

PropId Model::add_prop(Property p) {
  PropId id = static_cast<PropId>(props_.size());
  if (p.sym != kNone) symbols_[p.sym].props.push_back(id);
  props_.push_back(std::move(p));
  return id;
}

NodeId Model::new_node(MenuNode n) {
  NodeId id = static_cast<NodeId>(nodes_.size());
  if (n.sym != kNone) symbols_[n.sym].nodes.push_back(id);
  nodes_.push_back(std::move(n));
  last_child_.push_back(kNone);
  return id;
}

NodeId Model::add_node(MenuNode n) {
  NodeId id = static_cast<NodeId>(nodes_.size());
  NodeId parent = n.parent;
  if (n.sym != kNone) symbols_[n.sym].nodes.push_back(id);
  nodes_.push_back(std::move(n));
  last_child_.push_back(kNone);
  if (parent != kNone) {
    if (last_child_[parent] == kNone)
      nodes_[parent].first_child = id;
    else
      nodes_[last_child_[parent]].next = id;
    last_child_[parent] = id;
  }
  return id;
}

static int prec(ExprKind k) {
  switch (k) {
    case ExprKind::or_: return 1;
    case ExprKind::and_: return 2;
    case ExprKind::equal: case ExprKind::unequal: return 3;
    case ExprKind::lth: case ExprKind::leq: case ExprKind::gth: case ExprKind::geq: return 4;
    case ExprKind::not_: return 5;
    case ExprKind::symbol: return 6;
  }
  return 0;
}

std::string Model::expr_to_string(ExprId e) const {
  if (e == kNone) return "y";
  std::function<void(ExprId, int, std::string&)> rec = [&](ExprId id, int parent, std::string& out) {
    const Expr& x = exprs_[id];
    bool paren = prec(x.kind) < parent;
    if (paren) out += '(';
    auto name = [&](SymbolId s) {
      const Symbol& sy = symbols_[s];
      return sy.is(kSymChoice) ? std::string("<choice>") : sy.name;
    };
    switch (x.kind) {
      case ExprKind::symbol: out += name(x.sym); break;
      case ExprKind::not_: out += '!'; rec(x.left, prec(x.kind), out); break;
      case ExprKind::and_: rec(x.left, 2, out); out += " && "; rec(x.right, 2, out); break;
      case ExprKind::or_: rec(x.left, 1, out); out += " || "; rec(x.right, 1, out); break;
      default: {
        static const char* ops[] = {"", "", "", "", "=", "!=", "<", "<=", ">", ">="};
        out += name(x.sym);
        out += ops[static_cast<int>(x.kind)];
        out += name(x.sym2);
      }
    }
    if (paren) out += ')';
  };
  std::string out;
  rec(e, 0, out);
  return out;
}

}  // namespace kmeta::kconfig
