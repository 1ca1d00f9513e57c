// `kmeta tree`: apply a .kernel-meta patch series to a git kernel tree, one
// commit per patch, in process (docs/tree.md).
//
//   kmeta tree [-C TREE] [--patches DIR] [--series FILE] [--check] [--skip] [--abort]
//              [--json] [-v] [-q] [--no-merge] [--hunks]
//   kmeta tree [-C TREE] --cache DIR --machine M [--type T] --arch ARCH [--feature F...]
//              [--fragment FILE...] [--external-bsp] ...   (patch pass first, as do_kernel_metadata)
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/file_util.h"
#include "base/json_bytes.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/config_options.h"
#include "cli/environment.h"
#include "cli/errors.h"
#include "scc/patch_pass.h"
#include "tree/meta.h"
#include "tree/run.h"

namespace kmeta::cli {

namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};

extern "C" void on_signal(int sig) {
  g_signal.store(sig);
  g_interrupted.store(true);
}

// The exit status of a run stopped by SIGINT/SIGTERM: 128 + the signal, as
// a shell reports a process the signal killed (130, 143).
int interrupted_status() {
  int sig = g_signal.load();
  return 128 + (sig ? sig : SIGINT);
}

int terminal_width() {
  winsize ws{};
  if (::ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 80;
}

std::string basename_of(const std::string& p) {
  size_t s = p.find_last_of('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

nlohmann::ordered_json outcome_json(const tree::PatchOutcome& o) {
  nlohmann::ordered_json j;
  j["index"] = o.index + 1;
  j["entry"] = o.entry;
  j["subject"] = o.subject;
  j["outcome"] = tree::kind_name(o.kind);
  if (!o.commit.empty()) j["commit"] = o.commit;
  if (!o.error.empty()) j["error"] = o.error;
  if (o.zero_context_applies) j["applies_without_context"] = true;
  if (o.ok() && !o.am_path) j["reference_path"] = "fallback";
  if (o.date_from_policy) j["date"] = "source-date";
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const tree::FileResult& f : o.files) {
    nlohmann::ordered_json fj;
    fj["path"] = f.path;
    if (!f.message.empty()) fj["error"] = f.message;
    nlohmann::ordered_json hs = nlohmann::ordered_json::array();
    for (const tree::HunkResult& h : f.hunks) {
      nlohmann::ordered_json hj;
      hj["hunk"] = h.number;
      hj["applied"] = h.applied;
      if (h.applied) {
        hj["line"] = h.at;
        hj["offset"] = h.offset;
        if (h.context_reduced) hj["context"] = {h.leading, h.trailing};
        if (h.anchor_dropped) hj["anchor_dropped"] = true;
      } else {
        hj["expected_line"] = h.expected;
        if (h.nearest_at) {
          hj["nearest_line"] = h.nearest_at;
          hj["nearest_matched"] = h.nearest_matched;
          hj["lines"] = h.preimage_lines;
          hj["patch_expects"] = h.expected_line;
          hj["tree_has"] = h.found_line;
        }
      }
      hs.push_back(hj);
    }
    fj["hunks"] = hs;
    files.push_back(fj);
  }
  j["files"] = files;
  return j;
}

// `kgit --meta`'s directory: the name in TREE/.metadir, else .kernel-meta.
std::string meta_dir_of(const std::string& tree) {
  std::string err;
  auto md = read_file(tree + "/.metadir", &err);
  std::string name = md ? std::string(trim(*md)) : std::string();
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    name = ".kernel-meta";
  return tree + "/" + name;
}

}  // namespace

int cmd_tree(const Args& args) {
  CLI::App app{
      "Apply the patch series of a .kernel-meta directory to a git kernel tree, one commit per patch,\n"
      "as kgit-s2q under do_patch does (same trees, same commit ids), in process. The branch, index and\n"
      "work tree move only once the patches applied; a patch that does not apply stops the run with an\n"
      "explanation, and the next run retries it (--skip passes over it, --abort returns to the start).",
      "kmeta tree"};
  std::string tree_dir = ".", patches, series, commit_sha = "author", cname, cemail;
  std::string sde;
  bool check = false, skip = false, abort_run = false, json = false, verbose = false, quiet = false,
       no_merge = false, hunks = false;
  app.add_option("-C,--tree", tree_dir, "the kernel tree (a git work tree; default .)");
  app.add_option("--patches,--kernel-meta", patches,
                 "an existing .kernel-meta directory: the series entries are relative to it (default "
                 "TREE/.kernel-meta)");
  app.add_option("--series", series, "the series file (default PATCHES/series, else PATCHES/patch.queue)");
  app.add_flag("--check", check, "apply the whole series in memory, continue past failures, write nothing");
  app.add_flag("--skip", skip, "skip the patch the last run stopped at, then continue");
  app.add_flag("--abort", abort_run,
               "return branch, index and work tree to where the series started (with --meta-series: every "
               "ref and HEAD)");
  app.add_flag("--json", json, "print the outcome of every patch as JSON on stdout");
  app.add_flag("-v,--verbose", verbose, "print every patch ((n/N) name) and how it applied");
  app.add_flag("-q,--quiet", quiet, "print only failures");
  app.add_flag("--no-merge", no_merge, "do not merge the branches of merge.queue");
  app.add_flag("--hunks", hunks, "print git apply -v's hunk lines (offsets, reduced context) per patch");
  std::string meta_series;
  bool resume = false;
  app.add_option(
      "--meta-series", meta_series,
      "act on a meta-series as kgit-meta does: branch:/branch rename:/merge: lines, per-branch queues");
  app.add_flag("--resume", resume, "with --meta-series: apply the queues of branches that already exist too");
  app.add_option("--commit-sha", commit_sha,
                 "'author' (default, as do_patch): committer date = author date; 'applied': the source date");
  app.add_option("--committer-name", cname,
                 "committer name (default $GIT_COMMITTER_NAME, else OpenEmbedded)");
  app.add_option("--committer-email", cemail,
                 "committer email (default $GIT_COMMITTER_EMAIL, else kernel-yocto@oe)");
  app.add_option("--source-date-epoch", sde,
                 "date for merges, fallback-path commits and patches without a Date: header (default "
                 "$SOURCE_DATE_EPOCH, else the date of the commit the series starts from)");
  // The patch pass of do_kernel_metadata, with `kmeta config`'s BSP options.
  ConfigOptions bsp;
  add_bsp_options(app, bsp);
  bool external_bsp = false;
  app.add_flag("--external-bsp", external_bsp,
               "KMETA_EXTERNAL_BSPS: the BSP definition goes into the patch pass too, its own patches "
               "included (default: $KMETA_EXTERNAL_BSPS non-empty, or the BSP file mentions "
               "KMETA_EXTERNAL_BSP)");
  reject_empty_values(app);
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (int(check) + int(skip) + int(abort_run) > 1) {
    fmt::print(stderr, "kmeta tree: --check, --skip and --abort exclude each other\n");
    return kExitUsage;
  }
  // A meta-series creates and merges branches: there is no in-memory dry run of it, and
  // --check must never move a ref. Its queues can be checked one by one with --series.
  if (check && !meta_series.empty()) {
    fmt::print(stderr,
               "kmeta tree: --check does not take --meta-series (a meta-series moves branches); check each "
               "queue with --series patch.<branch>.queue\n");
    return kExitUsage;
  }
  const bool patch_pass = !bsp.caches.empty() || !bsp.machine.empty() || !bsp.features.empty() ||
                          !bsp.fragments.empty() || !bsp.defconfig.empty() || external_bsp;
  if (!bsp.kernel.empty()) {
    if (app.count("--tree") && absolute_path(bsp.kernel) != absolute_path(tree_dir)) {
      fmt::print(stderr, "kmeta tree: --kernel and -C name different trees\n");
      return kExitUsage;
    }
    tree_dir = bsp.kernel;
  }
  if (patch_pass) {
    std::string why;
    if (!patches.empty() || !series.empty() || !meta_series.empty())
      why =
          "the BSP options run the patch pass: --patches/--kernel-meta, --series and --meta-series exclude "
          "them";
    else if ((bsp.caches.empty() || bsp.machine.empty()) && bsp.defconfig.empty())
      why = "the patch pass needs --cache DIR and --machine M (or --defconfig FILE)";
    else if (bsp.arch.empty())
      why = "the patch pass needs --arch ARCH (x86, arm64, riscv, ...)";
    if (!why.empty()) {
      fmt::print(stderr, "kmeta tree: {}\n", why);
      return kExitUsage;
    }
    if (!external_bsp && std::getenv("KMETA_EXTERNAL_BSPS") && *std::getenv("KMETA_EXTERNAL_BSPS"))
      external_bsp = true;
  }
  // --check writes nothing: its patch pass goes to a scratch directory.
  std::optional<ScratchDir> scratch_for_check;
  if (check && patch_pass && !abort_run) scratch_for_check.emplace(scratch_dir_parent(), "kmeta-tree");
  nlohmann::ordered_json pass_json;
  if (patch_pass && !abort_run) {
    scc::PatchPassRequest pr;
    for (const std::string& c : bsp.caches) pr.caches.push_back(absolute_path(c));
    pr.kernel = absolute_path(tree_dir);
    pr.arch = bsp.arch;
    pr.machine = bsp.machine;
    pr.ktype = bsp.ktype;
    for (const std::string& f : bsp.fragments) pr.sccs.push_back(absolute_path(f));
    pr.features = bsp.features;
    pr.have_defconfig = !bsp.defconfig.empty();
    pr.external_bsp = external_bsp;
    pr.outdir = check ? scratch_for_check->path() : meta_dir_of(pr.kernel);
    if (pr.outdir.empty()) {
      fmt::print(stderr, "kmeta tree: cannot create a scratch directory for --check\n");
      return kExitFailure;
    }
    scc::DiskFileSystem fs;
    scc::PatchPassResult pres;
    Diagnostics diags;
    bool pass_ok = scc::run_patch_pass(pr, fs, &pres, &diags);
    print_diagnostics(pres.diags);
    if (!pass_ok) {
      print_errors("kmeta tree: patch pass", diags);
      return kExitFailure;
    }
    std::string queue = pr.outdir + "/patch.queue";
    bool queued = pres.ran && file_exists(queue);
    pass_json["bsp_definition"] = pres.bsp_definition;
    pass_json["bsp_included"] = pres.bsp_included;
    pass_json["inputs"] = pres.inputs;
    pass_json["directory"] = check ? std::string() : pr.outdir;
    pass_json["patches"] = queued ? pres.patches : 0;
    if (!quiet && !json)
      fmt::print(stderr, "kmeta tree: patch pass: {} patches queued{} (BSP {}{})\n",
                 queued ? pres.patches : 0, check || !queued ? std::string() : " in " + pr.outdir,
                 pres.bsp_definition.empty() ? std::string("none") : pres.bsp_definition,
                 pres.bsp_definition.empty() ? ""
                 : pres.bsp_included         ? ", included: external"
                                             : ", not included: its patches are the tree's own "
                                               "commits; --external-bsp includes them");
    if (!queued) {
      // do_patch: `[ -f series ]` is false, kgit-s2q does not run.
      if (json)
        std::fputs((json_dump(
                        nlohmann::ordered_json{
                            {"ok", true}, {"patch_pass", pass_json}, {"patches", nlohmann::json::array()}},
                        1) +
                    "\n")
                       .c_str(),
                   stdout);
      else if (!quiet)
        fmt::print(stderr, "kmeta tree: nothing to apply\n");
      return kExitOk;
    }
    // do_patch: (cd ${meta_dir}; ln -sf patch.queue series)
    std::string link = pr.outdir + "/series";
    std::error_code ec;
    if (!check) {
      std::filesystem::remove(link, ec);
      std::filesystem::create_symlink("patch.queue", link, ec);
      if (ec) {
        fmt::print(stderr, "kmeta tree: cannot link {} to patch.queue: {}\n", link, ec.message());
        return kExitFailure;
      }
    }
    patches = pr.outdir;
    series = check ? queue : link;
  } else if (patch_pass) {
    patches = meta_dir_of(absolute_path(tree_dir));
    series = patches + "/series";
  }
  tree::TreeOptions o;
  o.workdir = tree_dir;
  o.patches_dir = patches;
  o.series = series;
  o.check = check;
  o.skip = skip;
  o.abort = abort_run;
  o.merges = !no_merge;
  if (cname.empty())
    cname = std::getenv("GIT_COMMITTER_NAME") ? std::getenv("GIT_COMMITTER_NAME") : "OpenEmbedded";
  if (cemail.empty())
    cemail = std::getenv("GIT_COMMITTER_EMAIL") ? std::getenv("GIT_COMMITTER_EMAIL") : "kernel-yocto@oe";
  o.policy.committer_name = cname;
  o.policy.committer_email = cemail;
  o.policy.committer_date_is_author_date = commit_sha == "author";
  if (sde.empty() && std::getenv("SOURCE_DATE_EPOCH")) sde = std::getenv("SOURCE_DATE_EPOCH");
  if (!sde.empty()) {
    char* end = nullptr;
    long long v = std::strtoll(sde.c_str(), &end, 10);
    if (!end || *end) {
      fmt::print(stderr, "kmeta tree: bad source date epoch '{}'\n", sde);
      return kExitUsage;
    }
    o.policy.source_date = {v, 0};
    o.have_source_date = true;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  o.interrupted = &g_interrupted;
  // Test hook for the fault and signal tests (tests/tree_faults.sh, tests/tree_signals.sh):
  // KMETA_TREE_CRASH=<point>[:<n>] kills the process with SIGKILL at the n-th (default first)
  // checkpoint of that name (patch, journal, checkout, ref; meta for a meta-series' journal and
  // ref steps); KMETA_TREE_CRASH=sigint:<n> or sigterm:<n> raises SIGINT or SIGTERM in the
  // process at the n-th patch checkpoint instead (after patch n's commit is written), so the
  // signal lands mid-series deterministically.
  std::string crash = std::getenv("KMETA_TREE_CRASH") ? std::getenv("KMETA_TREE_CRASH") : "";
  int crash_count = 1;
  if (size_t colon = crash.find(':'); colon != std::string::npos) {
    crash_count = std::max(1, std::atoi(crash.c_str() + colon + 1));
    crash.resize(colon);
  }
  int crash_signal = SIGKILL;
  if (crash == "sigint" || crash == "sigterm") {
    crash_signal = crash == "sigint" ? SIGINT : SIGTERM;
    crash = "patch";
  }
  if (!crash.empty())
    o.checkpoint = [&](const char* point) {
      if (crash == point && --crash_count == 0) std::raise(crash_signal);
    };

  bool tty = ::isatty(2) && !json && !quiet && !verbose;
  int width = tty ? terminal_width() : 80;
  // The bar: "[ n/N] [####......] what", redrawn in place; before a patch
  // `what` is its file name, once it applied its subject.
  auto draw_bar = [&](size_t done_count, size_t n, size_t total, const std::string& what) {
    int bar = 20;
    int filled = total ? int((done_count * size_t(bar)) / total) : 0;
    std::string line =
        fmt::format("[{:>{}}/{}] [{}{}] {}", n + 1, fmt::formatted_size("{}", total), total,
                    std::string(size_t(filled), '#'), std::string(size_t(bar - filled), '.'), what);
    if (int(line.size()) > width - 1) line.resize(size_t(width - 1));
    fmt::print(stderr, "\r{}\033[K", line);
  };
  o.progress = [&](size_t n, size_t total, const tree::PatchOutcome& p, bool done) {
    if (!done) {
      if (verbose) fmt::print(stderr, "({}/{}) {}\n", n + 1, total, basename_of(p.entry));
      if (tty) draw_bar(n, n, total, basename_of(p.entry));
      return;
    }
    if (tty && p.ok()) draw_bar(n + 1, n, total, p.subject.empty() ? basename_of(p.entry) : p.subject);
    if (tty && !p.ok()) fmt::print(stderr, "\r\033[K");
    if (hunks) {
      for (const tree::FileResult& f : p.files)
        for (const std::string& l : tree::verbose_lines(f)) fmt::print("{} {}: {}\n", p.index + 1, f.path, l);
    }
    if (!p.ok() && !json) {
      fmt::print(stderr, "kmeta tree: ({}/{}) {}: {}\n", n + 1, total, p.entry, tree::kind_name(p.kind));
      std::string why = tree::explain(p);
      if (!why.empty()) fmt::print(stderr, "{}\n", why);
    } else if (verbose && !json) {
      std::string why = tree::explain(p);
      if (!why.empty()) fmt::print(stderr, "{}\n", why);
    }
  };

  if (!meta_series.empty()) {
    tree::MetaOptions mo;
    mo.meta_series = meta_series;
    mo.resume = resume;
    mo.tree = o;
    tree::MetaResult mr = tree::run_meta_series(mo);
    if (tty) fmt::print(stderr, "\r\033[K");
    if (!quiet && mr.resumed) fmt::print(stderr, "kmeta tree: continuing the meta-series where it stopped\n");
    for (const tree::MetaStep& st : mr.steps) {
      if (!quiet)
        fmt::print(
            stderr, "kmeta tree: {}{}\n", st.what,
            st.run.patches.empty() ? std::string() : fmt::format(" ({} patches)", st.run.patches.size()));
      print_errors("kmeta tree", st.run.diags);
    }
    print_errors("kmeta tree", mr.diags);
    if (!quiet) {
      if (mr.nothing_to_do) fmt::print(stderr, "kmeta tree: the meta-series is already applied\n");
      if (mr.aborted)
        fmt::print(stderr, "kmeta tree: aborted; branches and HEAD are back where the meta-series started\n");
    }
    if (mr.interrupted) {
      if (!quiet) fmt::print(stderr, "kmeta tree: interrupted; run again to continue\n");
      return interrupted_status();
    }
    return mr.ok ? kExitOk : kExitFailure;
  }
  auto t0 = std::chrono::steady_clock::now();
  tree::TreeResult r = tree::run_tree(o);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (tty) fmt::print(stderr, "\r\033[K");
  print_errors("kmeta tree", r.diags);

  size_t n_ok = 0, n_offset = 0, n_reduced = 0, n_failed = 0;
  for (const tree::PatchOutcome& p : r.patches) {
    if (p.ok()) ++n_ok;
    if (p.kind == tree::PatchOutcome::applied_offset) ++n_offset;
    if (p.kind == tree::PatchOutcome::applied_reduced) ++n_reduced;
    if (!p.ok() && p.kind != tree::PatchOutcome::skipped) ++n_failed;
  }
  if (json) {
    nlohmann::ordered_json j;
    j["ok"] = r.ok;
    j["mode"] = check ? "check" : abort_run ? "abort" : "apply";
    if (!pass_json.empty()) j["patch_pass"] = pass_json;
    j["start"] = r.start;
    j["head"] = r.head;
    j["series_length"] = r.total;
    j["first"] = r.first + 1;
    if (r.nothing_to_do) j["nothing_to_do"] = true;
    if (r.interrupted) j["interrupted"] = true;
    nlohmann::ordered_json ps = nlohmann::ordered_json::array();
    for (const tree::PatchOutcome& p : r.patches) ps.push_back(outcome_json(p));
    j["patches"] = ps;
    nlohmann::ordered_json ms = nlohmann::ordered_json::array();
    for (const tree::MergeOutcome& m : r.merges)
      ms.push_back({{"branch", m.branch}, {"commit", m.commit}, {"conflicts", m.conflicts}});
    j["merges"] = ms;
    std::vector<std::string> errs;
    for (const Diagnostic& d : r.diags.items())
      errs.push_back(d.where.valid() ? d.where.str() + ": " + d.message : d.message);
    j["errors"] = errs;
    j["seconds"] = secs;
    std::fputs((json_dump(j, 1) + "\n").c_str(), stdout);
  }
  if (!quiet && !json) {
    if (r.aborted) {
      fmt::print(stderr, "kmeta tree: aborted; back at {}\n", r.start.substr(0, 12));
    } else if (r.nothing_to_do) {
      fmt::print(stderr, "kmeta tree: the series is already applied (HEAD {})\n", r.head.substr(0, 12));
    } else if (!r.patches.empty() || r.total == 0) {
      fmt::print(stderr,
                 "kmeta tree: {}{} of {} patches applied ({} with offsets, {} with reduced context){}, {} "
                 "failed, in {:.2f} s ({:.0f} patches/s)\n",
                 check ? "check: " : "", n_ok, r.patches.size(), n_offset, n_reduced,
                 r.merges.empty() ? std::string() : fmt::format(", {} merges", r.merges.size()), n_failed,
                 secs, secs > 0 ? double(r.patches.size()) / secs : 0.0);
      if (!check && !r.ok && !r.patches.empty() && !r.patches.back().ok())
        fmt::print(stderr,
                   "kmeta tree: HEAD is at the last patch that applied ({}); fix the patch and run again to "
                   "retry it, or --skip it, or --abort\n",
                   r.head.substr(0, 12));
      if (r.interrupted) fmt::print(stderr, "kmeta tree: interrupted; run again to continue\n");
    }
  }
  if (r.interrupted) return interrupted_status();
  return r.ok ? kExitOk : kExitFailure;
}

}  // namespace kmeta::cli
