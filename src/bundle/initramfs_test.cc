#include "bundle/initramfs.h"

#include <gtest/gtest.h>

namespace kmeta::bundle {
namespace {

TEST(ConcatMembers, EveryMemberStartsFourByteAligned) {
  std::string a(13, 'a'), b(6, 'b'), c(4, 'c');
  std::string out = concat_members({a, b, c});
  EXPECT_EQ(out.size(), 16u + 8u + 4u);
  EXPECT_EQ(out.substr(0, 13), a);
  EXPECT_EQ(out.substr(13, 3), std::string(3, '\0'));
  EXPECT_EQ(out.substr(16, 6), b);
  EXPECT_EQ(out.substr(24, 4), c);
}

TEST(ReadInitramfs, RejectsWhatIsNotACpio) {
  BaseInitramfs info;
  Diagnostics d;
  EXPECT_FALSE(read_initramfs("base.img", "this is not an archive at all, not even close", false, &info, &d));
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.items()[0].render().rfind("base.img: error: not a usable initramfs", 0), 0u) << d.render();
}

TEST(ReadInitramfs, RepackKeepsContents) {
  std::vector<CpioEntry> e(1);
  e[0].path = "init";
  e[0].data = "hello";
  e[0].mode = 0755;
  std::string bytes, err;
  ASSERT_TRUE(write_cpio(e, Compression::zstd, 0, &bytes, &err));
  BaseInitramfs info;
  Diagnostics d;
  ASSERT_TRUE(read_initramfs("b", bytes, true, &info, &d)) << d.render();
  ASSERT_EQ(info.contents.size(), 1u);
  EXPECT_EQ(*info.contents[0].data, "hello");
  EXPECT_EQ(info.contents[0].mode, 0755u);
}

TEST(CheckDecompressor, NamesTheMissingOption) {
  Diagnostics d;
  std::map<std::string, std::string> config{{"CONFIG_RD_GZIP", "y"}};
  EXPECT_TRUE(check_decompressor(Compression::gzip, config, ".config", "the base", &d));
  EXPECT_TRUE(check_decompressor(Compression::none, config, ".config", "the base", &d));
  EXPECT_FALSE(check_decompressor(Compression::zstd, config, ".config", "the base", &d));
  EXPECT_EQ(d.render(),
            ".config: error: the base is zstd-compressed but CONFIG_RD_ZSTD is not set: the kernel cannot "
            "unpack it\n");
}

}  // namespace
}  // namespace kmeta::bundle
