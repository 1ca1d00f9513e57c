#include <cstdio>

#include "cli/commands.h"

namespace kmeta::cli {

int cmd_spp(const Args&) {
  std::fputs("kmeta: 'spp' is not implemented yet\n", stderr);
  return kExitFailure;
}

}  // namespace kmeta::cli
