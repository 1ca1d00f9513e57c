#include <cstdio>

#include "cli/commands.h"

namespace kmeta::cli {

int cmd_scc(const Args&) {
  std::fputs("kmeta: 'scc' is not implemented yet\n", stderr);
  return kExitFailure;
}

}  // namespace kmeta::cli
