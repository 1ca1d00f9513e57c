#include "kconfig/conf.h"

#include <sys/time.h>

#include <cstring>

#include "kconfig/cnum.h"
#include "kconfig/conf_dialog.h"
#include "kconfig/glibc_rand.h"

namespace kmeta::kconfig {

bool StringInput::read_line(std::string& line, size_t max) {
  if (pos_ >= text_.size() || max <= 1) {
    eof_ = pos_ >= text_.size();
    return false;
  }
  size_t limit = std::min(text_.size(), pos_ + max - 1);
  size_t nl = text_.find('\n', pos_);
  size_t end = nl == std::string::npos || nl >= limit ? limit : nl + 1;
  line.assign(text_, pos_, end - pos_);
  pos_ = end;
  if (pos_ >= text_.size() && (line.empty() || line.back() != '\n')) eof_ = true;
  return true;
}

std::string conf_usage(const std::string& progname) {
  std::string u = "Usage: " + progname + " [options] <kconfig-file>\n";
  u += "\n"
       "Generic options:\n"
       "  -h, --help              Print this message and exit.\n"
       "  -s, --silent            Do not print log.\n"
       "\n"
       "Mode options:\n"
       "  --listnewconfig         List new options\n"
       "  --helpnewconfig         List new options and help text\n"
       "  --oldaskconfig          Start a new configuration using a line-oriented program\n"
       "  --oldconfig             Update a configuration using a provided .config as base\n"
       "  --syncconfig            Similar to oldconfig but generates configuration in\n"
       "                          include/{generated/,config/}\n"
       "  --olddefconfig          Same as oldconfig but sets new symbols to their default value\n"
       "  --defconfig <file>      New config with default defined in <file>\n"
       "  --savedefconfig <file>  Save the minimal current configuration to <file>\n"
       "  --allnoconfig           New config where all options are answered with no\n"
       "  --allyesconfig          New config where all options are answered with yes\n"
       "  --allmodconfig          New config where all options are answered with mod\n"
       "  --alldefconfig          New config with all symbols set to default\n"
       "  --randconfig            New config with random answer to all options\n"
       "  --yes2modconfig         Change answers from yes to mod if possible\n"
       "  --mod2yesconfig         Change answers from mod to yes if possible\n"
       "  --mod2noconfig          Change answers from mod to no if possible\n"
       "  (If none of the above is given, --oldaskconfig is the default)\n";
  return u;
}

namespace {

struct LongOpt {
  const char* name;
  bool has_arg;
  int mode;  // -1: help, -2: silent, else ConfMode
};

constexpr LongOpt kLongOpts[] = {
    {"help", false, -1},
    {"silent", false, -2},
    {"oldaskconfig", false, static_cast<int>(ConfMode::oldaskconfig)},
    {"oldconfig", false, static_cast<int>(ConfMode::oldconfig)},
    {"syncconfig", false, static_cast<int>(ConfMode::syncconfig)},
    {"defconfig", true, static_cast<int>(ConfMode::defconfig)},
    {"savedefconfig", true, static_cast<int>(ConfMode::savedefconfig)},
    {"allnoconfig", false, static_cast<int>(ConfMode::allnoconfig)},
    {"allyesconfig", false, static_cast<int>(ConfMode::allyesconfig)},
    {"allmodconfig", false, static_cast<int>(ConfMode::allmodconfig)},
    {"alldefconfig", false, static_cast<int>(ConfMode::alldefconfig)},
    {"randconfig", false, static_cast<int>(ConfMode::randconfig)},
    {"listnewconfig", false, static_cast<int>(ConfMode::listnewconfig)},
    {"helpnewconfig", false, static_cast<int>(ConfMode::helpnewconfig)},
    {"olddefconfig", false, static_cast<int>(ConfMode::olddefconfig)},
    {"yes2modconfig", false, static_cast<int>(ConfMode::yes2modconfig)},
    {"mod2yesconfig", false, static_cast<int>(ConfMode::mod2yesconfig)},
    {"mod2noconfig", false, static_cast<int>(ConfMode::mod2noconfig)},
};

// One recognised option occurrence, in command-line order.
struct Opt {
  int mode;         // as LongOpt::mode
  std::string arg;  // for defconfig/savedefconfig
};

struct ParsedArgs {
  std::vector<Opt> opts;
  std::vector<std::string> operands;  // non-options, in order
};

// getopt_long(argc, argv, "hs", long_opts) with GNU permutation; diagnostics
// go to `log` as glibc prints them. Stops at -h (returned as an Opt).
ParsedArgs parse_args(const std::vector<std::string>& args, const std::string& prog, Messages& log) {
  ParsedArgs r;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      r.operands.push_back(a);
      continue;
    }
    if (a[1] == '-') {
      std::string body = a.substr(2);
      size_t eq = body.find('=');
      std::string name = body.substr(0, eq);
      const LongOpt* found = nullptr;
      std::vector<const LongOpt*> candidates;
      for (const LongOpt& o : kLongOpts) {
        if (name == o.name) {
          found = &o;
          break;
        }
        if (std::strncmp(o.name, name.c_str(), name.size()) == 0) candidates.push_back(&o);
      }
      if (!found) {
        if (candidates.size() == 1) {
          found = candidates[0];
        } else if (candidates.size() > 1) {
          std::string m = prog;
          m += ": option '--";
          m += name;
          m += "' is ambiguous; possibilities:";
          for (const LongOpt* c : candidates) m += std::string(" '--") + c->name + "'";
          m += '\n';
          log.err(std::move(m), Severity::error);
          continue;
        } else {
          std::string m = prog;
          m += ": unrecognized option '--";
          m += body;
          m += "'\n";
          log.err(std::move(m), Severity::error);
          continue;
        }
      }
      Opt opt{found->mode, {}};
      if (found->has_arg) {
        if (eq != std::string::npos) {
          opt.arg = body.substr(eq + 1);
        } else if (i + 1 < args.size()) {
          opt.arg = args[++i];
        } else {
          log.err(prog + ": option '--" + found->name + "' requires an argument\n", Severity::error);
          continue;
        }
      } else if (eq != std::string::npos) {
        log.err(prog + ": option '--" + found->name + "' doesn't allow an argument\n", Severity::error);
        continue;
      }
      r.opts.push_back(opt);
      if (opt.mode == -1) return r;
      continue;
    }
    for (size_t k = 1; k < a.size(); ++k) {
      if (a[k] == 'h') {
        r.opts.push_back({-1, {}});
        return r;
      }
      if (a[k] == 's') {
        r.opts.push_back({-2, {}});
        continue;
      }
      log.err(prog + ": invalid option -- '" + std::string(1, a[k]) + "'\n", Severity::error);
    }
  }
  for (; i < args.size(); ++i) r.operands.push_back(args[i]);
  return r;
}

uint32_t clock_seed() {
  struct timeval now {};
  gettimeofday(&now, nullptr);
  return static_cast<uint32_t>((now.tv_sec + 1) * (now.tv_usec + 1));
}

bool werror(const ConfContext& ctx) { return ctx.getenv("KCONFIG_WERROR") != nullptr; }

}  // namespace

int run_conf(const ConfRequest& req, Messages& log) {
  ConfContext ctx = req.ctx;
  ConfMode mode = ConfMode::oldaskconfig;
  std::string defconfig_file;
  bool sync_kconfig = false;
  std::optional<GlibcRand> rng;

  ParsedArgs pa = parse_args(req.args, req.progname, log);
  for (const Opt& o : pa.opts) {
    if (o.mode == -1) {
      log.out(conf_usage(req.progname));
      return 1;
    }
    if (o.mode == -2) {
      ctx.quiet = true;
      continue;
    }
    mode = static_cast<ConfMode>(o.mode);
    switch (mode) {
      case ConfMode::syncconfig:
        ctx.quiet = true;
        sync_kconfig = true;
        break;
      case ConfMode::defconfig:
      case ConfMode::savedefconfig: defconfig_file = o.arg; break;
      case ConfMode::randconfig: {
        // set_randconfig_seed: strtol(..., 0) must consume the whole value.
        uint32_t seed = 0;
        bool seed_set = false;
        if (const std::string* env = ctx.getenv("KCONFIG_SEED"); env && !env->empty()) {
          CNumber n = c_strtoll(*env, 0);
          if (n.end != 0 && n.end == env->size()) {
            seed = static_cast<uint32_t>(n.value);
            seed_set = true;
          }
        }
        if (!seed_set) seed = req.time_seed ? req.time_seed() : clock_seed();
        char buf[32];
        std::snprintf(buf, sizeof buf, "KCONFIG_SEED=0x%X\n", seed);
        log.out(buf);
        rng.emplace(seed);
        break;
      }
      default: break;
    }
  }
  if (pa.operands.empty()) {
    log.err(req.progname + ": Kconfig file missing\n", Severity::error);
    log.out(conf_usage(req.progname));
    return 1;
  }
  if (!req.load) return 1;
  std::unique_ptr<Model> model = req.load(pa.operands.front(), log);
  if (!model) return 1;
  // On every return below, after the Configuration (declared later) is gone.
  struct HandBack {
    std::unique_ptr<Model>& model;
    std::unique_ptr<Model>* out;
    ~HandBack() {
      if (out) *out = std::move(model);
    }
  } hand_back{model, req.keep_model};

  Configuration cfg(*model, &log);
  ReadState rs;
  StringInput no_input("");
  LineInput& input = req.input ? *req.input : no_input;

  switch (mode) {
    case ConfMode::defconfig:
      if (!read_config(cfg, ctx, &defconfig_file, rs)) {
        log.err("***\n*** Can't find default configuration \"" + defconfig_file + "\"!\n***\n",
                Severity::error);
        return 1;
      }
      break;
    case ConfMode::savedefconfig:
    case ConfMode::syncconfig:
    case ConfMode::oldaskconfig:
    case ConfMode::oldconfig:
    case ConfMode::listnewconfig:
    case ConfMode::helpnewconfig:
    case ConfMode::olddefconfig:
    case ConfMode::yes2modconfig:
    case ConfMode::mod2yesconfig:
    case ConfMode::mod2noconfig: read_config(cfg, ctx, nullptr, rs); break;
    case ConfMode::allnoconfig:
    case ConfMode::allyesconfig:
    case ConfMode::allmodconfig:
    case ConfMode::alldefconfig:
    case ConfMode::randconfig: {
      const std::string* name = ctx.getenv("KCONFIG_ALLCONFIG");
      if (!name) break;
      if (!name->empty() && *name != "1") {
        if (!read_config_simple(cfg, ctx, name, DefSlot::user, rs)) {
          log.err("*** Can't read seed configuration \"" + *name + "\"!\n", Severity::error);
          return 1;
        }
        break;
      }
      std::string file;
      switch (mode) {
        case ConfMode::allnoconfig: file = "allno.config"; break;
        case ConfMode::allyesconfig: file = "allyes.config"; break;
        case ConfMode::allmodconfig: file = "allmod.config"; break;
        case ConfMode::alldefconfig: file = "alldef.config"; break;
        default: file = "allrandom.config"; break;
      }
      const std::string all = "all.config";
      if (!read_config_simple(cfg, ctx, &file, DefSlot::user, rs) &&
          !read_config_simple(cfg, ctx, &all, DefSlot::user, rs)) {
        log.err("*** KCONFIG_ALLCONFIG set, but no \"" + file + "\" or \"all.config\" file found\n",
                Severity::error);
        return 1;
      }
      break;
    }
  }

  if (rs.warnings && werror(ctx)) return 1;

  bool no_conf_write = false;
  if (sync_kconfig) {
    const std::string* v = ctx.getenv("KCONFIG_NOSILENTUPDATE");
    if (v && !v->empty()) {
      if (cfg.changed()) {
        log.err("\n*** The configuration requires explicit update.\n\n", Severity::error);
        return 1;
      }
      no_conf_write = true;
    }
  }

  DialogOptions dopts;
  dopts.mode = mode;
  dopts.tty = req.tty;
  dopts.prefix = std::string(ctx.prefix());
  switch (mode) {
    case ConfMode::allnoconfig:
    case ConfMode::allyesconfig:
    case ConfMode::allmodconfig:
    case ConfMode::alldefconfig:
    case ConfMode::defconfig:
      set_all_new_symbols(cfg, mode == ConfMode::defconfig ? ConfMode::alldefconfig : mode);
      break;
    case ConfMode::randconfig: {
      std::optional<RandProbabilities> p = parse_probability(ctx.getenv("KCONFIG_PROBABILITY"));
      if (!p) {
        log.err("KCONFIG_PROBABILITY: Numerical result out of range\n", Severity::error);
        return 1;
      }
      randomize_config(cfg, *p, *rng);
      break;
    }
    case ConfMode::savedefconfig: break;
    case ConfMode::yes2modconfig: rewrite_tristates(cfg, Tristate::yes, Tristate::mod); break;
    case ConfMode::mod2yesconfig: rewrite_tristates(cfg, Tristate::mod, Tristate::yes); break;
    case ConfMode::mod2noconfig: rewrite_tristates(cfg, Tristate::mod, Tristate::no); break;
    case ConfMode::oldaskconfig:
    case ConfMode::oldconfig:
    case ConfMode::listnewconfig:
    case ConfMode::helpnewconfig:
    case ConfMode::syncconfig: {
      Dialog dialog(cfg, dopts, input, log);
      if (!dialog.run()) return 1;
      break;
    }
    case ConfMode::olddefconfig: break;
  }

  if (cfg.unmet_dep_warnings() && werror(ctx)) return 1;

  if (mode == ConfMode::savedefconfig) {
    if (write_defconfig(cfg, ctx, defconfig_file)) {
      log.err("n*** Error while saving defconfig to: " + defconfig_file + "\n\n", Severity::error);
      return 1;
    }
  } else if (mode != ConfMode::listnewconfig && mode != ConfMode::helpnewconfig) {
    if (!no_conf_write && write_config(cfg, ctx)) {
      log.err("\n*** Error during writing of the configuration.\n\n", Severity::error);
      return 1;
    }
    if (write_autoconf(cfg, ctx, rs, sync_kconfig) && sync_kconfig) {
      log.err("\n*** Error during sync of the configuration.\n\n", Severity::error);
      return 1;
    }
  }
  return 0;
}

// --- KCONFIG_PROBABILITY -------------------------------------------------------------

std::optional<RandProbabilities> parse_probability(const std::string* env) {
  RandProbabilities r;
  if (!env) return r;
  int p[3] = {0, 0, 0};
  int n = 0;
  std::string_view s = *env;
  while (!s.empty()) {
    CNumber num = c_strtoll(s, 10);
    // strtol returns a long: values beyond INT range wrap when stored in int.
    int tmp = static_cast<int>(static_cast<long>(num.value));
    if (tmp < 0 || tmp > 100) return std::nullopt;
    p[n++] = tmp;
    size_t end = num.end;  // 0 when nothing was parsed: endp == start
    s.remove_prefix(end);
    if (!s.empty() && s[0] == ':') s.remove_prefix(1);
    if (n >= 3) break;
  }
  switch (n) {
    case 1:
      r.bool_y = p[0];
      r.tri_m = r.bool_y / 2;
      r.tri_y = r.bool_y - r.tri_m;
      break;
    case 2:
      r.tri_y = p[0];
      r.tri_m = p[1];
      r.bool_y = r.tri_y + r.tri_m;
      break;
    case 3:
      r.bool_y = p[0];
      r.tri_y = p[1];
      r.tri_m = p[2];
      break;
  }
  if (r.tri_y + r.tri_m > 100) return std::nullopt;
  return r;
}

}  // namespace kmeta::kconfig
