#include <deque>

#include "kconfig/expr_ops_internal.h"

namespace kmeta::kconfig::expr_detail {
namespace {

// ===========================================================================
// 6.12: hash-consed, functional (expr.c of Linux 6.12)

class Ops612 : public ExprOps {
 public:
  Ops612(Model& m, Messages& msgs) : m_(m), msgs_(msgs) {}

  ExprId rewrite_m(ExprId e) override {
    if (e == kNone) return e;
    Depth g(depth_, msgs_, stack_);
    const Expr x = m_.expr(e);
    switch (x.kind) {
      case ExprKind::not_: return same_or_not(e, rewrite_m(x.left));
      case ExprKind::or_:
      case ExprKind::and_: return same_or_two(e, x.kind, rewrite_m(x.left), rewrite_m(x.right));
      case ExprKind::symbol:
        if (x.sym == kSymMod) return m_.e_and(e, m_.e_sym(m_.modules_sym));
        return e;
      default: return e;
    }
  }

  ExprId transform(ExprId e) override {
    if (e == kNone) return kNone;
    ExprId memo = tmemo_.get(e);
    if (memo != Memo::kUnset) {
      replay(e);
      return memo;
    }
    size_t before = msgs_.items().size();
    ExprId r = transform_impl(e);
    tmemo_.set(e, r);
    record(e, before);
    return r;
  }

  void types_changed() override {
    tmemo_.clear();
    dmemo_.clear();
    cmemo_.clear();
    tmsgs_.clear();
    eq_memo_.clear();
  }

 private:
  // "boolean symbol X tested for 'm'?" lines printed while transforming an
  // expression, replayed when its memoized result is reused.
  void record(ExprId e, size_t before) {
    const auto& items = msgs_.items();
    if (items.size() == before) return;
    std::vector<std::string>& v = tmsgs_[e];
    for (size_t i = before; i < items.size(); ++i) v.push_back(items[i].text);
  }
  void replay(ExprId e) {
    auto it = tmsgs_.find(e);
    if (it == tmsgs_.end()) return;
    for (const std::string& t : it->second) msgs_.out(t);
  }

  ExprId transform_impl(ExprId e) {
    Depth g(depth_, msgs_, stack_);
    {
      const Expr x = m_.expr(e);
      if (x.kind == ExprKind::not_)
        e = same_or_not(e, transform(x.left));
      else if (x.kind == ExprKind::and_ || x.kind == ExprKind::or_)
        e = same_or_two(e, x.kind, transform(x.left), transform(x.right));
    }
    const Expr x = m_.expr(e);
    switch (x.kind) {
      case ExprKind::equal:
        if (m_.sym(x.sym).type != SymbolType::boolean) break;
        if (x.sym2 == kSymNo) return m_.e_not(m_.e_sym(x.sym));
        if (x.sym2 == kSymMod) {
          tested_for_m(x.sym, 'n');
          return m_.e_sym(kSymNo);
        }
        if (x.sym2 == kSymYes) return m_.e_sym(x.sym);
        break;
      case ExprKind::unequal:
        if (m_.sym(x.sym).type != SymbolType::boolean) break;
        if (x.sym2 == kSymNo) return m_.e_sym(x.sym);
        if (x.sym2 == kSymMod) {
          tested_for_m(x.sym, 'y');
          return m_.e_sym(kSymYes);
        }
        // lkc 6.12 builds E_NOT over the symbol itself (e->left.expr of a
        // comparison is its symbol): the sym_as_expr defect.
        if (x.sym2 == kSymYes) return m_.e_not(m_.e_sym_as_expr(x.sym));
        break;
      case ExprKind::not_: {
        const Expr l = m_.expr(x.left);
        switch (l.kind) {
          case ExprKind::not_: return l.left;
          case ExprKind::equal:
          case ExprKind::unequal: return m_.e_cmp(flip_eq(l.kind), l.sym, l.sym2);
          case ExprKind::leq:
          case ExprKind::geq:
            return m_.e_cmp(l.kind == ExprKind::leq ? ExprKind::gth : ExprKind::lth, l.sym, l.sym2);
          case ExprKind::lth:
          case ExprKind::gth:
            return m_.e_cmp(l.kind == ExprKind::lth ? ExprKind::geq : ExprKind::leq, l.sym, l.sym2);
          case ExprKind::or_: return transform(m_.e_and(m_.e_not(l.left), m_.e_not(l.right)));
          case ExprKind::and_: return transform(m_.e_or(m_.e_not(l.left), m_.e_not(l.right)));
          case ExprKind::symbol:
            if (l.sym == kSymYes) return m_.e_sym(kSymNo);
            if (l.sym == kSymMod) return m_.e_sym(kSymMod);
            if (l.sym == kSymNo) return m_.e_sym(kSymYes);
            break;
          default: break;
        }
        break;
      }
      default: break;
    }
    return e;
  }

 public:
  ExprId eliminate_dups(ExprId e) override {
    if (e == kNone) return e;
    ExprId memo = dmemo_.get(e);
    if (memo != Memo::kUnset) return memo;
    const ExprId in = e;
    Depth g(depth_, msgs_, stack_);
    int oldcount = trans_count_;
    int guard = 0;
    do {
      trans_count_ = 0;
      const Expr x = m_.expr(e);
      if (x.kind == ExprKind::or_ || x.kind == ExprKind::and_) {
        ExprId l = eliminate_dups(x.left);
        ExprId r = eliminate_dups(x.right);
        dups1(x.kind, &l, &r);
        e = same_or_two(e, x.kind, l, r);
      }
      e = eliminate_yn(e);
    } while (trans_count_ && ++guard < 100000);
    trans_count_ = oldcount;
    dmemo_.set(in, e);
    return e;
  }

  void eliminate_eq(ExprId* ep1, ExprId* ep2) override {
    if (*ep1 == kNone || *ep2 == kNone) return;
    ExprKind k1 = m_.expr(*ep1).kind;
    if (k1 == ExprKind::or_ || k1 == ExprKind::and_) elim_eq(k1, ep1, ep2);
    ExprKind n1 = m_.expr(*ep1).kind, k2 = m_.expr(*ep2).kind;
    if (n1 != k2 && (k2 == ExprKind::or_ || k2 == ExprKind::and_)) elim_eq(k2, ep1, ep2);
    *ep1 = eliminate_yn(*ep1);
    *ep2 = eliminate_yn(*ep2);
  }

  bool eq(ExprId e1, ExprId e2) override {
    if (e1 == kNone || e2 == kNone) return expr_is_yes(m_, e1) && expr_is_yes(m_, e2);
    Depth g(depth_, msgs_, stack_);
    const Expr a = m_.expr(e1), b = m_.expr(e2);
    if (a.kind != b.kind) return false;
    switch (a.kind) {
      case ExprKind::symbol: return a.sym == b.sym;
      case ExprKind::not_: return eq(a.left, b.left);
      case ExprKind::and_:
      case ExprKind::or_: {
        const uint64_t key = (static_cast<uint64_t>(e1.index()) << 32) | e2.index();
        auto it = eq_memo_.find(key);
        if (it != eq_memo_.end()) return it->second;
        int old = trans_count_;
        eliminate_eq(&e1, &e2);
        const Expr c = m_.expr(e1), d = m_.expr(e2);
        bool res = c.kind == ExprKind::symbol && d.kind == ExprKind::symbol && c.sym == d.sym;
        trans_count_ = old;
        eq_memo_.emplace(key, res);
        return res;
      }
      case ExprKind::sym_as_expr: return false;  // garbage type: expr_eq falls through to "not equal"
      default: return a.sym == b.sym && a.sym2 == b.sym2;
    }
  }

  ExprId trans_compare(ExprId e, ExprKind type, SymbolId sym) override {
    if (e == kNone) {
      ExprId r = m_.e_sym(sym);
      return type == ExprKind::unequal ? m_.e_not(r) : r;
    }
    // finalization only asks for (!= n); memoize that
    const bool memo = type == ExprKind::unequal && sym == kSymNo;
    if (memo) {
      ExprId r = cmemo_.get(e);
      if (r != Memo::kUnset) return r;
      r = trans_compare_impl(e, type, sym);
      cmemo_.set(e, r);
      return r;
    }
    return trans_compare_impl(e, type, sym);
  }

 private:
  ExprId trans_compare_impl(ExprId e, ExprKind type, SymbolId sym) {
    Depth g(depth_, msgs_, stack_);
    const Expr x = m_.expr(e);
    switch (x.kind) {
      case ExprKind::and_:
      case ExprKind::or_: {
        ExprId e1 = trans_compare(x.left, ExprKind::equal, sym);
        ExprId e2 = trans_compare(x.right, ExprKind::equal, sym);
        ExprKind same = x.kind, other = x.kind == ExprKind::and_ ? ExprKind::or_ : ExprKind::and_;
        if (sym == kSymYes) e = two(same, e1, e2);
        if (sym == kSymNo) e = two(other, e1, e2);
        if (type == ExprKind::unequal) e = m_.e_not(e);
        return e;
      }
      case ExprKind::not_: return trans_compare(x.left, flip_eq(type), sym);
      case ExprKind::symbol: return m_.e_cmp(type, x.sym, sym);
      case ExprKind::sym_as_expr: return e;  // lkc returns NULL here and crashes later; keep the node
      default:                               // comparisons
        if (type == ExprKind::equal) {
          if (sym == kSymYes) return e;
          if (sym == kSymMod) return m_.e_sym(kSymNo);
          if (sym == kSymNo) return m_.e_not(e);
        } else {
          if (sym == kSymYes) return m_.e_not(e);
          if (sym == kSymMod) return m_.e_sym(kSymYes);
          if (sym == kSymNo) return e;
        }
        return e;
    }
  }

 private:
  ExprId two(ExprKind k, ExprId l, ExprId r) {
    // expr_alloc_two never sees NULL operands on these paths
    return k == ExprKind::and_ ? m_.e_and(l, r) : m_.e_or(l, r);
  }
  // expr_alloc_two/one of the same operands is the same (hash-consed) node.
  ExprId same_or_two(ExprId e, ExprKind k, ExprId l, ExprId r) {
    const Expr& x = m_.expr(e);
    return (x.left == l && x.right == r) ? e : two(k, l, r);
  }
  ExprId same_or_not(ExprId e, ExprId l) { return m_.expr(e).left == l ? e : m_.e_not(l); }

  void tested_for_m(SymbolId s, char forced) {
    msgs_.out("boolean symbol " + m_.sym(s).name + " tested for 'm'? test forced to '" + forced + "'\n");
  }

  bool is_sym(ExprId e, SymbolId s) const {
    const Expr& x = m_.expr(e);
    return x.kind == ExprKind::symbol && x.sym == s;
  }

  ExprId eliminate_yn(ExprId e) {
    if (e == kNone) return e;
    Depth g(depth_, msgs_, stack_);
    const Expr x = m_.expr(e);
    if (x.kind == ExprKind::and_) {
      ExprId l = eliminate_yn(x.left), r = eliminate_yn(x.right);
      if (m_.expr(l).kind == ExprKind::symbol) {
        if (is_sym(l, kSymNo)) return l;
        if (is_sym(l, kSymYes)) return r;
      }
      if (m_.expr(r).kind == ExprKind::symbol) {
        if (is_sym(r, kSymNo)) return r;
        if (is_sym(r, kSymYes)) return l;
      }
    } else if (x.kind == ExprKind::or_) {
      ExprId l = eliminate_yn(x.left), r = eliminate_yn(x.right);
      if (m_.expr(l).kind == ExprKind::symbol) {
        if (is_sym(l, kSymNo)) return r;
        if (is_sym(l, kSymYes)) return l;
      }
      if (m_.expr(r).kind == ExprKind::symbol) {
        if (is_sym(r, kSymNo)) return l;
        if (is_sym(r, kSymYes)) return r;
      }
    }
    return e;  // 6.12 keeps the original node (and its unsimplified children)
  }

  void elim_eq(ExprKind type, ExprId* ep1, ExprId* ep2) {
    Depth g(depth_, msgs_, stack_);
    const Expr a = m_.expr(*ep1);
    if (a.kind == type) {
      ExprId l = a.left, r = a.right;
      elim_eq(type, &l, ep2);
      elim_eq(type, &r, ep2);
      *ep1 = same_or_two(*ep1, type, l, r);
      return;
    }
    const Expr b = m_.expr(*ep2);
    if (b.kind == type) {
      ExprId l = b.left, r = b.right;
      elim_eq(type, ep1, &l);
      elim_eq(type, ep1, &r);
      *ep2 = same_or_two(*ep2, type, l, r);
      return;
    }
    if (a.kind == ExprKind::symbol && b.kind == ExprKind::symbol && a.sym == b.sym &&
        (a.sym == kSymYes || a.sym == kSymNo))
      return;
    if (!eq(*ep1, *ep2)) return;
    ++trans_count_;
    if (type == ExprKind::or_) {
      *ep1 = *ep2 = m_.e_sym(kSymNo);
    } else if (type == ExprKind::and_) {
      *ep1 = *ep2 = m_.e_sym(kSymYes);
    }
  }

  // Operand checks shared by join_or/join_and; false = "return NULL".
  bool join_syms(ExprId e1, ExprId e2, SymbolId* s1, SymbolId* s2) {
    auto ok = [](ExprKind k) {
      return k == ExprKind::equal || k == ExprKind::unequal || k == ExprKind::symbol || k == ExprKind::not_;
    };
    const Expr a = m_.expr(e1), b = m_.expr(e2);
    if (!ok(a.kind) || !ok(b.kind)) return false;
    if (a.kind == ExprKind::not_) {
      const Expr t = m_.expr(a.left);
      if (t.kind != ExprKind::equal && t.kind != ExprKind::unequal && t.kind != ExprKind::symbol)
        return false;
      *s1 = t.sym;
    } else {
      *s1 = a.sym;
    }
    if (b.kind == ExprKind::not_) {
      const Expr t = m_.expr(b.left);
      if (t.kind != ExprKind::symbol) return false;
      *s2 = t.sym;
    } else {
      *s2 = b.sym;
    }
    if (*s1 != *s2) return false;
    SymbolType ty = m_.sym(*s1).type;
    return ty == SymbolType::boolean || ty == SymbolType::tristate;
  }

  ExprId join_or(ExprId e1, ExprId e2) {
    if (eq(e1, e2)) return e1;
    SymbolId sym1, sym2;
    if (!join_syms(e1, e2, &sym1, &sym2)) return kNone;
    const Expr a = m_.expr(e1), b = m_.expr(e2);
    if (m_.sym(sym1).type == SymbolType::tristate && a.kind == ExprKind::equal && b.kind == ExprKind::equal) {
      auto pair = [&](SymbolId x, SymbolId y) {
        return (a.sym2 == x && b.sym2 == y) || (a.sym2 == y && b.sym2 == x);
      };
      if (pair(kSymYes, kSymMod)) return m_.e_cmp(ExprKind::unequal, sym1, kSymNo);
      if (pair(kSymYes, kSymNo)) return m_.e_cmp(ExprKind::unequal, sym1, kSymMod);
      if (pair(kSymMod, kSymNo)) return m_.e_cmp(ExprKind::unequal, sym1, kSymYes);
    }
    if (m_.sym(sym1).type == SymbolType::boolean) {
      if ((a.kind == ExprKind::not_ && m_.expr(a.left).kind == ExprKind::symbol &&
           b.kind == ExprKind::symbol) ||
          (b.kind == ExprKind::not_ && m_.expr(b.left).kind == ExprKind::symbol &&
           a.kind == ExprKind::symbol))
        return m_.e_sym(kSymYes);
    }
    return kNone;
  }

  ExprId join_and(ExprId e1, ExprId e2) {
    if (eq(e1, e2)) return e1;
    SymbolId sym1, sym2;
    if (!join_syms(e1, e2, &sym1, &sym2)) return kNone;
    const Expr a = m_.expr(e1), b = m_.expr(e2);
    auto K = [](const Expr& x, ExprKind k, SymbolId r) { return x.kind == k && x.sym2 == r; };
    const ExprKind S = ExprKind::symbol, EQ = ExprKind::equal, NE = ExprKind::unequal;
    if ((a.kind == S && K(b, EQ, kSymYes)) || (b.kind == S && K(a, EQ, kSymYes)))
      return m_.e_cmp(EQ, sym1, kSymYes);
    if ((a.kind == S && K(b, NE, kSymNo)) || (b.kind == S && K(a, NE, kSymNo))) return m_.e_sym(sym1);
    if ((a.kind == S && K(b, NE, kSymMod)) || (b.kind == S && K(a, NE, kSymMod)))
      return m_.e_cmp(EQ, sym1, kSymYes);
    if (m_.sym(sym1).type == SymbolType::tristate) {
      auto is_const = [&](SymbolId s) { return m_.sym(s).is(kSymConst); };
      if (a.kind == EQ && b.kind == NE) {
        SymbolId s2 = a.sym2;
        if (is_const(b.sym2) && is_const(s2)) return s2 != b.sym2 ? m_.e_cmp(EQ, sym1, s2) : m_.e_sym(kSymNo);
      }
      if (a.kind == NE && b.kind == EQ) {
        SymbolId s2 = b.sym2;
        if (is_const(a.sym2) && is_const(s2)) return s2 != a.sym2 ? m_.e_cmp(EQ, sym1, s2) : m_.e_sym(kSymNo);
      }
      auto pair = [&](SymbolId x, SymbolId y) {
        return a.kind == NE && b.kind == NE && ((a.sym2 == x && b.sym2 == y) || (a.sym2 == y && b.sym2 == x));
      };
      if (pair(kSymYes, kSymNo)) return m_.e_cmp(EQ, sym1, kSymMod);
      if (pair(kSymYes, kSymMod)) return m_.e_cmp(EQ, sym1, kSymNo);
      if (pair(kSymMod, kSymNo)) return m_.e_cmp(EQ, sym1, kSymYes);
    }
    return kNone;
  }

  void dups1(ExprKind type, ExprId* ep1, ExprId* ep2) {
    Depth g(depth_, msgs_, stack_);
    const Expr a = m_.expr(*ep1);
    if (a.kind == type) {
      ExprId l = a.left, r = a.right;
      dups1(type, &l, ep2);
      dups1(type, &r, ep2);
      *ep1 = same_or_two(*ep1, type, l, r);
      return;
    }
    const Expr b = m_.expr(*ep2);
    if (b.kind == type) {
      ExprId l = b.left, r = b.right;
      dups1(type, ep1, &l);
      dups1(type, ep1, &r);
      *ep2 = same_or_two(*ep2, type, l, r);
      return;
    }
    ExprId tmp = type == ExprKind::or_ ? join_or(*ep1, *ep2) : join_and(*ep1, *ep2);
    if (tmp != kNone) {
      *ep1 = m_.e_sym(type == ExprKind::or_ ? kSymNo : kSymYes);
      *ep2 = tmp;
      ++trans_count_;
    }
  }

  Model& m_;
  Messages& msgs_;
  int trans_count_ = 0;
  int depth_ = 0;
  StackGuard stack_;
  Memo tmemo_, dmemo_, cmemo_;
  std::unordered_map<ExprId, std::vector<std::string>> tmsgs_;
  std::unordered_map<uint64_t, bool> eq_memo_;
};

}  // namespace

std::unique_ptr<ExprOps> make_ops612(Model& m, Messages& msgs) { return std::make_unique<Ops612>(m, msgs); }

}  // namespace kmeta::kconfig::expr_detail
