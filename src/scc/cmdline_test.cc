#include "scc/cmdline.h"

#include <gtest/gtest.h>

namespace kmeta::scc {
namespace {

TEST(SccArgs, ReferenceForms) {
  SccArgs a;
  std::string err;
  ASSERT_TRUE(parse_scc_args({"--force", "-DMODULE_OR_Y=m", "-D", "X=a=b", "-o", "/s/.km:cfg,merge,meta",
                              "-I/k", "-I", "/l", "--I/m", "--cmds", "patch", "bsp/x.scc", "-w", "extra.scc"},
                             &a, &err))
      << err;
  EXPECT_TRUE(a.force);
  ASSERT_EQ(a.defines.size(), 2u);
  EXPECT_EQ(a.defines[0], (std::pair<std::string, std::string>{"MODULE_OR_Y", "m"}));
  EXPECT_EQ(a.defines[1].second, "a=b");
  EXPECT_EQ(a.outdir, "/s/.km");
  EXPECT_EQ(a.output_spec, "/s/.km:cfg,merge,meta");
  EXPECT_EQ(a.include_args, (std::vector<std::string>{"/k", "/l", "/m"}));
  EXPECT_EQ(a.cmds.value(), "patch");
  // Options end at the first input, as in the reference.
  EXPECT_EQ(a.inputs, (std::vector<std::string>{"bsp/x.scc", "-w", "extra.scc"}));
  EXPECT_FALSE(a.warn_missing);
}

TEST(SccArgs, Errors) {
  SccArgs a;
  std::string err;
  EXPECT_FALSE(parse_scc_args({"-DNOVALUE"}, &a, &err));
  EXPECT_FALSE(parse_scc_args({"-D", "1X=2"}, &a, &err));
  EXPECT_FALSE(parse_scc_args({"-o"}, &a, &err));
  EXPECT_FALSE(parse_scc_args({"--dump=nope"}, &a, &err));
  // Issue 9: silently ignored before; now usage errors that list the names.
  EXPECT_FALSE(parse_scc_args({"--cmds", "patch,bogus"}, &a, &err));
  EXPECT_NE(err.find("unknown command 'bogus' (valid: branch, define, kconf, mark, merge, patch)"),
            std::string::npos)
      << err;
  EXPECT_FALSE(parse_scc_args({"-o", "/out:cfg,bogus"}, &a, &err));
  EXPECT_NE(err.find("unknown artifact 'bogus' (valid: meta, cfg, patch, merge)"), std::string::npos) << err;
  EXPECT_FALSE(parse_scc_args({"-o", ""}, &a, &err));
  EXPECT_FALSE(parse_scc_args({"-o", ":cfg"}, &a, &err));
  EXPECT_TRUE(
      parse_scc_args({"--cmds", "patch merge,kconf", "-o", "/out:cfg,merge,meta,patch", "x.scc"}, &a, &err))
      << err;
}

TEST(SppArgs, Find) {
  SppArgs a;
  std::string err;
  ASSERT_TRUE(parse_spp_args({"-I/k", "--find", "-DKMACHINE=q", "-DKTYPE=standard", "--fuzz"}, &a, &err))
      << err;
  EXPECT_TRUE(a.find && a.fuzz);
  EXPECT_EQ(a.defines.size(), 2u);
  EXPECT_TRUE(a.inputs.empty());
}

}  // namespace
}  // namespace kmeta::scc
