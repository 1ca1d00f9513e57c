// The BSP entry points of kernel caches: every (KMACHINE, KTYPE) pair that a
// `.scc` of the caches defines, with the definition spp --find picks for it.
//
// A `.scc` is a candidate when it has `define KMACHINE V` and `define KTYPE T`
// lines (several KMACHINE values make several entry points: common-pc-64's
// files also define qemux86-64). Each pair is then looked up exactly as
// `kmeta config` looks it up (scc::find_bsp, spp's scoring and tie rules), so
// an entry point resolves to the file spp would use, not merely to the file
// that named it.
#pragma once

#include <string>
#include <vector>

#include "scc/fs.h"

namespace kmeta::matrix {

struct EntryPoint {
  std::string machine, ktype;  // KMACHINE, KTYPE
  std::string definition;      // absolute path of the .scc spp --find picks
  std::string karch;           // that file's `define KARCH` ("" when it has none)
  std::string id() const { return machine + "/" + ktype; }
};

// `define NAME VALUE` lines of an .scc text, in order (NAME, VALUE trimmed).
std::vector<std::pair<std::string, std::string>> scc_defines(std::string_view text);

// Every entry point of `caches` (absolute directories, searched as -I),
// sorted by machine then type. `kernel` is the kernel tree (spp's cwd); the
// kernel's arch/<ARCH>/configs is searched too, per the KARCH of the file
// that named the pair (`arch_of` maps a KARCH to the kernel ARCH).
std::vector<EntryPoint> find_entry_points(scc::FileSystem& fs, const std::vector<std::string>& caches,
                                          const std::string& kernel,
                                          std::string (*arch_of)(std::string_view karch));

}  // namespace kmeta::matrix
