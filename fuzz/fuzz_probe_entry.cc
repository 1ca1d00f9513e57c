// Fuzz target for probe-cache entries (kbuild/probe_cache.h): the input is
// written as the cache entry of a fixed command (raw; or, when its first byte
// is 0, the rest is stored by the cache as the command's output) and the
// command is answered in replay mode. Whatever the bytes (truncated, a different key, binary), the
// answer is either the stored output of an intact entry or a miss: never a
// crash, never an executed command.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "kbuild/probe_cache.h"

using namespace kmeta::kconfig;
using namespace kmeta::kbuild;

namespace {

struct Dir {
  std::string path;
  Dir() {
    const char* tmp = std::getenv("TMPDIR");
    path = std::string(tmp && *tmp ? tmp : "/tmp") + "/kmeta-fuzz-probe.XXXXXX";
    if (!::mkdtemp(path.data())) std::abort();
  }
  ~Dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Dir dir;
  ProbeCacheOptions o;
  o.dir = dir.path;
  o.env = {{"PATH", "/usr/bin:/bin"}};
  o.cwd = dir.path;
  const std::string command = "echo kmeta-fuzz";
  std::string bytes(reinterpret_cast<const char*>(data), size);
  // A first byte 0: the rest is stored as this command's output by the cache
  // itself (in whatever format it writes), then must be replayed exactly.
  // Anything else: the raw bytes are the entry.
  bool framed = !bytes.empty() && bytes[0] == '\0';
  std::string want = framed ? bytes.substr(1) : std::string();
  std::string entry;
  {
    ProbeCache writer(o, [&](const std::string&, std::string* out, std::string*) {
      *out = want;
      return true;
    });
    entry = writer.entry_path(command);
    std::error_code ec;
    std::filesystem::remove(entry, ec);
    if (framed) {
      std::string out, err;
      if (!writer.run(command, &out, &err) || out != want) std::abort();
    } else {
      std::filesystem::create_directories(std::filesystem::path(entry).parent_path());
      std::ofstream f(entry, std::ios::binary | std::ios::trunc);
      f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
  }
  o.mode = ProbeMode::replay;
  ProbeCache cache(o, [](const std::string&, std::string*, std::string*) -> bool {
    std::abort();  // replay mode must never execute
  });
  std::string out, err;
  bool hit = cache.run(command, &out, &err);
  if (framed && (!hit || out != want)) std::abort();
  if (!hit && err.empty()) std::abort();
  return 0;
}
