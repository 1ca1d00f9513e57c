// Expression evaluation and printing with values (lkc's expr.c:
// expr_calc_value, expr_parse_string, expr_gstr_print, expr_print_revdep).
#include "kconfig/cnum.h"
#include "kconfig/configuration.h"
#include "kconfig/printer.h"
#include "kconfig/tristate_names.h"

namespace kmeta::kconfig {

// --- expressions -------------------------------------------------------------

Tristate Configuration::eval(ExprId e) {
  if (e == kNone) return kY;
  if (!rules().expression_value_cache) return eval_uncached(e);
  uint8_t& c = expr_cache_[e];
  if (c != kExprUnknown) return static_cast<Tristate>(c);
  Tristate v = eval_uncached(e);
  expr_cache_[e] = static_cast<uint8_t>(v);
  return v;
}

Tristate Configuration::eval_uncached(ExprId e) {
  const Expr& x = model_->expr(e);
  switch (x.kind) {
    case ExprKind::symbol: calc(x.sym); return state_[x.sym].tri;
    case ExprKind::and_: {
      Tristate a = eval(x.left);
      Tristate b = eval(x.right);
      return tri_and(a, b);
    }
    case ExprKind::or_: {
      Tristate a = eval(x.left);
      Tristate b = eval(x.right);
      return tri_or(a, b);
    }
    case ExprKind::not_: return tri_not(eval(x.left));
    case ExprKind::sym_as_expr: return kGarbage;
    default:
      calc(x.sym);
      calc(x.sym2);
      return compare(x);
  }
}

namespace {

enum class NumKind { string, signed_, unsigned_ };

// expr.c:expr_parse_string
NumKind parse_for_compare(std::string_view s, SymbolType type, int64_t& sv, uint64_t& uv) {
  CNumber r;
  NumKind kind;
  switch (type) {
    case SymbolType::boolean:
    case SymbolType::tristate: sv = s == "n" ? 0 : s == "m" ? 1 : s == "y" ? 2 : -1; return NumKind::signed_;
    case SymbolType::integer:
      r = c_strtoll(s, 10);
      sv = r.value;
      kind = NumKind::signed_;
      break;
    case SymbolType::hex:
      r = c_strtoull(s, 16);
      uv = r.uvalue;
      kind = NumKind::unsigned_;
      break;
    default:
      r = c_strtoll(s, 0);
      sv = r.value;
      kind = NumKind::signed_;
      break;
  }
  if (kind == NumKind::signed_) uv = static_cast<uint64_t>(sv);
  if (!r.overflow && r.end == s.size() && r.end > 0 && c_isxdigit(s[r.end - 1])) return kind;
  return NumKind::string;
}

}  // namespace

Tristate Configuration::compare(const Expr& x) const {
  std::string_view s1 = string_value(x.sym);
  std::string_view s2 = string_value(x.sym2);
  SymbolType t1 = info_[x.sym].type;
  SymbolType t2 = info_[x.sym2].type;
  NumKind k1 = NumKind::string, k2 = NumKind::string;
  int64_t l = 0, r = 0;
  uint64_t lu = 0, ru = 0;
  if (t1 != SymbolType::string || t2 != SymbolType::string) {
    k1 = parse_for_compare(s1, t1, l, lu);
    k2 = parse_for_compare(s2, t2, r, ru);
  }
  int res;
  if (k1 == NumKind::string || k2 == NumKind::string) {
    int c = c_strcmp(s1, s2);
    res = (c > 0) - (c < 0);
  } else if (k1 == NumKind::unsigned_ || k2 == NumKind::unsigned_) {
    res = (lu > ru) - (lu < ru);
  } else {
    res = (l > r) - (l < r);
  }
  bool v = false;
  switch (x.kind) {
    case ExprKind::equal: v = res == 0; break;
    case ExprKind::unequal: v = res != 0; break;
    case ExprKind::geq: v = res >= 0; break;
    case ExprKind::gth: v = res > 0; break;
    case ExprKind::leq: v = res <= 0; break;
    case ExprKind::lth: v = res < 0; break;
    default: break;
  }
  return v ? kY : kN;
}

void Configuration::print_expr(ExprId e, std::string& out) const {
  // expr_gstr_print: typed symbols get " [=value]" (no computation).
  kconfig::print_expr(*model_, e, out, [this](SymbolId s, std::string& o) {
    if (info_[s].type == SymbolType::unknown) return;
    o += " [=";
    o += string_value(s);
    o += ']';
  });
}

void Configuration::print_revdep(ExprId e, Tristate which, std::string_view title, std::string& out) {
  bool titled = false;
  auto rec = [&](auto& self, ExprId id) -> void {
    const Expr& x = model_->expr(id);
    if (x.kind == ExprKind::or_) {
      self(self, x.left);
      self(self, x.right);
    } else if (eval(id) == which) {
      if (!titled) {
        out += title;
        titled = true;
      }
      out += "  - ";
      print_expr(id, out);
      out += '\n';
    }
  };
  if (e != kNone) rec(rec, e);
}

}  // namespace kmeta::kconfig
