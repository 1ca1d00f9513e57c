#include "kbuild/manifest.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/json_bytes.h"
#include "base/testing/diagnostics.h"

namespace kmeta::kbuild {
namespace {

namespace fs = std::filesystem;

TEST(Manifest, Sha256KnownAnswers) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Manifest, OutputsAreDescribedAndSorted) {
  std::string tmpl = (fs::temp_directory_path() / "kbuild-manifest-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  ASSERT_TRUE(write_file_atomic(tmpl + "/vmlinux", "abc"));
  ASSERT_TRUE(write_file_atomic(tmpl + "/arch/arm64/boot/Image", ""));
  std::vector<OutputFile> outs = {{"vmlinux", "vmlinux", 0, ""}, {"image", "arch/arm64/boot/Image", 0, ""}};
  Diagnostics err;
  ASSERT_TRUE(describe_outputs(tmpl, &outs, &err)) << kmeta::testing::error_text(err);
  EXPECT_EQ(outs[0].path, "arch/arm64/boot/Image");
  EXPECT_EQ(outs[0].size, 0u);
  EXPECT_EQ(outs[1].size, 3u);
  EXPECT_EQ(outs[1].sha256, sha256_hex("abc"));
  std::vector<OutputFile> missing = {{"image", "nope", 0, ""}};
  EXPECT_FALSE(describe_outputs(tmpl, &missing, &err));
  EXPECT_NE(kmeta::testing::error_text(err).find("nope is missing"), std::string::npos);
  fs::remove_all(tmpl);
}

TEST(Manifest, JsonRoundTripsTheEstimate) {
  Manifest m;
  m.kernel_version = "6.12.118";
  m.objects_compiled = 700;
  m.objects_estimate = 700;
  m.timings = {{"build", 1.23456}};
  m.outputs = {{"image", "arch/arm64/boot/Image", 10, "ab"}};
  nlohmann::json j = to_json(m);
  EXPECT_EQ(j["inputs"]["kernel_version"], "6.12.118");
  EXPECT_EQ(j["outputs"][0]["sha256"], "ab");
  EXPECT_DOUBLE_EQ(j["timings"][0]["seconds"].get<double>(), 1.235);
  EXPECT_EQ(previous_estimate(j.dump()), 700u);
  EXPECT_EQ(previous_estimate("not json"), 0u);
}

// build.json names paths (srctree, outputs, make command lines): bytes. It is
// written with json_dump (nlohmann's dump threw type_error 316 on a Latin-1
// byte) and the next build reads it back.
TEST(Manifest, BytesInPathsAreCarriedAndReadBack) {
  Manifest m;
  m.srctree = "/src/linux-caf\xe9";
  m.commands = {{"make", "O=/build/caf\xe9"}};
  m.outputs = {{"module", "drivers/caf\xe9.ko", 1, "ab"}};
  m.objects_estimate = 42;
  nlohmann::json j = to_json(m);
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);
  std::string text = json_dump(j, 1);
  EXPECT_TRUE(nlohmann::json::accept(text));
  EXPECT_EQ(previous_estimate(text), 42u);
  nlohmann::json back = json_parse(text);
  EXPECT_EQ(back["outputs"][0]["path"].get<std::string>(), "drivers/caf\xe9.ko");
}

}  // namespace
}  // namespace kmeta::kbuild
