#include "base/file_system.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include "base/file_util.h"
#include "base/path.h"

namespace kmeta {

// ---------------------------------------------------------------- disk

// "/./" and "//" never change what a path names; ".." may (symlinks), so it stays.
static std::string squeeze(const std::string& p) {
  if (p.find("//") == std::string::npos && p.find("/./") == std::string::npos) return p;
  std::string out;
  out.reserve(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '/' && !out.empty() && out.back() == '/') continue;
    if (p[i] == '.' && !out.empty() && out.back() == '/' && i + 1 < p.size() && p[i + 1] == '/') {
      ++i;
      continue;
    }
    out += p[i];
  }
  return out;
}

FileType DiskFileSystem::type(const std::string& path_in) {
  auto it = types_.find(path_in);
  if (it != types_.end()) return it->second;
  std::string path = squeeze(path_in);
  if (path != path_in) {
    FileType t = type(path);
    types_.emplace(path_in, t);
    return t;
  }
  // Nothing exists below a missing directory: the search rules probe many
  // names under the same missing directories, so this saves most stat calls.
  std::string parent = path_dirname(path);
  if (parent != path && parent != "." && parent != "/" && type(parent) != FileType::directory) {
    types_.emplace(path, FileType::missing);
    return FileType::missing;
  }
  struct stat st {};
  FileType t = FileType::missing;
  if (::stat(path.c_str(), &st) == 0)
    t = S_ISREG(st.st_mode) ? FileType::regular : S_ISDIR(st.st_mode) ? FileType::directory : FileType::other;
  types_.emplace(path, t);
  return t;
}

namespace {

std::string too_large(uint64_t size, uint64_t max) {
  return "too large: " + std::to_string(size) + " bytes, the limit is " + std::to_string(max);
}

// A kept answer under a cap smaller than the one it was read with.
ReadResult within(const ReadResult& r, uint64_t max_size) {
  if (r.text && r.text->size() > max_size)
    return {nullptr, ReadError::too_large, too_large(r.text->size(), max_size)};
  return r;
}

}  // namespace

ReadResult DiskFileSystem::read_result(const std::string& path, const FileReadOptions& o) {
  auto it = contents_.find(path);
  // A kept refusal for size says nothing about a larger cap.
  if (it != contents_.end() && !(it->second.error == ReadError::too_large && o.max_size > kMaxInputFileSize))
    return within(it->second, o.max_size);
  ReadResult r;
  // Read with the default cap when the answer is kept, so that it holds for
  // any later caller; the caller's cap is applied to it afterwards.
  const uint64_t cap = o.keep ? std::max(o.max_size, kMaxInputFileSize) : o.max_size;
  if (auto s = ::kmeta::read_file(path, &r.reason, &r.error, {.max_size = cap}))
    r.text = std::make_shared<const std::string>(std::move(*s));
  if (o.keep) contents_.insert_or_assign(path, r);
  return within(r, o.max_size);
}

std::string DiskFileSystem::why_unreadable(const std::string& path) {
  std::string err;
  ReadError kind = ReadError::none;
  int fd = open_input_file(path, {}, nullptr, &err, &kind);
  if (fd >= 0) {
    ::close(fd);
    return "";
  }
  switch (kind) {
    case ReadError::missing: {
      struct stat st {};
      if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) return "is a dangling symlink";
      return "does not exist";
    }
    case ReadError::directory: return "is a directory";
    case ReadError::symlink_loop: return "is a symlink loop";
    case ReadError::not_regular: return "is " + err;
    case ReadError::too_large: return "is " + err;
    default: return "cannot be read: " + err;
  }
}

std::optional<std::string> DiskFileSystem::canonical(const std::string& path) {
  auto it = canon_.find(path);
  if (it != canon_.end()) return it->second;
  std::optional<std::string> r;
  std::string parent = path_dirname(path), base = path_basename(path);
  bool simple = base != "." && base != ".." && base != "/" && parent != path && !path.ends_with("/");
  if (simple) {
    // canonical(parent) + "/" + base, unless base is a symlink.
    std::optional<std::string> cp = canonical(parent);
    if (cp) {
      std::string full = (*cp == "/" ? "" : *cp) + "/" + base;
      struct stat st {};
      if (::lstat(full.c_str(), &st) != 0) {
        if (errno == ENOENT && is_dir(*cp)) r = full;  // readlink -f accepts a missing last component
      } else if (!S_ISLNK(st.st_mode)) {
        r = full;
      } else {
        char buf[PATH_MAX];
        if (::realpath(full.c_str(), buf)) r = std::string(buf);
      }
    }
  } else {
    char buf[PATH_MAX];
    if (::realpath(path.c_str(), buf)) r = std::string(buf);
  }
  canon_.emplace(path, r);
  return r;
}

std::vector<DirEntry> DiskFileSystem::list(const std::string& dir) {
  auto it = lists_.find(dir);
  if (it != lists_.end()) return it->second;
  std::vector<DirEntry> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    lists_.emplace(dir, out);
    return out;
  }
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    DirEntry de;
    de.name = name;
    if (e->d_type != DT_UNKNOWN) {
      de.is_dir = e->d_type == DT_DIR;
      de.is_symlink = e->d_type == DT_LNK;
    } else {
      struct stat st {};
      std::string full = dir;
      if (!full.ends_with('/')) full += '/';
      full += name;
      if (::lstat(full.c_str(), &st) == 0) {
        de.is_dir = S_ISDIR(st.st_mode);
        de.is_symlink = S_ISLNK(st.st_mode);
      }
    }
    out.push_back(std::move(de));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  lists_.emplace(dir, out);
  return out;
}

// ---------------------------------------------------------------- memory

void MemoryFileSystem::add_file(const std::string& path, std::string content) {
  std::string p = lexically_normal(path);
  files_[p] = std::make_shared<const std::string>(std::move(content));
  for (std::string d = path_dirname(p); d != "/" && d != "."; d = path_dirname(d)) dirs_.insert(d);
}

void MemoryFileSystem::add_dir(const std::string& path) {
  for (std::string d = lexically_normal(path); d != "/" && d != "."; d = path_dirname(d)) dirs_.insert(d);
}

FileType MemoryFileSystem::type(const std::string& path) {
  std::string p = lexically_normal(path);
  if (files_.count(p)) return FileType::regular;
  if (dirs_.count(p)) return FileType::directory;
  return FileType::missing;
}

ReadResult MemoryFileSystem::read_result(const std::string& path, const FileReadOptions& o) {
  std::string p = lexically_normal(path);
  auto it = files_.find(p);
  if (it != files_.end()) return within({it->second, ReadError::none, {}}, o.max_size);
  if (dirs_.count(p)) return {nullptr, ReadError::directory, "Is a directory"};
  return {nullptr, ReadError::missing, "No such file or directory"};
}

std::string MemoryFileSystem::why_unreadable(const std::string& path) {
  switch (type(path)) {
    case FileType::regular: return "";
    case FileType::directory: return "is a directory";
    default: return "does not exist";
  }
}

std::optional<std::string> MemoryFileSystem::canonical(const std::string& path) {
  std::string p = lexically_normal(path);
  if (p.empty() || p[0] != '/') return std::nullopt;
  if (!dirs_.count(path_dirname(p))) return std::nullopt;
  return p;
}

std::vector<DirEntry> MemoryFileSystem::list(const std::string& dir) {
  std::string d = lexically_normal(dir);
  std::string pre = d == "/" ? "/" : d + "/";
  std::map<std::string, bool> names;
  for (const auto& [p, _] : files_)
    if (p.size() > pre.size() && p.compare(0, pre.size(), pre) == 0 &&
        p.find('/', pre.size()) == std::string::npos)
      names[p.substr(pre.size())] = false;
  for (const auto& p : dirs_)
    if (p.size() > pre.size() && p.compare(0, pre.size(), pre) == 0 &&
        p.find('/', pre.size()) == std::string::npos)
      names[p.substr(pre.size())] = true;
  std::vector<DirEntry> out;
  out.reserve(names.size());
  for (const auto& [n, isdir] : names) out.push_back({n, isdir, false});
  return out;
}

}  // namespace kmeta
