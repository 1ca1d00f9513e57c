#include "kbuild/process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "base/strings.h"
#include "kbuild/kernel_env.h"

namespace kmeta::kbuild {

ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          const std::function<void(const std::string& line)>& on_line) {
  ProcessResult r;
  if (argv.empty()) {
    r.error = "empty command";
    return r;
  }
  auto path_it = env.find("PATH");
  std::string prog = kbuild::find_program(argv[0], path_it == env.end() ? "" : path_it->second);
  if (prog.empty()) {
    r.error = argv[0] + ": not found in PATH";
    return r;
  }
  std::vector<std::string> envs;
  envs.reserve(env.size());
  for (const auto& [k, v] : env) envs.push_back(str_cat({k, "=", v}));
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const auto& e : envs) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    r.error = std::string("fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return r;
  }
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    ::execve(prog.c_str(), cargv.data(), cenv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  r.started = true;
  std::string pending;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<size_t>(n));
    size_t start = 0, nl;
    while ((nl = pending.find('\n', start)) != std::string::npos) {
      on_line(pending.substr(start, nl - start));
      start = nl + 1;
    }
    pending.erase(0, start);
  }
  if (!pending.empty()) on_line(pending);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (r.exit_code == 127) r.error = prog + ": could not be executed";
  return r;
}

ProcessResult run_capture(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          std::string* output) {
  output->clear();
  return run_process(argv, env, [output](const std::string& l) { *output += l + "\n"; });
}

}  // namespace kmeta::kbuild
