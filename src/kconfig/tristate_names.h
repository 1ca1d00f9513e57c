// Short names for tristate values, for the evaluator and the conf front end
// (lkc writes `no`/`mod`/`yes`). Not part of the public API.
#pragma once

#include "kconfig/model.h"

namespace kmeta::kconfig {

inline constexpr Tristate kN = Tristate::no;
inline constexpr Tristate kM = Tristate::mod;
inline constexpr Tristate kY = Tristate::yes;
// [6.12 defect] what evaluating ExprKind::sym_as_expr yields: a value above y
// (NOT of it is above y too, in unsigned uint8 arithmetic), see model.h.
inline constexpr Tristate kGarbage = static_cast<Tristate>(3);

}  // namespace kmeta::kconfig
