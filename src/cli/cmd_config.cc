#include <cstdio>

#include "cli/commands.h"

namespace kmeta::cli {

int cmd_config(const Args&) {
  std::fputs("kmeta: 'config' is not implemented yet\n", stderr);
  return kExitFailure;
}

}  // namespace kmeta::cli
