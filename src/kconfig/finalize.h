// Finalization (lkc menu.c:menu_finalize): dependency propagation through the
// menu tree, `m` rewriting, expression simplification, select/imply reverse
// dependencies, dir_dep, automatic submenus, `if` flattening, [6.1] choice
// bookkeeping, and the per-symbol sanity warnings (sym_check_prop).
#pragma once

#include "kconfig/messages.h"
#include "kconfig/model.h"

namespace kmeta::kconfig {

void finalize(Model& m, Messages& msgs);

// lkc 6.12 sym_get_choice_menu: the choice node above the first prompted
// definition of `sym`, or kNone. (6.1 uses Symbol::choice instead.)
NodeId choice_menu(const Model& m, SymbolId sym);

}  // namespace kmeta::kconfig
