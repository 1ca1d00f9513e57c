// Which lkc a kernel tree's Kconfig is read with: the one rule.
//
// kmeta models two versions of the kernel's Kconfig implementation (lkc):
// 6.1's and 6.12's. 6.11 is the release whose lkc rewrote choices and the
// symbol table, so a tree is read with 6.12's rules from 6.11 on and with
// 6.1's before. The version comes from the top Makefile's first `VERSION =`
// and `PATCHLEVEL =` assignments, nothing else (not the lkc sources, which
// Debian's linux-source trees do carry but a trimmed tree may not):
//
//   6.1, 6.6, 6.10, 5.15, ...   -> v6_1   (older than 6.1: 6.1's rules, the
//                                           oldest kmeta models; no promise)
//   6.11, 6.12, 7.0, ...        -> v6_12  (newer than 6.12: 6.12's rules)
//   no VERSION/PATCHLEVEL number -> nullopt: the caller decides
//
// What the callers do without an answer: derive_kernel_env (kernel_env.h),
// and so the kernel loader, refuses the tree (no Makefile, or no version in
// it: "not a kernel source tree"); parse_kconfig (parser.h), which also reads
// Kconfig files that are not in a kernel tree, uses v6_12, the current lkc.
// KMETA_KCONFIG_DIALECT (`kmeta conf`) or ParseOptions::dialect override it.
#pragma once

#include <optional>
#include <string_view>

#include "kconfig/model.h"

namespace kmeta::kconfig {

// The dialect of the kernel whose top Makefile is `makefile_text` (see above).
std::optional<Dialect> dialect_from_makefile(std::string_view makefile_text);

// The dialect a parse uses when there is no Makefile or no version in it.
inline constexpr Dialect kDialectWithoutVersion = Dialect::v6_12;

}  // namespace kmeta::kconfig
