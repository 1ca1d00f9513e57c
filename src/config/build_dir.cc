#include "config/build_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace kmeta::config {

bool lock_build_dir(const std::string& build, bool exclusive, const std::function<void()>& on_wait,
                    BuildDirLock* lock, Diagnostics* diags) {
  if (exclusive) {
    std::error_code ec;
    std::filesystem::create_directories(build + "/.kernel-meta", ec);
    if (ec) {
      diags->error({}, build + "/.kernel-meta: " + ec.message());
      return false;
    }
  }
  LockRequest req;
  req.path = build + "/" + kLockName;
  req.mode = exclusive ? LockMode::exclusive : LockMode::shared;
  req.create = exclusive;  // a reader finding no lock file: never written under the protocol
  req.on_wait = on_wait;
  std::string error;
  LockResult r = lock_file(req, lock, &error);
  if (r == LockResult::locked || r == LockResult::absent) return true;
  diags->error({}, error);
  return false;
}

bool build_dir_incomplete(const std::string& build) {
  struct stat st {};
  return ::lstat((build + "/" + kIncompleteName).c_str(), &st) == 0;
}

BuildDirWriter::BuildDirWriter(std::string build) : build_(std::move(build)) {
  for (const char* d : {"", "/.kernel-meta", "/.kernel-meta/cfg"}) remove_stale_temps(build_ + d);
}

bool BuildDirWriter::add(const std::string& rel, std::string_view content, std::string* error,
                         const std::string& backup) {
  const std::string path = build_ + "/" + rel;
  if (!backup.empty()) {
    // conf: "No change to .config" leaves the file (and .config.old) alone.
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      auto old = read_file(path);
      if (old && *old == content) return true;
    }
  }
  auto f = std::make_unique<AtomicFile>(path);
  f->write(content);
  if (!f->finish(error)) return false;
  files_.push_back({std::move(f), backup.empty() ? "" : build_ + "/" + backup});
  return true;
}

bool BuildDirWriter::commit(const std::string& record_rel, std::string_view record, std::string* error) {
  AtomicFile rec(build_ + "/" + record_rel);
  rec.write(record);
  if (!rec.finish(error)) return false;
  // From here until the marker goes, the directory is a mix.
  if (!write_file_atomic(build_ + "/" + kIncompleteName, "", error)) return false;
  for (Pending& p : files_)
    if (!p.file->commit(error, p.backup)) return false;
  for (const std::string& r : removals_) {
    const std::string path = build_ + "/" + r;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      *error = path + ": " + std::strerror(errno);
      return false;
    }
  }
  if (!rec.commit(error)) return false;
  const std::string marker = build_ + "/" + kIncompleteName;
  if (::unlink(marker.c_str()) != 0) {
    *error = marker + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace kmeta::config
