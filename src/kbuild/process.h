// Running one external program (make, the compiler's --version) with an
// exact environment, its stdout and stderr merged and handed over line by
// line. stdin is /dev/null, so nothing the program runs can wait for input.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace kmeta::kbuild {

struct ProcessResult {
  bool started = false;  // false: fork/exec failed (see error)
  int exit_code = -1;    // when it exited
  int signal = 0;        // when a signal ended it
  std::string error;
  bool ok() const { return started && signal == 0 && exit_code == 0; }
};

// Runs argv[0] (looked up in env's PATH) with exactly `env`. Each output
// line (without '\n'; a last unterminated line too) goes to `on_line`.
ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          const std::function<void(const std::string& line)>& on_line);

// The same, collecting the output.
ProcessResult run_capture(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          std::string* output);

}  // namespace kmeta::kbuild
