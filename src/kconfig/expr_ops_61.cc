#include <deque>

#include "kconfig/expr_ops_internal.h"

namespace kmeta::kconfig::expr_detail {
namespace {

// ===========================================================================
// 6.1: trees rewritten in place (expr.c of Linux 6.1). Each operation expands
// its Model operands into fresh trees (lkc's trees are never shared: it copies
// wherever it would alias), runs lkc's in-place algorithm, and interns the
// result back.

struct Node {
  ExprKind kind;
  Node* left = nullptr;
  Node* right = nullptr;
  SymbolId sym = kNone, sym2 = kNone;
};

class Ops61 : public ExprOps {
 public:
  Ops61(Model& m, Messages& msgs) : m_(m), msgs_(msgs) {}

  ExprId rewrite_m(ExprId e) override {
    return run(e, [&](Node* t) { return rewrite_m(t); });
  }
  ExprId transform(ExprId e) override {
    if (e == kNone) return kNone;
    ExprId memo = tmemo_.get(e);
    if (memo != Memo::kUnset) {
      auto it = tmsgs_.find(e);
      if (it != tmsgs_.end())
        for (const std::string& t : it->second) msgs_.out(t);
      return memo;
    }
    size_t before = msgs_.items().size();
    ExprId r = run(e, [&](Node* t) { return transform(t); });
    tmemo_.set(e, r);
    const auto& items = msgs_.items();
    for (size_t i = before; i < items.size(); ++i) tmsgs_[e].push_back(items[i].text);
    return r;
  }
  ExprId eliminate_dups(ExprId e) override {
    if (e == kNone) return kNone;
    ExprId memo = dmemo_.get(e);
    if (memo != Memo::kUnset) return memo;
    ExprId r = run(e, [&](Node* t) { return eliminate_dups(t); });
    dmemo_.set(e, r);
    return r;
  }
  void types_changed() override {
    tmemo_.clear();
    dmemo_.clear();
    tmsgs_.clear();
  }
  void eliminate_eq(ExprId* a, ExprId* b) override {
    Node* x = expand(*a);
    Node* y = expand(*b);
    eliminate_eq(&x, &y);
    *a = intern(x);
    *b = intern(y);
    arena_.clear();
  }
  bool eq(ExprId a, ExprId b) override {
    bool r = eq(expand(a), expand(b));
    arena_.clear();
    return r;
  }
  ExprId trans_compare(ExprId e, ExprKind type, SymbolId sym) override {
    return run(e, [&](Node* t) { return trans_compare(t, type, sym); });
  }

 private:
  template <class F>
  ExprId run(ExprId e, F f) {
    ExprId r = intern(f(expand(e)));
    arena_.clear();
    return r;
  }

  Node* alloc(ExprKind k, Node* l = nullptr, Node* r = nullptr, SymbolId s = kNone, SymbolId s2 = kNone) {
    arena_.push_back(Node{k, l, r, s, s2});
    return &arena_.back();
  }
  Node* sym(SymbolId s) { return alloc(ExprKind::symbol, nullptr, nullptr, s); }
  Node* copy(const Node* n) {
    if (!n) return nullptr;
    Depth g(depth_, msgs_, stack_);
    return alloc(n->kind, copy(n->left), copy(n->right), n->sym, n->sym2);
  }
  Node* expand(ExprId e) {
    if (e == kNone) return nullptr;
    Depth g(depth_, msgs_, stack_);
    const Expr x = m_.expr(e);
    return alloc(x.kind, expand(x.left), expand(x.right), x.sym, x.sym2);
  }
  ExprId intern(const Node* n) {
    if (!n) return kNone;
    Depth g(depth_, msgs_, stack_);
    switch (n->kind) {
      case ExprKind::symbol: return m_.e_sym(n->sym);
      case ExprKind::not_: return m_.e_not(intern(n->left));
      case ExprKind::and_: return m_.e_and(intern(n->left), intern(n->right));
      case ExprKind::or_: return m_.e_or(intern(n->left), intern(n->right));
      case ExprKind::sym_as_expr: return m_.e_sym_as_expr(n->sym);
      default: return m_.e_cmp(n->kind, n->sym, n->sym2);
    }
  }
  static bool is_sym(const Node* n, SymbolId s) { return n->kind == ExprKind::symbol && n->sym == s; }

  Node* rewrite_m(Node* e) {
    if (!e) return e;
    Depth g(depth_, msgs_, stack_);
    switch (e->kind) {
      case ExprKind::not_: e->left = rewrite_m(e->left); break;
      case ExprKind::or_:
      case ExprKind::and_:
        e->left = rewrite_m(e->left);
        e->right = rewrite_m(e->right);
        break;
      case ExprKind::symbol:
        if (e->sym == kSymMod) return alloc(ExprKind::and_, e, sym(m_.modules_sym));
        break;
      default: break;
    }
    return e;
  }

  Node* transform(Node* e) {
    if (!e) return nullptr;
    Depth g(depth_, msgs_, stack_);
    if (e->kind == ExprKind::and_ || e->kind == ExprKind::or_ || e->kind == ExprKind::not_) {
      e->left = transform(e->left);
      e->right = transform(e->right);
    }
    switch (e->kind) {
      case ExprKind::equal:
        if (m_.sym(e->sym).type != SymbolType::boolean) break;
        if (e->sym2 == kSymNo) {
          e->kind = ExprKind::not_;
          e->left = sym(e->sym);
          e->sym = e->sym2 = kNone;
          break;
        }
        if (e->sym2 == kSymMod) {
          tested_for_m(e->sym, 'n');
          e->kind = ExprKind::symbol;
          e->sym = kSymNo;
          e->sym2 = kNone;
          break;
        }
        if (e->sym2 == kSymYes) {
          e->kind = ExprKind::symbol;
          e->sym2 = kNone;
        }
        break;
      case ExprKind::unequal:
        if (m_.sym(e->sym).type != SymbolType::boolean) break;
        if (e->sym2 == kSymNo) {
          e->kind = ExprKind::symbol;
          e->sym2 = kNone;
          break;
        }
        if (e->sym2 == kSymMod) {
          tested_for_m(e->sym, 'y');
          e->kind = ExprKind::symbol;
          e->sym = kSymYes;
          e->sym2 = kNone;
          break;
        }
        if (e->sym2 == kSymYes) {
          e->kind = ExprKind::not_;
          e->left = sym(e->sym);
          e->sym = e->sym2 = kNone;
        }
        break;
      case ExprKind::not_: {
        Node* l = e->left;
        switch (l->kind) {
          case ExprKind::not_: e = transform(l->left); break;
          case ExprKind::equal:
          case ExprKind::unequal:
            e = l;
            e->kind = flip_eq(e->kind);
            break;
          case ExprKind::leq:
          case ExprKind::geq:
            e = l;
            e->kind = e->kind == ExprKind::leq ? ExprKind::gth : ExprKind::lth;
            break;
          case ExprKind::lth:
          case ExprKind::gth:
            e = l;
            e->kind = e->kind == ExprKind::lth ? ExprKind::geq : ExprKind::leq;
            break;
          case ExprKind::or_:
          case ExprKind::and_: {
            // !(a || b) -> !a && !b ; !(a && b) -> !a || !b
            e->kind = l->kind == ExprKind::or_ ? ExprKind::and_ : ExprKind::or_;
            e->right = alloc(ExprKind::not_, l->right);
            l->kind = ExprKind::not_;
            l->right = nullptr;
            e = transform(e);
            break;
          }
          case ExprKind::symbol:
            if (l->sym == kSymYes) {
              e = l;
              e->sym = kSymNo;
            } else if (l->sym == kSymMod) {
              e = l;
              e->sym = kSymMod;
            } else if (l->sym == kSymNo) {
              e = l;
              e->sym = kSymYes;
            }
            break;
          default: break;
        }
        break;
      }
      default: break;
    }
    return e;
  }

  // In place; returns the (possibly same) node.
  Node* eliminate_yn(Node* e) {
    if (!e) return e;
    Depth g(depth_, msgs_, stack_);
    if (e->kind != ExprKind::and_ && e->kind != ExprKind::or_) return e;
    e->left = eliminate_yn(e->left);
    e->right = eliminate_yn(e->right);
    const bool is_and = e->kind == ExprKind::and_;
    // AND: n absorbs, y vanishes; OR: y absorbs, n vanishes.
    SymbolId absorb = is_and ? kSymNo : kSymYes, neutral = is_and ? kSymYes : kSymNo;
    auto become_const = [&](SymbolId s) {
      e->kind = ExprKind::symbol;
      e->sym = s;
      e->left = e->right = nullptr;
    };
    auto become = [&](Node* other) { *e = *other; };
    if (e->left->kind == ExprKind::symbol) {
      if (e->left->sym == absorb) {
        become_const(absorb);
        return e;
      }
      if (e->left->sym == neutral) {
        become(e->right);
        return e;
      }
    }
    if (e->right->kind == ExprKind::symbol) {
      if (e->right->sym == absorb) {
        become_const(absorb);
        return e;
      }
      if (e->right->sym == neutral) {
        become(e->left);
        return e;
      }
    }
    return e;
  }

  void elim_eq(ExprKind type, Node** ep1, Node** ep2) {
    Depth g(depth_, msgs_, stack_);
    Node*& e1 = *ep1;
    Node*& e2 = *ep2;
    if (e1->kind == type) {
      elim_eq(type, &e1->left, ep2);
      elim_eq(type, &e1->right, ep2);
      return;
    }
    if (e2->kind == type) {
      elim_eq(type, ep1, &e2->left);
      elim_eq(type, ep1, &e2->right);
      return;
    }
    if (e1->kind == ExprKind::symbol && e2->kind == ExprKind::symbol && e1->sym == e2->sym &&
        (e1->sym == kSymYes || e1->sym == kSymNo))
      return;
    if (!eq(e1, e2)) return;
    ++trans_count_;
    if (type == ExprKind::or_) {
      e1 = sym(kSymNo);
      e2 = sym(kSymNo);
    } else if (type == ExprKind::and_) {
      e1 = sym(kSymYes);
      e2 = sym(kSymYes);
    }
  }

  void eliminate_eq(Node** ep1, Node** ep2) {
    if (!*ep1 || !*ep2) return;
    if ((*ep1)->kind == ExprKind::or_ || (*ep1)->kind == ExprKind::and_) elim_eq((*ep1)->kind, ep1, ep2);
    if ((*ep1)->kind != (*ep2)->kind && ((*ep2)->kind == ExprKind::or_ || (*ep2)->kind == ExprKind::and_))
      elim_eq((*ep2)->kind, ep1, ep2);
    *ep1 = eliminate_yn(*ep1);
    *ep2 = eliminate_yn(*ep2);
  }

  bool eq(Node* e1, Node* e2) {
    if (!e1 || !e2) {
      auto yes = [](Node* n) { return !n || is_sym(n, kSymYes); };
      return yes(e1) && yes(e2);
    }
    Depth g(depth_, msgs_, stack_);
    if (e1->kind != e2->kind) return false;
    switch (e1->kind) {
      case ExprKind::symbol: return e1->sym == e2->sym;
      case ExprKind::not_: return eq(e1->left, e2->left);
      case ExprKind::and_:
      case ExprKind::or_: {
        Node* a = copy(e1);
        Node* b = copy(e2);
        int old = trans_count_;
        eliminate_eq(&a, &b);
        bool res = a->kind == ExprKind::symbol && b->kind == ExprKind::symbol && a->sym == b->sym;
        trans_count_ = old;
        return res;
      }
      case ExprKind::sym_as_expr: return false;
      default: return e1->sym == e2->sym && e1->sym2 == e2->sym2;
    }
  }

  bool join_syms(Node* e1, Node* e2, SymbolId* s1, SymbolId* s2) {
    auto ok = [](ExprKind k) {
      return k == ExprKind::equal || k == ExprKind::unequal || k == ExprKind::symbol || k == ExprKind::not_;
    };
    if (!ok(e1->kind) || !ok(e2->kind)) return false;
    if (e1->kind == ExprKind::not_) {
      Node* t = e1->left;
      if (t->kind != ExprKind::equal && t->kind != ExprKind::unequal && t->kind != ExprKind::symbol)
        return false;
      *s1 = t->sym;
    } else {
      *s1 = e1->sym;
    }
    if (e2->kind == ExprKind::not_) {
      if (e2->left->kind != ExprKind::symbol) return false;
      *s2 = e2->left->sym;
    } else {
      *s2 = e2->sym;
    }
    if (*s1 != *s2) return false;
    SymbolType ty = m_.sym(*s1).type;
    return ty == SymbolType::boolean || ty == SymbolType::tristate;
  }

  Node* cmp(ExprKind k, SymbolId a, SymbolId b) { return alloc(k, nullptr, nullptr, a, b); }

  Node* join_or(Node* e1, Node* e2) {
    if (eq(e1, e2)) return copy(e1);
    SymbolId sym1, sym2;
    if (!join_syms(e1, e2, &sym1, &sym2)) return nullptr;
    if (m_.sym(sym1).type == SymbolType::tristate && e1->kind == ExprKind::equal &&
        e2->kind == ExprKind::equal) {
      auto pair = [&](SymbolId x, SymbolId y) {
        return (e1->sym2 == x && e2->sym2 == y) || (e1->sym2 == y && e2->sym2 == x);
      };
      if (pair(kSymYes, kSymMod)) return cmp(ExprKind::unequal, sym1, kSymNo);
      if (pair(kSymYes, kSymNo)) return cmp(ExprKind::unequal, sym1, kSymMod);
      if (pair(kSymMod, kSymNo)) return cmp(ExprKind::unequal, sym1, kSymYes);
    }
    if (m_.sym(sym1).type == SymbolType::boolean) {
      if ((e1->kind == ExprKind::not_ && e1->left->kind == ExprKind::symbol &&
           e2->kind == ExprKind::symbol) ||
          (e2->kind == ExprKind::not_ && e2->left->kind == ExprKind::symbol && e1->kind == ExprKind::symbol))
        return sym(kSymYes);
    }
    return nullptr;
  }

  Node* join_and(Node* e1, Node* e2) {
    if (eq(e1, e2)) return copy(e1);
    SymbolId sym1, sym2;
    if (!join_syms(e1, e2, &sym1, &sym2)) return nullptr;
    const ExprKind S = ExprKind::symbol, EQ = ExprKind::equal, NE = ExprKind::unequal;
    auto K = [](const Node* x, ExprKind k, SymbolId r) { return x->kind == k && x->sym2 == r; };
    if ((e1->kind == S && K(e2, EQ, kSymYes)) || (e2->kind == S && K(e1, EQ, kSymYes)))
      return cmp(EQ, sym1, kSymYes);
    if ((e1->kind == S && K(e2, NE, kSymNo)) || (e2->kind == S && K(e1, NE, kSymNo))) return sym(sym1);
    if ((e1->kind == S && K(e2, NE, kSymMod)) || (e2->kind == S && K(e1, NE, kSymMod)))
      return cmp(EQ, sym1, kSymYes);
    if (m_.sym(sym1).type == SymbolType::tristate) {
      auto is_const = [&](SymbolId s) { return m_.sym(s).is(kSymConst); };
      if (e1->kind == EQ && e2->kind == NE) {
        SymbolId s2 = e1->sym2;
        if (is_const(e2->sym2) && is_const(s2)) return s2 != e2->sym2 ? cmp(EQ, sym1, s2) : sym(kSymNo);
      }
      if (e1->kind == NE && e2->kind == EQ) {
        SymbolId s2 = e2->sym2;
        if (is_const(e1->sym2) && is_const(s2)) return s2 != e1->sym2 ? cmp(EQ, sym1, s2) : sym(kSymNo);
      }
      auto pair = [&](SymbolId x, SymbolId y) {
        return e1->kind == NE && e2->kind == NE &&
               ((e1->sym2 == x && e2->sym2 == y) || (e1->sym2 == y && e2->sym2 == x));
      };
      if (pair(kSymYes, kSymNo)) return cmp(EQ, sym1, kSymMod);
      if (pair(kSymYes, kSymMod)) return cmp(EQ, sym1, kSymNo);
      if (pair(kSymMod, kSymNo)) return cmp(EQ, sym1, kSymYes);
    }
    return nullptr;
  }

  void dups1(ExprKind type, Node** ep1, Node** ep2) {
    Depth g(depth_, msgs_, stack_);
    if ((*ep1)->kind == type) {
      dups1(type, &(*ep1)->left, ep2);
      dups1(type, &(*ep1)->right, ep2);
      return;
    }
    if ((*ep2)->kind == type) {
      dups1(type, ep1, &(*ep2)->left);
      dups1(type, ep1, &(*ep2)->right);
      return;
    }
    if (*ep1 == *ep2) return;
    if ((*ep1)->kind == ExprKind::or_ || (*ep1)->kind == ExprKind::and_) dups1((*ep1)->kind, ep1, ep1);
    Node* tmp = type == ExprKind::or_ ? join_or(*ep1, *ep2) : join_and(*ep1, *ep2);
    if (tmp) {
      *ep1 = sym(type == ExprKind::or_ ? kSymNo : kSymYes);
      *ep2 = tmp;
      ++trans_count_;
    }
  }

  Node* eliminate_dups(Node* e) {
    if (!e) return e;
    int oldcount = trans_count_;
    for (int guard = 0; guard < 100000; ++guard) {
      trans_count_ = 0;
      if (e->kind == ExprKind::or_ || e->kind == ExprKind::and_) dups1(e->kind, &e, &e);
      if (!trans_count_) break;
      e = eliminate_yn(e);
    }
    trans_count_ = oldcount;
    return e;
  }

  Node* trans_compare(Node* e, ExprKind type, SymbolId s) {
    if (!e) {
      Node* r = sym(s);
      return type == ExprKind::unequal ? alloc(ExprKind::not_, r) : r;
    }
    Depth g(depth_, msgs_, stack_);
    switch (e->kind) {
      case ExprKind::and_:
      case ExprKind::or_: {
        Node* e1 = trans_compare(e->left, ExprKind::equal, s);
        Node* e2 = trans_compare(e->right, ExprKind::equal, s);
        ExprKind same = e->kind, other = e->kind == ExprKind::and_ ? ExprKind::or_ : ExprKind::and_;
        if (s == kSymYes) e = alloc(same, e1, e2);
        if (s == kSymNo) e = alloc(other, e1, e2);
        if (type == ExprKind::unequal) e = alloc(ExprKind::not_, e);
        return e;
      }
      case ExprKind::not_: return trans_compare(e->left, flip_eq(type), s);
      case ExprKind::symbol: return cmp(type, e->sym, s);
      case ExprKind::sym_as_expr: return e;
      default:
        if (type == ExprKind::equal) {
          if (s == kSymYes) return copy(e);
          if (s == kSymMod) return sym(kSymNo);
          if (s == kSymNo) return alloc(ExprKind::not_, copy(e));
        } else {
          if (s == kSymYes) return alloc(ExprKind::not_, copy(e));
          if (s == kSymMod) return sym(kSymYes);
          if (s == kSymNo) return copy(e);
        }
        return e;
    }
  }

  void tested_for_m(SymbolId s, char forced) {
    msgs_.out("boolean symbol " + m_.sym(s).name + " tested for 'm'? test forced to '" + forced + "'\n");
  }

  Model& m_;
  Messages& msgs_;
  Memo tmemo_, dmemo_;
  std::unordered_map<ExprId, std::vector<std::string>> tmsgs_;
  std::deque<Node> arena_;
  int trans_count_ = 0;
  int depth_ = 0;
  StackGuard stack_;
};

}  // namespace

std::unique_ptr<ExprOps> make_ops61(Model& m, Messages& msgs) { return std::make_unique<Ops61>(m, msgs); }

}  // namespace kmeta::kconfig::expr_detail
