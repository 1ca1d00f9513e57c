// Renders a Series into the reference's output directory (`scc -o DIR:…`).
//
// plan_output is pure: it computes every file, its bytes, and the stdout and
// stderr texts the reference prints (header and patch lines without a
// meta-series, `Executing:` lines, kconf's `[DEBUG]` trace). write_output
// then performs the plan: each file is written atomically (temporary file +
// rename), copies before queues and the meta-series last, and nothing is
// written when planning failed.
//
// Layout and quirks: docs/scc.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "scc/fs.h"
#include "scc/series.h"

namespace kmeta::scc {

// What `-o DIR:meta,cfg,patch,merge` asks for.
struct Artifacts {
  bool meta = false, cfg = false, patch = false, merge = false;
  // The reference's rule: the text after ':' matched word by word; "DIR"
  // without ':' means meta,patch,cfg. Words that name no artifact go to
  // *unknown (the reference ignores them; `kmeta scc` refuses them).
  static Artifacts parse(std::string_view spec, std::vector<std::string>* unknown = nullptr);
};

struct OutputOptions {
  std::string outdir;  // as given on the command line: it appears verbatim in *_frags.txt and fixups
  std::string cwd;     // to resolve a relative outdir
  Artifacts artifacts;
  std::string processed = "(date not recorded)";  // text after "# processed: " in the header
};

struct PlannedFile {
  std::string path;     // relative to the output directory, normalized
  std::string content;  // bytes to write
};

struct OutputPlan {
  std::vector<std::string> remove;  // top-level names removed first (config.queue, patch*.queue, …)
  bool save_fixups = false;         // an existing `fixups` is copied to `fixups.old` first
  std::vector<PlannedFile> files;   // in write order; each path appears once (last write wins)
  std::string out;                  // what the reference prints on stdout
  std::string err;                  // … and on stderr
};

// The header the reference writes at the top of the meta-series (or stdout).
std::string scc_header(const std::string& processed);

// Computes the output. Fails (errors in diags) when a copy would land outside
// the output directory or a source cannot be read.
bool plan_output(const Series& s, const OutputOptions& o, FileSystem& fs, OutputPlan* plan,
                 Diagnostics& diags);

// Performs the plan in `outdir_abs`.
bool write_output(const OutputPlan& plan, const std::string& outdir_in, Diagnostics& diags);

// `scc --configs -o DIR`: the config.queue entries as the reference prints them
// (DIR/ prefixed, comments cut, newlines turned into spaces). nullopt when
// there is no config.queue.
std::optional<std::string> configs_listing(const std::string& outdir, FileSystem& fs, const std::string& cwd);

}  // namespace kmeta::scc
