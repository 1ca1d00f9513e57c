// Reading input files: the one place kmeta opens a file it did not write
// itself (Kconfig, .scc, fragments, .config, Makefiles, cache entries).
//
// Whatever the path names, a read ends: a FIFO, a device (/dev/zero, a
// terminal), a directory or a socket is refused after open() (which never
// blocks: O_NONBLOCK) and fstat(), not read; a regular file larger than the
// cap is refused before anything is allocated (a 20 GB sparse file is an
// error, not bad_alloc), and so is one that grows past it while being read.
// Each refusal says why (ReadError), so a caller can report "is a
// directory" or "symlink loop" instead of "does not exist".
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace kmeta {

enum class ReadError {
  none,
  missing,       // ENOENT, ENOTDIR: nothing there
  directory,     // EISDIR
  not_regular,   // a FIFO, device, socket
  too_large,     // over ReadOptions::max_size
  permission,    // EACCES, EPERM
  symlink_loop,  // ELOOP: a loop, or a symlink where none is allowed
  untrusted,     // ReadOptions::private_file: not the user's, or writable by others
  io,            // anything else (EIO, EMFILE, ...)
};

// 256 MiB: far above any kernel input (the largest Kconfig file is ~100 kB, a
// .config ~300 kB), far below what a machine can allocate.
inline constexpr uint64_t kMaxInputFileSize = uint64_t{256} << 20;

struct ReadOptions {
  uint64_t max_size = kMaxInputFileSize;
  bool nofollow = false;      // O_NOFOLLOW: the last component must not be a symlink
  bool private_file = false;  // must be owned by the effective user, not group/other-writable
};

// The whole content of `path`, or nullopt with *error set to a short reason
// ("No such file or directory", "Is a directory", "not a regular file (a
// FIFO)", "too large: 21474836480 bytes, the limit is 268435456", ...) and
// *kind to its class.
std::optional<std::string> read_file(const std::string& path, std::string* error = nullptr,
                                     ReadError* kind = nullptr, const ReadOptions& options = {});

// The same checks for a caller that streams: an open descriptor (O_RDONLY |
// O_CLOEXEC) on a regular file within the cap, *size set to its size; -1 with
// *error/*kind otherwise. The caller closes it.
int open_input_file(const std::string& path, const ReadOptions& options, uint64_t* size, std::string* error,
                    ReadError* kind = nullptr);

// "a directory", "a FIFO", "a character device", ... for a st_mode.
const char* file_kind_name(mode_t mode);

}  // namespace kmeta
