// The syntax tree of one .scc file (docs/scc-language.md §3, §5).
//
// A file parses to a Block of statements; `if` statements nest blocks. Every
// statement keeps its location (line and file offset) and enough of its
// source to print back (print_block) in the language's own syntax.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "scc/lexer.h"

namespace kmeta::scc {

enum class StmtKind : uint8_t {
  include,             // include P [flags]
  kconf,               // [force] kconf CLASS P [flag]
  patch,               // patch P
  define,              // define NAME [VALUE]
  branch,              // branch NAME
  git,                 // git ARGS…
  tag,                 // tag NAME
  merge,               // merge NAME
  mark,                // mark ARGS…
  set_kernel_version,  // set_kernel_version VALUE
  if_block,            // if …; then … [elif …] [else …] fi
};

const char* to_string(StmtKind k);

// One `[ … ]` test.
struct Test {
  enum Op : uint8_t { eq, ne, nonempty, empty, always_false } op = nonempty;
  Word lhs, rhs;
  bool negate = false;
  uint32_t offset = 0;
};

// Tests joined by && / || (equal precedence, left to right, as in the shell).
struct Condition {
  std::vector<Test> tests;
  std::vector<bool> and_ops;  // and_ops[i] joins tests[i] and tests[i+1]: true = &&, false = ||
  std::string source;         // the condition as written (print-back)
};

struct Stmt;
using Block = std::vector<Stmt>;

struct IfArm {
  Condition cond;
  Block body;
  int line = 0;
};

struct Stmt {
  StmtKind kind = StmtKind::define;
  int line = 0;
  uint32_t offset = 0;  // file offset of the first word
  std::string keyword;  // the first word as written ("kconfig" for a kconf written that way)

  // include / kconf / patch (words taken literally, docs §2)
  std::string path;
  uint32_t path_offset = 0;
  std::string kconf_class;
  std::string kconf_flags;  // the word after the fragment, if any
  bool force = false;
  bool nocfg = false, nopatch = false;  // as the reference decides them (docs §3)
  bool inherit = false;
  std::vector<std::string> extra;  // include words after the path (flags and others), as written

  // shell statements
  std::vector<Word> args;  // the words after the keyword

  // if_block
  std::vector<IfArm> arms;
  Block else_body;
  bool has_else = false;
};

// A parsed file. Parse problems are in `diags` (errors and warnings, located
// in `path`, without include chain: the caller adds it).
struct ParsedFile {
  std::string path;
  std::shared_ptr<const std::string> content;
  std::unique_ptr<SourceMap> map;
  Block body;
  Diagnostics diags;
  bool ok() const { return !diags.has_errors(); }
};

// Prints a block back in .scc syntax (normalized spacing, two-space indent in
// `if` bodies, comments dropped).
std::string print_block(const Block& b, int indent = 0);

}  // namespace kmeta::scc
