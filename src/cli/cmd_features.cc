#include <cstdio>

#include "cli/commands.h"

namespace kmeta::cli {

int cmd_features(const Args&) {
  std::fputs("kmeta: 'features' is not implemented yet\n", stderr);
  return kExitFailure;
}

}  // namespace kmeta::cli
