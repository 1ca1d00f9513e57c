// Running the external programs a bundle needs (depmod, sqfs2tar, tar2sqfs)
// with an exact argument vector: no shell, nothing from the metadata is ever
// interpreted as a command.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace kmeta::bundle {

// The program's path: `name` searched in PATH, then /usr/sbin and /sbin
// (depmod lives there and a user's PATH often lacks them). "" when absent.
std::string find_program(const std::string& name);

// Starts argv[0] (already a path) with the given descriptors as stdin,
// stdout and stderr (-1: /dev/null) and the environment LC_ALL=C plus PATH.
// Returns the pid, or -1 with *error set.
pid_t spawn(const std::vector<std::string>& argv, int in_fd, int out_fd, int err_fd, std::string* error);

// Waits for `pid`: its exit status, or 128+signal when killed.
int wait_for(pid_t pid);

// Runs a program to completion; its stdout and stderr, merged, go to *output.
// Returns the exit status, or -1 when it could not be started (*output then
// holds why).
int run_program(const std::vector<std::string>& argv, std::string* output);

}  // namespace kmeta::bundle
