#include "kbuild/kernel_env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "base/input_file.h"
#include "base/strings.h"
#include "base/testing/diagnostics.h"
#include "base/testing/temp_dir.h"
#include "kconfig/shell_runner.h"

namespace kmeta::kbuild {

using kconfig::Dialect;
using kconfig::dialect_from_makefile;
namespace {

namespace fs = std::filesystem;

// A throw-away kernel-like tree.
class Tree {
 public:
  const std::string& root() const { return dir_.path(); }
  void write(const std::string& rel, const std::string& text, bool exec = false) {
    fs::path p = fs::path(root()) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    if (exec) fs::permissions(p, fs::perms::owner_all);
  }

 private:
  kmeta::testing::TempDir dir_{"kmeta-kenv"};
};

const char* kTopMakefile =
    "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 3\nEXTRAVERSION = -rc3\n"
    "unexport LC_ALL\nunexport GREP_OPTIONS\n"
    "ifeq ($(ARCH),x86_64)\n        SRCARCH := x86\nendif\n"
    "RUSTC\t\t= rustc\nPAHOLE\t\t= pahole\nBINDGEN\t\t= bindgen\n"
    "RUSTC_VERSION_TEXT = $(subst $(pound),,$(shell $(RUSTC) --version 2>/dev/null))\n"
    "export ARCH SRCARCH CROSS_COMPILE LD CC\n"
    "export RUSTC BINDGEN PAHOLE\n"
    "export VERSION PATCHLEVEL SUBLEVEL KERNELRELEASE KERNELVERSION\n"
    "export building_out_of_srctree srctree objtree VPATH\n"
    "export KBUILD_DEFCONFIG KBUILD_KCONFIG CC_VERSION_TEXT RUSTC_VERSION_TEXT\n"
    "export KCONFIG_CONFIG\n";

void make_tree(Tree& t) {
  t.write("Makefile", kTopMakefile);
  t.write("scripts/kconfig/Makefile", "export KCONFIG_DEFCONFIG_LIST :=\nunexport CONFIG_\n");
  t.write("scripts/kconfig/lexer.l", "\"menu\" return T_MENU;\n");
  t.write("arch/x86/Kconfig", "");
  t.write("arch/x86/Makefile",
          "ifeq ($(ARCH),x86)\n  ifeq ($(shell uname -m | sed -e 's/i.86/i386/'),i386)\n"
          "        KBUILD_DEFCONFIG := i386_defconfig\n  else\n        KBUILD_DEFCONFIG := x86_64_defconfig\n"
          "  endif\nelse\n        KBUILD_DEFCONFIG := $(ARCH)_defconfig\nendif\n");
  t.write("arch/arm64/Kconfig", "");
  t.write("arch/arm64/Makefile", "KBUILD_DEFCONFIG := defconfig\n");
  t.write("arch/arc/Kconfig", "");
  t.write("arch/arc/Makefile",
          "KBUILD_DEFCONFIG := haps_hs_smp_defconfig\nifeq ($(CROSS_COMPILE),)\n"
          "CROSS_COMPILE := $(call cc-cross-prefix, arc-linux- arceb-linux- arc-linux-gnu-)\nendif\n");
}

// Answers the Makefile's own commands and remembers them.
struct FakeRunner {
  std::vector<std::string> seen;
  std::map<std::string, std::string> answers;
  CommandRunner fn() {
    return [this](const std::string& cmd, std::string* out, std::string*) {
      seen.push_back(cmd);
      auto it = answers.find(cmd);
      *out = it == answers.end() ? "" : it->second;
      return true;
    };
  }
};

KernelEnvOptions options(const Tree& t, const std::string& arch) {
  KernelEnvOptions o;
  o.srctree = t.root();
  o.objtree = "/tmp/kmeta-kenv-out";
  o.arch = arch;
  o.host = {"x86_64", "6.5.0-host"};
  o.base_env = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/root"}};
  return o;
}

TEST(KernelEnv, VersionFromMakefile) {
  Tree t;
  make_tree(t);
  Diagnostics err;
  auto v = read_kernel_version(t.root(), &err);
  ASSERT_TRUE(v) << kmeta::testing::error_text(err);
  EXPECT_EQ(v->str(), "6.12.3-rc3");
  EXPECT_EQ(v->major(), 6);
  EXPECT_EQ(v->minor(), 12);
  KernelVersion no_sub{"6", "1", "", ""};
  EXPECT_EQ(no_sub.str(), "6.1");
  EXPECT_FALSE(read_kernel_version("/nonexistent", &err));
  ASSERT_EQ(err.items().size(), 1u);
  EXPECT_EQ(err.items()[0].where.str(), "/nonexistent/Makefile");
}

TEST(KernelEnv, SubarchFollowsSubarchInclude) {
  EXPECT_EQ(subarch_for_machine("x86_64"), "x86");
  EXPECT_EQ(subarch_for_machine("i686"), "x86");
  EXPECT_EQ(subarch_for_machine("aarch64"), "arm64");
  EXPECT_EQ(subarch_for_machine("arm64"), "arm64");
  EXPECT_EQ(subarch_for_machine("armv7l"), "arm");
  EXPECT_EQ(subarch_for_machine("ppc64le"), "powerpc");
  EXPECT_EQ(subarch_for_machine("riscv64"), "riscv");
  EXPECT_EQ(subarch_for_machine("s390x"), "s390");
  EXPECT_EQ(subarch_for_machine("mips64"), "mips");
  EXPECT_EQ(subarch_for_machine("sh4a"), "sh");
  EXPECT_EQ(subarch_for_machine("sun4u"), "sparc64");
  EXPECT_EQ(subarch_for_machine("loongarch64"), "loongarch");
  EXPECT_EQ(subarch_for_machine("xi586y"), "xx86y");  // i.86 anywhere, replaced alone
  EXPECT_EQ(subarch_for_machine("mysh3x"), "mysh");   // sh[234].* to the end
  EXPECT_EQ(subarch_for_machine("foo"), "foo");
  // A long name: std::regex's ".*" recursed once per character.
  EXPECT_EQ(subarch_for_machine("arm" + std::string(1 << 20, 'x')), "arm");
}

TEST(KernelEnv, MakeShellOutputFoldsNewlines) {
  EXPECT_EQ(make_shell_output("gcc 12\n"), "gcc 12");
  EXPECT_EQ(make_shell_output("a\nb\n\n\n"), "a b");
  EXPECT_EQ(make_shell_output("a\r\nb\r\n"), "a b");
  EXPECT_EQ(make_shell_output("trailing blank \n"), "trailing blank ");
  EXPECT_EQ(make_shell_output(""), "");
}

TEST(KernelEnv, ShQuote) {
  EXPECT_EQ(sh_quote("plain"), "'plain'");
  EXPECT_EQ(sh_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(sh_quote(""), "''");
}

TEST(KernelEnv, DerivesCrossEnvironment) {
  Tree t;
  make_tree(t);
  FakeRunner r;
  r.answers["LC_ALL=C aarch64-linux-gnu-gcc --version 2>/dev/null | head -n 1"] =
      "aarch64-linux-gnu-gcc (Debian #12.2.0-14) 12.2.0\n";  // `#` is dropped
  r.answers["rustc --version 2>/dev/null"] = "rustc 1.95.0 (59807616e 2026-04-14)\n";
  KernelEnvOptions o = options(t, "arm64");
  o.make_vars["CROSS_COMPILE"] = "aarch64-linux-gnu-";
  o.base_env["LC_ALL"] = "C.UTF-8";
  o.base_env["CONFIG_"] = "FOO_";
  o.base_env["CC"] = "clang";  // the Makefile's CC wins
  KernelEnv e;
  std::string err;
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(e.srcarch, "arm64");
  EXPECT_EQ(e.subarch, "x86");
  EXPECT_EQ(e.dialect, Dialect::v6_12);
  EXPECT_EQ(*e.get("CC"), "aarch64-linux-gnu-gcc");
  EXPECT_EQ(*e.get("LD"), "aarch64-linux-gnu-ld");
  EXPECT_EQ(*e.get("CC_VERSION_TEXT"), "aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0");
  EXPECT_EQ(*e.get("RUSTC_VERSION_TEXT"), "rustc 1.95.0 (59807616e 2026-04-14)");
  EXPECT_EQ(*e.get("KERNELVERSION"), "6.12.3-rc3");
  EXPECT_EQ(*e.get("srctree"), t.root());
  EXPECT_EQ(*e.get("KBUILD_DEFCONFIG"), "defconfig");
  // No `cross_compiling := 1` in this tree: the host's configs stay listed.
  EXPECT_EQ(*e.get("KCONFIG_DEFCONFIG_LIST"),
            "/lib/modules/6.5.0-host/.config /etc/kernel-config /boot/config-6.5.0-host "
            "arch/arm64/configs/defconfig");
  EXPECT_EQ(e.env.count("LC_ALL"), 0u);
  EXPECT_EQ(e.env.count("CONFIG_"), 0u);
  EXPECT_EQ(e.env.at("CC"), "aarch64-linux-gnu-gcc");
  EXPECT_EQ(e.env.at("PATH"), "/usr/bin:/bin");
  // Not exported by this tree's Makefile, so absent.
  EXPECT_EQ(e.get("PYTHON3"), nullptr);
  ASSERT_EQ(r.seen.size(), 2u);
}

TEST(KernelEnv, CrossCompilingTreeDropsHostConfigs) {
  Tree t;
  make_tree(t);
  t.write("Makefile",
          std::string(kTopMakefile) +
              "export cross_compiling :=\nifneq ($(SRCARCH),$(SUBARCH))\ncross_compiling := 1\nendif\n");
  FakeRunner r;
  KernelEnv e;
  std::string err;
  ASSERT_TRUE(derive_kernel_env(options(t, "arm64"), r.fn(), &e, &err)) << err;
  EXPECT_TRUE(e.cross_compiling);
  EXPECT_EQ(*e.get("KCONFIG_DEFCONFIG_LIST"), "arch/arm64/configs/defconfig");
  ASSERT_TRUE(derive_kernel_env(options(t, "x86_64"), r.fn(), &e, &err)) << err;
  EXPECT_FALSE(e.cross_compiling);
  EXPECT_EQ(*e.get("KCONFIG_DEFCONFIG_LIST"),
            "/lib/modules/6.5.0-host/.config /etc/kernel-config /boot/config-6.5.0-host "
            "arch/x86/configs/x86_64_defconfig");
}

TEST(KernelEnv, X86DefconfigDependsOnArchAndHost) {
  Tree t;
  make_tree(t);
  FakeRunner r;
  KernelEnv e;
  std::string err;
  ASSERT_TRUE(derive_kernel_env(options(t, "x86_64"), r.fn(), &e, &err)) << err;
  EXPECT_EQ(e.srcarch, "x86");
  EXPECT_EQ(e.kbuild_defconfig, "x86_64_defconfig");
  EXPECT_EQ(e.defconfig_path(), "arch/x86/configs/x86_64_defconfig");
  KernelEnvOptions o = options(t, "x86");
  o.host.machine = "i686";
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(e.kbuild_defconfig, "i386_defconfig");
  // No ARCH at all: the host's.
  ASSERT_TRUE(derive_kernel_env(options(t, ""), r.fn(), &e, &err)) << err;
  EXPECT_EQ(e.arch, "x86");
  EXPECT_EQ(e.kbuild_defconfig, "x86_64_defconfig");
}

TEST(KernelEnv, UnknownArchIsAnError) {
  Tree t;
  make_tree(t);
  FakeRunner r;
  KernelEnv e;
  std::string err;
  EXPECT_FALSE(derive_kernel_env(options(t, "vax"), r.fn(), &e, &err));
  EXPECT_NE(err.find("unknown ARCH 'vax'"), std::string::npos) << err;
}

TEST(KernelEnv, SrctreeSpellingFollowsObjtree) {
  Tree t;
  make_tree(t);
  FakeRunner r;
  KernelEnv e;
  std::string err;
  KernelEnvOptions o = options(t, "x86_64");
  o.objtree = "";  // in-tree build
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(*e.get("srctree"), ".");
  EXPECT_EQ(*e.get("building_out_of_srctree"), "");
  o.objtree = t.root() + "/build";  // O= directly below the source
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(*e.get("srctree"), "..");
  o.base_env["KBUILD_ABS_SRCTREE"] = "1";
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(*e.get("srctree"), t.root());
}

TEST(KernelEnv, ArcGuessesCrossCompileFromPath) {
  Tree t;
  make_tree(t);
  t.write("bin/arc-linux-gnu-gcc", "#!/bin/sh\n", true);
  FakeRunner r;
  KernelEnv e;
  std::string err;
  KernelEnvOptions o = options(t, "arc");
  o.base_env["PATH"] = t.root() + "/bin";
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(e.cross_compile, "arc-linux-gnu-");
  EXPECT_EQ(*e.get("CC"), "arc-linux-gnu-gcc");
  // An explicit CROSS_COMPILE= (even empty) on the command line wins.
  o.make_vars["CROSS_COMPILE"] = "";
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(*e.get("CC"), "gcc");
}

TEST(KernelEnv, LlvmToolsAndClangFlags) {
  Tree t;
  make_tree(t);
  t.write("scripts/Makefile.clang",
          "CLANG_TARGET_FLAGS_x86\t\t:= x86_64-linux-gnu\n"
          "CLANG_FLAGS\t+= -Werror=unknown-warning-option\nCLANG_FLAGS\t+= -Werror=option-ignored\n");
  FakeRunner r;
  r.answers["LC_ALL=C clang --version 2>/dev/null | head -n 1"] = "Debian clang version 14.0.6\n";
  KernelEnvOptions o = options(t, "x86_64");
  o.make_vars["LLVM"] = "1";
  o.base_env["CLANG_FLAGS"] = "stale";
  KernelEnv e;
  std::string err;
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_TRUE(e.clang);
  EXPECT_EQ(*e.get("CC"), "clang");
  EXPECT_EQ(*e.get("LD"), "ld.lld");
  EXPECT_EQ(
      *e.get("CLANG_FLAGS"),
      "--target=x86_64-linux-gnu -fintegrated-as -Werror=unknown-warning-option -Werror=option-ignored");
  o.make_vars["LLVM"] = "-15";
  r.answers["LC_ALL=C clang-15 --version 2>/dev/null | head -n 1"] = "clang version 15\n";
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(*e.get("CC"), "clang-15");
  // gcc: a stale CLANG_FLAGS from the environment becomes the Makefile's empty value.
  o.make_vars.erase("LLVM");
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_FALSE(e.clang);
  EXPECT_EQ(e.env.at("CLANG_FLAGS"), "");
}

TEST(KernelEnv, PowerpcNmSyntheticAndDefconfig) {
  Tree t;
  make_tree(t);
  t.write("arch/powerpc/Kconfig", "");
  t.write("arch/powerpc/Makefile",
          "new_nm := $(shell if $(NM) --help 2>&1 | grep -- '--synthetic' > /dev/null; then echo y; else "
          "echo n; fi)\n"
          "ifeq ($(new_nm),y)\nNM\t\t:= $(NM) --synthetic\nendif\n"
          "KBUILD_DEFCONFIG := $(if $(filter ppc%,$(uname)),$(uname),ppc64)_defconfig\n");
  t.write("Makefile", std::string(kTopMakefile) + "export NM\n");
  FakeRunner r;
  r.answers["if p-nm --help 2>&1 | grep -- '--synthetic' > /dev/null; then echo y; else echo n; fi"] = "y\n";
  KernelEnvOptions o = options(t, "powerpc");
  o.make_vars["CROSS_COMPILE"] = "p-";
  KernelEnv e;
  std::string err;
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(*e.get("NM"), "p-nm --synthetic");
  EXPECT_EQ(e.kbuild_defconfig, "ppc64_defconfig");  // the tree's fallback, not uname's x86_64
  o.host.machine = "ppc64le";
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(e.kbuild_defconfig, "ppc64le_defconfig");
}

TEST(KernelEnv, UmExportsSubarchHeaderArchAndBash) {
  Tree t;
  make_tree(t);
  t.write("arch/um/Kconfig", "");
  t.write("arch/um/Makefile", "SHELL := /bin/bash\nexport HEADER_ARCH SUBARCH USER_CFLAGS\n");
  t.write("Makefile", std::string(kTopMakefile) + "export CONFIG_SHELL BASH\n");
  FakeRunner r;
  KernelEnv e;
  std::string err;
  ASSERT_TRUE(derive_kernel_env(options(t, "um"), r.fn(), &e, &err)) << err;
  EXPECT_EQ(*e.get("SUBARCH"), "x86");
  EXPECT_EQ(*e.get("HEADER_ARCH"), "x86");
  EXPECT_EQ(*e.get("BASH"), "/bin/bash");  // the recipe shell is bash, which sets BASH
  EXPECT_EQ(e.kbuild_defconfig, "x86_64_defconfig");
  EXPECT_EQ(e.get("USER_CFLAGS"), nullptr);  // exported by the arch, not modelled: absent
}

TEST(KernelEnv, FormatEnvSh) {
  KernelEnv e;
  e.exported = {{"A", "x y"}, {"B", "it's"}};
  e.unexported = {"LC_ALL"};
  EXPECT_EQ(format_env_sh(e), "export A='x y'\nexport B='it'\\''s'\nunset LC_ALL\n");
}

// --- against real trees: what `make ... defconfig` exported ------------------
//
// Recorded once from a wrapper conf (env -0 > file; exec conf.real) under
//   make -C linux-<v> O=<tmp> ARCH=<a> [CROSS_COMPILE=aarch64-linux-gnu-] defconfig
// on an x86_64 host with uname -r 6.18.44-fc-v657 and Debian's gcc 12. The
// derivation must reproduce every variable it models.

std::string kernels_dir() {
  if (const char* k = std::getenv("KMETA_KERNELS")) return k;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "/root") + "/.cache/kmeta/kernels";
}

std::map<std::string, std::string> parse_recorded(const std::string& text) {
  std::map<std::string, std::string> m;
  for (std::string_view line : split_lines(text)) {
    size_t eq = line.find('=');
    m[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  return m;
}

const char* kCommon =
    "AWK=awk\nBASH=bash\nBINDGEN=bindgen\nCHECK=sparse\nCONFIG_SHELL=sh\nHOSTCC=gcc\nHOSTCXX=g++\n"
    "HOSTPKG_CONFIG=pkg-config\nHOSTRUSTC=rustc\nINSTALLKERNEL=installkernel\nKBUILD_KCONFIG=\nKBZIP2=bzip2\n"
    "KCONFIG_CONFIG=.config\nKERNELRELEASE=\nKGZIP=gzip\nKLZOP=lzop\nLC_COLLATE=C\nLC_NUMERIC=C\nLEX=flex\n"
    "LZ4=lz4\nLZMA=lzma\nPAHOLE=pahole\nPERL=perl\nPYTHON3=python3\nRUSTC=rustc\nRUSTC_BOOTSTRAP=1\n"
    "RUSTDOC=rustdoc\nRUSTFMT=rustfmt\nVERSION=6\nXZ=xz\nYACC=bison\nZSTD=zstd\nbuilding_out_of_srctree=1\n"
    "objtree=.\n";

struct Recorded {
  const char* version;
  const char* arch;
  const char* cross;
  const char* specific;  // + kCommon; @SRC@ is the source path, @OUT@ the O= dir
};

const Recorded kRecorded[] = {
    {"6.12", "arm64", "aarch64-linux-gnu-",
     "AR=aarch64-linux-gnu-ar\nARCH=arm64\nCC=aarch64-linux-gnu-gcc\n"
     "CC_VERSION_TEXT=aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0\nCPP=aarch64-linux-gnu-gcc -E\n"
     "CROSS_COMPILE=aarch64-linux-gnu-\nKBUILD_DEFCONFIG=defconfig\n"
     "KCONFIG_DEFCONFIG_LIST=/lib/modules/6.18.44-fc-v657/.config /etc/kernel-config "
     "/boot/config-6.18.44-fc-v657 arch/arm64/configs/defconfig\n"
     "KERNELVERSION=6.12.117\nLD=aarch64-linux-gnu-ld\nNM=aarch64-linux-gnu-nm\nOBJCOPY=aarch64-linux-gnu-"
     "objcopy\n"
     "OBJDUMP=aarch64-linux-gnu-objdump\nPATCHLEVEL=12\nREADELF=aarch64-linux-gnu-readelf\n"
     "RUSTC_VERSION_TEXT=rustc 1.95.0 (59807616e 2026-04-14)\nSRCARCH=arm64\nSTRIP=aarch64-linux-gnu-strip\n"
     "SUBLEVEL=117\nVPATH=@SRC@\nsrctree=@SRC@"},
    {"6.1", "arm64", "aarch64-linux-gnu-",
     "AR=aarch64-linux-gnu-ar\nARCH=arm64\nCARGO=cargo\nCC=aarch64-linux-gnu-gcc\n"
     "CC_VERSION_TEXT=aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0\nCPP=aarch64-linux-gnu-gcc -E\n"
     "CROSS_COMPILE=aarch64-linux-gnu-\nKBUILD_DEFCONFIG=defconfig\n"
     "KCONFIG_DEFCONFIG_LIST=/lib/modules/6.18.44-fc-v657/.config /etc/kernel-config "
     "/boot/config-6.18.44-fc-v657 arch/arm64/configs/defconfig\n"
     "KERNELVERSION=6.1.192\nLD=aarch64-linux-gnu-ld\nNM=aarch64-linux-gnu-nm\nOBJCOPY=aarch64-linux-gnu-"
     "objcopy\n"
     "OBJDUMP=aarch64-linux-gnu-objdump\nPATCHLEVEL=1\nREADELF=aarch64-linux-gnu-readelf\n"
     "SRCARCH=arm64\nSTRIP=aarch64-linux-gnu-strip\nSUBLEVEL=192\nVPATH=@SRC@\nsrctree=@SRC@\n"
     "abs_objtree=@OUT@\nabs_srctree=@SRC@"},
    {"6.12", "x86_64", "",
     "AR=ar\nARCH=x86_64\nCC=gcc\nCC_VERSION_TEXT=gcc (Debian 12.2.0-14+deb12u1) 12.2.0\nCPP=gcc -E\n"
     "CROSS_COMPILE=\nKBUILD_DEFCONFIG=x86_64_defconfig\n"
     "KCONFIG_DEFCONFIG_LIST=/lib/modules/6.18.44-fc-v657/.config /etc/kernel-config "
     "/boot/config-6.18.44-fc-v657 arch/x86/configs/x86_64_defconfig\n"
     "KERNELVERSION=6.12.117\nLD=ld\nNM=nm\nOBJCOPY=objcopy\nOBJDUMP=objdump\nPATCHLEVEL=12\nREADELF="
     "readelf\n"
     "RUSTC_VERSION_TEXT=rustc 1.95.0 (59807616e 2026-04-14)\nSRCARCH=x86\nSTRIP=strip\nSUBLEVEL=117\n"
     "VPATH=@SRC@\nsrctree=@SRC@"},
    {"6.1", "x86_64", "",
     "AR=ar\nARCH=x86_64\nCARGO=cargo\nCC=gcc\nCC_VERSION_TEXT=gcc (Debian 12.2.0-14+deb12u1) 12.2.0\n"
     "CPP=gcc -E\nCROSS_COMPILE=\nKBUILD_DEFCONFIG=x86_64_defconfig\n"
     "KCONFIG_DEFCONFIG_LIST=/lib/modules/6.18.44-fc-v657/.config /etc/kernel-config "
     "/boot/config-6.18.44-fc-v657 arch/x86/configs/x86_64_defconfig\n"
     "KERNELVERSION=6.1.192\nLD=ld\nNM=nm\nOBJCOPY=objcopy\nOBJDUMP=objdump\nPATCHLEVEL=1\nREADELF=readelf\n"
     "SRCARCH=x86\nSTRIP=strip\nSUBLEVEL=192\nVPATH=@SRC@\nsrctree=@SRC@\nabs_objtree=@OUT@\nabs_srctree=@"
     "SRC@"},
};

std::string replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size())
    s.replace(p, from.size(), to);
  return s;
}

// Runs a command as the test's derivation would see it: the project's own
// kconfig::PopenShellRunner, with PATH=/usr/bin:/bin as make had it.
bool run_for_real(const std::string& cmd, std::string* out, std::string* error) {
  kconfig::PopenShellRunner shell;
  return shell.run("PATH=/usr/bin:/bin; export PATH; " + cmd, out, error);
}

// The environment make gives conf, read live: `make O=out defconfig` once to
// build conf, then again with conf replaced by a wrapper that dumps its
// environment (how kRecorded was made). nullopt when make fails.
std::optional<std::map<std::string, std::string>> live_make_env(const std::string& src,
                                                                const std::string& arch,
                                                                const std::string& cross,
                                                                const std::string& out) {
  fs::remove_all(out);
  fs::create_directories(out);
  std::string make = "env -i PATH=/usr/bin:/bin make -s -C '" + src + "' O='" + out + "' ARCH=" + arch +
                     (cross.empty() ? "" : " CROSS_COMPILE=" + cross) + " defconfig >'" + out +
                     "/make.log' 2>&1";
  if (std::system(make.c_str()) != 0) return std::nullopt;
  std::string conf = out + "/scripts/kconfig/conf";
  fs::rename(conf, conf + ".real");
  {
    std::ofstream w(conf);
    w << "#!/bin/sh\nenv -0 > '" << out << "/env.dump'\nexec '" << conf << ".real' \"$@\"\n";
  }
  fs::permissions(conf, fs::perms::owner_all);
  if (std::system(make.c_str()) != 0) return std::nullopt;
  std::ifstream in(out + "/env.dump", std::ios::binary);
  std::map<std::string, std::string> env;
  std::string kv;
  while (std::getline(in, kv, '\0')) {
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

// Against the recording when the tree is the point release it was recorded on;
// otherwise against what make exports on this tree, with this host's compilers,
// read live (the variables compared are the recording's, so the derivation must
// still model every one of them).
TEST(KernelEnvReal, MatchesWhatMakeExports) {
  int checked = 0;
  for (const Recorded& rec : kRecorded) {
    std::string src = kernels_dir() + "/linux-" + rec.version;
    if (!fs::exists(src + "/Makefile")) continue;
    SCOPED_TRACE(std::string(rec.version) + " " + rec.arch);
    kmeta::testing::TempDir scratch{"kmeta-envdump"};
    std::string out = scratch / (std::string(rec.version) + "-" + rec.arch);
    auto want =
        parse_recorded(replace(replace(std::string(kCommon) + rec.specific, "@SRC@", src), "@OUT@", out));
    Diagnostics version_diags;
    auto v = read_kernel_version(src, &version_diags);
    ASSERT_TRUE(v) << kmeta::testing::error_text(version_diags);
    std::string err;
    KernelEnvOptions o;
    o.srctree = src;
    o.objtree = out;
    o.arch = rec.arch;
    if (*rec.cross) o.make_vars["CROSS_COMPILE"] = rec.cross;
    o.base_env = {{"PATH", "/usr/bin:/bin"}};
    FakeRunner r;
    CommandRunner runner;
    if (v->sublevel == want["SUBLEVEL"]) {
      std::printf("%s %s: truth: recorded %s\n", rec.version, rec.arch, want["KERNELVERSION"].c_str());
      std::string cc = std::string(rec.cross) + "gcc";
      r.answers["LC_ALL=C " + cc + " --version 2>/dev/null | head -n 1"] = want["CC_VERSION_TEXT"] + "\n";
      r.answers["rustc --version 2>/dev/null"] = "rustc 1.95.0 (59807616e 2026-04-14)\n";
      runner = r.fn();
      o.host = {"x86_64", "6.18.44-fc-v657"};
    } else {
      auto live = live_make_env(src, rec.arch, rec.cross, out);
      ASSERT_TRUE(live) << "make defconfig failed on " << src << " (log in " << out << "/make.log)";
      std::printf("%s %s: truth: live on %s (recorded %s)\n", rec.version, rec.arch,
                  (*live)["KERNELVERSION"].c_str(), want["KERNELVERSION"].c_str());
      std::map<std::string, std::string> w;
      for (const auto& [k, unused] : want)
        if (live->count(k)) w[k] = (*live)[k];
      want = std::move(w);
      runner = run_for_real;
      struct utsname u;
      ::uname(&u);
      o.host = {u.machine, u.release};
    }
    KernelEnv e;
    ASSERT_TRUE(derive_kernel_env(o, runner, &e, &err)) << err;
    for (const auto& [k, v2] : want) {
      const std::string* got = e.get(k);
      ASSERT_NE(got, nullptr) << k << " not exported";
      EXPECT_EQ(*got, v2) << k;
    }
    // And nothing exported that make did not export (CARGO is 6.1-only,
    // RUSTC_VERSION_TEXT 6.12-only, abs_* 6.1-only).
    for (const auto& [k, v2] : e.exported)
      EXPECT_TRUE(want.count(k)) << k << "=" << v2 << " not exported by make";
    EXPECT_EQ(e.unexported, (std::vector<std::string>{"LC_ALL", "GREP_OPTIONS", "CONFIG_"}));
    EXPECT_EQ(e.dialect, std::string(rec.version) == "6.1" ? Dialect::v6_1 : Dialect::v6_12);
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "kernel trees absent under " << kernels_dir();
}

TEST(KernelEnvReal, LlvmMatchesWhatMakeExports) {
  // make ARCH=arm64 LLVM=1 CROSS_COMPILE=aarch64-linux-gnu- (6.1: the target
  // comes from CROSS_COMPILE, and fewer -Werror flags).
  std::string src = kernels_dir() + "/linux-6.1";
  if (!fs::exists(src + "/scripts/Makefile.clang")) GTEST_SKIP() << "linux-6.1 absent";
  FakeRunner r;
  r.answers["LC_ALL=C clang --version 2>/dev/null | head -n 1"] = "Debian clang version 14.0.6\n";
  KernelEnvOptions o;
  o.srctree = src;
  o.objtree = "/tmp/out";
  o.arch = "arm64";
  o.make_vars = {{"LLVM", "1"}, {"CROSS_COMPILE", "aarch64-linux-gnu-"}};
  o.host = {"x86_64", "6.18.44-fc-v657"};
  KernelEnv e;
  std::string err;
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(*e.get("CC"), "clang");
  EXPECT_EQ(*e.get("CPP"), "clang -E");
  EXPECT_EQ(*e.get("HOSTCXX"), "clang++");
  EXPECT_EQ(*e.get("CLANG_FLAGS"),
            "--target=aarch64-linux-gnu -fintegrated-as -Werror=unknown-warning-option "
            "-Werror=ignored-optimization-argument");
  EXPECT_EQ(*e.get("LLVM"), "1");
  std::string src12 = kernels_dir() + "/linux-6.12";
  if (!fs::exists(src12 + "/scripts/Makefile.clang")) return;
  o.srctree = src12;
  o.arch = "x86_64";
  o.make_vars = {{"LLVM", "1"}};
  ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
  EXPECT_EQ(
      *e.get("CLANG_FLAGS"),
      "--target=x86_64-linux-gnu -fintegrated-as -Werror=unknown-warning-option "
      "-Werror=ignored-optimization-argument -Werror=option-ignored -Werror=unused-command-line-argument");
}

// Checked live against make's export (wrapper conf) for 6.12 and 6.1:
// i386, riscv, arm, um, sparc64, mips, powerpc, parisc64, arc all equal,
// except powerpc's CPP (= $(CC) -E $(KBUILD_CFLAGS), flags not derived).
TEST(KernelEnvReal, PowerpcDefconfigFallbackPerVersion) {
  std::string err;
  for (auto [v, want] : {std::pair{"6.1", "ppc64_defconfig"}, std::pair{"6.12", "ppc64le_defconfig"}}) {
    std::string src = kernels_dir() + "/linux-" + v;
    if (!fs::exists(src + "/arch/powerpc/Makefile")) GTEST_SKIP() << src << " absent";
    FakeRunner r;
    KernelEnvOptions o;
    o.srctree = src;
    o.objtree = "/tmp/out";
    o.arch = "powerpc";
    o.host = {"x86_64", "r"};
    KernelEnv e;
    ASSERT_TRUE(derive_kernel_env(o, r.fn(), &e, &err)) << err;
    EXPECT_EQ(e.kbuild_defconfig, want) << v;
  }
}

TEST(KernelEnvReal, DialectOfRealTrees) {
  std::string err;
  if (!fs::exists(kernels_dir() + "/linux-6.1/Makefile")) GTEST_SKIP() << "kernels absent";
  for (auto [tree, want] : {std::pair{"linux-6.1", Dialect::v6_1}, std::pair{"linux-6.12", Dialect::v6_12}}) {
    auto top = read_file(kernels_dir() + "/" + tree + "/Makefile", &err);
    ASSERT_TRUE(top) << err;
    EXPECT_EQ(dialect_from_makefile(*top), want) << tree;
  }
}

// The environment derivation (and so the kernel loader) refuses a tree
// without a Makefile, or without a version in it.
TEST(KernelEnv, DeriveRefusesATreeWithoutVersion) {
  kmeta::testing::TempDir t{"kmeta-dialect"};
  KernelEnvOptions o;
  o.srctree = t.path();
  o.arch = "x86_64";
  auto none = [](const std::string&, std::string* out, std::string*) {
    out->clear();
    return true;
  };
  KernelEnv e;
  std::string err;
  EXPECT_FALSE(derive_kernel_env(o, none, &e, &err));
  EXPECT_NE(err.find(t.path() + "/Makefile"), std::string::npos) << err;
}

}  // namespace
}  // namespace kmeta::kbuild
