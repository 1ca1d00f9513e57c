#include <cstdio>

#include "cli/commands.h"

namespace kmeta::cli {

int cmd_why(const Args&) {
  std::fputs("kmeta: 'why' is not implemented yet\n", stderr);
  return kExitFailure;
}

}  // namespace kmeta::cli
