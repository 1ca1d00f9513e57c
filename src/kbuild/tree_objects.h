// An estimate of how many objects a build compiles, read from the tree's
// Makefiles before anything is built: starting at the top Kbuild file, every
// `obj-y`/`obj-m`/`obj-$(CONFIG_X)` (and lib-y) entry whose condition holds
// in the .config counts its objects (the parts of a composite object), and
// `dir/` entries are followed. Only a progress-bar estimate: variables other
// than $(SRCARCH) and conditional constructs are not evaluated.
#pragma once

#include <map>
#include <string>

namespace kmeta::kbuild {

// `config`: symbol (without CONFIG_) -> value, as read from the .config.
size_t estimate_objects(const std::string& srctree, const std::string& srcarch,
                        const std::map<std::string, std::string>& config);

// The .config's assignments (CONFIG_X=v lines), without the CONFIG_ prefix.
std::map<std::string, std::string> read_config_values(const std::string& dotconfig_text);

}  // namespace kmeta::kbuild
