#include <cstdio>

#include "cli/commands.h"

namespace kmeta::cli {

int cmd_kconfig(const Args&) {
  std::fputs("kmeta: 'kconfig' is not implemented yet\n", stderr);
  return kExitFailure;
}

}  // namespace kmeta::cli
