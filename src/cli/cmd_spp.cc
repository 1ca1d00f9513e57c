// kmeta spp: drop-in for `spp --find` of yocto-kernel-tools (locating the BSP
// definition of a KMACHINE/KTYPE pair), and for spp's file search when names
// are given after the options.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "scc/cmdline.h"
#include "scc/find.h"
#include "scc/search.h"

namespace kmeta::cli {

namespace {

constexpr const char* kUsage = R"(
usage: kmeta spp --find [--fuzz] [-v] -I<dir>... -DKMACHINE=<m> -DKTYPE=<t> [names...]

  Prints the .scc file that defines both KMACHINE and KTYPE (the BSP entry
  point Yocto compiles), with the reference's scoring and tie rules. Names
  after the options are looked up on the search path and printed.

  --fuzz         accept a file that matches KMACHINE only
  -I DIR         search DIR (also -IDIR)
  -D NAME=VAL    KMACHINE and KTYPE (also -DNAME=VAL)
  -v             print each candidate and its score on stderr
  --collate=bytes|locale   tie order (default: from LC_ALL/LC_COLLATE/LANG)

)";

}  // namespace

int cmd_spp(const Args& args) {
  scc::SppArgs a;
  std::string error;
  if (args.empty()) {
    std::fputs(kUsage, stdout);
    return kExitFailure;
  }
  if (!scc::parse_spp_args(args, &a, &error)) {
    fmt::print(stderr, "kmeta spp: {}\n", error);
    return kExitUsage;
  }
  if (a.help) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (!a.find) {
    fmt::print(stderr, "kmeta spp: only --find is implemented (kmeta scc does the preprocessing itself)\n");
    return kExitUsage;
  }
  char buf[4096];
  std::string cwd = ::getcwd(buf, sizeof buf) ? buf : "/";
  scc::Collation coll =
      a.collate == "bytes" ? scc::Collation::bytes
      : a.collate == "locale"
          ? scc::Collation::en_us
          : scc::collation_for_locale(std::getenv("LC_ALL"), std::getenv("LC_COLLATE"), std::getenv("LANG"));
  std::string kmachine, ktype;
  for (const auto& [k, v] : a.defines) {
    if (k == "KMACHINE") kmachine = v;
    if (k == "KTYPE") ktype = v;
  }
  if (kmachine.empty() && ktype.empty() && a.inputs.empty()) {
    std::fputs("[ERROR]: No files provided, and no KMACHINE and KTYPE defined\n", stdout);
    return kExitFailure;
  }
  scc::DiskFileSystem fs;
  if (!kmachine.empty() && !ktype.empty()) {
    scc::FindOptions fo;
    fo.cwd = cwd;
    fo.include_args = a.include_args;
    fo.kmachine = kmachine;
    fo.ktype = ktype;
    fo.fuzz = a.fuzz;
    fo.collation = coll;
    scc::FindResult r = scc::find_bsp(fs, fo);
    if (!r.error.empty()) {
      fmt::print(stderr, "kmeta spp: --find: {}\n", r.error);
      return kExitFailure;
    }
    if (a.verbose)
      for (const auto& [p, s] : r.scored) fmt::print(stderr, "checking {} ({})\n", p, s);
    if (!r.found) return kExitFailure;
    fmt::print("{}\n", r.path);
  }
  if (!a.inputs.empty()) {
    scc::Resolver rs(fs, cwd, a.include_args, coll);
    for (const auto& in : a.inputs) {
      std::string f = rs.search(in, rs.include_dirs());
      if (!f.empty()) fmt::print("{}\n", f);
    }
  }
  return kExitOk;
}

}  // namespace kmeta::cli
