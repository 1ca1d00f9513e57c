#include "kconfig/finalize.h"

namespace kmeta::kconfig {

void finalize(Model&, Messages&) {}

}  // namespace kmeta::kconfig
