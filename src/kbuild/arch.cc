#include "kbuild/arch.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/strings.h"

namespace kmeta::kbuild {

namespace {

struct Entry {
  std::vector<const char*> names;
  ArchInfo info;
};

// EM_* values from <elf.h>.
constexpr int kEmX86_64 = 62, kEm386 = 3, kEmAarch64 = 183, kEmArm = 40, kEmRiscv = 243;

const std::vector<Entry>& table() {
  static const std::vector<Entry> t = {
      {{"x86", "x86_64", "amd64"},
       {"",
        "x86",
        "x86",
        "bzImage",
        false,
        "x86_64-linux-gnu-",
        "gcc-x86-64-linux-gnu",
        {"x86_64"},
        kEmX86_64}},
      {{"i386", "i686"},
       {"",
        "i386",
        "x86",
        "bzImage",
        false,
        "i686-linux-gnu-",
        "gcc-i686-linux-gnu",
        {"x86_64", "i386", "i686"},
        kEm386}},
      {{"arm64", "aarch64"},
       {"",
        "arm64",
        "arm64",
        "Image",
        true,
        "aarch64-linux-gnu-",
        "gcc-aarch64-linux-gnu",
        {"aarch64", "arm64"},
        kEmAarch64}},
      {{"arm", "armhf", "armv7"},
       {"",
        "arm",
        "arm",
        "zImage",
        true,
        "arm-linux-gnueabihf-",
        "gcc-arm-linux-gnueabihf",
        {"armv7l", "armv6l", "armv8l"},
        kEmArm}},
      {{"riscv", "riscv64"},
       {"",
        "riscv",
        "riscv",
        "Image",
        true,
        "riscv64-linux-gnu-",
        "gcc-riscv64-linux-gnu",
        {"riscv64"},
        kEmRiscv}},
  };
  return t;
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

}  // namespace

std::string ArchInfo::image_path() const { return "arch/" + srcarch + "/boot/" + image; }

bool ArchInfo::native_on(std::string_view host_machine) const {
  return std::find(host_machines.begin(), host_machines.end(), host_machine) != host_machines.end();
}

std::optional<ArchInfo> arch_info(std::string_view arch, Diagnostics* diags) {
  std::string a = lower(arch);
  for (const Entry& e : table())
    for (const char* n : e.names)
      if (a == n) {
        ArchInfo info = e.info;
        info.name = a;
        // x86_64 is asked for by name: keep it (tinyconfig with ARCH=x86 turns 64BIT off).
        if (a == "x86_64" || a == "amd64") info.karch = "x86_64";
        return info;
      }
  std::vector<std::string> names = known_arches();
  std::string guess = suggest(a, names);
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  diags->error({}, guess.empty() ? fmt::format("unknown architecture '{}' (known: {})", arch, list)
                                 : fmt::format("unknown architecture '{}', did you mean '{}'? (known: {})",
                                               arch, guess, list));
  return std::nullopt;
}

std::vector<std::string> known_arches() {
  std::vector<std::string> r;
  for (const Entry& e : table())
    for (const char* n : e.names) r.emplace_back(n);
  return r;
}

std::string srcarch_of(std::string_view arch) {
  std::string a = lower(arch);
  for (const Entry& e : table())
    for (const char* n : e.names)
      if (a == n) return e.info.srcarch;
  return "";
}

}  // namespace kmeta::kbuild
