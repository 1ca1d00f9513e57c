#include "kconfig/finalize.h"

#include <vector>

#include "kconfig/expr_ops.h"
#include "kconfig/internal.h"

namespace kmeta::kconfig {
namespace {

// lkc sym_string_valid, for the number checks of sym_check_prop.
bool string_valid(SymbolType type, const std::string& str) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto xdigit = [](char c) { return c_isxdigit(static_cast<unsigned char>(c)); };
  size_t i = 0;
  auto ch = [&](size_t k) { return k < str.size() ? str[k] : '\0'; };
  switch (type) {
    case SymbolType::string: return true;
    case SymbolType::integer: {
      char c = ch(i++);
      if (c == '-') c = ch(i++);
      if (!digit(c)) return false;
      if (c == '0' && ch(i) != '\0') return false;
      while ((c = ch(i++)) != '\0')
        if (!digit(c)) return false;
      return true;
    }
    case SymbolType::hex: {
      if (ch(0) == '0' && (ch(1) == 'x' || ch(1) == 'X')) i = 2;
      char c = ch(i++);
      do {
        if (!xdigit(c)) return false;
      } while ((c = ch(i++)) != '\0');
      return true;
    }
    case SymbolType::boolean:
    case SymbolType::tristate:
      switch (ch(0)) {
        case 'y':
        case 'Y':
        case 'm':
        case 'M':
        case 'n':
        case 'N': return true;
      }
      return false;
    default: return false;
  }
}

class Finalizer {
 public:
  Finalizer(Model& m, Messages& msgs)
      : m_(m), msgs_(msgs), ops_(ExprOps::create(m, msgs)), warned_(m.symbol_count(), 0) {}

  void run() { fin(m_.root(), false, 0); }

 private:
  const LkcRules& rules() const { return m_.rules(); }
  bool is_choice(SymbolId s) const { return s != kNone && m_.sym(s).is(kSymChoice); }

  void menu_warn(NodeId n, const std::string& text) {
    const Location& w = m_.node(n).where;
    msgs_.err(w.file + ":" + std::to_string(w.line) + ":warning: " + text + "\n", Severity::warning, w);
  }
  void prop_warn(PropId p, const std::string& text) {
    const Location& w = m_.prop(p).where;
    msgs_.err(w.file + ":" + std::to_string(w.line) + ":warning: " + text + "\n", Severity::warning, w);
  }

  // The properties that belong to node `n`: for symbols, those of the
  // symbol's list written at `n`; otherwise the node's prompt.
  template <class F>
  void for_node_props(NodeId n, F f) {
    const MenuNode& node = m_.node(n);
    if (node.sym != kNone) {
      // Index loop: f may append properties to other symbols, never to this one.
      const std::vector<PropId>& props = m_.sym(node.sym).props;
      for (size_t i = 0; i < props.size(); ++i)
        if (m_.prop(props[i]).node == n) f(props[i]);
    } else if (node.prompt != kNone) {
      f(node.prompt);
    }
  }

  void fin(NodeId parent, bool inside_choice, int depth);
  void choice_types_61(NodeId parent);
  void choice_value_61(NodeId parent, NodeId menu);
  void sym_check_prop(SymbolId s);
  bool validate_number(SymbolId sym, SymbolId sym2) const;
  NodeId choice_menu_of(SymbolId s) const;

  Model& m_;
  Messages& msgs_;
  std::unique_ptr<ExprOps> ops_;
  IdVec<SymbolId, uint8_t> warned_;
  StackGuard stack_;
};

void Finalizer::choice_types_61(NodeId parent) {
  SymbolId sym = m_.node(parent).sym;
  bool changed = false;
  if (m_.sym(sym).type == SymbolType::unknown) {
    // the first typed choice value gives the choice its type
    for (NodeId c = m_.node(parent).first_child; c != kNone; c = m_.node(c).next) {
      SymbolId cs = m_.node(c).sym;
      if (cs != kNone && m_.sym(cs).type != SymbolType::unknown) {
        m_.sym(sym).type = m_.sym(cs).type;
        changed = true;
        break;
      }
    }
  }
  for (NodeId c = m_.node(parent).first_child; c != kNone; c = m_.node(c).next) {
    SymbolId cs = m_.node(c).sym;
    if (cs != kNone && m_.sym(cs).type == SymbolType::unknown && m_.sym(sym).type != SymbolType::unknown) {
      m_.sym(cs).type = m_.sym(sym).type;
      changed = true;
    }
  }
  if (changed) ops_->types_changed();
}

void Finalizer::fin(NodeId parent, bool inside_choice, int depth) {
  if (depth > kMaxDepChain || stack_.exceeded()) {
    msgs_.err("error: menu nesting too deep\n", Severity::error);
    throw FatalError{};
  }
  const SymbolId sym = m_.node(parent).sym;

  if (m_.node(parent).first_child != kNone) {
    ExprId parentdep = m_.node(parent).dep;
    if (rules().choice_value_symbol && is_choice(sym)) {
      choice_types_61(parent);
      parentdep = m_.e_sym(sym);  // the choice's value bounds its members
    }
    for (NodeId menu = m_.node(parent).first_child; menu != kNone; menu = m_.node(menu).next) {
      ExprId basedep = ops_->transform(ops_->rewrite_m(m_.node(menu).dep));
      basedep = ops_->eliminate_dups(m_.e_and(parentdep, basedep));
      m_.node(menu).dep = basedep;
      const SymbolId msym = m_.node(menu).sym;
      for_node_props(menu, [&](PropId p) {
        ExprId dep = ops_->transform(ops_->rewrite_m(m_.prop(p).cond));
        dep = ops_->eliminate_dups(m_.e_and(basedep, dep));
        m_.prop(p).cond = dep;
        PropKind k = m_.prop(p).kind;
        if (k == PropKind::select || k == PropKind::imply) {
          SymbolId es = m_.expr(m_.prop(p).expr).sym;
          ExprId term = m_.e_and(m_.e_sym(msym), dep);
          Symbol& target = m_.sym(es);
          if (k == PropKind::select)
            target.rev_dep = m_.e_or(target.rev_dep, term);
          else
            target.implied = m_.e_or(target.implied, term);
        }
      });
    }
    const bool child_in_choice = is_choice(sym);
    for (NodeId menu = m_.node(parent).first_child; menu != kNone; menu = m_.node(menu).next)
      fin(menu, child_in_choice, depth + 1);
  } else if (sym != kNone && (rules().submenus_inside_choices || !inside_choice)) {
    // Automatic submenu: following siblings that depend on `sym` move under it.
    PropId pp = m_.node(parent).prompt;
    ExprId basedep = pp != kNone ? m_.prop(pp).cond : kNone;
    basedep = ops_->trans_compare(basedep, ExprKind::unequal, kSymNo);
    basedep = ops_->eliminate_dups(ops_->transform(basedep));
    NodeId last_menu = kNone;
    for (NodeId menu = m_.node(parent).next; menu != kNone; menu = m_.node(menu).next) {
      PropId mp = m_.node(menu).prompt;
      ExprId dep = mp != kNone ? m_.prop(mp).cond : m_.node(menu).dep;
      if (!expr_contains_symbol(m_, dep, sym)) break;
      if (!expr_depends_symbol(m_, dep, sym)) {
        dep = ops_->trans_compare(dep, ExprKind::unequal, kSymNo);
        dep = ops_->eliminate_dups(ops_->transform(dep));
        ExprId dep2 = basedep;
        ops_->eliminate_eq(&dep, &dep2);
        if (!expr_is_yes(m_, dep2)) break;
      }
      fin(menu, false, depth + 1);
      m_.node(menu).parent = parent;
      last_menu = menu;
    }
    if (last_menu != kNone) {
      MenuNode& p = m_.node(parent);
      p.first_child = p.next;
      p.next = m_.node(last_menu).next;
      m_.node(last_menu).next = kNone;
    }
    m_.sym(sym).dir_dep = m_.e_or(m_.sym(sym).dir_dep, m_.node(parent).dep);
  }

  for (NodeId menu = m_.node(parent).first_child; menu != kNone; menu = m_.node(menu).next) {
    if (!rules().choice_members_listed_while_parsing && is_choice(sym) && m_.node(menu).sym != kNone &&
        !m_.sym(m_.node(menu).sym).is(kSymChoiceValue))
      choice_value_61(parent, menu);
    // Flatten `if` blocks and children of promptless entries.
    MenuNode& mn = m_.node(menu);
    if (mn.first_child != kNone && mn.prompt == kNone) {
      NodeId last = mn.first_child;
      for (;; last = m_.node(last).next) {
        m_.node(last).parent = parent;
        if (m_.node(last).next == kNone) break;
      }
      MenuNode& mn2 = m_.node(menu);
      m_.node(last).next = mn2.next;
      mn2.next = mn2.first_child;
      mn2.first_child = kNone;
    }
  }

  if (sym != kNone && !warned_[sym]) {
    if (m_.sym(sym).type == SymbolType::unknown) menu_warn(parent, "config symbol defined without type");
    if (!rules().choice_members_listed_while_parsing && is_choice(sym) && m_.node(parent).prompt == kNone)
      menu_warn(parent, "choice must have a prompt");
    sym_check_prop(sym);
    warned_[sym] = 1;
  }

  // [6.1] A non-optional choice cannot be n while visible: rev_dep |= prompt && m.
  if (rules().choice_value_symbol && sym != kNone && is_choice(sym) && !m_.sym(sym).is(kSymOptional) &&
      m_.node(parent).prompt != kNone) {
    ExprId term = m_.e_and(m_.prop(m_.node(parent).prompt).cond, m_.e_sym(kSymMod));
    m_.sym(sym).rev_dep = m_.e_or(m_.sym(sym).rev_dep, term);
  }
}

void Finalizer::choice_value_61(NodeId parent, NodeId menu) {
  const SymbolId sym = m_.node(parent).sym;
  const SymbolId ms = m_.node(menu).sym;
  Symbol& member = m_.sym(ms);
  member.flags |= kSymChoiceValue;
  if (m_.node(menu).prompt == kNone) menu_warn(menu, "choice value must have a prompt");
  const std::vector<PropId> props = m_.sym(ms).props;
  for (PropId p : props) {
    const Property& pr = m_.prop(p);
    if (pr.kind == PropKind::default_) prop_warn(p, "defaults for choice values not supported");
    if (pr.node == menu) continue;
    if (pr.kind == PropKind::prompt && m_.node(m_.node(pr.node).parent).sym != sym)
      prop_warn(p, "choice value used outside its choice group");
  }
  // Non-tristate values of a tristate choice depend on the choice being y.
  if (m_.sym(sym).type == SymbolType::tristate && m_.sym(ms).type != SymbolType::tristate) {
    ExprId basedep = m_.e_cmp(ExprKind::equal, sym, kSymYes);
    m_.node(menu).dep = m_.e_and(basedep, m_.node(menu).dep);
    for (PropId p : props)
      if (m_.prop(p).node == menu) m_.prop(p).cond = m_.e_and(basedep, m_.prop(p).cond);
  }
  m_.sym(ms).choice = sym;
  m_.sym(sym).members.push_back(ms);
}

NodeId Finalizer::choice_menu_of(SymbolId s) const {
  if (rules().choice_value_symbol) {
    SymbolId c = m_.sym(s).choice;
    return c == kNone || m_.sym(c).nodes.empty() ? kNone : m_.sym(c).nodes.front();
  }
  return choice_menu(m_, s);
}

bool Finalizer::validate_number(SymbolId sym, SymbolId sym2) const {
  SymbolType t2 = m_.sym(sym2).type;
  return t2 == SymbolType::integer || t2 == SymbolType::hex ||
         (t2 == SymbolType::unknown && string_valid(m_.sym(sym).type, m_.sym(sym2).name));
}

void Finalizer::sym_check_prop(SymbolId s) {
  const std::vector<PropId> props = m_.sym(s).props;
  const SymbolType type = m_.sym(s).type;
  const std::string& name = m_.sym(s).name;
  for (PropId p : props) {
    const Property& pr = m_.prop(p);
    switch (pr.kind) {
      case PropKind::default_: {
        bool plain = m_.expr(pr.expr).kind == ExprKind::symbol;
        if ((type == SymbolType::string || type == SymbolType::integer || type == SymbolType::hex) && !plain)
          prop_warn(p, "default for config symbol '" + name + "' must be a single symbol");
        if (!plain) break;
        SymbolId sym2 = m_.expr(pr.expr).sym;
        if ((type == SymbolType::hex || type == SymbolType::integer) && !validate_number(s, sym2))
          prop_warn(p, "'" + name + "': number is invalid");
        if (is_choice(s)) {
          NodeId choice = choice_menu_of(sym2);
          if (choice == kNone || m_.node(choice).sym != s)
            prop_warn(p, "choice default symbol '" + m_.sym(sym2).name + "' is not contained in the choice");
        }
        break;
      }
      case PropKind::select:
      case PropKind::imply: {
        const char* use = pr.kind == PropKind::select ? "select" : "imply";
        SymbolId sym2 = m_.expr(pr.expr).sym;
        SymbolType t2 = m_.sym(sym2).type;
        if (type != SymbolType::boolean && type != SymbolType::tristate)
          prop_warn(p, "config symbol '" + name + "' uses " + use + ", but is not bool or tristate");
        else if (t2 != SymbolType::unknown && t2 != SymbolType::boolean && t2 != SymbolType::tristate)
          prop_warn(p, "'" + m_.sym(sym2).name + "' has wrong type. '" + use +
                           "' only accept arguments of bool and tristate type");
        break;
      }
      case PropKind::range:
        if (type != SymbolType::integer && type != SymbolType::hex)
          prop_warn(p, "range is only allowed for int or hex symbols");
        if (!validate_number(s, pr.range_lo) || !validate_number(s, pr.range_hi))
          prop_warn(p, "range is invalid");
        break;
      default: break;
    }
  }
}

}  // namespace

NodeId choice_menu(const Model& m, SymbolId s) {
  NodeId menu = kNone;
  for (NodeId n : m.sym(s).nodes)
    if (m.node(n).prompt != kNone) {
      menu = n;
      break;
    }
  if (menu == kNone) return kNone;
  do {
    menu = m.node(menu).parent;
  } while (menu != kNone && m.node(menu).sym == kNone);
  if (menu != kNone && m.sym(m.node(menu).sym).is(kSymChoice)) return menu;
  return kNone;
}

void finalize(Model& m, Messages& msgs) { Finalizer(m, msgs).run(); }

}  // namespace kmeta::kconfig
