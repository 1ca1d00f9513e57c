#include "matrix/toolchain.h"

#include <sys/stat.h>
#include <unistd.h>

#include "base/strings.h"

namespace kmeta::matrix {

std::string kernel_arch(std::string_view k) {
  if (k == "x86-64" || k == "x86_64" || k == "i386" || k == "i486" || k == "i586" || k == "i686" ||
      k == "x86")
    return "x86";
  if (k == "riscv32" || k == "riscv64") return "riscv";
  if (k == "aarch64" || k == "aarch64_be") return "arm64";
  if (k == "powerpc64" || k == "powerpc64le" || k == "ppc" || k == "ppc64") return "powerpc";
  if (k == "mips64" || k == "mipsel" || k == "mips64el") return "mips";
  if (k == "armeb") return "arm";
  if (k == "microblazeel" || k == "microblazeeb") return "microblaze";
  return std::string(k);
}

std::vector<std::string> debian_prefixes(const std::string& arch, const TargetHints& h,
                                         const std::string& host_machine) {
  if (arch == "x86") {
    if (host_machine == "x86_64" || host_machine == "i686" || host_machine == "i386") return {};
    return {"x86_64-linux-gnu-"};
  }
  if (arch == "arm64") {
    if (host_machine == "aarch64") return {};
    return {"aarch64-linux-gnu-"};
  }
  if (arch == "arm") return {"arm-linux-gnueabihf-", "arm-linux-gnueabi-"};
  if (arch == "riscv")
    return {"riscv64-linux-gnu-"};  // Debian has no riscv32 triplet; rv64 gcc targets rv32 too
  if (arch == "mips") {
    if (h.is64)
      return h.little_endian ? std::vector<std::string>{"mips64el-linux-gnuabi64-"}
                             : std::vector<std::string>{"mips64-linux-gnuabi64-"};
    return h.little_endian ? std::vector<std::string>{"mipsel-linux-gnu-"}
                           : std::vector<std::string>{"mips-linux-gnu-"};
  }
  if (arch == "powerpc") {
    if (h.is64)
      return h.little_endian ? std::vector<std::string>{"powerpc64le-linux-gnu-"}
                             : std::vector<std::string>{"powerpc64-linux-gnu-"};
    return {"powerpc-linux-gnu-"};
  }
  if (arch == "arc") return {"arc-linux-gnu-"};
  if (arch == "microblaze") return {"microblaze-linux-gnu-"};  // not in Debian 12
  if (arch == "s390") return {"s390x-linux-gnu-"};
  if (arch == "sparc") return {"sparc64-linux-gnu-"};
  if (arch == "m68k") return {"m68k-linux-gnu-"};
  if (arch == "sh") return {"sh4-linux-gnu-"};
  if (arch == "loongarch") return {"loongarch64-linux-gnu-"};
  return {};
}

Toolchain choose_toolchain(const std::string& arch, const TargetHints& hints, const std::string& host_machine,
                           const std::function<bool(const std::string&)>& is_installed) {
  Toolchain t;
  t.arch = arch;
  std::vector<std::string> prefixes = debian_prefixes(arch, hints, host_machine);
  if (prefixes.empty()) return t;  // the host compiler is the target's
  for (const std::string& p : prefixes)
    if (is_installed(p + "gcc")) {
      t.cross = true;
      t.cross_compile = p;
      t.wanted = p + "gcc";
      return t;
    }
  t.wanted = prefixes.front() + "gcc";
  t.found = false;
  t.note = "no cross compiler: " + t.wanted +
           " is not installed, so the host's gcc answered the Kconfig's compiler "
           "questions (CC_VERSION_TEXT, cc-option, CC_CAN_LINK, ...); values that depend on them may differ "
           "from a "
           "build with the target's compiler";
  return t;
}

bool on_path(const std::string& program, const std::string& path) {
  size_t b = 0;
  while (b <= path.size()) {
    size_t e = path.find(':', b);
    if (e == std::string::npos) e = path.size();
    std::string dir = e > b ? path.substr(b, e - b) : std::string(".");
    std::string full = str_cat({dir, "/", program});
    struct stat st;
    if (::stat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(full.c_str(), X_OK) == 0)
      return true;
    b = e + 1;
  }
  return false;
}

}  // namespace kmeta::matrix
