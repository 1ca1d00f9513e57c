#include "base/diagnostic_render.h"

#include <gtest/gtest.h>

namespace kmeta {
namespace {

TEST(RenderWithSource, ShowsTheLineAndACaretUnderTheColumn) {
  MemoryFileSystem fs;
  fs.add_file("/c/bsp/board.scc", "define KMACHINE board\n\tkconf  hardware board.cfg x\n");
  Diagnostic d{Severity::error, {FileName("/c/bsp/board.scc"), 2, 9}, "unexpected word 'x'", {}};
  d.chain.push_back({FileName("/c/bsp/top.scc"), 4, 0});
  EXPECT_EQ(render_with_source(d, fs),
            "/c/bsp/board.scc:2:9: error: unexpected word 'x'\n"
            "    \tkconf  hardware board.cfg x\n"
            "    \t       ^\n"
            "  included from /c/bsp/top.scc:4\n");
}

TEST(RenderWithSource, WithoutAReadableSourceItIsThePlainRendering) {
  MemoryFileSystem fs;
  Diagnostic missing{Severity::warning, {FileName("/c/gone.scc"), 3, 1}, "w", {}};
  EXPECT_EQ(render_with_source(missing, fs), missing.render() + "\n");
  Diagnostic relative{Severity::error, {FileName("rel.scc"), 1, 1}, "e", {}};
  fs.add_file("/rel.scc", "x\n");
  EXPECT_EQ(render_with_source(relative, fs), relative.render() + "\n");
  Diagnostic nowhere{Severity::error, {}, "no location", {}};
  EXPECT_EQ(render_with_source(nowhere, fs), "error: no location\n");
}

TEST(RenderWithSource, ALineBeyondTheFileOrAColumnBeyondTheLineShowsNoCaret) {
  MemoryFileSystem fs;
  fs.add_file("/a.cfg", "CONFIG_A=y\n");
  Diagnostic far{Severity::error, {FileName("/a.cfg"), 1, 40}, "e", {}};
  EXPECT_EQ(render_with_source(far, fs), "/a.cfg:1:40: error: e\n    CONFIG_A=y\n");
}

TEST(RenderWithSource, WarningsCanBeLeftOut) {
  MemoryFileSystem fs;
  Diagnostics ds;
  ds.warning({FileName("w.scc"), 1, 0}, "a warning");
  ds.error({FileName("e.scc"), 2, 0}, "an error");
  EXPECT_EQ(render_with_source(ds, fs, false), "e.scc:2: error: an error\n");
  EXPECT_EQ(render_with_source(ds, fs), "w.scc:1: warning: a warning\ne.scc:2: error: an error\n");
}

}  // namespace
}  // namespace kmeta
