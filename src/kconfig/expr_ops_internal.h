// Internals shared by the two expression-rewriting implementations
// (expr_ops_612.cc, expr_ops_61.cc). Not part of the public API.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "kconfig/expr_ops.h"
#include "kconfig/internal.h"

namespace kmeta::kconfig::expr_detail {

[[noreturn]] [[gnu::noinline, gnu::cold]] inline void too_deep(Messages& msgs) {
  msgs.err("error: expression nesting too deep\n", Severity::error);
  throw FatalError{};
}

// Guards recursion depth; see internal.h.
struct Depth {
  Depth(int& d, Messages& msgs, const StackGuard& stack) : d_(d) {
    if (++d_ > kMaxExprDepth || ((d_ & 15) == 0 && stack.exceeded())) {
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
  static constexpr ExprId kUnset{ExprId::kNoneIndex - 1};
  ExprId get(ExprId e) const { return e.index() < v_.size() ? v_[e] : kUnset; }
  void set(ExprId e, ExprId r) {
    if (e.index() >= v_.size()) v_.resize(std::max<size_t>(e.index() + 1, v_.size() * 2), kUnset);
    v_[e] = r;
  }
  void clear() { v_.clear(); }

 private:
  IdVec<ExprId, ExprId> v_;
};

inline ExprKind flip_eq(ExprKind k) { return k == ExprKind::equal ? ExprKind::unequal : ExprKind::equal; }

std::unique_ptr<ExprOps> make_ops612(Model& m, Messages& msgs);
std::unique_ptr<ExprOps> make_ops61(Model& m, Messages& msgs);

}  // namespace kmeta::kconfig::expr_detail
