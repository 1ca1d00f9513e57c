// Finalization (lkc menu.c:menu_finalize): dependency propagation through the
// menu tree, `m` rewriting, expression simplification, select/imply reverse
// dependencies, dir_dep, automatic submenus, `if` flattening, [6.1] choice
// bookkeeping, and the per-symbol sanity warnings (sym_check_prop).
#pragma once

#include "kconfig/messages.h"
#include "kconfig/model.h"

namespace kmeta::kconfig {

void finalize(Model& m, Messages& msgs);

}  // namespace kmeta::kconfig
