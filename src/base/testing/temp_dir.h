// Scratch directories for tests (header-only; not part of the library): a
// fresh directory under $TMPDIR (else /tmp), made with mkdtemp, removed with
// everything in it when the object goes. Tests never write to fixed /tmp
// paths or to the user's caches.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kmeta::testing {

// $TMPDIR when set and non-empty, else /tmp.
inline std::string temp_root() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? std::string(t) : std::string("/tmp");
}

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "kmeta-test") {
    std::string tmpl = temp_root() + "/" + std::string(prefix) + ".XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp " + tmpl + " failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    // Tests may leave read-only directories behind (permission tests).
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add,
                                 ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name
  std::string operator/(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

}  // namespace kmeta::testing
