#include "kconfig/shell_runner.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace kmeta::kconfig {

bool PopenShellRunner::run(const std::string& command, std::string* output, std::string* error) {
  output->clear();
  std::fflush(nullptr);
  std::string full = command;
  if (!cwd_.empty()) {
    // cd first, on its own line, so the command's own syntax is untouched
    std::string quoted = "'";
    for (char c : cwd_) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
    full = "cd " + quoted + " || exit 1\n" + command;
  }
  FILE* p = ::popen(full.c_str(), "r");
  if (!p) {
    *error = command + ": " + std::strerror(errno);
    return false;
  }
  char buf[4096];
  // lkc does a single fread of up to 4096 bytes; read the same amount.
  size_t n = std::fread(buf, 1, sizeof buf, p);
  output->assign(buf, n);
  // Like lkc, do not drain the rest: closing the pipe ends a chatty command
  // with SIGPIPE instead of waiting for it (think `yes`).
  if (::pclose(p) == -1) {
    *error = command + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace kmeta::kconfig
