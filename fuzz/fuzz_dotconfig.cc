// Fuzz target for the .config reader (confdata.c:conf_read_simple rules):
// any bytes are read as a .config for a small model covering every symbol
// type, a choice and a range, in both dialects; the values are then computed
// and the .config and savedefconfig texts rendered. Must never crash, hang or
// trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kconfig/confdata.h"
#include "kconfig/test_model_builder.h"

namespace {

using namespace kmeta::kconfig;

std::unique_ptr<Model> build(Dialect d) {
  testing::ModelBuilder b(d);
  b.config("MODULES", SymbolType::boolean, "modules");
  b.default_("MODULES", b.s("y"));
  b.modules("MODULES");
  b.config("B", SymbolType::boolean, "b");
  b.config("T", SymbolType::tristate, "t", b.s("B"));
  b.select("B", "SEL");
  b.config("SEL", SymbolType::tristate, "sel", b.s("n"));
  b.config("I", SymbolType::integer, "i");
  b.range("I", "1", "100");
  b.config("H", SymbolType::hex, "h");
  b.default_("H", b.s("0x10"));
  b.config("S", SymbolType::string, "s");
  b.default_("S", b.s("I"));
  NodeId c = b.choice("choice");
  b.config("C1", SymbolType::boolean, "c1", kNone, c);
  b.config("C2", SymbolType::boolean, "c2", kNone, c);
  b.config("C3", SymbolType::tristate, "c3", b.s("T"), c);
  b.choice_default(c, "C2");
  return b.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<Model> models[2] = {build(Dialect::v6_12), build(Dialect::v6_1)};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& m : models) {
    Messages log;
    Configuration cfg(*m, &log);
    ConfContext ctx;
    ctx.env["KCONFIG_WARN_UNKNOWN_SYMBOLS"] = "1";
    ReadState rs;
    load_config_text(cfg, ctx, ".config", text, DefSlot::user, rs);
    cfg.calc(m->modules_sym);
    cfg.calc_all();
    (void)render_config(cfg, ctx);
    (void)render_defconfig(cfg, ctx);
    // The same bytes as include/config/auto.conf (no unescaping, no warnings for values).
    ReadState ra;
    load_config_text(cfg, ctx, "auto.conf", text, DefSlot::auto_, ra);
  }
  return 0;
}
