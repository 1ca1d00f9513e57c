// `kmeta kconfig`: resolve a kernel tree's configuration the way
// `make ARCH=... CROSS_COMPILE=... O=... <mode>` does, without make.
//
//   kmeta kconfig --kernel SRC --arch ARCH [--cross-compile P] [-O BUILD]
//                 [--probe-cache DIR | --no-probe-cache | --replay] <mode>
//
// The kernel loader (kbuild/kernel_loader.h, shared with `kmeta config`)
// derives the environment conf would get from the tree, answers the $(shell)
// probes from the probe cache and reuses a parse stored by an earlier run
// while all it read is unchanged (--no-model-cache); the evaluator's run_conf
// does the rest, in BUILD, exactly like conf there.
#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/exit_leak.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/config_options.h"
#include "cli/environment.h"
#include "cli/errors.h"
#include "kbuild/kernel_env.h"
#include "kbuild/kernel_loader.h"
#include "kbuild/model_cache.h"
#include "kbuild/probe_cache.h"
#include "kconfig/conf.h"
#include "kconfig/confdata.h"
#include "kconfig/configuration.h"
#include "kconfig/parser.h"

namespace kmeta::cli {

namespace {

namespace kc = kmeta::kconfig;
namespace fs = std::filesystem;

struct KconfigArgs {
  std::string kernel;
  std::string arch;
  std::string cross_compile;
  bool cross_compile_given = false;
  std::string llvm;
  std::string output;
  std::string probe_dir;
  bool no_probe_cache = false;
  bool no_model_cache = false;
  bool replay = false;
  bool silent = false;
  bool stats = false;
  std::vector<std::string> make_vars;  // NAME=VALUE
};

// Everything a mode needs: the opened kernel (kbuild/kernel_loader.h).
struct Session {
  kbuild::KernelSession k;
  std::vector<std::string> warned;  // cache warnings already printed
};

// The caches' warnings (a refused directory or entry, a damaged entry), each once.
void print_cache_warnings(Session* s) {
  for (const std::string& w : s->k.warnings())
    if (std::find(s->warned.begin(), s->warned.end(), w) == s->warned.end()) {
      fmt::print(stderr, "kmeta kconfig: warning: {}\n", w);
      s->warned.push_back(w);
    }
}

bool open_session(const KconfigArgs& a, Session* s) {
  std::error_code ec;
  fs::path src = fs::weakly_canonical(a.kernel, ec);
  if (a.kernel.empty() || !fs::is_regular_file(src / "Makefile")) {
    fmt::print(stderr, "kmeta kconfig: --kernel '{}' is not a kernel source tree (no Makefile)\n", a.kernel);
    return false;
  }
  fs::path out = a.output.empty() ? fs::current_path() : fs::absolute(a.output);
  fs::create_directories(out, ec);
  if (ec) {
    fmt::print(stderr, "kmeta kconfig: cannot create -O '{}': {}\n", out.string(), ec.message());
    return false;
  }
  out = fs::weakly_canonical(out, ec);

  struct utsname u;
  ::uname(&u);
  kbuild::KernelLoadOptions lo;
  kbuild::KernelEnvOptions& o = lo.env;
  o.srctree = src.string();
  o.objtree = out.string();
  o.arch = a.arch;
  o.host = {u.machine, u.release};
  o.base_env = process_env();
  if (a.cross_compile_given) o.make_vars["CROSS_COMPILE"] = a.cross_compile;
  if (!a.llvm.empty()) o.make_vars["LLVM"] = a.llvm;
  for (const std::string& kv : a.make_vars) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      fmt::print(stderr, "kmeta kconfig: --set wants NAME=VALUE, got '{}'\n", kv);
      return false;
    }
    o.make_vars[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  lo.probe_mode = a.no_probe_cache ? kbuild::ProbeMode::off
                  : a.replay       ? kbuild::ProbeMode::replay
                                   : kbuild::ProbeMode::read_write;
  lo.probe_dir = !a.probe_dir.empty() ? a.probe_dir : default_probe_cache_dir();
  lo.model_cache = !a.no_model_cache;

  Diagnostics diags;
  bool ok = s->k.open(lo, &diags);
  print_cache_warnings(s);
  print_errors("kmeta kconfig", diags);
  return ok;
}

int run_env(const KconfigArgs& a) {
  Session s;
  if (!open_session(a, &s)) return kExitFailure;
  std::fputs(kbuild::format_env_sh(s.k.env()).c_str(), stdout);
  return kExitOk;
}

void print_messages(const kc::Messages& log) {
  std::string out = log.text(kc::Stream::out);
  std::string err = log.text(kc::Stream::err);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fwrite(err.data(), 1, err.size(), stderr);
}

void print_probe_stats(const KconfigArgs& a, Session& s) {
  print_cache_warnings(&s);
  if (!a.stats) return;
  const kbuild::ProbeStats st = s.k.probe_stats();
  fmt::print(stderr, "kmeta kconfig: probes: {} hits, {} misses, {} stored, {} spawned ({})\n", st.hits,
             st.misses, st.stored, s.k.spawned(), s.k.probe_dir());
  if (s.k.model_dir().empty()) return;
  const kbuild::ModelCacheResult& r = s.k.model_result();
  if (r.hit)
    fmt::print(stderr, "kmeta kconfig: model: reused ({})\n", s.k.model_dir());
  else
    fmt::print(stderr, "kmeta kconfig: model: parsed ({}){}\n", r.miss, r.stored ? ", stored" : "");
}

kc::ConfContext conf_context(const Session& s, bool silent) {
  kc::ConfContext ctx;
  ctx.cwd = s.k.env().objtree;
  ctx.env.insert(s.k.env().env.begin(), s.k.env().env.end());
  ctx.quiet = silent;
  return ctx;
}

// olddefconfig, defconfig[=FILE], all*config, savedefconfig=FILE: conf's
// command line, run by the evaluator in BUILD.
int run_mode(const KconfigArgs& a, const std::string& mode, const std::string& arg) {
  Session s;
  if (!open_session(a, &s)) return kExitFailure;
  std::string flag = "--" + mode;
  if (mode == "defconfig") {
    std::string file = arg.empty() ? s.k.env().defconfig_path() : arg;
    if (arg.empty() && !fs::exists(fs::path(s.k.env().srctree) / file)) {
      fmt::print(stderr,
                 "kmeta kconfig: {} is not a file in {} (KBUILD_DEFCONFIG names a make target there); "
                 "pass defconfig=FILE\n",
                 file, s.k.env().srctree);
      return kExitFailure;
    }
    flag += "=" + file;
  } else if (mode == "savedefconfig") {
    flag += "=" + (arg.empty() ? std::string("defconfig") : arg);
  }
  kc::ConfRequest req;
  req.args = {};
  if (a.silent) req.args.push_back("-s");
  req.args.push_back(flag);
  req.args.push_back(s.k.env().kconfig);
  req.ctx = conf_context(s, a.silent);
  req.load = s.k.loader();
  std::unique_ptr<kc::Model> model;
  req.keep_model = &model;
  kc::Messages log;
  int rc = kc::run_conf(req, log);
  print_messages(log);
  print_probe_stats(a, s);
  // The process ends next: freeing the model's ~10^5 blocks one by one would
  // cost more than writing the .config did (unless a sanitizer watches).
  leak_at_exit(model);
  return rc == 0 ? kExitOk : kExitFailure;
}

const char* source_name(kc::Origin::Source src) {
  using S = kc::Origin::Source;
  switch (src) {
    case S::not_computed: return "not computed";
    case S::constant: return "constant";
    case S::untyped: return "no type: never written";
    case S::user: return "the user value";
    case S::default_value: return "a default";
    case S::implied: return "imply";
    case S::selected: return "select";
    case S::choice: return "its choice group";
    case S::initial: return "nothing applied: the type's initial value";
  }
  return "?";
}

const char* choice_rule_name(kc::Origin::ChoiceRule r) {
  using R = kc::Origin::ChoiceRule;
  switch (r) {
    case R::none: return "";
    case R::user_y: return "the first visible member set to y by the user";
    case R::default_member: return "the choice's default";
    case R::first_unset: return "the first visible member without a user value";
    case R::last_n: return "the member whose n was read first";
    case R::mod_mode: return "m mode: each member on its own";
    case R::invisible: return "not visible: n";
  }
  return "";
}

std::string loc(const Location& l) { return l.file + ":" + std::to_string(l.line); }

// One definition, back in Kconfig syntax. Conditions are printed as the
// model holds them: after dependency propagation (menu.c), so enclosing
// `depends on`/`if` blocks appear in every `if` clause.
std::string print_definition(const kc::Model& m, kc::NodeId n) {
  const kc::MenuNode& nd = m.node(n);
  const kc::Symbol& sym = m.sym(nd.sym);
  std::string r = nd.kind == kc::NodeKind::menuconfig ? "menuconfig "
                  : nd.kind == kc::NodeKind::choice   ? "choice"
                                                      : "config ";
  if (nd.kind != kc::NodeKind::choice) r += sym.name;
  r += "\n";
  auto cond = [&](kc::ExprId c) { return c == kc::kNone ? std::string() : " if " + m.expr_to_string(c); };
  bool typed = false;
  for (kc::PropId p : sym.props) {
    const kc::Property& pr = m.prop(p);
    if (pr.node != n) continue;
    switch (pr.kind) {
      case kc::PropKind::prompt:
        r += fmt::format("\t{} \"{}\"{}\n", typed ? "prompt" : kc::type_name(sym.type), pr.text,
                         cond(pr.cond));
        typed = true;
        break;
      case kc::PropKind::default_:
        r += "\tdefault " + m.expr_to_string(pr.expr) + cond(pr.cond) + "\n";
        break;
      case kc::PropKind::select: r += "\tselect " + m.expr_to_string(pr.expr) + cond(pr.cond) + "\n"; break;
      case kc::PropKind::imply: r += "\timply " + m.expr_to_string(pr.expr) + cond(pr.cond) + "\n"; break;
      case kc::PropKind::range:
        r += "\trange " + m.sym(pr.range_lo).name + " " + m.sym(pr.range_hi).name + cond(pr.cond) + "\n";
        break;
      default: break;
    }
  }
  if (!typed && sym.type != kc::SymbolType::unknown)
    r.insert(r.find('\n') + 1, std::string("\t") + kc::type_name(sym.type) + "\n");
  if (nd.dep != kc::kNone) r += "\tdepends on " + m.expr_to_string(nd.dep) + "\n";
  if (nd.has_help) {
    r += "\thelp\n";
    for (std::string_view line : split_lines(m.help(n)))
      r += line.empty() ? "\n" : "\t  " + std::string(line) + "\n";
  }
  return r;
}

// show SYMBOL: every definition with file:line, then the value in BUILD
// (.config read as olddefconfig would) and why, from the evaluator's record.
int run_show(const KconfigArgs& a, std::string name) {
  Session s;
  if (!open_session(a, &s)) return kExitFailure;
  if (starts_with(name, "CONFIG_")) name = name.substr(7);
  kc::Messages log;
  auto model = s.k.parse(s.k.env().kconfig, log);
  if (!model) {
    print_messages(log);
    return kExitFailure;
  }
  kc::SymbolId id = model->find(name);
  if (id == kc::kNone || model->sym(id).nodes.empty()) {
    std::vector<std::string> names;
    for (kc::SymbolId i : model->symbol_ids())
      if (!model->sym(i).nodes.empty()) names.push_back(model->sym(i).name);
    std::string guess = suggest(name, names);
    fmt::print(stderr, "kmeta kconfig show: no symbol '{}' in {}{}\n", name, s.k.env().srctree,
               guess.empty() ? "" : ", did you mean '" + guess + "'?");
    return kExitFailure;
  }
  kc::Messages cfg_log;
  kc::Configuration cfg(*model, &cfg_log);
  kc::ConfContext ctx = conf_context(s, true);
  kc::ReadState rs;
  bool read = kc::read_config(cfg, ctx, nullptr, rs);
  cfg.calc(id);

  for (kc::NodeId n : model->sym(id).nodes) {
    fmt::print("{}:\n{}\n", loc(model->node(n).where), print_definition(*model, n));
  }
  std::string line;
  kc::print_symbol(cfg, id, ctx.prefix(), kc::PrintN::as_unset, true, line);
  kc::Origin o = cfg.why(id);
  fmt::print("value: {}{}\n", line.empty() ? std::string("(not written)") : line.substr(0, line.find('\n')),
             o.written ? "" : "  [not written to .config]");
  fmt::print("  read from: {}\n", read ? (fs::path(s.k.env().objtree) / ctx.config_name()).string()
                                       : std::string("nothing (no .config, no KCONFIG_DEFCONFIG_LIST file)"));
  fmt::print("  because: {}\n", source_name(o.source));
  if (o.has_user_value)
    fmt::print("  user value: {}{} ({})\n", o.user_value, o.user_at.valid() ? " at " + loc(o.user_at) : "",
               o.user_value_used ? "used" : "ignored: not visible or overridden");
  if (o.default_prop != kc::kNone) {
    const kc::Property& p = model->prop(o.default_prop);
    fmt::print("  default: {}{} at {}\n", model->expr_to_string(p.expr),
               p.cond == kc::kNone ? "" : " if " + model->expr_to_string(p.cond), loc(p.where));
  }
  fmt::print("  visible: {}  depends on: {}  selected: {}  implied: {}\n", kc::tri_char(o.visibility),
             kc::tri_char(o.dir_dep), kc::tri_char(o.rev_dep), kc::tri_char(o.implied_by));
  for (const auto& c : o.selectors)
    fmt::print("  selected by {} [={}]\n", model->sym(c.sym).name, kc::tri_char(c.value));
  for (const auto& c : o.impliers)
    fmt::print("  implied by {} [={}]\n", model->sym(c.sym).name, kc::tri_char(c.value));
  if (o.choice != kc::kNone && o.choice_rule != kc::Origin::ChoiceRule::none)
    fmt::print("  choice: {} chosen by {}\n", o.chosen == kc::kNone ? "nothing" : model->sym(o.chosen).name,
               choice_rule_name(o.choice_rule));
  if (o.capped_by_visibility) fmt::print("  capped: user y on an m-visible tristate became m\n");
  if (o.capped_by_dependency) fmt::print("  capped: the implied value is limited by `depends on`\n");
  if (o.promoted_to_y) fmt::print("  promoted: m became y (bool, or modules off)\n");
  if (o.unmet_dependencies) fmt::print("  warning: selected although its dependencies are not met\n");
  if (o.range_prop != kc::kNone)
    fmt::print("  range at {}{}\n", loc(model->prop(o.range_prop).where),
               o.range_clamped ? " clamped " + o.unclamped_value : "");
  print_probe_stats(a, s);
  return kExitOk;
}

}  // namespace

int cmd_kconfig(const Args& args) {
  CLI::App app{
      "Resolve a kernel tree's configuration the way `make ARCH=... <mode>` does, without make:\n"
      "the environment conf would get is derived from the tree, $(shell) probes come from an\n"
      "on-disk cache, and kmeta's Kconfig engine writes BUILD/.config.",
      "kmeta kconfig"};
  app.set_help_flag("-h,--help", "this help (also after a mode: kmeta kconfig defconfig --help)");
  app.require_subcommand(1);
  app.fallthrough();
  KconfigArgs a;
  app.add_option("--kernel", a.kernel, "kernel source tree (contains Makefile, Kconfig, arch/)")->required();
  app.add_option(
      "--arch", a.arch,
      "ARCH as for make: x86_64, i386, arm64, arm, riscv, powerpc, mips, ... (default: the host's)");
  app.add_option_function<std::string>(
      "--cross-compile",
      [&](const std::string& v) {
        a.cross_compile = v;
        a.cross_compile_given = true;
      },
      "CROSS_COMPILE prefix, e.g. aarch64-linux-gnu-");
  app.add_option("--llvm", a.llvm, "LLVM= value (1, /path/to/llvm/, -15): use clang and the LLVM binutils");
  app.add_option("-O,--output", a.output,
                 "build directory (O=); conf runs there and writes .config (default: .)");
  app.add_option("--set", a.make_vars,
                 "NAME=VALUE as on make's command line (repeatable), e.g. KCONFIG_CONFIG=my.config");
  auto* cache_dir =
      app.add_option("--probe-cache", a.probe_dir,
                     "probe cache directory (default: $KMETA_PROBE_CACHE, $XDG_CACHE_HOME/kmeta/probes or "
                     "~/.cache/kmeta/probes)");
  auto* no_cache =
      app.add_flag("--no-probe-cache", a.no_probe_cache, "run every $(shell) probe, store nothing");
  auto* replay = app.add_flag("--replay", a.replay,
                              "execute nothing: every probe must be in the cache (error otherwise)");
  no_cache->excludes(cache_dir)->excludes(replay);
  app.add_flag("-s,--silent", a.silent, "conf -s: no '# configuration written' messages");
  app.add_flag("--no-model-cache", a.no_model_cache, kNoModelCacheHelp);
  app.add_flag("--probe-stats", a.stats,
               "print probe cache hits/misses (and whether the parse was reused) to stderr");

  auto* env =
      app.add_subcommand("env", "print the environment make would give conf (sh: export/unset lines)");
  std::string file;
  struct Mode {
    const char* name;
    const char* help;
    bool takes_file;
  };
  static const Mode kModes[] = {
      {"olddefconfig", "BUILD/.config (or KCONFIG_DEFCONFIG_LIST) + defaults for new symbols", false},
      {"defconfig", "defconfig[=FILE]: FILE (default: the arch's KBUILD_DEFCONFIG) + defaults", true},
      {"alldefconfig", "every symbol at its default", false},
      {"allnoconfig", "every visible bool/tristate n", false},
      {"allyesconfig", "every visible bool/tristate y", false},
      {"allmodconfig", "every visible tristate m, bool y", false},
      {"savedefconfig",
       "savedefconfig[=FILE]: the minimal config reproducing BUILD/.config (default FILE: defconfig, as "
       "make)",
       true},
  };
  std::vector<std::pair<const Mode*, CLI::App*>> modes;
  for (const Mode& m : kModes) {
    CLI::App* sub = app.add_subcommand(m.name, m.help);
    if (m.takes_file) sub->add_option("file", file, "FILE (also written as MODE=FILE)");
    modes.emplace_back(&m, sub);
  }
  std::string symbol;
  auto* show =
      app.add_subcommand("show", "print a symbol's definitions (file:line), its value in BUILD and why");
  show->add_option("symbol", symbol, "symbol name (CONFIG_ prefix optional)")->required();

  reject_empty_values(app, {"--cross-compile", "--llvm"});  // empty: the host compiler, no LLVM

  // `defconfig=FILE` / `savedefconfig=FILE`: one token, as make spells it.
  Args split;
  for (const std::string& t : args) {
    size_t eq = t.find('=');
    if (eq != std::string::npos && t[0] != '-' &&
        (t.compare(0, eq, "defconfig") == 0 || t.compare(0, eq, "savedefconfig") == 0)) {
      split.push_back(t.substr(0, eq));
      split.push_back(t.substr(eq + 1));
    } else {
      split.push_back(t);
    }
  }
  std::vector<std::string> argv(split.rbegin(), split.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (env->parsed()) return run_env(a);
  if (show->parsed()) return run_show(a, symbol);
  for (const auto& [m, sub] : modes)
    if (sub->parsed()) {
      return run_mode(a, m->name, file);
    }
  return kExitUsage;
}

}  // namespace kmeta::cli
