// Fuzz target for the .scc parser and compiler.
//
// The input is a small tree of files in memory: it is split at lines of the
// form "==> NAME" (NAME relative to /k, the only include directory); text
// before the first such line is /k/top.scc, the entry point. Every file is
// parsed and printed back, then the entry point is compiled (config pass and
// patch pass), rendered into an output plan and a feature tree. Bad input must
// give diagnostics, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/diagnostic_render.h"
#include "scc/compiler.h"
#include "scc/features.h"
#include "scc/parser.h"
#include "scc/writer.h"

using namespace kmeta::scc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  MemoryFileSystem fs;
  fs.add_dir("/cwd");
  std::string name = "top.scc", body;
  int files = 0;
  auto flush = [&] {
    if (files++ < 64 && !name.empty() && name.find("..") == std::string::npos)
      fs.add_file("/k/" + name, body);
    body.clear();
  };
  size_t pos = 0;
  while (pos < in.size()) {
    size_t e = in.find('\n', pos);
    std::string_view line = in.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos);
    if (line.substr(0, 4) == "==> ") {
      flush();
      name = std::string(line.substr(4));
    } else {
      body.append(line);
      if (e != std::string_view::npos) body += '\n';
    }
    if (e == std::string_view::npos) break;
    pos = e + 1;
  }
  flush();

  // Parse and print back every file: the printed form must parse again.
  for (const auto& entry : fs.list("/k")) {
    if (entry.is_dir) continue;
    auto pf = parse_scc("/k/" + entry.name, fs.read("/k/" + entry.name));
    std::string printed = print_block(pf->body);
    auto again = parse_scc("/k/again.scc", std::make_shared<const std::string>(printed));
    (void)render_with_source(pf->diags, fs);
    (void)again;
  }

  Compiler compiler(fs);
  for (int pass = 0; pass < 2; ++pass) {
    CompileOptions o;
    o.cwd = "/cwd";
    o.include_args = {"/k"};
    o.max_statements = 2000;  // the bound itself is tested in tests/hardening_parse.sh
    o.keep_going = pass == 1;
    if (pass == 1) o.commands = CommandSet::parse("patch");
    o.defines = {{"MODULE_OR_Y", "m"}};
    CompileResult r = compiler.compile({"/k/top.scc"}, o);
    (void)render_with_source(r.diags, fs);
    if (!r.ok()) continue;
    OutputOptions oo;
    oo.outdir = "/cwd/.kernel-meta";
    oo.cwd = "/cwd";
    oo.artifacts = Artifacts::parse(pass == 0 ? "x:cfg,merge,meta" : "x:patch");
    OutputPlan plan;
    kmeta::Diagnostics d;
    plan_output(r.series, oo, fs, &plan, d);
    FeatureTree t = build_feature_tree(r.series, true);
    (void)print_feature_tree(t);
    (void)to_json(r.series).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
