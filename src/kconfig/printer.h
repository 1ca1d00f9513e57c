// Printing models: expressions exactly as lkc's expr_print, and Kconfig text
// back from a model (definitions with their file:line), plus a dump of the
// finalized tree for golden tests.
#pragma once

#include <functional>
#include <string>

#include "kconfig/model.h"

namespace kmeta::kconfig {

// Called right after a symbol operand's name was appended (lkc calls its
// printing helper with the symbol there); may append e.g. " [=y]".
using SymbolSuffix = std::function<void(SymbolId sym, std::string& out)>;

// lkc expr_print: `y` for no expression, "<choice>" for choices, parentheses
// by expr_compare_type. `suffix` (optional) is called for symbol operands.
void print_expr(const Model& m, ExprId e, std::string& out, const SymbolSuffix& suffix = {});
std::string expr_str(const Model& m, ExprId e);

// lkc expr_gstr_print: symbols of known type get " [=VALUE]" with `value`
// giving their current string value (the evaluator's sym_get_string_value).
void print_expr_values(const Model& m, ExprId e, std::string& out,
                       const std::function<std::string(SymbolId)>& value);

// A symbol's definitions in Kconfig syntax, each preceded by "# FILE:LINE",
// as written (types, prompts, defaults, selects, ranges, `depends on`, help).
std::string print_symbol(const Model& m, SymbolId sym);
// The whole finalized model in Kconfig syntax that parses back to an
// equivalent model: menus, comments and choices as blocks, every entry with
// its finalized (propagated) dependency as `depends on` instead of the
// written one, `if` blocks dissolved into those dependencies, entries of
// automatic submenus after their parent; options as written.
std::string print_model(const Model& m);
// Finalized state, one line per fact, for golden tests: the menu tree with
// node dependencies and property conditions, then symbols in hash order with
// dir_dep, rev_dep and implied.
std::string dump_model(const Model& m);

}  // namespace kmeta::kconfig
