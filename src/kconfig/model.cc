#include "kconfig/model.h"

#include <algorithm>

#include "base/hash.h"
#include "kconfig/printer.h"

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

const char* sym_type_name(SymbolType t) { return t == SymbolType::integer ? "integer" : type_name(t); }

Model::Model() {
  for (const char* n : {"y", "m", "n"}) {
    Symbol s;
    s.name = n;
    s.type = SymbolType::tristate;
    s.flags = kSymConst;
    consts_.emplace(n, symbols_.next_id());
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
  auto it = by_name_.find(name);
  if (it != by_name_.end()) return it->second;
  SymbolId id = symbols_.next_id();
  Symbol s;
  s.name = std::string(name);
  symbols_.push_back(std::move(s));
  by_name_.emplace(std::string(name), id);
  return id;
}

SymbolId Model::intern_const(std::string_view name) {
  auto it = consts_.find(name);
  if (it != consts_.end()) return it->second;
  SymbolId id = symbols_.next_id();
  Symbol s;
  s.name = std::string(name);
  s.flags = kSymConst;
  symbols_.push_back(std::move(s));
  consts_.emplace(std::string(name), id);
  return id;
}

SymbolId Model::find(std::string_view name) const {
  if (name == "y") return kSymYes;
  if (name == "m") return kSymMod;
  if (name == "n") return kSymNo;
  auto it = by_name_.find(name);
  SymbolId s = it == by_name_.end() ? kNone : it->second;
  // [6.1] sym_find also sees named choices; the newest of the same name wins
  // (its hash bucket lists newest first).
  if (!choices_.empty()) {
    auto c = choices_.find(name);
    if (c != choices_.end() && (s == kNone || c->second > s)) s = c->second;
  }
  return s;
}

SymbolId Model::new_choice_symbol(SymbolType type) {
  SymbolId id = symbols_.next_id();
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
  auto it = choices_.find(name);
  if (it != choices_.end()) return it->second;
  SymbolId id = new_choice_symbol(SymbolType::unknown);
  symbols_[id].name = std::string(name);
  choices_.emplace(std::string(name), id);
  return id;
}

namespace {
inline uint64_t expr_hash(const Expr& e) {
  uint64_t a = (static_cast<uint64_t>(e.left.index()) << 32) | e.right.index();
  uint64_t b = (static_cast<uint64_t>(e.sym.index()) << 32) | e.sym2.index();
  return mix64(a ^ mix64(b ^ static_cast<uint64_t>(e.kind)));
}
}  // namespace

void Model::compact() {
  symbols_.shrink_to_fit();
  exprs_.shrink_to_fit();
  props_.shrink_to_fit();
  nodes_.shrink_to_fit();
  last_child_.shrink_to_fit();
  help_->text.shrink_to_fit();
  std::vector<ExprId>().swap(expr_slots_);
}

void Model::grow_expr_index() {
  // A power of two, at least 2x the expressions (cons grows at 3/4 full).
  size_t n = size_t{1} << 14;
  while (n < (exprs_.size() + 1) * 2) n <<= 1;
  expr_slots_.assign(n, kNone);
  const size_t mask = n - 1;
  for (ExprId id : exprs_.ids()) {
    size_t i = expr_hash(exprs_[id]) & mask;
    while (expr_slots_[i] != kNone) i = (i + 1) & mask;
    expr_slots_[i] = id;
  }
}

ExprId Model::cons(const Expr& e) {
  if ((exprs_.size() + 1) * 4 > expr_slots_.size() * 3) grow_expr_index();
  const size_t mask = expr_slots_.size() - 1;
  size_t i = expr_hash(e) & mask;
  for (;;) {
    ExprId id = expr_slots_[i];
    if (id == kNone) break;
    if (exprs_[id] == e) return id;
    i = (i + 1) & mask;
  }
  ExprId id = exprs_.next_id();
  exprs_.push_back(e);
  expr_slots_[i] = id;
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

ExprId Model::e_sym_as_expr(SymbolId s) { return cons({ExprKind::sym_as_expr, kNone, kNone, s, kNone}); }

PropId Model::add_prop(Property p) {
  PropId id = props_.next_id();
  if (p.sym != kNone) symbols_[p.sym].props.push_back(id);
  props_.push_back(std::move(p));
  return id;
}

const std::string& Model::help_text() const {
  HelpText& h = *help_;
  if (h.load)
    std::call_once(h.once, [&h] {
      if (!h.load(&h.text)) h.text.clear();  // unreadable: every text reads as ""
    });
  return h.text;
}

std::string_view Model::help(NodeId id) const {
  const MenuNode& n = nodes_[id];
  if (!n.has_help || n.help_len == 0) return {};
  const std::string& t = help_text();
  if (n.help_at > t.size() || n.help_len > t.size() - n.help_at) return {};
  return std::string_view(t).substr(n.help_at, n.help_len);
}

void Model::set_help(NodeId id, std::string_view text) {
  help_text();  // a lazy buffer is read before it is appended to
  std::string& t = help_->text;
  MenuNode& n = nodes_[id];
  n.has_help = true;
  n.help_at = static_cast<uint32_t>(t.size());
  n.help_len = static_cast<uint32_t>(text.size());
  t.append(text);
}

NodeId Model::new_node(MenuNode n) {
  NodeId id = nodes_.next_id();
  if (n.sym != kNone) symbols_[n.sym].nodes.push_back(id);
  nodes_.push_back(std::move(n));
  last_child_.push_back(kNone);
  return id;
}

NodeId Model::add_node(MenuNode n) {
  NodeId id = nodes_.next_id();
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

std::string Model::expr_to_string(ExprId e) const { return expr_str(*this, e); }

uint32_t symbol_hash(std::string_view name) {
  uint32_t h = 2166136261u;
  for (char c : name)
    h = (h ^ static_cast<uint32_t>(static_cast<int32_t>(static_cast<signed char>(c)))) * 0x01000193u;
  return h;
}

std::vector<SymbolId> hash_order(const Model& m) {
  const uint32_t buckets = m.rules().symbol_hash_buckets;
  std::vector<std::pair<uint32_t, SymbolId>> keyed;
  keyed.reserve(m.symbol_count());
  for (SymbolId id : id_range(kSymFirstOther, m.symbol_count())) {
    const Symbol& s = m.sym(id);
    uint32_t b = (s.is(kSymChoice) && s.name.empty()) ? 0 : symbol_hash(s.name) % buckets;
    keyed.emplace_back(b, id);
  }
  // bucket ascending, newest (highest id) first within a bucket
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second > b.second;
  });
  std::vector<SymbolId> out;
  out.reserve(keyed.size());
  for (const auto& k : keyed) out.push_back(k.second);
  return out;
}

}  // namespace kmeta::kconfig
