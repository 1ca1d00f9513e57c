#include "bundle/deploy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file_util.h"
#include "base/json_bytes.h"
#include "bundle/test_util.h"

namespace kmeta::bundle {
namespace {

namespace fs = std::filesystem;

DeployRequest request(const std::string& root) {
  DeployRequest r;
  r.root = root;
  r.name = "demo";
  r.arch = "x86_64";
  r.kernel_release = "6.1.0";
  r.files = {{"bzImage", "", "kernel bytes", "kernel image"}};
  return r;
}

// Issue 9 item 4: the folder used to be built in DEPLOY/<name>/.<arch>.kmeta-tmp.<pid>,
// created with create_directories, which accepts a planted symlink to a
// directory and writes through it. Now it is a new directory of an
// unpredictable name: the link's target stays empty.
TEST(WriteDeploy, NeverBuildsThroughAPlantedSymlink) {
  testing::TempDir t;
  std::string parent = t.path + "/demo", victim = t.path + "/victim";
  fs::create_directories(parent);
  fs::create_directories(victim);
  fs::create_directory_symlink(victim, parent + "/.x86_64.kmeta-tmp." + std::to_string(::getpid()));
  Diagnostics d;
  std::string dir;
  ASSERT_TRUE(write_deploy(request(t.path), &dir, &d)) << d.render();
  EXPECT_EQ(dir, parent + "/x86_64");
  EXPECT_TRUE(fs::is_empty(victim));
  EXPECT_FALSE(fs::is_symlink(dir));
  EXPECT_EQ(read_file(dir + "/bzImage").value(), "kernel bytes");
  // Again over the existing folder (the swap path): still nothing left beside it.
  ASSERT_TRUE(write_deploy(request(t.path), &dir, &d)) << d.render();
  for (const auto& e : fs::directory_iterator(parent))
    EXPECT_FALSE(is_atomic_temp_name(e.path().filename().string())) << e.path();
}

// Module paths and inputs are bytes (a Latin-1 file name): manifest.json
// carries them (json_dump) instead of aborting on nlohmann's type_error 316.
TEST(WriteDeploy, ManifestCarriesNonUtf8Bytes) {
  testing::TempDir t;
  DeployRequest r = request(t.path);
  const std::string latin1 = "kernel/drivers/caf\xe9.ko";
  r.modules = {latin1};
  r.inputs = {{"fragment", "/meta/caf\xe9.cfg"}};
  Diagnostics d;
  std::string dir;
  ASSERT_TRUE(write_deploy(r, &dir, &d)) << d.render();
  auto text = read_file(dir + "/manifest.json");
  ASSERT_TRUE(text);
  EXPECT_TRUE(nlohmann::json::accept(*text));
  nlohmann::json j = json_parse(*text);
  EXPECT_EQ(j["modules"][0].get<std::string>(), latin1);
  EXPECT_EQ(j["inputs"]["fragment"].get<std::string>(), "/meta/caf\xe9.cfg");
}

}  // namespace
}  // namespace kmeta::bundle
