#include "kconfig/expr_ops.h"

#include "kconfig/expr_ops_internal.h"

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
      case ExprKind::symbol: return x.sym == sym;
      case ExprKind::not_: e = x.left; continue;
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
      case ExprKind::symbol: return x.sym == sym;
      case ExprKind::equal: return x.sym == sym && (x.sym2 == kSymYes || x.sym2 == kSymMod);
      case ExprKind::unequal: return x.sym == sym && x.sym2 == kSymNo;
      default: return false;
    }
  }
  return false;
}

std::unique_ptr<ExprOps> ExprOps::create(Model& m, Messages& msgs) {
  if (m.rules().expr_rewriting == ExprRewriting::in_place) return expr_detail::make_ops61(m, msgs);
  return expr_detail::make_ops612(m, msgs);
}

}  // namespace kmeta::kconfig
