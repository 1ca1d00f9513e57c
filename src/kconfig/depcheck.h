// Post-finalization checks (lkc conf_parse after menu_finalize): recursive
// dependency detection (symbol.c:sym_check_deps) with lkc's report texts, and
// the 6.12 choice member sanity errors. Returns false when conf_parse would
// exit 1.
#pragma once

#include "kconfig/messages.h"
#include "kconfig/model.h"

namespace kmeta::kconfig {

bool check_model(const Model& m, Messages& msgs);

}  // namespace kmeta::kconfig
