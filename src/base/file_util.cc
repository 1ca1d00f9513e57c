#include "base/file_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

namespace kmeta {

namespace {

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

constexpr std::string_view kTempMark = ".kmeta-tmp.";

// A name no other process can predict: 64 random bits.
std::string random_suffix() {
  uint64_t r = 0;
  if (::getrandom(&r, sizeof r, 0) != static_cast<ssize_t>(sizeof r)) {
    // getrandom cannot fail for 8 bytes once the pool is ready; fall back to
    // something unique in this process anyway.
    static_assert(sizeof(uint64_t) == 8);
    r = static_cast<uint64_t>(::getpid()) << 32 ^ reinterpret_cast<uintptr_t>(&r) ^
        static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  static const char hex[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, r >>= 4) s[static_cast<size_t>(i)] = hex[r & 15];
  return s;
}

// Creates a new file named like `path` in its directory, exclusively, never
// through a symlink. Sets *tmp; returns the fd or -1 (errno set).
int create_temp_beside(const std::string& path, std::string* tmp) {
  std::string prefix = dir_of(path) + "/." + base_of(path) + std::string(kTempMark);
  for (int attempt = 0; attempt < 100; ++attempt) {
    *tmp = prefix + random_suffix();
    int fd = ::open(tmp->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;  // errno is EEXIST
}

}  // namespace

AtomicFile::AtomicFile(std::string path, Options options) : path_(std::move(path)), options_(options) {
  std::error_code ec;
  std::filesystem::path p(path_);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  fd_ = create_temp_beside(path_, &tmp_);
  if (fd_ < 0) {
    fail(std::strerror(errno));
    tmp_.clear();
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());
}

bool AtomicFile::fail(const std::string& what) {
  if (error_.empty()) error_ = path_ + ": " + what;
  return false;
}

bool AtomicFile::write(std::string_view bytes) {
  if (!ok()) return false;
  if (finished_) return fail("written after finish()");
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(n < 0 ? std::strerror(errno) : "short write");
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool AtomicFile::pwrite(std::string_view bytes, uint64_t offset) {
  if (!ok()) return false;
  if (finished_) return fail("written after finish()");
  while (!bytes.empty()) {
    ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(n < 0 ? std::strerror(errno) : "short write");
    bytes.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

bool AtomicFile::finish(std::string* error) {
  if (ok() && !finished_) {
    finished_ = true;
    int fd = fd_;
    fd_ = -1;
    if (options_.sync && ::fsync(fd) != 0) {
      fail(std::strerror(errno));
      ::close(fd);
    } else if (::close(fd) != 0) {
      fail(std::strerror(errno));
    }
  }
  if (!ok() && error) *error = error_;
  return ok();
}

bool AtomicFile::commit(std::string* error, const std::string& backup) {
  if (committed_) {
    fail("already committed");
  } else if (finish()) {
    if (!backup.empty()) {
      // link(path, <temp beside backup>), rename it over backup: `path`
      // stays in place throughout, and backup is replaced atomically too.
      std::string link_tmp =
          dir_of(backup) + "/." + base_of(backup) + std::string(kTempMark) + random_suffix();
      if (::link(path_.c_str(), link_tmp.c_str()) == 0) {
        if (::rename(link_tmp.c_str(), backup.c_str()) != 0) error_ = backup + ": " + std::strerror(errno);
        // rename() between two links of one file (backup already is `path`,
        // as after a run killed right after this step) does nothing.
        ::unlink(link_tmp.c_str());
      } else if (errno != ENOENT) {
        error_ = backup + ": " + std::strerror(errno);
      }
    }
    if (ok()) {
      if (::rename(tmp_.c_str(), path_.c_str()) != 0)
        fail(std::strerror(errno));
      else
        committed_ = true;
    }
  }
  if (!ok() && error) *error = error_;
  return ok();  // on failure the destructor removes the temporary
}

bool is_atomic_temp_name(std::string_view name) {
  size_t at = name.rfind(kTempMark);
  if (name.empty() || name[0] != '.' || at == std::string_view::npos) return false;
  std::string_view suffix = name.substr(at + kTempMark.size());
  if (suffix.size() != 16) return false;
  for (char c : suffix)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

int remove_stale_temps(const std::string& dir) {
  int removed = 0;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  while (struct dirent* e = ::readdir(d)) {
    if (is_atomic_temp_name(e->d_name) && ::unlinkat(::dirfd(d), e->d_name, 0) == 0) ++removed;
  }
  ::closedir(d);
  return removed;
}

bool write_file_atomic(const std::string& path, std::string_view content, std::string* error) {
  AtomicFile f(path);
  f.write(content);
  return f.commit(error);
}

std::string create_temp_dir_beside(const std::string& path, std::string* error, mode_t mode) {
  std::error_code ec;
  std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  std::string prefix = dir_of(path) + "/." + base_of(path) + std::string(kTempMark);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string dir = prefix + random_suffix();
    if (::mkdir(dir.c_str(), mode) == 0) return dir;
    if (errno != EEXIST) break;
  }
  if (error) *error = path + ": " + std::strerror(errno);
  return "";
}

ScratchDir::ScratchDir(const std::string& parent, const std::string& prefix) {
  std::string tmpl = parent + "/" + prefix + ".XXXXXX";
  if (::mkdtemp(tmpl.data())) path_ = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace kmeta
