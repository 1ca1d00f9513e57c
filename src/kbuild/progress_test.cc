#include "kbuild/progress.h"

#include <gtest/gtest.h>

namespace kmeta::kbuild {
namespace {

TEST(Progress, ClassifiesKbuildLines) {
  std::string what;
  EXPECT_EQ(classify_line("  CC      mm/filemap.o", &what), LineKind::compile);
  EXPECT_EQ(what, "CC mm/filemap.o");
  EXPECT_EQ(classify_line("  CC [M]  drivers/virtio/virtio_mmio.o", &what), LineKind::compile);
  EXPECT_EQ(what, "CC [M] drivers/virtio/virtio_mmio.o");
  EXPECT_EQ(classify_line("  AS      arch/arm64/kernel/entry.o"), LineKind::compile);
  EXPECT_EQ(classify_line("  CC      kernel/bounds.s"), LineKind::step);  // not an object
  EXPECT_EQ(classify_line("  HOSTCC  scripts/basic/fixdep", &what), LineKind::step);
  EXPECT_EQ(what, "HOSTCC scripts/basic/fixdep");
  EXPECT_EQ(classify_line("  LD      vmlinux"), LineKind::step);
  EXPECT_EQ(classify_line("  SYNC    include/config/auto.conf"), LineKind::step);
  EXPECT_EQ(classify_line("make[1]: Entering directory '/b'"), LineKind::other);
  EXPECT_EQ(classify_line("mm/a.c:3:1: error: x"), LineKind::other);
  EXPECT_EQ(classify_line("   12 |     x = 1;"), LineKind::other);
}

TEST(Progress, CountsAndGrowsTheEstimate) {
  Progress p(2);
  EXPECT_TRUE(p.on_line("  CC      a.o"));
  EXPECT_FALSE(p.on_line("  LD      b.a"));
  EXPECT_EQ(p.current(), "LD b.a");
  EXPECT_EQ(p.percent(), 50);
  EXPECT_TRUE(p.on_line("  CC      c.o"));
  EXPECT_TRUE(p.on_line("  CC      d.o"));
  EXPECT_EQ(p.done(), 3u);
  EXPECT_EQ(p.total(), 3u);
}

TEST(Progress, EtaAndBar) {
  EXPECT_EQ(eta_seconds(0, 10, 5), -1);
  EXPECT_DOUBLE_EQ(eta_seconds(25, 100, 60), 180);
  EXPECT_EQ(format_duration(75), "1:15");
  EXPECT_EQ(format_duration(3725), "1:02:05");
  Progress p(100);
  for (int i = 0; i < 25; ++i) p.on_line("  CC      mm/x.o");
  EXPECT_EQ(render_bar(p, 60, 200),
            "[######..................]  25%  25/100 objects  1:00 elapsed  ETA 3:00  CC mm/x.o");
  EXPECT_EQ(render_bar(p, 60, 10).size(), 10u);
  Progress fresh(0);
  EXPECT_EQ(render_bar(fresh, 0, 200), "[........................]   0%  0/0 objects  0:00 elapsed  ETA ?");
}

}  // namespace
}  // namespace kmeta::kbuild
