// How `$(shell,...)` runs commands. The parser only sees this interface; the
// CLI decides between a plain popen, an on-disk probe cache or replay.
#pragma once

#include <string>

namespace kmeta::kconfig {

class ShellRunner {
 public:
  virtual ~ShellRunner() = default;
  // Runs `command` via /bin/sh -c. On success sets *output to the raw standard
  // output (lkc reads at most 4095 bytes; the caller truncates) and returns
  // true. Returns false with *error set when it cannot (e.g. replay cache miss).
  virtual bool run(const std::string& command, std::string* output, std::string* error) = 0;
};

// popen(3) with the process environment, as lkc does; in the process's
// working directory, or in `cwd` when given (Kconfig.include's probes create
// temporary directories there, as lkc does in its objtree). The parser's
// ParseOptions::env only affects $(NAME) lookups, not the environment the
// command sees; a runner that needs that is the caller's.
class PopenShellRunner : public ShellRunner {
 public:
  explicit PopenShellRunner(std::string cwd = {}) : cwd_(std::move(cwd)) {}
  bool run(const std::string& command, std::string* output, std::string* error) override;

 private:
  std::string cwd_;
};

}  // namespace kmeta::kconfig
