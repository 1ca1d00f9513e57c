// The compiler: input files -> Series.
//
// It does in one walk what the reference does in two programs: spp's
// preprocessing (finding every included feature, fragment and patch, in every
// branch of every `if`, failing on the first file it cannot find) and scc's
// evaluation (variables, conditions, branches, the live commands). Statements
// in branches not taken are preprocessed but not evaluated.
//
// Parsed files are cached in the Compiler, so compiling many BSPs of one cache
// with one Compiler parses each file once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/diagnostic.h"
#include "scc/ast.h"
#include "scc/fs.h"
#include "scc/search.h"
#include "scc/series.h"

namespace kmeta::scc {

// The scc commands that can be switched off (`--cmds`). git, tag and
// set_kernel_version are always live, as in the reference.
struct CommandSet {
  bool branch = true, define = true, kconf = true, mark = true, merge = true, patch = true;

  // `--cmds a,b`: exactly the named commands are live. Unknown names are
  // returned in *unknown (the reference ignores them).
  static CommandSet parse(std::string_view list, std::vector<std::string>* unknown = nullptr);
  static CommandSet all() { return {}; }
};

struct CompileOptions {
  std::string cwd = "/";                                     // the directory relative names are looked up in
  std::vector<std::string> include_args;                     // -I, as given
  std::vector<std::pair<std::string, std::string>> defines;  // -D NAME=VALUE, in order
  CommandSet commands;
  bool warn_missing = false;  // -w: a missing file is a warning and its statement is skipped
  bool keep_going = false;    // lint: report every missing file instead of stopping at the first
  Collation collation = Collation::bytes;
  size_t max_statements =
      100'000;  // expansion budget (a DAG of includes can explode; largest golden meta-series: 1,325 lines)
  size_t max_depth = 64;                          // include nesting (real caches nest about 8 deep)
  size_t max_nesting = 512;                       // includes plus `if` blocks, bounds the walk's stack
  size_t max_expansion = 256 * 1024;              // bytes one statement may expand to (define bombs)
  size_t max_total_expansion = 64 * 1024 * 1024;  // bytes all statements' expansions may add up to
};

struct CompileResult {
  Series series;
  Diagnostics diags;               // located, with include chains; warnings included
  std::string reference_error;     // what the reference prints on stderr when preprocessing fails
  bool preprocess_failed = false;  // a file could not be found (the reference's spp fails)
  bool failed = false;
  bool ok() const { return !failed && !diags.has_errors(); }
};

class Compiler {
 public:
  explicit Compiler(FileSystem& fs) : fs_(fs) {}

  // Compiles the input files (names as on the scc command line; an optional
  // ":specifier" suffix is honoured as the reference does).
  CompileResult compile(const std::vector<std::string>& inputs, const CompileOptions& opts);

  // The parse of a file (cached). Null when it cannot be read.
  const ParsedFile* parsed(const std::string& canonical_path);

  FileSystem& fs() { return fs_; }

 private:
  FileSystem& fs_;
  std::unordered_map<std::string, std::unique_ptr<ParsedFile>> cache_;
};

// Shell-style expansion of words (splitting unquoted expansions on blanks).
using Vars = std::unordered_map<std::string, std::string>;
std::vector<std::string> expand_words(const std::vector<Word>& words, const Vars& vars);
// One word expanded without splitting (test operands).
std::string expand_word(const Word& w, const Vars& vars);
bool eval_condition(const Condition& c, const Vars& vars);

}  // namespace kmeta::scc
