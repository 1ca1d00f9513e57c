// kmeta scc: drop-in for yocto-kernel-tools' scc (docs/scc.md).
//
// Reads the reference's command line, compiles with the scc library, writes
// the output directory, and prints what the reference prints on stdout and
// stderr. Diagnostics of the closed .scc language are located errors; the
// reference's error texts are kept where the reference has them (a missing
// file).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>

#include "base/diagnostic_render.h"
#include "base/json_bytes.h"
#include "cli/commands.h"
#include "scc/cmdline.h"
#include "scc/compiler.h"
#include "scc/parser.h"
#include "scc/writer.h"

namespace kmeta::cli {

namespace {

constexpr const char* kUsage = R"(
usage: kmeta scc [--help] [--configs] [--force] [-w] [--cmds <list>] [-o outdir[:meta,cfg,patch,merge]]
                 [-D<var>=<value>] [-I<dir>] [-v] [--lint] [--json] [-W] [--date] infiles

  Compiles .scc kernel features the way yocto-kernel-tools' scc does, into the
  same output directory, without running anything from the metadata.

  --force       accepted (outputs are always replaced)
  --cmds LIST   only these commands are live (branch, define, kconf, mark, merge, patch)
  --configs     print the fragments of <outdir>/config.queue and exit
  -D NAME=VAL   define a variable (also -DNAME=VAL)
  -I DIR        search DIR for features, fragments and patches (also -IDIR)
  -o DIR:LIST   output directory and artifacts (meta, cfg, patch, merge); DIR alone = meta,patch,cfg
  -w            a missing fragment, patch or feature is a warning and is skipped
  -v            verbose: print every diagnostic and a summary on stderr
  --lint        check the inputs (unknown classes and commands, missing files, cycles,
                features included with different flags); write nothing
  --json        print the compiled series with provenance (file:line, include chain) as JSON
  -W            print warnings on stderr (silent by default: the reference prints none)
  --date        write the date into the '# processed:' header line as the reference does
  --collate=bytes|locale   tie order of sorted paths (default: from LC_ALL/LC_COLLATE/LANG)
  --dump=ast|series        print the parsed inputs or the series and exit

)";

std::string current_dir() {
  char buf[4096];
  if (::getcwd(buf, sizeof buf)) return buf;
  return "/";
}

scc::Collation collation_from(const std::string& flag) {
  if (flag == "bytes") return scc::Collation::bytes;
  if (flag == "locale") return scc::Collation::en_us;
  return scc::collation_for_locale(std::getenv("LC_ALL"), std::getenv("LC_COLLATE"), std::getenv("LANG"));
}

}  // namespace

static std::string date_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[128];
  std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Z %Y", &tm);
  return buf;
}

// The reference's "See <file> for details" names its preprocessor output,
// deleted by the time the message is read. kmeta names a file of the same
// shape and creates nothing (a failing run leaves nothing behind in $TMPDIR).
// This path is only taken for a missing file, which the reference's own lines
// name; the located diagnostics (with the include chain) go to stderr with -v.
// Errors of the language itself (a CRLF line, an unclosed `if`) stop the
// compile before any lookup and are printed as located errors.
static std::string details_name() {
  const char* tmp = std::getenv("TMPDIR");
  static const char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  std::string name = std::string(tmp && *tmp ? tmp : "/tmp") + "/tmp.";
  for (int i = 0; i < 10; ++i) name += kAlnum[rd() % (sizeof kAlnum - 1)];
  return name;
}

int cmd_scc(const Args& args) {
  scc::SccArgs a;
  std::string error;
  if (args.empty()) {
    std::fputs(kUsage, stdout);
    return kExitFailure;
  }
  if (!scc::parse_scc_args(args, &a, &error)) {
    fmt::print(stderr, "kmeta scc: {}\n", error);
    return kExitUsage;
  }
  if (a.help) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  const std::string cwd = current_dir();
  scc::DiskFileSystem fs;

  if (a.configs) {
    auto listing = scc::configs_listing(a.outdir, fs, cwd);
    if (!listing) {
      fmt::print("[ERROR]: no configuration queue found in outdir ({})\n", a.outdir);
      std::fputs(kUsage, stdout);
      return kExitFailure;
    }
    std::fputs(listing->c_str(), stdout);
    return kExitOk;
  }
  if (a.inputs.empty()) {
    std::fputs("ERROR: a input file must be supplied\n", stderr);
    return kExitFailure;
  }

  scc::CompileOptions co;
  co.cwd = cwd;
  co.include_args = a.include_args;
  co.defines = a.defines;
  co.warn_missing = a.warn_missing;
  co.keep_going = a.lint;
  co.collation = collation_from(a.collate);
  if (a.cmds) {
    co.commands = scc::CommandSet::parse(*a.cmds);  // names checked by parse_scc_args
  }

  scc::Compiler compiler(fs);
  if (a.dump == "ast") {
    int rc = kExitOk;
    for (const auto& in : a.inputs) {
      std::string p = scc::absolute_path(in, cwd);
      auto c = fs.canonical(p);
      const scc::ParsedFile* pf = c ? compiler.parsed(*c) : nullptr;
      if (!pf) {
        fmt::print(stderr, "kmeta scc: cannot read '{}'\n", in);
        rc = kExitFailure;
        continue;
      }
      fmt::print("# {}\n{}", pf->path, scc::print_block(pf->body));
      std::fputs(render_with_source(pf->diags, fs).c_str(), stderr);
      if (!pf->ok()) rc = kExitFailure;
    }
    return rc;
  }

  scc::CompileResult r = compiler.compile(a.inputs, co);

  if (a.lint) {
    std::fputs(render_with_source(r.diags, fs).c_str(), stderr);
    size_t e = r.diags.error_count(), w = r.diags.warning_count();
    fmt::print(stderr, "kmeta scc --lint: {} error{}, {} warning{}\n", e, e == 1 ? "" : "s", w,
               w == 1 ? "" : "s");
    return e + w == 0 ? kExitOk : kExitFailure;
  }
  if (a.dump == "series") {
    std::fputs(render_with_source(r.diags, fs, a.warnings).c_str(), stderr);
    if (!r.ok()) return kExitFailure;
    for (const auto& act : r.series.actions) std::fputs(scc::meta_lines(act).c_str(), stdout);
    return kExitOk;
  }

  std::string infiles;
  for (size_t i = 0; i < a.inputs.size(); ++i) infiles += (i ? " " : "") + a.inputs[i];
  if (!r.ok()) {
    std::string details = render_with_source(r.diags, fs);
    if (r.preprocess_failed) {
      // The reference's texts: spp's message, then scc's two lines.
      std::fputs(r.reference_error.c_str(), stderr);
      fmt::print(stderr, "ERROR: could not process input files: {}\n", infiles);
      fmt::print(stderr, "       See {} for details\n", details_name());
      if (a.verbose) std::fputs(details.c_str(), stderr);
    } else {
      std::fputs(details.c_str(), stderr);
    }
    return kExitFailure;
  }

  scc::OutputOptions oo;
  oo.outdir = a.outdir;
  oo.cwd = cwd;
  oo.artifacts = a.output_spec.empty() ? scc::Artifacts{} : scc::Artifacts::parse(a.output_spec);
  if (a.date) oo.processed = date_now();
  scc::OutputPlan plan;
  Diagnostics wd;
  bool ok = scc::plan_output(r.series, oo, fs, &plan, wd) &&
            scc::write_output(plan, scc::absolute_path(a.outdir, cwd), wd);
  if (a.json) {
    nlohmann::json j = scc::to_json(r.series);
    nlohmann::json diags = nlohmann::json::array();
    for (const auto* set : {&r.diags, &wd})
      for (const auto& d : set->items()) {
        nlohmann::json chain = nlohmann::json::array();
        for (const auto& l : d.chain) chain.push_back(l.str());
        diags.push_back({{"severity", to_string(d.severity)},
                         {"location", d.where.str()},
                         {"message", d.message},
                         {"chain", chain}});
      }
    j["diagnostics"] = diags;
    j["stdout"] = plan.out;
    std::fputs((json_dump(j, 1) + "\n").c_str(), stdout);
  } else {
    std::fputs(plan.out.c_str(), stdout);
  }
  std::fputs(plan.err.c_str(), stderr);
  if (a.warnings || a.verbose) std::fputs(render_with_source(r.diags, fs).c_str(), stderr);
  std::fputs(render_with_source(wd, fs, a.warnings || a.verbose).c_str(), stderr);
  if (a.verbose)
    fmt::print(stderr, "kmeta scc: {} actions, {} fragments, {} patches, {} files written\n",
               r.series.actions.size(), r.series.fragments().size(), r.series.patches().size(),
               plan.files.size());
  return ok ? kExitOk : kExitFailure;
}

}  // namespace kmeta::cli
