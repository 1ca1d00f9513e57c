#include <cstdio>

#include "cli/commands.h"

namespace kmeta::cli {

int cmd_audit(const Args&) {
  std::fputs("kmeta: 'audit' is not implemented yet\n", stderr);
  return kExitFailure;
}

}  // namespace kmeta::cli
