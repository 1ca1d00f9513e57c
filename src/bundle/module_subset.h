// A module subset: the modules a selection names, closed over their
// dependencies and softdeps (libkmod reads the tree's index and each
// module's .modinfo), the firmware they declare, checked against the kernel:
//
//  - a name the tree does not have is located at the list line that asked
//    for it: built in (=y, modules.builtin) is a warning, not built at all
//    is an error naming its CONFIG_ option (found in the source tree's
//    Makefiles when a source tree is known) and the .config's value;
//  - every symbol a subset module needs must be exported by the kernel
//    (System.map's __ksymtab_ entries) or by a module of the subset: an
//    unresolved symbol is an error (depmod -e only warns), naming the
//    module of the full tree that would provide it;
//  - each module's vermagic must be for the kernel release.
//
// stage_subset() then writes lib/modules/<release>/ holding just the subset
// and its own index (modules.dep, .alias, .symbols, ... and their .bin
// forms, made by depmod run in that private directory, with an empty
// configuration so the host's /etc/depmod.d cannot change it).
#pragma once

#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "bundle/kernel_inputs.h"
#include "bundle/module_list.h"

namespace kmeta::bundle {

struct SubsetRequest {
  std::vector<ListEntry> entries;  // in order (command-line names, then list files)
  bool dependencies = true;        // close over modules.dep
  bool softdeps = true;            // and over the modules' softdep pre:/post:
  std::string firmware_dir;        // when set, ship the firmware the modules declare
};

struct SubsetModule {
  std::string name;     // kmod's name (underscores)
  std::string relpath;  // relative to the modules directory: kernel/drivers/...ko
  std::string why;      // "selected", "dependency of X", "softdep of X"
  Location where;       // the list line that (transitively) brought it in
};

struct SubsetFirmware {
  std::string relpath;  // under lib/firmware/
  std::string source;   // the file in the firmware dir
  std::string module;   // who declared it
};

struct Subset {
  std::vector<SubsetModule> modules;  // sorted by relpath
  std::vector<SubsetFirmware> firmware;
  std::vector<std::string> unresolved;  // "module: symbol", sorted (each is also an error)
};

// Selects and checks. Returns false when an error was reported.
bool select_modules(const KernelInputs& in, const SubsetRequest& req, Subset* out, Diagnostics* diags);

// Writes `root`/lib/modules/<release>/ (the subset and its index) and
// `root`/lib/firmware/... . `root` must be an empty private directory.
bool stage_subset(const KernelInputs& in, const Subset& subset, const std::string& root, Diagnostics* diags);

// The CONFIG_ option whose obj-$(CONFIG_X) line builds module `name`,
// scanning the Makefiles and Kbuild files of a kernel source tree. "" when
// none is found.
std::string config_for_module(const std::string& source_tree, const std::string& name);

}  // namespace kmeta::bundle
