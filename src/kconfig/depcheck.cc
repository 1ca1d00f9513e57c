#include "kconfig/depcheck.h"

#include <vector>

#include "kconfig/finalize.h"
#include "kconfig/internal.h"

namespace kmeta::kconfig {
namespace {

// What a dep_stack frame was checking when it recursed.
enum class Slot : uint8_t { none, dir_dep, rev_dep, implied, value };

struct Frame {
  SymbolId sym;
  PropId prop = kNone;
  Slot slot = Slot::none;
};

// lkc symbol.c:sym_check_deps and friends, with its dep_stack as a vector.
class DepChecker {
 public:
  DepChecker(const Model& m, Messages& msgs)
      : m_(m), msgs_(msgs), check_(m.symbol_count(), 0), checked_(m.symbol_count(), 0) {}

  SymbolId check_deps(SymbolId sym);

 private:
  // 6.1: a member finds its choice through the choice symbol (lkc_rules.h).
  bool valued_choice() const { return m_.rules().choice_value_symbol; }
  bool is_choice(SymbolId s) const { return m_.sym(s).is(kSymChoice); }
  bool is_choice_value_61(SymbolId s) const { return m_.sym(s).is(kSymChoiceValue); }
  // The choice `s` belongs to, as lkc looks it up (6.12 sym_get_choice_menu,
  // 6.1 sym_get_choice_prop); kNone if none.
  SymbolId choice_of(SymbolId s) const {
    if (valued_choice()) return is_choice_value_61(s) ? m_.sym(s).choice : kNone;
    NodeId c = choice_menu(m_, s);
    return c == kNone ? kNone : m_.node(c).sym;
  }
  std::string name(SymbolId s) const {
    const Symbol& sym = m_.sym(s);
    return sym.name.empty() && sym.is(kSymChoice) ? "<choice>" : sym.name;
  }
  std::string raw_name(SymbolId s) const {  // printf("%s", NULL) in glibc
    const Symbol& sym = m_.sym(s);
    return sym.name.empty() && sym.is(kSymChoice) ? "(null)" : sym.name;
  }

  void push(SymbolId s) {
    if (stack_.size() >= static_cast<size_t>(kMaxDepChain) || guard_.exceeded()) {
      msgs_.err("error: dependency chain too deep\n", Severity::error);
      throw FatalError{};
    }
    stack_.push_back({s});
  }
  void pop() { stack_.pop_back(); }

  SymbolId check_expr(ExprId e);
  SymbolId check_sym_deps(SymbolId sym);
  SymbolId check_choice_deps(SymbolId choice);
  void print_recursive(SymbolId last);
  void print_recursive_61(SymbolId last);
  template <class F>
  void for_each_choice_member(SymbolId choice, F f) const;

  const Model& m_;
  Messages& msgs_;
  IdVec<SymbolId, uint8_t> check_, checked_;
  std::vector<Frame> stack_;
  StackGuard guard_;
};

template <class F>
void DepChecker::for_each_choice_member(SymbolId choice, F f) const {
  if (valued_choice()) {
    for (SymbolId s : m_.sym(choice).members) f(s);
    return;
  }
  // 6.12: every symbol node below the choice's (first) menu node
  NodeId root = m_.sym(choice).nodes.front();
  std::vector<NodeId> todo;
  for (NodeId c = m_.node(root).first_child; c != kNone; c = m_.node(c).next) todo.push_back(c);
  // depth-first, in menu order
  std::vector<NodeId> order;
  std::vector<NodeId> stack(todo.rbegin(), todo.rend());
  while (!stack.empty()) {
    NodeId n = stack.back();
    stack.pop_back();
    order.push_back(n);
    std::vector<NodeId> kids;
    for (NodeId c = m_.node(n).first_child; c != kNone; c = m_.node(c).next) kids.push_back(c);
    stack.insert(stack.end(), kids.rbegin(), kids.rend());
  }
  for (NodeId n : order)
    if (m_.node(n).sym != kNone) f(m_.node(n).sym);
}

SymbolId DepChecker::check_expr(ExprId e) {
  while (e != kNone) {
    const Expr& x = m_.expr(e);
    switch (x.kind) {
      case ExprKind::or_:
      case ExprKind::and_: {
        if (SymbolId s = check_expr(x.left); s != kNone) return s;
        e = x.right;
        continue;
      }
      case ExprKind::not_: e = x.left; continue;
      case ExprKind::symbol: return check_deps(x.sym);
      case ExprKind::sym_as_expr:
        // lkc prints the garbage "type" it reads from the symbol
        msgs_.err("Oops! How to check " +
                      std::to_string(1431655765 + static_cast<int>(x.sym.index() % 1000)) + "?\n",
                  Severity::warning);
        return kNone;
      default: {
        if (SymbolId s = check_deps(x.sym); s != kNone) return s;
        return check_deps(x.sym2);
      }
    }
  }
  return kNone;
}

SymbolId DepChecker::check_sym_deps(SymbolId sym) {
  push(sym);
  const size_t top = stack_.size() - 1;
  const Symbol& s = m_.sym(sym);
  SymbolId sym2 = kNone;
  stack_[top].slot = Slot::dir_dep;
  sym2 = check_expr(s.dir_dep);
  if (sym2 == kNone) {
    stack_[top].slot = Slot::rev_dep;
    sym2 = check_expr(s.rev_dep);
  }
  if (sym2 == kNone) {
    stack_[top].slot = Slot::implied;
    sym2 = check_expr(s.implied);
  }
  if (sym2 == kNone) {
    stack_[top].slot = Slot::none;
    for (PropId p : s.props) {
      const Property& pr = m_.prop(p);
      if (pr.kind == PropKind::select || pr.kind == PropKind::imply) continue;
      stack_[top].prop = p;
      sym2 = check_expr(pr.cond);
      if (sym2 != kNone) break;
      if (pr.kind != PropKind::default_ || is_choice(sym)) continue;
      stack_[top].slot = Slot::value;
      sym2 = check_expr(pr.expr);
      if (sym2 != kNone) break;
      stack_[top].slot = Slot::none;
    }
  }
  pop();
  return sym2;
}

SymbolId DepChecker::check_choice_deps(SymbolId choice) {
  push(choice);
  for_each_choice_member(choice, [&](SymbolId s) { check_[s] = checked_[s] = 1; });
  check_[choice] = checked_[choice] = 1;
  SymbolId sym2 = check_sym_deps(choice);
  check_[choice] = 0;
  if (sym2 == kNone) {
    for_each_choice_member(choice, [&](SymbolId s) {
      if (sym2 == kNone) sym2 = check_sym_deps(s);
    });
  }
  for_each_choice_member(choice, [&](SymbolId s) { check_[s] = 0; });
  if (sym2 != kNone) {
    if (valued_choice()) {
      if (is_choice_value_61(sym2) && m_.sym(sym2).choice == choice) sym2 = choice;
    } else {
      NodeId c2 = choice_menu(m_, sym2);
      if (c2 != kNone && c2 == m_.sym(choice).nodes.front()) sym2 = choice;
    }
  }
  pop();
  return sym2;
}

SymbolId DepChecker::check_deps(SymbolId sym) {
  if (check_[sym]) {
    if (m_.rules().dep_report_located_lines)
      print_recursive_61(sym);
    else
      print_recursive(sym);
    return sym;
  }
  if (checked_[sym]) return kNone;
  SymbolId sym2;
  SymbolId choice = choice_of(sym);
  if (choice != kNone) {
    push(sym);  // choice groups are checked from the choice symbol
    sym2 = check_deps(choice);
    pop();
  } else if (is_choice(sym)) {
    sym2 = check_choice_deps(sym);
  } else {
    check_[sym] = checked_[sym] = 1;
    sym2 = check_sym_deps(sym);
    check_[sym] = 0;
  }
  return sym2;
}

const char* prop_type_name(const Model& m, PropId p) {
  if (p == kNone) return "unknown";
  switch (m.prop(p).kind) {
    case PropKind::prompt: return "prompt";
    case PropKind::comment: return "comment";
    case PropKind::menu: return "menu";
    case PropKind::default_: return "default";
    case PropKind::select: return "select";
    case PropKind::imply: return "imply";
    case PropKind::range: return "range";
    case PropKind::symbol: return "symbol";
  }
  return "unknown";
}

const char* kTrailer =
    "For a resolution refer to Documentation/kbuild/kconfig-language.rst\n"
    "subsection \"Kconfig recursive dependency limitations\"\n"
    "\n";

void DepChecker::print_recursive(SymbolId last) {
  bool cv = false;
  SymbolId choice = choice_of(last);
  if (choice != kNone) {
    stack_.push_back({last});
    cv = true;
    last = choice;
  }
  size_t i = stack_.size();
  while (i > 0 && stack_[i - 1].sym != last) --i;
  std::string r;
  if (i == 0) {
    r = "unexpected recursive dependency error\n";
  } else {
    for (size_t k = i - 1; k < stack_.size(); ++k) {
      const Frame& f = stack_[k];
      SymbolId sym = f.sym;
      SymbolId next = k + 1 < stack_.size() ? stack_[k + 1].sym : last;
      if (sym == last) r += "error: recursive dependency detected!\n";
      if (is_choice(next)) {
        const Location& w = m_.node(m_.sym(next).nodes.front()).where;
        r += "\tsymbol " + name(sym) + " is part of choice block at " + w.file + ":" +
             std::to_string(w.line) + "\n";
      } else if (f.slot == Slot::dir_dep) {
        r += "\tsymbol " + name(sym) + " depends on " + raw_name(next) + "\n";
      } else if (f.slot == Slot::rev_dep) {
        r += "\tsymbol " + raw_name(sym) + " is selected by " + raw_name(next) + "\n";
      } else if (f.slot == Slot::implied) {
        r += "\tsymbol " + raw_name(sym) + " is implied by " + raw_name(next) + "\n";
      } else if (f.slot == Slot::value) {
        r += "\tsymbol " + name(sym) + " " + prop_type_name(m_, f.prop) + " value contains " +
             raw_name(next) + "\n";
      } else {
        r += "\tsymbol " + name(sym) + " " + prop_type_name(m_, f.prop) + " is visible depending on " +
             raw_name(next) + "\n";
      }
    }
    r += kTrailer;
  }
  msgs_.err(r, Severity::error);
  if (cv) stack_.pop_back();
}

void DepChecker::print_recursive_61(SymbolId last) {
  bool cv = false;
  if (is_choice_value_61(last)) {
    stack_.push_back({last});
    cv = true;
    last = m_.sym(last).choice;
  }
  size_t i = stack_.size();
  while (i > 0 && stack_[i - 1].sym != last) --i;
  std::string r;
  if (i == 0) {
    r = "unexpected recursive dependency error\n";
  } else {
    NodeId menu = kNone;  // persists across frames, as in lkc
    auto at = [&](const Location& w) { return w.file + ":" + std::to_string(w.line) + ":"; };
    for (size_t k = i - 1; k < stack_.size(); ++k) {
      const Frame& f = stack_[k];
      SymbolId sym = f.sym;
      SymbolId next = k + 1 < stack_.size() ? stack_[k + 1].sym : last;
      const Symbol& s = m_.sym(sym);
      PropId prop = f.prop != kNone ? f.prop : (s.props.empty() ? kNone : s.props.front());
      if (is_choice(sym) || is_choice_value_61(sym)) {
        prop = s.props.empty() ? kNone : s.props.front();
        if (prop != kNone) menu = m_.prop(prop).node;
      }
      Location ploc = prop != kNone ? m_.prop(prop).where : Location{"(null)", 0, 0};
      Location mloc = menu != kNone ? m_.node(menu).where : Location{"(null)", 0, 0};
      if (sym == last) r += at(ploc) + "error: recursive dependency detected!\n";
      if (is_choice(sym)) {
        r += at(mloc) + "\tchoice " + name(sym) + " contains symbol " + name(next) + "\n";
      } else if (is_choice_value_61(sym)) {
        r += at(mloc) + "\tsymbol " + name(sym) + " is part of choice " + name(next) + "\n";
      } else if (f.slot == Slot::dir_dep) {
        r += at(ploc) + "\tsymbol " + name(sym) + " depends on " + name(next) + "\n";
      } else if (f.slot == Slot::rev_dep) {
        r += at(ploc) + "\tsymbol " + name(sym) + " is selected by " + name(next) + "\n";
      } else if (f.slot == Slot::implied) {
        r += at(ploc) + "\tsymbol " + name(sym) + " is implied by " + name(next) + "\n";
      } else if (f.slot == Slot::value) {
        r += at(ploc) + "\tsymbol " + name(sym) + " " + prop_type_name(m_, prop) + " value contains " +
             name(next) + "\n";
      } else {
        r += at(ploc) + "\tsymbol " + name(sym) + " " + prop_type_name(m_, prop) +
             " is visible depending on " + name(next) + "\n";
      }
    }
    r += kTrailer;
  }
  msgs_.err(r, Severity::error);
  if (cv) stack_.pop_back();
}

// 6.12 parser.y:choice_check_sanity
bool choice_check_sanity(const Model& m, NodeId menu, Messages& msgs) {
  bool ok = true;
  const MenuNode& node = m.node(menu);
  for (PropId p : m.sym(node.sym).props) {
    const Property& pr = m.prop(p);
    auto error = [&](const char* text) {
      msgs.err(pr.where.file + ":" + std::to_string(pr.where.line) + ": error: " + text + "\n",
               Severity::error, pr.where);
      ok = false;
    };
    if (pr.kind == PropKind::default_) error("defaults for choice values not supported");
    if (pr.node != menu && pr.kind == PropKind::prompt && m.node(pr.node).parent != node.parent)
      error("choice value has a prompt outside its choice group");
  }
  return ok;
}

// menu_next(): depth-first successor of `n` below `root`.
NodeId menu_next(const Model& m, NodeId n, NodeId root) {
  if (m.node(n).first_child != kNone) return m.node(n).first_child;
  while (n != root && m.node(n).next == kNone) n = m.node(n).parent;
  if (n == root) return kNone;
  return m.node(n).next;
}

}  // namespace

bool check_model(const Model& m, Messages& msgs) {
  int errors = 0;
  DepChecker checker(m, msgs);
  try {
    if (m.rules().dep_check_order == DepCheckOrder::symbol_table) {
      for (SymbolId s : hash_order(m))
        if (checker.check_deps(s) != kNone) ++errors;
    } else {
      for (NodeId n = menu_next(m, m.root(), m.root()); n != kNone; n = menu_next(m, n, m.root())) {
        SymbolId s = m.node(n).sym;
        if (s == kNone) continue;
        if (checker.check_deps(s) != kNone) ++errors;
        if (m.sym(s).is(kSymChoice)) {
          for (NodeId c = menu_next(m, n, n); c != kNone; c = menu_next(m, c, n))
            if (m.node(c).sym != kNone && !choice_check_sanity(m, c, msgs)) ++errors;
        }
      }
    }
  } catch (const FatalError&) {
    return false;
  }
  return errors == 0;
}

}  // namespace kmeta::kconfig
