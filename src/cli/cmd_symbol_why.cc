#include <cstdio>

#include "cli/commands.h"

namespace kmeta::cli {

int cmd_symbol_why(const Args&) {
  std::fputs("kmeta: 'symbol_why' is not implemented yet\n", stderr);
  return kExitFailure;
}

}  // namespace kmeta::cli
