#include "bundle/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/file_util.h"
#include "base/strings.h"

namespace kmeta::bundle {

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = std::string(path ? path : "/usr/bin:/bin") + ":/usr/sbin:/sbin";
  for (std::string_view d : split(dirs, ':')) {
    if (d.empty()) continue;
    std::string p = std::string(d) + "/" + name;
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

pid_t spawn(const std::vector<std::string>& argv, int in_fd, int out_fd, int err_fd, std::string* error) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  int fds[3] = {in_fd, out_fd, err_fd};
  for (int i = 0; i < 3; ++i) {
    if (fds[i] >= 0)
      posix_spawn_file_actions_adddup2(&fa, fds[i], i);
    else
      posix_spawn_file_actions_addopen(&fa, i, "/dev/null", i == 0 ? O_RDONLY : O_WRONLY, 0);
  }
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const char* path = std::getenv("PATH");
  std::string path_env = std::string("PATH=") + (path ? path : "/usr/bin:/bin");
  char lc[] = "LC_ALL=C";
  char* envp[] = {lc, const_cast<char*>(path_env.c_str()), nullptr};
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &fa, nullptr, args.data(), envp);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    if (error) *error = std::string("cannot run ") + argv[0] + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

int wait_for(pid_t pid) {
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return -1;
}

int run_program(const std::vector<std::string>& argv, std::string* output) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    *output = std::strerror(errno);
    return -1;
  }
  std::string err;
  pid_t pid = spawn(argv, -1, p[1], p[1], &err);
  ::close(p[1]);
  if (pid < 0) {
    ::close(p[0]);
    *output = err;
    return -1;
  }
  output->clear();
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(p[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output->append(buf, static_cast<size_t>(n));
  }
  ::close(p[0]);
  return wait_for(pid);
}

}  // namespace kmeta::bundle
