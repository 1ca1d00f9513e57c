#include "kbuild/kernel_env.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "base/file_system.h"
#include "base/file_util.h"
#include "base/strings.h"

namespace kmeta::kbuild {

using kconfig::dialect_from_makefile;

namespace {

// --- reading Makefiles ------------------------------------------------------
// Only as much of make as the facts below need: the first top-level
// `NAME = value` / `NAME := value` assignment, the names on `export` lines,
// and the `ifeq ($(ARCH),x) SRCARCH := y` pairs. Anything conditional beyond
// that is modelled per architecture in code, with the Makefile text used to
// decide which form the tree has.

std::string rstrip(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// The value of the first `NAME = v`, `NAME := v` or `NAME ?= v` line that
// starts at column 0 (indented assignments sit inside conditionals).
std::optional<std::string> first_assignment(const std::string& text, std::string_view name) {
  // Line by line without splitting the whole Makefile first: VERSION and
  // friends are its first lines.
  for (size_t at = 0; at < text.size();) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + at, nl - at);
    at = nl + 1;
    if (!starts_with(line, name)) continue;
    std::string_view rest = line.substr(name.size());
    size_t i = 0;
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
    if (i < rest.size() && (rest[i] == ':' || rest[i] == '?')) ++i;
    if (i >= rest.size() || rest[i] != '=') continue;
    ++i;
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
    return rstrip(rest.substr(i));
  }
  return std::nullopt;
}

// Every name made visible to sub-makes by an `export` line (plain lists and
// `export NAME := value` definitions), at any indentation.
std::set<std::string> exported_names(const std::string& text) {
  std::set<std::string> names;
  std::string joined;
  std::vector<std::string> logical;
  for (std::string_view line : split_lines(text)) {
    if (!line.empty() && line.back() == '\\') {
      joined.append(line.substr(0, line.size() - 1));
      joined += ' ';
      continue;
    }
    joined.append(line);
    logical.push_back(std::move(joined));
    joined.clear();
  }
  for (const std::string& l : logical) {
    std::string_view t = trim(l);
    if (!starts_with(t, "export") || t.size() < 7 || (t[6] != ' ' && t[6] != '\t')) continue;
    t = trim(t.substr(6));
    size_t eq = t.find('=');
    if (eq != std::string_view::npos) {  // export NAME := value
      std::string_view n = trim(t.substr(0, eq));
      if (!n.empty() && (n.back() == ':' || n.back() == '?' || n.back() == '+')) n.remove_suffix(1);
      names.insert(std::string(trim(n)));
      continue;
    }
    for (std::string_view w : split(t, ' ')) {
      for (std::string_view w2 : split(w, '\t'))
        if (!w2.empty()) names.insert(std::string(w2));
    }
  }
  return names;
}

// `ifeq ($(ARCH),from)` followed by `SRCARCH := to`.
std::string srcarch_for(const std::string& makefile, const std::string& arch) {
  std::vector<std::string_view> lines = split_lines(makefile);
  const std::string head = "ifeq ($(ARCH)," + arch + ")";
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (trim(lines[i]) != head) continue;
    std::string_view next = trim(lines[i + 1]);
    if (!starts_with(next, "SRCARCH")) continue;
    size_t eq = next.find('=');
    if (eq == std::string_view::npos) continue;
    return std::string(trim(next.substr(eq + 1)));
  }
  return arch;
}

bool contains(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  if (from.empty()) return s;
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

bool is_executable_file(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

// --- the arch Makefiles' conditionals ----------------------------------------

// The first "i?86" ('?' any character but a newline), as sed's /i.86/ finds it.
static size_t find_i86(const std::string& s) {
  for (size_t i = 0; i + 4 <= s.size(); ++i)
    if (s[i] == 'i' && s[i + 1] != '\n' && s[i + 2] == '8' && s[i + 3] == '6') return i;
  return std::string::npos;
}

// KBUILD_DEFCONFIG as arch/<srcarch>/Makefile sets it for a config target.
std::string arch_defconfig(const std::string& srcarch, const std::string& arch, const std::string& subarch,
                           const std::string& machine, const std::string& arch_makefile) {
  if (srcarch == "x86") {
    if (arch != "x86") return arch + "_defconfig";
    // 6.12 maps i.86 to i386 first; 6.1 tests for x86_64. Same result for
    // every real machine name.
    std::string m = machine;
    if (size_t at = find_i86(m); at != std::string::npos) m.replace(at, 4, "i386");
    if (contains(arch_makefile, "'s/i.86/i386/'")) return m == "i386" ? "i386_defconfig" : "x86_64_defconfig";
    return machine == "x86_64" ? "x86_64_defconfig" : "i386_defconfig";
  }
  if (srcarch == "um") {
    if (subarch == "x86") return machine == "x86_64" ? "x86_64_defconfig" : "i386_defconfig";
    return subarch + "_defconfig";
  }
  if (srcarch == "parisc") return arch == "parisc64" ? "generic-64bit_defconfig" : "generic-32bit_defconfig";
  if (srcarch == "sparc") return arch == "sparc64" ? "sparc64_defconfig" : "sparc32_defconfig";
  if (srcarch == "powerpc") {
    // KBUILD_DEFCONFIG := $(if $(filter ppc%,$(uname)),$(uname),ppc64le)_defconfig
    // The first "$(uname),NAME)_defconfig" (NAME of [A-Za-z0-9_-]).
    std::string fb = "ppc64le";
    const std::string_view head = "$(uname),", tail = ")_defconfig";
    for (size_t at = arch_makefile.find(head); at != std::string::npos;
         at = arch_makefile.find(head, at + 1)) {
      size_t b = at + head.size(), e = b;
      while (e < arch_makefile.size() && (std::isalnum(static_cast<unsigned char>(arch_makefile[e])) ||
                                          arch_makefile[e] == '_' || arch_makefile[e] == '-'))
        ++e;
      if (e > b && arch_makefile.compare(e, tail.size(), tail) == 0) {
        fb = arch_makefile.substr(b, e - b);
        break;
      }
    }
    return (starts_with(machine, "ppc") ? machine : fb) + "_defconfig";
  }
  // Everyone else: one unconditional assignment, or none.
  for (std::string_view line : split_lines(arch_makefile)) {
    std::string_view t = trim(line);
    if (!starts_with(t, "KBUILD_DEFCONFIG")) continue;
    size_t eq = t.find('=');
    if (eq == std::string_view::npos) continue;
    std::string v(trim(t.substr(eq + 1)));
    if (v.find('$') == std::string::npos) return v;
  }
  return "defconfig";  // scripts/kconfig/Makefile: ifndef KBUILD_DEFCONFIG
}

// CROSS_COMPILE candidates of the arch Makefiles that guess a prefix with
// $(call cc-cross-prefix, ...) when CROSS_COMPILE is empty, and when they do.
// During a config build no CONFIG_* is known, so mips' and loongarch's
// $(tool-archpref) is empty.
struct CrossGuess {
  enum class When { always, cross_compiling, subarch_differs } when;
  std::vector<std::string> prefixes;
};

std::optional<CrossGuess> cross_guess(const std::string& srcarch, const std::string& arch) {
  using W = CrossGuess::When;
  auto product = [](const std::vector<std::string>& a, const std::vector<std::string>& s) {
    std::vector<std::string> r;
    for (const auto& x : a)
      for (const auto& y : s) r.push_back(str_cat({x, "-", y, "-"}));
    return r;
  };
  if (srcarch == "arc") return CrossGuess{W::always, {"arc-linux-", "arceb-linux-", "arc-linux-gnu-"}};
  if (srcarch == "loongarch")
    return CrossGuess{W::subarch_differs, {"-linux-", "-linux-gnu-", "-unknown-linux-gnu-"}};
  if (srcarch == "mips")
    return CrossGuess{W::cross_compiling, {"-linux-", "-linux-gnu-", "-unknown-linux-gnu-"}};
  if (srcarch == "m68k")
    return CrossGuess{W::cross_compiling, {"m68k-linux-gnu-", "m68k-linux-", "m68k-unknown-linux-gnu-"}};
  if (srcarch == "sh")
    return CrossGuess{W::cross_compiling, {"sh-linux-", "sh-linux-gnu-", "sh-unknown-linux-gnu-"}};
  if (srcarch == "powerpc")
    return CrossGuess{W::cross_compiling, product({"powerpc", "powerpc64", "powerpc64le"},
                                                  {"linux", "linux-gnu", "unknown-linux-gnu"})};
  if (srcarch == "parisc") {
    std::vector<std::string> arches = arch == "parisc64"
                                          ? std::vector<std::string>{"hppa64"}
                                          : std::vector<std::string>{"hppa", "hppa2.0", "hppa1.1"};
    return CrossGuess{W::cross_compiling,
                      product(arches, {"linux", "linux-gnu", "unknown-linux-gnu", "suse-linux"})};
  }
  return std::nullopt;
}

std::string lookup(const std::map<std::string, std::string>& m, const std::string& k,
                   const std::string& dflt = {}) {
  auto it = m.find(k);
  return it == m.end() ? dflt : it->second;
}

}  // namespace

// --- public helpers -----------------------------------------------------------

int KernelVersion::major() const { return std::atoi(version.c_str()); }
int KernelVersion::minor() const { return std::atoi(patchlevel.c_str()); }

std::string KernelVersion::str() const {
  // $(VERSION)$(if $(PATCHLEVEL),.$(PATCHLEVEL)$(if $(SUBLEVEL),.$(SUBLEVEL)))$(EXTRAVERSION)
  std::string r = version;
  if (!patchlevel.empty()) {
    r += "." + patchlevel;
    if (!sublevel.empty()) r += "." + sublevel;
  }
  return r + extraversion;
}

std::optional<KernelVersion> read_kernel_version(const std::string& srctree, Diagnostics* diags) {
  DiskFileSystem disk;
  return read_kernel_version(disk, srctree, diags);
}

std::optional<KernelVersion> read_kernel_version(FileSystem& fs, const std::string& srctree,
                                                 Diagnostics* diags) {
  const std::string makefile = srctree + "/Makefile";
  ReadResult r = fs.read_result(makefile, {.keep = false});
  if (!r.text) {
    diags->error(Location{FileName(makefile)}, r.reason);
    return std::nullopt;
  }
  const std::string* text = r.text.get();
  KernelVersion v;
  auto get = [&](const char* name, std::string* dst) {
    auto val = first_assignment(*text, name);
    if (val) *dst = *val;
    return val.has_value();
  };
  if (!get("VERSION", &v.version) || !get("PATCHLEVEL", &v.patchlevel) || v.version.empty()) {
    diags->error(Location{FileName(makefile)}, "no VERSION/PATCHLEVEL: not a kernel source tree");
    return std::nullopt;
  }
  get("SUBLEVEL", &v.sublevel);
  get("EXTRAVERSION", &v.extraversion);
  return v;
}

std::string subarch_for_machine(const std::string& machine) {
  // scripts/subarch.include, one sed expression after the other (each
  // replaces its first match).
  // Patterns: a literal head, then either nothing or ".*" (to the end of the
  // line); "i.86" and "sh[234]" are matched by hand. Plain scans: no regex
  // engine recursing over a long machine name.
  struct Rule {
    const char* head;
    const char* to;
    bool rest = false;  // ".*" follows
    bool unless_arm64 = false;
  };
  static const Rule rules[] = {
      {"i.86", "x86"},          {"x86_64", "x86"},
      {"sun4u", "sparc64"},     {"arm", "arm", true, true},
      {"sa110", "arm"},         {"s390x", "s390"},
      {"ppc", "powerpc", true}, {"mips", "mips", true},
      {"sh[234]", "sh", true},  {"aarch64", "arm64", true},
      {"riscv", "riscv", true}, {"loongarch", "loongarch", true},
  };
  std::string s = machine;
  for (const Rule& r : rules) {
    if (r.unless_arm64 && s == "arm64") continue;
    std::string_view head = r.head;
    size_t at, len;
    if (head == "i.86") {
      at = find_i86(s), len = 4;
    } else if (head == "sh[234]") {
      at = std::string::npos, len = 3;
      for (size_t i = s.find("sh"); i != std::string::npos; i = s.find("sh", i + 1))
        if (i + 2 < s.size() && s[i + 2] >= '2' && s[i + 2] <= '4') {
          at = i;
          break;
        }
    } else {
      at = s.find(head), len = head.size();
    }
    if (at == std::string::npos) continue;
    if (r.rest) {
      size_t eol = s.find('\n', at + len);  // '.' stops at a newline
      len = (eol == std::string::npos ? s.size() : eol) - at;
    }
    s.replace(at, len, r.to);
  }
  return s;
}

std::string find_program(const std::string& name, const std::string& path_var) {
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos) return is_executable_file(name) ? name : std::string();
  for (std::string_view dir : split(path_var, ':')) {
    std::string p = (dir.empty() ? std::string(".") : std::string(dir)) + "/" + name;
    if (is_executable_file(p)) return p;
  }
  return {};
}

std::string make_shell_output(std::string raw) {
  std::string out;
  out.reserve(raw.size());
  size_t keep = 0;  // length up to and including the last non-newline byte
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    if (raw[i] == '\n') {
      out += ' ';
    } else {
      out += raw[i];
      keep = out.size();
    }
  }
  out.resize(keep);
  return out;
}

std::string sh_quote(const std::string& s) {
  std::string r = "'";
  for (char c : s) {
    if (c == '\'')
      r += "'\\''";
    else
      r += c;
  }
  return r + "'";
}

const std::string* KernelEnv::get(const std::string& name) const {
  for (const auto& [k, v] : exported)
    if (k == name) return &v;
  return nullptr;
}

std::string format_env_sh(const KernelEnv& env) {
  std::string r;
  for (const auto& [k, v] : env.exported) r += "export " + k + "=" + sh_quote(v) + "\n";
  for (const auto& k : env.unexported) r += "unset " + k + "\n";
  return r;
}

// --- the derivation -------------------------------------------------------------
//
// derive_kernel_env() runs the steps below in the Makefiles' order; each
// reads what the earlier ones set in the Derivation and the KernelEnv.

namespace {

// What the steps share: the inputs, the Makefile texts, and the variables
// computed so far (`vals`) with the names the Makefiles export (`exports`).
struct Derivation {
  const KernelEnvOptions& opt;
  std::string top;         // the top Makefile
  std::string kconfig_mk;  // scripts/kconfig/Makefile
  std::string arch_mk;     // arch/<srcarch>/Makefile
  std::string path_var;    // the caller's PATH
  std::set<std::string> exports;
  std::map<std::string, std::string> vals;
  std::string* error;
  FileSystem& fs;

  // A Makefile's text; "" when it cannot be read (make's -include).
  std::string read(const std::string& path) {
    auto t = fs.read_result(path, {.keep = false}).text;
    return t ? *t : std::string();
  }

  // Variables from make's command line win over the Makefiles; the
  // environment only over `?=` and never-assigned variables.
  std::optional<std::string> cmdline(const std::string& name) const {
    auto it = opt.make_vars.find(name);
    if (it == opt.make_vars.end()) return std::nullopt;
    return it->second;
  }
  std::string cmdline_or_env(const std::string& name, const std::string& dflt) const {
    if (auto v = cmdline(name)) return *v;
    auto it = opt.base_env.find(name);
    return it == opt.base_env.end() ? dflt : it->second;
  }
  bool fail(std::string msg) const {
    if (error) *error = std::move(msg);
    return false;
  }
};

// ARCH / SRCARCH / SUBARCH, and whether the tree considers this a cross build.
bool derive_arch(Derivation& d, KernelEnv& e) {
  e.subarch = subarch_for_machine(d.opt.host.machine);
  e.arch = !d.opt.arch.empty() ? d.opt.arch : d.cmdline_or_env("ARCH", e.subarch);
  e.srcarch = srcarch_for(d.top, e.arch);
  if (!d.fs.is_dir(d.opt.srctree + "/arch/" + e.srcarch) ||
      !d.fs.exists(d.opt.srctree + "/arch/" + e.srcarch + "/Kconfig"))
    return d.fail("unknown ARCH '" + e.arch + "': " + d.opt.srctree + "/arch/" + e.srcarch +
                  "/Kconfig does not exist");
  // Upstream defines cross_compiling when SRCARCH differs from SUBARCH;
  // Debian's trees drop the definition, so the host's config files stay in
  // KCONFIG_DEFCONFIG_LIST even for cross builds. Follow the tree.
  e.cross_compiling = contains(d.top, "cross_compiling := 1") && e.srcarch != e.subarch;

  d.arch_mk = d.read(d.opt.srctree + "/arch/" + e.srcarch + "/Makefile");
  for (const auto& n : exported_names(d.arch_mk)) d.exports.insert(n);  // only modelled names are exported
  return true;
}

// CROSS_COMPILE, with the arch Makefiles' guess when it is empty.
void derive_cross_compile(Derivation& d, KernelEnv& e) {
  e.cross_compile = d.cmdline_or_env("CROSS_COMPILE", "");
  if (e.cross_compile.empty() && !d.cmdline("CROSS_COMPILE")) {
    if (auto g = cross_guess(e.srcarch, e.arch); g && contains(d.arch_mk, "cc-cross-prefix")) {
      bool active = g->when == CrossGuess::When::always ||
                    (g->when == CrossGuess::When::cross_compiling && e.cross_compiling) ||
                    (g->when == CrossGuess::When::subarch_differs && e.subarch != e.arch);
      if (active)
        for (const auto& p : g->prefixes)
          if (!find_program(p + "gcc", d.path_var).empty()) {
            e.cross_compile = p;
            break;
          }
    }
  }
}

// The tool variables (CC, LD, ... or the LLVM= set) and the plain defaults.
void derive_tools(Derivation& d, const KernelEnv& e) {
  // LLVM=1 / LLVM=/path/ / LLVM=-15 pick the LLVM set.
  std::string llvm = d.cmdline_or_env("LLVM", "");
  std::string llvm_prefix, llvm_suffix;
  if (!llvm.empty()) {
    if (llvm.back() == '/')
      llvm_prefix = llvm;
    else if (llvm.front() == '-')
      llvm_suffix = llvm;
  }
  auto llvm_tool = [&](const char* n) { return llvm_prefix + n + llvm_suffix; };
  const std::string& cc_prefix = e.cross_compile;
  struct Tool {
    const char* name;
    std::string value;
  };
  std::vector<Tool> tools;
  if (!llvm.empty()) {
    tools = {{"HOSTCC", llvm_tool("clang")},
             {"HOSTCXX", llvm_tool("clang++")},
             {"CC", llvm_tool("clang")},
             {"LD", llvm_tool("ld.lld")},
             {"AR", llvm_tool("llvm-ar")},
             {"NM", llvm_tool("llvm-nm")},
             {"OBJCOPY", llvm_tool("llvm-objcopy")},
             {"OBJDUMP", llvm_tool("llvm-objdump")},
             {"READELF", llvm_tool("llvm-readelf")},
             {"STRIP", llvm_tool("llvm-strip")}};
  } else {
    tools = {{"HOSTCC", "gcc"},
             {"HOSTCXX", "g++"},
             {"CC", cc_prefix + "gcc"},
             {"LD", cc_prefix + "ld"},
             {"AR", cc_prefix + "ar"},
             {"NM", cc_prefix + "nm"},
             {"OBJCOPY", cc_prefix + "objcopy"},
             {"OBJDUMP", cc_prefix + "objdump"},
             {"READELF", cc_prefix + "readelf"},
             {"STRIP", cc_prefix + "strip"}};
  }
  for (auto& t : tools) d.vals[t.name] = d.cmdline(t.name).value_or(t.value);
  d.vals["CPP"] = d.cmdline("CPP").value_or(d.vals["CC"] + " -E");
  // Plain `NAME = value` defaults, read from the tree (RUSTC = rustc, ...).
  static const char* const kPlain[] = {
      "HOSTRUSTC", "HOSTPKG_CONFIG", "RUSTC", "RUSTDOC", "RUSTFMT", "BINDGEN", "PAHOLE", "CARGO",
      "LEX",       "YACC",           "AWK",   "PERL",    "PYTHON3", "CHECK",   "BASH",   "INSTALLKERNEL",
      "KGZIP",     "KBZIP2",         "KLZOP", "LZMA",    "LZ4",     "XZ",      "ZSTD"};
  for (const char* n : kPlain) {
    if (auto v = d.cmdline(n)) {
      d.vals[n] = *v;
    } else if (auto a = first_assignment(d.top, n)) {
      d.vals[n] = *a;
    }
  }
  d.vals["CROSS_COMPILE"] = e.cross_compile;
  d.vals["CONFIG_SHELL"] = "sh";
  d.vals["RUSTC_BOOTSTRAP"] = "1";
  d.vals["LC_COLLATE"] = "C";
  d.vals["LC_NUMERIC"] = "C";
}

// srctree/objtree as the top Makefile sets them, and the version variables.
void derive_trees_and_version(Derivation& d, const KernelEnv& e) {
  const bool in_tree = e.objtree == e.srctree;
  std::string srctree_var;
  if (in_tree)
    srctree_var = ".";
  else if (e.srctree + "/" == e.objtree.substr(0, e.objtree.rfind('/') + 1))
    srctree_var = "..";  // O= is a direct subdirectory of the source
  else
    srctree_var = e.srctree;
  if (!d.cmdline_or_env("KBUILD_ABS_SRCTREE", "").empty()) srctree_var = e.srctree;
  d.vals["srctree"] = srctree_var;
  d.vals["objtree"] = ".";
  d.vals["VPATH"] = srctree_var;
  d.vals["building_out_of_srctree"] = in_tree ? "" : "1";
  d.vals["abs_srctree"] = e.srctree;
  d.vals["abs_objtree"] = e.objtree;

  // Version.
  d.vals["VERSION"] = e.version.version;
  d.vals["PATCHLEVEL"] = e.version.patchlevel;
  d.vals["SUBLEVEL"] = e.version.sublevel;
  d.vals["KERNELVERSION"] = e.version.str();
  d.vals["KERNELRELEASE"] = make_shell_output(d.read(e.objtree + "/include/config/kernel.release"));

  d.vals["ARCH"] = e.arch;
  d.vals["SRCARCH"] = e.srcarch;
}

// What the Makefiles learn by running tools: CC_VERSION_TEXT, RUSTC_VERSION_TEXT,
// powerpc's nm --synthetic, um's variables, CLANG_FLAGS.
bool derive_version_texts(Derivation& d, KernelEnv& e, const CommandRunner& run) {
  // CC_VERSION_TEXT = $(subst $(pound),,$(shell LC_ALL=C $(CC) --version 2>/dev/null | head -n 1))
  auto shell = [&](const std::string& cmd) {
    std::string o, er;
    if (!run(cmd, &o, &er)) return std::string();
    return replace_all(make_shell_output(o), "#", "");
  };
  d.vals["CC_VERSION_TEXT"] =
      d.cmdline("CC_VERSION_TEXT")
          .value_or(shell("LC_ALL=C " + d.vals["CC"] + " --version 2>/dev/null | head -n 1"));
  if (contains(d.top, "RUSTC_VERSION_TEXT ="))
    d.vals["RUSTC_VERSION_TEXT"] =
        d.cmdline("RUSTC_VERSION_TEXT").value_or(shell(d.vals["RUSTC"] + " --version 2>/dev/null"));

  // arch/powerpc/Makefile: NM := $(NM) --synthetic when that nm knows it
  // (probes name $(NM): tools-support-relr.sh, arch/Kconfig's llvm-nm test).
  if (e.srcarch == "powerpc" && contains(d.arch_mk, "--synthetic") && !d.cmdline("NM")) {
    std::string o, er;
    std::string cmd = "if " + d.vals["NM"] +
                      " --help 2>&1 | grep -- '--synthetic' > /dev/null; then echo y; else echo n; fi";
    if (run(cmd, &o, &er) && make_shell_output(o) == "y") d.vals["NM"] += " --synthetic";
  }
  // arch/um/Makefile: d.exports SUBARCH and HEADER_ARCH (arch/um/Kconfig
  // sources arch/$(HEADER_ARCH)/um/Kconfig), and its `SHELL := bash` makes
  // the recipe shell bash, which sets BASH to its own path.
  if (e.srcarch == "um") {
    d.vals["SUBARCH"] = e.subarch;
    d.vals["HEADER_ARCH"] =
        (e.subarch == "x86" || e.subarch == "x86_64" || e.subarch == "i386") ? std::string("x86") : e.subarch;
    if (auto sh = first_assignment(d.arch_mk, "SHELL"); sh && contains(*sh, "bash"))
      d.vals["BASH"] = sh->find('/') != std::string::npos ? *sh : find_program(*sh, d.path_var);
  }

  // scripts/Makefile.clang, included when CC_VERSION_TEXT mentions clang.
  e.clang = contains(d.vals["CC_VERSION_TEXT"], "clang");
  d.vals["CLANG_FLAGS"] = "";  // CLANG_FLAGS := in the top Makefile
  if (e.clang) {
    std::string mk = d.read(d.opt.srctree + "/scripts/Makefile.clang");
    std::string target_arch = e.srcarch == "um" ? e.subarch : e.srcarch;
    std::string target = first_assignment(mk, "CLANG_TARGET_FLAGS_" + target_arch).value_or("");
    std::vector<std::string> flags;
    // 6.1: an explicit CROSS_COMPILE names the target; 6.12 always uses the table.
    if (contains(mk, "CROSS_COMPILE:%-=%") && !e.cross_compile.empty()) {
      std::string t = e.cross_compile;
      if (!t.empty() && t.back() == '-') t.pop_back();
      t = t.substr(t.rfind('/') + 1);
      flags.push_back("--target=" + t);
    } else if (target.empty()) {
      return d.fail("scripts/Makefile.clang has no --target= for " + target_arch);
    } else {
      flags.push_back("--target=" + target);
    }
    if (d.cmdline_or_env("LLVM_IAS", "") == "0") {
      flags.push_back("-fno-integrated-as");
      std::string elfedit = find_program(e.cross_compile + "elfedit", d.path_var);
      std::string dir = elfedit.substr(0, elfedit.rfind('/') + 1);
      flags.push_back("--prefix=" + dir + e.cross_compile.substr(e.cross_compile.rfind('/') + 1));
    } else {
      flags.push_back("-fintegrated-as");
    }
    // Lines "CLANG_FLAGS += -Werror=X" (blanks optional around "+=", after X).
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; };
    for (std::string_view line : split_lines(mk)) {
      if (!starts_with(line, "CLANG_FLAGS")) continue;
      size_t i = 11;
      while (i < line.size() && blank(line[i])) ++i;
      if (line.substr(i, 2) != "+=") continue;
      i += 2;
      while (i < line.size() && blank(line[i])) ++i;
      if (line.substr(i, 8) != "-Werror=") continue;
      size_t e = i + 8;
      while (e < line.size() && !blank(line[e])) ++e;
      if (e == i + 8) continue;
      size_t t = e;
      while (t < line.size() && blank(line[t])) ++t;
      if (t == line.size()) flags.emplace_back(line.substr(i, e - i));
    }
    std::string joined;
    for (const auto& f : flags) joined += (joined.empty() ? "" : " ") + f;
    d.vals["CLANG_FLAGS"] = joined;
    d.exports.insert("CLANG_FLAGS");
  }
  return true;
}

// KBUILD_DEFCONFIG, KBUILD_KCONFIG, KCONFIG_CONFIG, KCONFIG_DEFCONFIG_LIST and
// the KBUILD_EXTRA_WARN switches.
void derive_defconfig_list(Derivation& d, KernelEnv& e) {
  e.kbuild_defconfig =
      d.cmdline("KBUILD_DEFCONFIG")
          .value_or(arch_defconfig(e.srcarch, e.arch, e.subarch, d.opt.host.machine, d.arch_mk));
  d.vals["KBUILD_DEFCONFIG"] = e.kbuild_defconfig;
  d.vals["KBUILD_KCONFIG"] = d.cmdline_or_env("KBUILD_KCONFIG", "");
  e.kconfig = d.vals["KBUILD_KCONFIG"].empty() ? "Kconfig" : d.vals["KBUILD_KCONFIG"];
  d.vals["KCONFIG_CONFIG"] = d.cmdline_or_env("KCONFIG_CONFIG", ".config");

  // scripts/kconfig/Makefile: the host's configs come first unless cross
  // compiling (as the tree defines it, see above).
  std::string list;
  if (!e.cross_compiling)
    list = "/lib/modules/" + d.opt.host.release + "/.config /etc/kernel-config /boot/config-" +
           d.opt.host.release + " ";
  list += e.defconfig_path();
  d.vals["KCONFIG_DEFCONFIG_LIST"] = list;
  std::string extra_warn = d.cmdline_or_env("KBUILD_EXTRA_WARN", "");
  if (extra_warn.find('c') != std::string::npos) {
    d.vals["KCONFIG_WARN_UNKNOWN_SYMBOLS"] = "1";
    d.exports.insert("KCONFIG_WARN_UNKNOWN_SYMBOLS");
  }
  if (extra_warn.find('e') != std::string::npos) {
    d.vals["KCONFIG_WERROR"] = "1";
    d.exports.insert("KCONFIG_WERROR");
  }
}

// conf's environment: the exported variables in a fixed order, the unexported
// ones, and the caller's environment with both applied.
void export_variables(Derivation& d, KernelEnv& e) {
  // Export, in a fixed order: Kconfig-facing first, then the rest.
  static const char* const kOrder[] = {"ARCH",
                                       "SRCARCH",
                                       "srctree",
                                       "objtree",
                                       "VPATH",
                                       "building_out_of_srctree",
                                       "abs_srctree",
                                       "abs_objtree",
                                       "KERNELVERSION",
                                       "VERSION",
                                       "PATCHLEVEL",
                                       "SUBLEVEL",
                                       "KERNELRELEASE",
                                       "CROSS_COMPILE",
                                       "CC",
                                       "LD",
                                       "AR",
                                       "NM",
                                       "OBJCOPY",
                                       "OBJDUMP",
                                       "READELF",
                                       "STRIP",
                                       "CPP",
                                       "CLANG_FLAGS",
                                       "CC_VERSION_TEXT",
                                       "RUSTC",
                                       "RUSTC_VERSION_TEXT",
                                       "BINDGEN",
                                       "PAHOLE",
                                       "PYTHON3",
                                       "HOSTCC",
                                       "HOSTCXX",
                                       "HOSTRUSTC",
                                       "HOSTPKG_CONFIG",
                                       "RUSTDOC",
                                       "RUSTFMT",
                                       "CARGO",
                                       "PERL",
                                       "LEX",
                                       "YACC",
                                       "AWK",
                                       "CHECK",
                                       "BASH",
                                       "INSTALLKERNEL",
                                       "KGZIP",
                                       "KBZIP2",
                                       "KLZOP",
                                       "LZMA",
                                       "LZ4",
                                       "XZ",
                                       "ZSTD",
                                       "CONFIG_SHELL",
                                       "RUSTC_BOOTSTRAP",
                                       "LC_COLLATE",
                                       "LC_NUMERIC",
                                       "SUBARCH",
                                       "HEADER_ARCH",
                                       "KBUILD_DEFCONFIG",
                                       "KBUILD_KCONFIG",
                                       "KCONFIG_CONFIG",
                                       "KCONFIG_DEFCONFIG_LIST",
                                       "KCONFIG_WARN_UNKNOWN_SYMBOLS",
                                       "KCONFIG_WERROR"};
  std::set<std::string> done;
  for (const char* n : kOrder) {
    if (!d.exports.count(n) || !d.vals.count(n)) continue;
    e.exported.emplace_back(n, d.vals[n]);
    done.insert(n);
  }
  // Other command-line variables are exported as they are (make d.exports
  // command-line variables to sub-makes and recipes).
  for (const auto& [k, v] : d.opt.make_vars)
    if (!done.count(k) && !d.vals.count(k)) e.exported.emplace_back(k, v);

  // The Makefiles drop these: top Makefile `unexport LC_ALL` and
  // `unexport GREP_OPTIONS`, scripts/kconfig/Makefile `unexport CONFIG_`.
  for (const char* n : {"LC_ALL", "GREP_OPTIONS", "CONFIG_"}) {
    if (contains(d.top, std::string("unexport ") + n) || contains(d.kconfig_mk, std::string("unexport ") + n))
      e.unexported.emplace_back(n);
  }

  e.env = d.opt.base_env;
  for (const auto& n : e.unexported) e.env.erase(n);
  // A variable inherited from the environment stays exported even when a
  // Makefile reassigns it, with the new value (checked: CLANG_FLAGS=foo in
  // the environment reaches conf as CLANG_FLAGS= in a gcc build).
  for (const auto& [k, v] : d.vals)
    if (e.env.count(k) && !d.exports.count(k)) e.env[k] = v;
  for (const auto& [k, v] : e.exported) e.env[k] = v;
}

}  // namespace

bool derive_kernel_env(const KernelEnvOptions& opt, const CommandRunner& run, KernelEnv* out,
                       std::string* error) {
  DiskFileSystem disk;
  Derivation d{opt, {}, {}, {}, {}, {}, {}, error, opt.files ? *opt.files : disk};
  KernelEnv e;
  e.srctree = opt.srctree;
  e.objtree = opt.objtree.empty() ? opt.srctree : opt.objtree;

  ReadResult top = d.fs.read_result(opt.srctree + "/Makefile", {.keep = false});
  if (!top.text) return d.fail(opt.srctree + "/Makefile: " + top.reason);
  d.top = *top.text;
  Diagnostics version_diags;
  auto version = read_kernel_version(d.fs, opt.srctree, &version_diags);
  if (!version) {
    const Diagnostic& v = version_diags.items().front();
    return d.fail(v.where.str() + ": " + v.message);
  }
  e.version = *version;
  // The one rule (dialect.h); read_kernel_version() above already refused a
  // Makefile without VERSION/PATCHLEVEL, this refuses non-numeric ones.
  auto dialect = dialect_from_makefile(d.top);
  if (!dialect)
    return d.fail(opt.srctree + "/Makefile: no numeric VERSION/PATCHLEVEL: not a kernel source tree");
  e.dialect = *dialect;
  d.exports = exported_names(d.top);
  d.kconfig_mk = d.read(opt.srctree + "/scripts/kconfig/Makefile");
  for (const auto& n : exported_names(d.kconfig_mk)) d.exports.insert(n);
  d.path_var = lookup(opt.base_env, "PATH");

  if (!derive_arch(d, e)) return false;
  derive_cross_compile(d, e);
  derive_tools(d, e);
  derive_trees_and_version(d, e);
  if (!derive_version_texts(d, e, run)) return false;
  derive_defconfig_list(d, e);
  export_variables(d, e);
  *out = std::move(e);
  return true;
}

}  // namespace kmeta::kbuild
