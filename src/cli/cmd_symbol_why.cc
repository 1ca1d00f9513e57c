// `kmeta symbol-why`: yocto-kernel-tools' symbol_why.py command line, run the
// way kernel-yocto.bbclass runs it: in the kernel source dir S, with
// `.kernel-meta/config.queue` there, ARCH (and CC, ...) in the environment:
//
//   symbol-why --dotconfig B/.config --mismatches [--classify]   -> cfg/mismatch.txt
//   symbol-why --dotconfig B/.config --invalid [--strict]        -> cfg/invalid.txt
//   symbol-why --dotconfig B/.config --sanity                    -> cfg/redefinition.txt
//   symbol-why --dotconfig B/.config --blame SYMBOL / --summary --extended --sanity SYMBOL
//
// --sanity and --invalid print exactly what symbol_why.py prints. --mismatches
// prints kmeta's triaged findings instead of symbol_why.py's raw differences
// (no "=n vs is not set" or annotation noise; each with its cause and fix).
// --blame/--summary/--extended print kmeta's `why` record for the symbol.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <sstream>

#include "base/file_util.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/config_options.h"
#include "cli/environment.h"
#include "cli/errors.h"
#include "config/dotconfig.h"
#include "config/kernel_meta.h"
#include "config/report.h"
#include "config/why.h"

namespace kmeta::cli {

namespace {

// symbol_why.py --filter: a file of option names, or a comma-separated list.
// A spec with a '/' names a file (no option name has one): one that cannot
// be read is an error, not a list of one odd name.
bool filter_list(const std::string& spec, std::vector<std::string>* out_list, std::string* error) {
  std::vector<std::string> items;
  if (spec.empty()) return true;
  std::string why;
  if (auto text = read_file(spec, &why)) {
    for (std::string_view l : split_lines(*text)) items.emplace_back(l);
  } else if (spec.find('/') != std::string::npos) {
    *error = "--filter " + spec + ": cannot read the filter file: " + why;
    return false;
  }
  if (items.empty())
    for (std::string_view p : split(spec, ',')) items.emplace_back(p);
  std::vector<std::string> out;
  for (const auto& o : items) {
    if (starts_with(o, "CONFIG_")) {
      std::string n = o.substr(7);
      n = n.substr(0, n.find_first_of("= "));
      out.push_back(n);
    } else {
      out.push_back(o);
    }
  }
  *out_list = std::move(out);
  return true;
}

// symbol_why.py --blame without a symbol: every .config value with the
// fragments that set it.
std::string blame_all(const config::QueueFacts& facts, const std::string& dotconfig) {
  std::string out = "[NOTE]: symbol blame for .config\n\n";
  int n = 0;
  std::unordered_map<std::string, const std::vector<std::pair<std::string, std::string>>*> index;
  for (const auto& [o, frags] : facts.options) index[o] = &frags;
  for (std::string_view line : split_lines(dotconfig)) {
    config::QueueOption opt = config::split_queue_option(line);
    if (opt.kind == config::QueueOption::option) {
      std::string blame = fmt::format("## .config: {} :", n);
      if (auto it = index.find(opt.name); it != index.end())
        for (const auto& [f, v] : *it->second) blame += fmt::format("{} ({}) ", f, v);
      out += fmt::format("  {} : {} {}\n", opt.name, opt.value, blame);
    }
    ++n;
  }
  return out;
}

}  // namespace

int cmd_symbol_why(const Args& args) {
  CLI::App app{"Kconfig symbol determination (yocto-kernel-tools symbol_why.py's command line)",
               "kmeta symbol-why"};
  std::string dotconfig, ksrc, filter, option;
  bool verbose = false, summary = false, blame = false, sanity = false, extended = false, invalid = false,
       classify = false, mismatches = false, strict = false, all = false;
  std::vector<std::string> rest;
  app.add_option("-c,--dotconfig", dotconfig, "path to the .config to load");
  app.add_option("-s,--ksrc", ksrc, "path to the kernel source (default: .)");
  app.add_flag("-v", verbose, "verbose");
  app.add_flag("--summary", summary, "show variable summary");
  app.add_flag("--blame", blame, "perform config blame on symbol (or whole config)");
  app.add_flag("--sanity", sanity, "perform config sanity on symbol (or whole config)");
  app.add_flag("--extended", extended, "output extended config information");
  app.add_flag("--invalid", invalid, "process option or whole config for invalid specifications");
  app.add_flag("--classify", classify, "use hardware/non-hardware classifiers to filter options");
  app.add_flag("--mismatches", mismatches, "show .config values that do not match user defined values");
  app.add_flag("--strict", strict, "strictly apply ARCH (no checking against other architectures)");
  app.add_option("-f,--filter", filter,
                 "file with, or comma separated list of, options to leave out of reports");
  app.add_flag("--all", all, "process all options");
  app.add_option("config", option, "configuration option to check");
  app.add_option("args", rest, "<path to .config> <path to kernel source tree>");
  app.allow_extras();
  // An empty positional stays allowed: kernel-yocto.bbclass passes its
  // extra_params ("" unless --strict) as an argument of its own.
  reject_empty_values(app, {"config", "args"});
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  for (const auto& a : rest) {
    if (a.find(".config") != std::string::npos)
      dotconfig = a;
    else if (ksrc.empty())
      ksrc = a;
  }
  if (!file_exists(dotconfig)) {
    fmt::print("ERROR: .config '{}' does not exist\n", dotconfig);
    return kExitFailure;
  }
  // Read it before anything else: a directory or an unreadable file is an
  // error here, not an empty optional further down.
  std::string read_error;
  std::optional<std::string> text =
      is_directory(dotconfig) ? std::nullopt : read_file(dotconfig, &read_error);
  if (!text) {
    fmt::print("ERROR: .config '{}' cannot be read: {}\n", dotconfig,
               is_directory(dotconfig) ? "it is a directory" : read_error);
    return kExitFailure;
  }
  std::string arch = env_or("ARCH");
  if (arch.empty()) {
    fmt::print("ERROR: arch must be set (via ARCH environment variable\n");
    return kExitFailure;
  }
  if (ksrc.empty()) ksrc = ".";
  if (!file_exists(ksrc + "/Kconfig")) {
    fmt::print("ERROR: kernel source directory '{}' does not contain a top level Kconfig file\n", ksrc);
    return kExitFailure;
  }
  if (starts_with(option, "CONFIG_")) option = option.substr(7);
  std::vector<std::string> filt;
  {
    std::string ferr;
    if (!filter_list(filter, &filt, &ferr)) {
      fmt::print(stderr, "kmeta symbol-why: {}\n", ferr);
      return kExitUsage;
    }
  }

  ConfigOptions o;
  o.kernel = ksrc;
  o.arch = arch;
  o.kernel_meta = ".kernel-meta";
  std::string cc = env_or("CC");
  if (ends_with(cc, "gcc") && cc != "gcc") {
    o.cross_compile = cc.substr(0, cc.size() - 3);
    o.cross_compile_given = true;
  }
  // A scratch build directory under $TMPDIR: probes run there; it is removed,
  // with whatever they left, on every way out.
  std::string tmpl = env_or("TMPDIR", "/tmp");
  if (tmpl.empty()) tmpl = "/tmp";
  tmpl += "/kmeta-symbol-why.XXXXXX";
  if (!::mkdtemp(tmpl.data())) {
    fmt::print(stderr, "kmeta symbol-why: cannot create a scratch directory '{}': {}\n", tmpl,
               std::strerror(errno));
    return kExitFailure;
  }
  struct RemoveScratch {
    std::string dir;
    ~RemoveScratch() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } scratch{tmpl};
  o.output = scratch.dir;
  o.audit_level = classify ? 1 : 2;
  o.bsp_audit_level = strict ? 2 : 1;
  Diagnostics err;
  config::ConfigRequest req;
  if (!finish_options(o, &err) || !build_request(o, &req, &err)) {
    print_errors("kmeta symbol-why", err);
    return kExitFailure;
  }
  req.audit_dotconfig = *text;
  if (!option.empty()) req.fix_symbols.push_back(option);
  config::ConfigResult res;
  bool ok = config::run_config(req, &res, &err);
  if (!ok) {
    std::fputs(res.kernel.log.text(kconfig::Stream::err).c_str(), stderr);
    print_errors("kmeta symbol-why", err);
    return kExitFailure;
  }

  std::string out;
  if (!option.empty()) {
    if (summary || sanity || extended || blame) out += config::render_why(config::why(req, res, option));
  } else {
    if (sanity) out += config::render_sanity_report(res.facts, filt);
    if (invalid) out += config::invalid_text(req, res);
    if (blame) out += blame_all(res.facts, *text);
    if (mismatches) out += config::render_mismatch_file(res.audit, classify);
  }
  std::fputs(out.c_str(), stdout);
  (void)verbose;
  (void)all;
  return kExitOk;
}

}  // namespace kmeta::cli
