// Initramfs images: reading a base (gzip / xz / zstd / uncompressed,
// detected by libarchive), and putting archives together the way the kernel
// unpacks them.
//
// The kernel unpacks an initramfs made of several archives back to back,
// compressed or not, a later file overwriting an earlier one. An archive
// must start at a 4-byte-aligned offset from the start of the whole image:
// an uncompressed cpio after a compressed one at an unaligned offset is
// dropped with "Initramfs unpacking failed: invalid magic at start of
// compressed archive", and the kernel boots without it. concat_members()
// pads with zeros (which the kernel skips) before each member.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "bundle/cpio.h"

namespace kmeta::bundle {

struct BaseInitramfs {
  Compression compression = Compression::none;
  size_t entries = 0;
  std::vector<CpioEntry> contents;  // filled when asked for (repacking)
};

// Reads the first archive of `bytes` (from `path`, for messages). Errors:
// not a cpio archive, an unknown compression, a damaged archive.
bool read_initramfs(const std::string& path, const std::string& bytes, bool want_contents, BaseInitramfs* out,
                    Diagnostics* diags);

// The members back to back, each starting 4-byte aligned.
std::string concat_members(const std::vector<std::string_view>& members);

// Whether the kernel's .config can unpack an archive compressed with `c`;
// reports an error at `where` naming the missing CONFIG_RD_ option.
bool check_decompressor(Compression c, const std::map<std::string, std::string>& config,
                        const std::string& config_path, const std::string& what, Diagnostics* diags);

}  // namespace kmeta::bundle
