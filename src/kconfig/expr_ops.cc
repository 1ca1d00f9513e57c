#include "kconfig/expr_ops.h"

#include <algorithm>
#include <deque>
#include <unordered_map>
#include <vector>

#include "kconfig/internal.h"

namespace kmeta::kconfig {

bool expr_is_yes(const Model& m, ExprId e) {
  return e == kNone || (m.expr(e).kind == ExprKind::symbol && m.expr(e).sym == kSymYes);
}

static bool is_cmp(ExprKind k) {
  return k == ExprKind::equal || k == ExprKind::unequal || k == ExprKind::lth || k == ExprKind::leq ||
         k == ExprKind::gth || k == ExprKind::geq;
}

bool expr_contains_symbol(const Model& m, ExprId e, SymbolId sym) {
  while (e != kNone) {
    const Expr& x = m.expr(e);
    switch (x.kind) {
      case ExprKind::and_:
      case ExprKind::or_:
        if (expr_contains_symbol(m, x.left, sym)) return true;
        e = x.right;
        continue;
      case ExprKind::symbol:
        return x.sym == sym;
      case ExprKind::not_:
        e = x.left;
        continue;
      default:
        if (is_cmp(x.kind)) return x.sym == sym || x.sym2 == sym;
        return false;
    }
  }
  return false;
}

bool expr_depends_symbol(const Model& m, ExprId e, SymbolId sym) {
  while (e != kNone) {
    const Expr& x = m.expr(e);
    switch (x.kind) {
      case ExprKind::and_:
        if (expr_depends_symbol(m, x.left, sym)) return true;
        e = x.right;
        continue;
      case ExprKind::symbol:
        return x.sym == sym;
      case ExprKind::equal:
        return x.sym == sym && (x.sym2 == kSymYes || x.sym2 == kSymMod);
      case ExprKind::unequal:
        return x.sym == sym && x.sym2 == kSymNo;
      default:
        return false;
    }
  }
  return false;
}

namespace {

[[noreturn]] [[gnu::noinline, gnu::cold]] void too_deep(Messages& msgs) {
  msgs.err("error: expression nesting too deep\n", Severity::error);
  throw FatalError{};
}

// Guards recursion depth; see internal.h.
struct Depth {
  Depth(int& d, Messages& msgs) : d_(d) {
    if (++d_ > kMaxExprDepth) {
      --d_;
      too_deep(msgs);
    }
  }
  ~Depth() { --d_; }
  int& d_;
};

// Memo of a pure per-expression function, indexed by ExprId.
class Memo {
 public:
  static constexpr ExprId kUnset = kNone - 1;
  ExprId get(ExprId e) const { return e < v_.size() ? v_[e] : kUnset; }
  void set(ExprId e, ExprId r) {
    if (e >= v_.size()) v_.resize(std::max<size_t>(e + 1, v_.size() * 2), kUnset);
    v_[e] = r;
  }
  void clear() { v_.clear(); }

 private:
  std::vector<ExprId> v_;
};

ExprKind flip_eq(ExprKind k) { return k == ExprKind::equal ? ExprKind::unequal : ExprKind::equal; }

// ===========================================================================
// 6.12: hash-consed, functional (expr.c of Linux 6.12)

class Ops612 : public ExprOps {
 public:
  Ops612(Model& m, Messages& msgs) : m_(m), msgs_(msgs) {}

  ExprId rewrite_m(ExprId e) override {
    if (e == kNone) return e;
    Depth g(depth_, msgs_);
    const Expr x = m_.expr(e);
    switch (x.kind) {
      case ExprKind::not_:
        return same_or_not(e, rewrite_m(x.left));
      case ExprKind::or_:
      case ExprKind::and_:
        return same_or_two(e, x.kind, rewrite_m(x.left), rewrite_m(x.right));
      case ExprKind::symbol:
        if (x.sym == kSymMod) return m_.e_and(e, m_.e_sym(m_.modules_sym));
        return e;
      default:
        return e;
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
    Depth g(depth_, msgs_);
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
          case ExprKind::not_:
            return l.left;
          case ExprKind::equal:
          case ExprKind::unequal:
            return m_.e_cmp(flip_eq(l.kind), l.sym, l.sym2);
          case ExprKind::leq:
          case ExprKind::geq:
            return m_.e_cmp(l.kind == ExprKind::leq ? ExprKind::gth : ExprKind::lth, l.sym, l.sym2);
          case ExprKind::lth:
          case ExprKind::gth:
            return m_.e_cmp(l.kind == ExprKind::lth ? ExprKind::geq : ExprKind::leq, l.sym, l.sym2);
          case ExprKind::or_:
            return transform(m_.e_and(m_.e_not(l.left), m_.e_not(l.right)));
          case ExprKind::and_:
            return transform(m_.e_or(m_.e_not(l.left), m_.e_not(l.right)));
          case ExprKind::symbol:
            if (l.sym == kSymYes) return m_.e_sym(kSymNo);
            if (l.sym == kSymMod) return m_.e_sym(kSymMod);
            if (l.sym == kSymNo) return m_.e_sym(kSymYes);
            break;
          default:
            break;
        }
        break;
      }
      default:
        break;
    }
    return e;
  }

 public:
  ExprId eliminate_dups(ExprId e) override {
    if (e == kNone) return e;
    ExprId memo = dmemo_.get(e);
    if (memo != Memo::kUnset) return memo;
    const ExprId in = e;
    Depth g(depth_, msgs_);
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
    Depth g(depth_, msgs_);
    const Expr a = m_.expr(e1), b = m_.expr(e2);
    if (a.kind != b.kind) return false;
    switch (a.kind) {
      case ExprKind::symbol:
        return a.sym == b.sym;
      case ExprKind::not_:
        return eq(a.left, b.left);
      case ExprKind::and_:
      case ExprKind::or_: {
        const uint64_t key = (static_cast<uint64_t>(e1) << 32) | e2;
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
      case ExprKind::sym_as_expr:
        return false;  // garbage type: expr_eq falls through to "not equal"
      default:
        return a.sym == b.sym && a.sym2 == b.sym2;
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
    Depth g(depth_, msgs_);
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
      case ExprKind::not_:
        return trans_compare(x.left, flip_eq(type), sym);
      case ExprKind::symbol:
        return m_.e_cmp(type, x.sym, sym);
      case ExprKind::sym_as_expr:
        return e;  // lkc returns NULL here and crashes later; keep the node
      default:  // comparisons
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
    Depth g(depth_, msgs_);
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
    Depth g(depth_, msgs_);
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
      if (t.kind != ExprKind::equal && t.kind != ExprKind::unequal && t.kind != ExprKind::symbol) return false;
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
      if ((a.kind == ExprKind::not_ && m_.expr(a.left).kind == ExprKind::symbol && b.kind == ExprKind::symbol) ||
          (b.kind == ExprKind::not_ && m_.expr(b.left).kind == ExprKind::symbol && a.kind == ExprKind::symbol))
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
    Depth g(depth_, msgs_);
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
  Memo tmemo_, dmemo_, cmemo_;
  std::unordered_map<ExprId, std::vector<std::string>> tmsgs_;
  std::unordered_map<uint64_t, bool> eq_memo_;
};

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

  ExprId rewrite_m(ExprId e) override { return run(e, [&](Node* t) { return rewrite_m(t); }); }
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
    Depth g(depth_, msgs_);
    return alloc(n->kind, copy(n->left), copy(n->right), n->sym, n->sym2);
  }
  Node* expand(ExprId e) {
    if (e == kNone) return nullptr;
    Depth g(depth_, msgs_);
    const Expr x = m_.expr(e);
    return alloc(x.kind, expand(x.left), expand(x.right), x.sym, x.sym2);
  }
  ExprId intern(const Node* n) {
    if (!n) return kNone;
    Depth g(depth_, msgs_);
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
    Depth g(depth_, msgs_);
    switch (e->kind) {
      case ExprKind::not_:
        e->left = rewrite_m(e->left);
        break;
      case ExprKind::or_:
      case ExprKind::and_:
        e->left = rewrite_m(e->left);
        e->right = rewrite_m(e->right);
        break;
      case ExprKind::symbol:
        if (e->sym == kSymMod) return alloc(ExprKind::and_, e, sym(m_.modules_sym));
        break;
      default:
        break;
    }
    return e;
  }

  Node* transform(Node* e) {
    if (!e) return nullptr;
    Depth g(depth_, msgs_);
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
          case ExprKind::not_:
            e = transform(l->left);
            break;
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
          default:
            break;
        }
        break;
      }
      default:
        break;
    }
    return e;
  }

  // In place; returns the (possibly same) node.
  Node* eliminate_yn(Node* e) {
    if (!e) return e;
    Depth g(depth_, msgs_);
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
      if (e->left->sym == absorb) { become_const(absorb); return e; }
      if (e->left->sym == neutral) { become(e->right); return e; }
    }
    if (e->right->kind == ExprKind::symbol) {
      if (e->right->sym == absorb) { become_const(absorb); return e; }
      if (e->right->sym == neutral) { become(e->left); return e; }
    }
    return e;
  }

  void elim_eq(ExprKind type, Node** ep1, Node** ep2) {
    Depth g(depth_, msgs_);
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
    Depth g(depth_, msgs_);
    if (e1->kind != e2->kind) return false;
    switch (e1->kind) {
      case ExprKind::symbol:
        return e1->sym == e2->sym;
      case ExprKind::not_:
        return eq(e1->left, e2->left);
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
      case ExprKind::sym_as_expr:
        return false;
      default:
        return e1->sym == e2->sym && e1->sym2 == e2->sym2;
    }
  }

  bool join_syms(Node* e1, Node* e2, SymbolId* s1, SymbolId* s2) {
    auto ok = [](ExprKind k) {
      return k == ExprKind::equal || k == ExprKind::unequal || k == ExprKind::symbol || k == ExprKind::not_;
    };
    if (!ok(e1->kind) || !ok(e2->kind)) return false;
    if (e1->kind == ExprKind::not_) {
      Node* t = e1->left;
      if (t->kind != ExprKind::equal && t->kind != ExprKind::unequal && t->kind != ExprKind::symbol) return false;
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
    if (m_.sym(sym1).type == SymbolType::tristate && e1->kind == ExprKind::equal && e2->kind == ExprKind::equal) {
      auto pair = [&](SymbolId x, SymbolId y) {
        return (e1->sym2 == x && e2->sym2 == y) || (e1->sym2 == y && e2->sym2 == x);
      };
      if (pair(kSymYes, kSymMod)) return cmp(ExprKind::unequal, sym1, kSymNo);
      if (pair(kSymYes, kSymNo)) return cmp(ExprKind::unequal, sym1, kSymMod);
      if (pair(kSymMod, kSymNo)) return cmp(ExprKind::unequal, sym1, kSymYes);
    }
    if (m_.sym(sym1).type == SymbolType::boolean) {
      if ((e1->kind == ExprKind::not_ && e1->left->kind == ExprKind::symbol && e2->kind == ExprKind::symbol) ||
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
    if ((e1->kind == S && K(e2, EQ, kSymYes)) || (e2->kind == S && K(e1, EQ, kSymYes))) return cmp(EQ, sym1, kSymYes);
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
    Depth g(depth_, msgs_);
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
    Depth g(depth_, msgs_);
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
      case ExprKind::not_:
        return trans_compare(e->left, flip_eq(type), s);
      case ExprKind::symbol:
        return cmp(type, e->sym, s);
      case ExprKind::sym_as_expr:
        return e;
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
};

}  // namespace

std::unique_ptr<ExprOps> ExprOps::create(Model& m, Messages& msgs) {
  if (m.dialect == Dialect::v6_1) return std::make_unique<Ops61>(m, msgs);
  return std::make_unique<Ops612>(m, msgs);
}

}  // namespace kmeta::kconfig
