#include <cstdio>

#include "cli/commands.h"

namespace kmeta::cli {

int cmd_conf(const Args&) {
  std::fputs("kmeta: 'conf' is not implemented yet\n", stderr);
  return kExitFailure;
}

}  // namespace kmeta::cli
