#include "config/bsp.h"

namespace kmeta::config {

// The scc module (branch scc) provides spp --find and the compiler; until it
// is merged, the BSP flow reports that it is unavailable.
bool build_queue(const BspRequest&, BspResult*, std::string* error) {
  *error = "BSP lookup needs the scc module, which this build does not have yet; use --kernel-meta DIR";
  return false;
}

}  // namespace kmeta::config
