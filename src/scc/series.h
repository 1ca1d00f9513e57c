// The compiled form of a set of .scc inputs: an ordered list of actions, each
// with the statement that caused it and its include chain.
//
// This is the public result of the scc module. The output writer renders it
// into the reference's output directory (meta-series, config.queue, …); the
// config step consumes it in memory (Series::fragments(), Action::dest,
// Action::overrides …) without reading those files back.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::scc {

enum class Op : uint8_t {
  reloc_dir,  // "# _reloc_dir <dir>" (one per include directory, first in the series)
  mark,       // "# _mark <file> start|end" around an included .scc
  define,     // "# _define NAME 'value'"
  branch,     // ["branch rename: P P/base"] "branch: <name>"
  kconf,      // a configuration fragment
  patch,      // a patch
  merge,      // "merge: <branch>"
  git,        // "# _git <args>" (git and tag statements)
};
const char* to_string(Op op);

// One "# OVERRIDE:" annotation of a fragment (docs/scc.md, prefer-modules).
struct Override {
  std::string line;         // the fragment line, as read
  std::string option;       // text before the first '=' (e.g. CONFIG_NFS_FS)
  std::string expression;   // text after "OVERRIDE:" (e.g. $MODULE_OR_Y)
  std::string value;        // the expression evaluated; non-empty = a fixup applies
  std::string module_or_y;  // $MODULE_OR_Y at that point: the value the fixup sets
  bool supported = true;    // false: the expression is not a plain word (value left empty)
};

// A classifier file found beside a fragment (hardware.cfg, *.kcf, …), copied with it.
struct Classifier {
  std::string source;  // absolute path of the file in the cache
  std::string name;    // its base name
};

struct Action {
  Op op = Op::mark;
  Location where;  // the statement (for marks: the included file, line 0)
  int frame = -1;  // index into Series::frames of the file holding the statement

  // reloc_dir: dir · mark: base name of the file · define: variable · branch: the new
  // (full) branch · merge: branch · git: the arguments ("tag v1" for tag)
  std::string name;
  // mark: "start"/"end" · define: value · branch: the previous branch when it is renamed
  std::string value;

  // kconf / patch
  std::string source;        // path as the reference passes it (written into the meta-series)
  std::string file;          // the same file as an absolute path (what to read)
  std::string kconf_class;   // kconf: class as written (hardware, non-hardware, …)
  std::string flags;         // kconf: flag word, if any
  bool force = false;        // kconf: "force kconf"
  std::string prefix;        // relocation prefix (the include dir the file was found under)
  std::string branch;        // current branch when the action ran ("" = none)
  std::string rel_dir;       // directory below configs/<branch>/ or patches/<branch>/ ("" when no prefix)
  std::string dest;          // "configs/<branch>/<rel_dir>/<name>" / "patches/…": the queue entry
  std::string branch_queue;  // patch/merge: "patch.<branch>.queue" when a branch is open, else ""
  std::vector<Classifier> classifiers;  // kconf
  std::vector<Override> overrides;      // kconf
};

// One entry of an include chain: a file being processed.
struct Frame {
  std::string file;                     // canonical path
  Location included_at;                 // the include statement (invalid for an input file)
  int parent = -1;                      // enclosing frame
  bool active = true;                   // false: only preprocessed (inside a branch not taken)
  bool nocfg = false, nopatch = false;  // effective inhibitions
  size_t first_action = 0;  // number of actions when the file was entered (orders frames among actions)
};

struct Series {
  std::vector<std::string> include_dirs;  // as ordered by the search rules
  std::vector<Frame> frames;
  std::vector<Action> actions;

  // The include chain of a frame, innermost first (for Diagnostic::chain).
  std::vector<Location> chain(int frame) const;
  // The kconf actions, in order.
  std::vector<const Action*> fragments() const;
  // The patch actions, in order.
  std::vector<const Action*> patches() const;
};

// Lines the action writes to the meta-series (or stdout), each ending in '\n'.
std::string meta_lines(const Action& a);

// JSON: {"include_dirs": […], "actions": [{"op", …, "file", "line", "chain": […]}]}.
nlohmann::json to_json(const Series& s);

}  // namespace kmeta::scc
