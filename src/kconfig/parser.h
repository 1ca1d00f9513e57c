// Parsing a Kconfig tree into a Model, the way lkc's conf_parse() does it:
// lex + preprocess + parse (with Bison's error recovery), then finalize
// (menu.c dependency propagation), then the post-parse checks (recursive
// dependencies, 6.12 choice sanity). Every text lkc would print on stdout or
// stderr while doing so goes into a Messages log with the exact bytes, in order.
//
// The library never prints, reads the environment or exits: the environment
// seen by $(NAME) references, the source tree, the working directory and the
// way $(shell,...) runs are all inputs.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/file_system.h"
#include "kconfig/dialect.h"
#include "kconfig/messages.h"
#include "kconfig/model.h"
#include "kconfig/shell_runner.h"

namespace kmeta::kconfig {

struct ParseOptions {
  // Fallback directory for relative opens ($srctree); "" = none.
  std::string srctree;
  // Directory relative names are opened from (lkc: the process's cwd); "" =
  // as given (through the disk: the process's).
  std::string cwd;
  // What $(NAME) environment references see (the CLI passes the process env).
  std::map<std::string, std::string> env;
  // Runs $(shell,...); nullptr makes $(shell) a located error.
  ShellRunner* shell = nullptr;
  // Unset: dialect_from_makefile() of $srctree/Makefile (else ./Makefile);
  // no Makefile or no version in it: kDialectWithoutVersion (dialect.h).
  std::optional<Dialect> dialect;
  // Where files are read from; nullptr = the disk (a DiskFileSystem of the
  // parse's own). Names are made absolute against `cwd` before they are asked.
  FileSystem* files = nullptr;
};

// Parses + finalizes + checks `file` (opened like lkc: as given, else
// $srctree/file). Returns the model, or nullptr when lkc's conf_parse would
// exit 1 (the reasons are in `msgs`).
std::unique_ptr<Model> parse_kconfig(const std::string& file, const ParseOptions& options, Messages& msgs);

}  // namespace kmeta::kconfig
