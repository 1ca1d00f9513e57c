#include "kconfig/depcheck.h"

namespace kmeta::kconfig {

bool check_model(const Model&, Messages&) { return true; }

}  // namespace kmeta::kconfig
