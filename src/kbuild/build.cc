#include "kbuild/build.h"

#include <fmt/format.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/json_bytes.h"
#include "base/strings.h"
#include "kbuild/preflight.h"
#include "kbuild/process.h"
#include "kbuild/toolchain.h"
#include "kbuild/tree_objects.h"

namespace kmeta::kbuild {

namespace fs = std::filesystem;

std::string log_path(const std::string& objtree) { return objtree + "/kmeta-build.log"; }
std::string manifest_path(const std::string& objtree) { return objtree + "/build.json"; }

namespace {

std::string state_path(const std::string& objtree) { return objtree + "/.kernel-meta/kbuild-running"; }

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

bool copy_file_atomic(const std::string& from, const std::string& to, std::string* error) {
  auto bytes = read_file(from, error);
  if (!bytes) {
    *error = fmt::format("{}: {}", from, *error);
    return false;
  }
  return write_file_atomic(to, *bytes, error);
}

// Relative to `base` when below it, else absolute.
OutputFile output(std::string name, std::string path) {
  OutputFile o;
  o.name = std::move(name);
  o.path = std::move(path);
  return o;
}

std::string join_words(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& w : v) s += (s.empty() ? "" : " ") + w;
  return s;
}

std::string rel_to(const std::string& path, const std::string& base) {
  if (starts_with(path, base + "/")) return path.substr(base.size() + 1);
  return path;
}

struct Runner {
  const BuildEvents& events;
  std::FILE* log;
  Progress* progress;
  std::string text;  // this step's output, for the error extraction

  ProcessResult run(const MakeCommand& c) {
    text.clear();
    std::string cmdline;
    for (const auto& a : c.argv) cmdline += (cmdline.empty() ? "" : " ") + a;
    std::fprintf(log, "$ %s\n", cmdline.c_str());
    return run_process(c.argv, c.env, [&](const std::string& line) {
      std::fputs(line.c_str(), log);
      std::fputc('\n', log);
      text += line;
      text += '\n';
      progress->on_line(line);
      if (events.on_line) events.on_line(line, *progress);
    });
  }
};

// run_build() with the plumbing's error texts in *error (turned into a
// diagnostic by run_build) and located errors in *diags.
bool build_steps(const BuildRequest& req, const BuildEvents& events, BuildResult* out, std::string* error,
                 Diagnostics* diags) {
  auto note = [&](const std::string& m) {
    if (events.note) events.note(m);
  };
  Manifest& m = out->manifest;
  m.srctree = req.srctree;
  m.arch = req.arch.name;
  m.karch = req.arch.karch;
  // An external module's log, marker and manifest go beside it, not over the kernel's.
  const std::string& own_dir = req.module_dir.empty() ? req.objtree : req.module_dir;
  out->log_path = log_path(own_dir);
  out->manifest_path = manifest_path(own_dir);

  // preflight
  auto version = check_kernel_tree(req.srctree, diags);
  if (!version) return false;
  m.kernel_version = version->str();
  if (!check_clean_for_o(req.srctree, req.arch.srcarch, diags)) return false;
  std::error_code ec;
  fs::create_directories(req.objtree, ec);
  if (ec) {
    *error = fmt::format("cannot create {}: {}", req.objtree, ec.message());
    return false;
  }
  if (!check_disk_space(req.objtree, req.min_free, diags)) return false;
  std::string dotconfig_path = req.objtree + "/.config";
  if (req.config_file) {
    auto text = read_file(*req.config_file, error);
    if (!text) {
      *error = fmt::format("cannot read {}: {}", *req.config_file, *error);
      return false;
    }
    if (!check_config_matches(*req.config_file, *text, req.arch, *version, diags)) return false;
    auto old = read_file(dotconfig_path);
    if ((!old || *old != *text) && !write_file_atomic(dotconfig_path, *text, error)) return false;
  }
  auto dotconfig = read_file(dotconfig_path);
  if (!dotconfig) {
    *error = fmt::format("{} has no .config: run `kmeta config -o {}` first, or give --config FILE",
                         req.objtree, req.objtree);
    return false;
  }
  if (!req.config_file && !check_config_matches(dotconfig_path, *dotconfig, req.arch, *version, diags))
    return false;
  m.config_sha256 = sha256_hex(*dotconfig);
  auto values = read_config_values(*dotconfig);
  auto enabled = [&](const char* sym) {
    auto it = values.find(sym);
    return it != values.end() && it->second == "y";
  };

  // toolchain
  ToolchainRequest treq;
  treq.host_machine = req.host_machine;
  treq.cross_compile = req.cross_compile;
  treq.env = req.env;
  Toolchain tc;
  if (!detect_toolchain(req.arch, treq, &tc, diags)) return false;
  m.cross_compile = tc.cross_compile;
  m.cc = tc.cc;
  m.cc_version = tc.version;

  MakeOptions mo;
  mo.srctree = req.srctree;
  mo.objtree = req.objtree;
  mo.arch = req.arch;
  mo.toolchain = tc;
  mo.launcher = req.launcher;
  mo.jobs = jobs_for(req.launcher, req.cores, req.jobs, req.env);
  mo.base_env = req.env;
  std::string epoch_source;
  mo.source_date_epoch = source_date_epoch(req.srctree, req.env, &epoch_source);
  mo.verbose = req.verbose;
  m.launcher = to_string(req.launcher);
  m.jobs = mo.jobs;
  m.reproducible = reproducible_env(mo);
  note(fmt::format("KBUILD_BUILD_TIMESTAMP={} (from {})", m.reproducible["KBUILD_BUILD_TIMESTAMP"],
                   epoch_source));

  // targets
  std::vector<std::string> targets = req.targets;
  std::vector<std::pair<std::string, std::string>> vars;
  bool defaults = targets.empty() && req.module_dir.empty();
  bool modules = enabled("MODULES");
  bool dtbs = req.arch.dtbs && enabled("OF");
  if (!req.module_dir.empty()) {
    targets = {"modules"};
    vars.push_back({"M", req.module_dir});
  } else if (defaults) {
    targets.push_back(req.arch.image);
    if (modules) targets.push_back("modules");
    if (dtbs) targets.push_back("dtbs");
  }

  // A build that did not finish leaves its marker: say that this one resumes it.
  out->resumed = file_exists(state_path(own_dir));
  if (out->resumed)
    note("resuming the interrupted build in " + own_dir + " (make rebuilds only what is missing)");
  if (!write_file_atomic(state_path(own_dir), "kmeta build\n", error)) return false;

  // The progress total: the previous full build's count, else the Makefiles' (default targets only).
  size_t estimate = 0;
  bool from_scratch = !file_exists(req.objtree + "/vmlinux");
  if (defaults) {
    if (auto prev = read_file(manifest_path(own_dir))) estimate = previous_estimate(*prev);
    if (estimate > 0) {
      note(fmt::format("about {} objects (the previous build's count)", estimate));
    } else {
      estimate = estimate_objects(req.srctree, req.arch.srcarch, values);
      note(fmt::format("about {} objects (estimated from the Makefiles)", estimate));
    }
  }
  Progress progress(estimate);

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> log(std::fopen(out->log_path.c_str(), "w"), &std::fclose);
  if (!log) {
    *error = fmt::format("cannot write {}", out->log_path);
    return false;
  }
  std::setvbuf(log.get(), nullptr, _IOLBF,
               0);  // line by line: `tail -f` and other readers see it as it comes
  Runner runner{events, log.get(), &progress, {}};
  auto fail_make = [&](const ProcessResult& r) {
    std::fflush(log.get());
    if (!r.started) {
      *error = r.error;
      return false;
    }
    out->interrupted = r.signal == SIGINT || r.signal == SIGTERM || r.signal == SIGHUP;
    out->log_errors = extract_errors(runner.text);
    return false;
  };

  // build
  auto t = Clock::now();
  MakeCommand build = make_command(mo, targets, vars);
  m.commands.push_back(build.argv);
  note("building: " + join_words(targets));
  ProcessResult r = runner.run(build);
  m.timings.push_back({"build", since(t)});
  if (!r.ok()) return fail_make(r);
  m.objects_compiled = progress.done();
  m.objects_estimate = from_scratch && defaults ? progress.done() : std::max(estimate, progress.done());

  auto release = read_file(req.objtree + "/include/config/kernel.release");
  m.kernel_release = release ? std::string(trim(*release)) : "";

  if (defaults) {
    m.outputs.push_back(output("vmlinux", "vmlinux"));
    m.outputs.push_back(output("image", req.arch.image_path()));
    m.outputs.push_back(output("System.map", "System.map"));
    m.outputs.push_back(output("config", ".config"));
  }
  if (defaults && req.install) {
    out->stage = req.stage.empty() ? req.objtree + "/stage" : req.stage;
    t = Clock::now();
    std::string boot = out->stage + "/boot";
    bool copied =
        copy_file_atomic(req.objtree + "/" + req.arch.image_path(), boot + "/" + req.arch.image, error) &&
        copy_file_atomic(req.objtree + "/System.map", boot + "/System.map", error) &&
        copy_file_atomic(dotconfig_path, boot + "/config", error);
    if (!copied) return false;
    for (const char* f : {"System.map", "config"})
      m.outputs.push_back(output(f, rel_to(boot + "/" + f, req.objtree)));
    m.outputs.push_back(output("image", rel_to(boot + "/" + req.arch.image, req.objtree)));
    if (modules) {
      // A fresh module tree each time: no module left over from an older config.
      std::string moddir = out->stage + "/lib/modules/" + m.kernel_release;
      fs::remove_all(moddir, ec);
      MakeCommand inst = make_command(mo, {"modules_install"}, {{"INSTALL_MOD_PATH", out->stage}});
      m.commands.push_back(inst.argv);
      note("modules_install into " + out->stage);
      r = runner.run(inst);
      if (!r.ok()) return fail_make(r);
      if (!file_exists(moddir + "/modules.dep")) {
        *error = fmt::format("modules_install wrote no {}/modules.dep: is depmod (Debian's kmod) installed?",
                             moddir);
        return false;
      }
      for (const auto& e : fs::recursive_directory_iterator(moddir, ec)) {
        std::string p = e.path().string();
        if (e.is_regular_file() && (ends_with(p, ".ko") || ends_with(p, "/modules.dep")))
          m.outputs.push_back(output(ends_with(p, ".ko") ? "module" : "modules.dep", rel_to(p, req.objtree)));
      }
    }
    m.timings.push_back({"install", since(t)});
  }
  if (dtbs && defaults) {
    std::string dts = req.objtree + "/arch/" + req.arch.srcarch + "/boot/dts";
    for (const auto& e : fs::recursive_directory_iterator(dts, ec))
      if (e.is_regular_file() && e.path().extension() == ".dtb")
        m.outputs.push_back(output("dtb", rel_to(e.path().string(), req.objtree)));
  }
  if (!req.module_dir.empty())
    for (const auto& e : fs::directory_iterator(req.module_dir, ec))
      if (e.is_regular_file() && e.path().extension() == ".ko")
        m.outputs.push_back(output("module", e.path().string()));
  if (!describe_outputs(req.objtree, &m.outputs, diags)) return false;
  if (!write_file_atomic(manifest_path(own_dir), json_dump(to_json(m), 1) + "\n", error)) return false;
  fs::remove(state_path(own_dir), ec);
  out->ok = true;
  return true;
}

}  // namespace

bool run_build(const BuildRequest& req, const BuildEvents& events, BuildResult* out, Diagnostics* diags) {
  std::string error;
  bool ok = build_steps(req, events, out, &error, diags);
  if (!ok && !error.empty()) diags->error({}, error);
  return ok;
}

}  // namespace kmeta::kbuild
