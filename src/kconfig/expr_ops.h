// lkc's expression rewriting (expr.c), as used by finalization: rewrite_m,
// expr_transform, expr_eliminate_dups, expr_eliminate_eq, expr_eq,
// expr_trans_compare.
//
// The printed text of finalized expressions (e.g. in "unmet direct
// dependencies" warnings) depends on the exact shapes these produce, and the
// two lkc versions compute them differently:
//  * 6.12 hash-conses expressions and rewrites functionally; notably its
//    expr_eliminate_yn returns the *original* node when nothing simplifies at
//    the top, and `A != y` on a bool becomes the sym_as_expr defect.
//  * 6.1 rewrites trees in place, through aliasing pointers (expr_eliminate_dups
//    walks one tree against itself), keeping simplified children.
// Each dialect has its own implementation, written against lkc's algorithm
// step by step; both read and produce Model expressions.
#pragma once

#include <memory>

#include "kconfig/messages.h"
#include "kconfig/model.h"

namespace kmeta::kconfig {

class ExprOps {
 public:
  virtual ~ExprOps() = default;
  // `m` -> `m && <modules_sym>` in a condition.
  virtual ExprId rewrite_m(ExprId e) = 0;
  // Prints "boolean symbol X tested for 'm'? ..." lines on stdout like lkc.
  virtual ExprId transform(ExprId e) = 0;
  virtual ExprId eliminate_dups(ExprId e) = 0;
  virtual void eliminate_eq(ExprId* a, ExprId* b) = 0;
  virtual bool eq(ExprId a, ExprId b) = 0;
  virtual ExprId trans_compare(ExprId e, ExprKind type, SymbolId sym) = 0;
  // Results are memoized per expression; symbol types feed into them, so a
  // type change ([6.1] choice typing during finalization) must be reported.
  virtual void types_changed() = 0;

  static std::unique_ptr<ExprOps> create(Model& m, Messages& msgs);
};

// Structural helpers, identical in both versions.
bool expr_is_yes(const Model& m, ExprId e);
bool expr_contains_symbol(const Model& m, ExprId e, SymbolId sym);
bool expr_depends_symbol(const Model& m, ExprId e, SymbolId sym);

}  // namespace kmeta::kconfig
