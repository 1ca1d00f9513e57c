#include "base/private_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace kmeta {

namespace {

std::string parent_of(const std::string& p) {
  size_t slash = p.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return p.substr(0, slash);
}

bool check_one(const std::string& path, const struct stat& st, bool leaf, std::string* why) {
  const uid_t me = ::geteuid();
  if (!S_ISDIR(st.st_mode)) {
    if (why) *why = path + " is not a directory";
    return false;
  }
  if (st.st_uid != me && (leaf || st.st_uid != 0)) {
    if (why) *why = path + " is owned by uid " + std::to_string(st.st_uid) + ", not by the current user";
    return false;
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) && (leaf || !(st.st_mode & S_ISVTX))) {
    if (why) *why = path + " is writable by group or others";
    return false;
  }
  return true;
}

}  // namespace

bool check_private_dir(const std::string& dir_in, std::string* why) {
  if (dir_in.empty()) {
    if (why) *why = "no directory";
    return false;
  }
  // The nearest existing ancestor when `dir` does not exist yet.
  std::string dir = dir_in;
  bool leaf = true;
  struct stat st {};
  while (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      if (why) *why = dir + ": " + std::strerror(errno);
      return false;
    }
    std::string up = parent_of(dir);
    if (up == dir) break;
    dir = up;
    leaf = false;
  }
  char buf[PATH_MAX];
  if (!::realpath(dir.c_str(), buf)) {
    if (why) *why = dir + ": " + std::strerror(errno);
    return false;
  }
  std::string real = buf;
  for (std::string p = real;; p = parent_of(p)) {
    if (::stat(p.c_str(), &st) != 0) {
      if (why) *why = p + ": " + std::strerror(errno);
      return false;
    }
    if (!check_one(p, st, leaf && p == real, why)) return false;
    if (p == "/" || p == ".") break;
  }
  return true;
}

bool make_private_dirs(const std::string& dir, std::string* error) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return true;
    if (error) *error = dir + " is not a directory";
    return false;
  }
  std::string up = parent_of(dir);
  if (up != dir && !make_private_dirs(up, error)) return false;
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    if (error) *error = dir + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace kmeta
