// One function per subcommand; each lives in cmd_<name>.cc.
#pragma once

#include "cli/cli.h"

namespace kmeta::cli {

int cmd_config(const Args& args);
int cmd_audit(const Args& args);
int cmd_why(const Args& args);
int cmd_features(const Args& args);
int cmd_scc(const Args& args);
int cmd_spp(const Args& args);
int cmd_kconfig(const Args& args);
int cmd_conf(const Args& args);
int cmd_symbol_why(const Args& args);
int cmd_bundle(const Args& args);
int cmd_build(const Args& args);
int cmd_tree(const Args& args);
int cmd_uprev(const Args& args);
int cmd_diffconfig(const Args& args);
int cmd_matrix(const Args& args);
int cmd_merge_config(const Args& args);
int cmd_kgit_s2q(const Args& args);

}  // namespace kmeta::cli
