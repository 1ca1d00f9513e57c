// Reproducible newc cpio archives (the initramfs format) through libarchive.
//
// Entries are sorted by path, parents before children; uid/gid are 0; files
// have nlink 1 (so archives concatenated by the kernel can never mix hard
// links), mode 0644 or 0755 (any x bit) unless the entry says otherwise;
// inode numbers count up from 1 in archive order; mtimes are clamped to
// SOURCE_DATE_EPOCH; gzip carries neither a file name nor a timestamp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kmeta::bundle {

enum class Compression { none, gzip, xz, zstd };

const char* compression_name(Compression c);  // "none", "gzip", "xz", "zstd"
std::optional<Compression> parse_compression(const std::string& name);
// The .config option that lets the kernel unpack an initramfs compressed so
// ("" for none).
const char* kernel_decompressor_option(Compression c);

struct CpioEntry {
  enum class Type { file, dir, symlink };
  std::string path;  // relative, no leading '/' ("lib/modules/6.12.118")
  Type type = Type::file;
  uint32_t mode = 0;   // permission bits; 0 = the default for the type
  std::string source;  // file: read from here when `data` is unset
  std::optional<std::string> data;
  std::string target;  // symlink
  uint32_t uid = 0, gid = 0;
  int64_t mtime = 0;
};

// Collects the files, directories and symlinks under `dir` as entries under
// `prefix` (no leading '/'). Modes keep the x bits (0755 / 0644); mtimes are
// the files' own (clamped when written).
bool collect_tree(const std::string& dir, const std::string& prefix, std::vector<CpioEntry>* out,
                  std::string* error);

// Adds the missing parent directories, drops duplicates (the later entry
// wins, as when the kernel unpacks it) and sorts by path.
void normalize_entries(std::vector<CpioEntry>* entries);

// Writes the entries (normalised first) as one newc archive, compressed.
bool write_cpio(std::vector<CpioEntry> entries, Compression c, int64_t source_date_epoch, std::string* out,
                std::string* error);

}  // namespace kmeta::bundle
