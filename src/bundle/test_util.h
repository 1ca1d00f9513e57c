// Helpers for the bundle module's tests: a private temp dir, the fixture kernels.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace kmeta::bundle::testing {

struct TempDir {
  std::string path;
  TempDir() {
    const char* t = getenv("TMPDIR");
    std::string tmpl = std::string(t && *t ? t : "/tmp") + "/kmeta-bundle-test.XXXXXX";
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

inline std::string fixture(const std::string& arch) {
  return std::string(KMETA_SHARED_DIR) + "/fixtures/kernels/" + arch;
}

}  // namespace kmeta::bundle::testing
