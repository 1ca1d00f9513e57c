// Adding and replacing files in a squashfs image (a rootfs.img) without
// unpacking it and without root.
//
// The image streams through squashfs-tools-ng's programs with kmeta's own
// filter between them: `sqfs2tar -r . IN` | libarchive (drop the entries
// being replaced, clamp mtimes, append the new files) | `tar2sqfs` with the
// input's compressor and block size (read with libsquashfs). A tar stream
// carries numeric owners, modes, xattrs and hard links, so the rebuilt image
// keeps them although the user is not root. docs/bundle.md says why this
// and not a tree writer on libsquashfs, and what was measured.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::bundle {

struct Injection {
  std::string source;  // file on the host
  std::string dest;    // absolute path in the image, e.g. /etc/init.d/rcS
  uint32_t mode = 0644;
  Location where;  // the option or list line that asked for it
};

// Parses "SRC:DEST:MODE" (MODE octal, optional: default 0644, or 0755 for
// an executable SRC). Reports and returns false on a malformed spec.
bool parse_injection(const std::string& spec, const Location& where, Injection* out, Diagnostics* diags);

struct SquashfsInfo {
  std::string compressor;  // gzip, xz, zstd, ...
  uint32_t block_size = 0;
  uint32_t inodes = 0;
  uint32_t mtime = 0;
};

// Reads the superblock with libsquashfs.
bool read_squashfs_info(const std::string& path, SquashfsInfo* out, Diagnostics* diags);

// Writes `out` (temp + rename) = `in` with the injections. Each destination's
// directory must exist in the image; a replaced file keeps its owner, a new
// one is owned by 0:0. mtimes are clamped to `source_date_epoch`.
bool inject_squashfs(const std::string& in, const std::string& out, const std::vector<Injection>& adds,
                     int64_t source_date_epoch, Diagnostics* diags);

}  // namespace kmeta::bundle
