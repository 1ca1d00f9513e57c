// Hardware / non-hardware classification of config options, exactly as
// symbol_why.py --classify computes it from the fragment queue.
//
// Sources, applied in this order (a later classification of a symbol replaces
// an earlier one; a symbol is never both):
//   pass 1, for each queued fragment in order:
//     - `non-hardware.kcf`, then `hardware.kcf` in the fragment's directory:
//       lists of Kconfig files (relative to the kernel tree); every
//       `config X` / `menuconfig X` line at the start of a line there
//       classifies X;
//     - the fragment's own options, by its `kconf hardware|non-hardware` class;
//   pass 2, for each queued fragment in order:
//     - `y_or_m_enabled.cfg` (always read: y and m both satisfy a request),
//     - `hardware.cfg`, then `non-hardware.cfg` in the fragment's directory.
// `required` and `optional` fragments classify nothing here (symbol_why.py
// ignores them); the audit reads those classes from the requesting fragment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/merge.h"

namespace kmeta {
class FileSystem;
}

namespace kmeta::config {

enum class HwClass : uint8_t { unclassified, hardware, non_hardware };
const char* to_string(HwClass c);

struct Classification {
  // symbol (no "CONFIG_") -> the file that classified it last
  std::unordered_map<std::string, std::string> hardware;
  std::unordered_map<std::string, std::string> non_hardware;
  std::unordered_map<std::string, std::string> y_or_m;
  // For the user ("kmeta: warning: " + it): the .kcf scan cache directory or
  // an entry was refused (not the user's, writable by others, not a regular
  // file); the run read the files instead.
  std::vector<std::string> cache_warnings;

  HwClass of(const std::string& name) const;
  const std::string* source(const std::string& name) const;  // who classified it, if anyone
  // symbol_why.py --classify hides a mismatch of an option that is
  // non-hardware and not hardware.
  bool hidden_by_classify(const std::string& name) const { return of(name) == HwClass::non_hardware; }
};

// Where classify() keeps what it found in the Kconfig files each .kcf lists
// (a real kernel cache lists about 1900 of them, some 7 MB), so that a warm
// run stats them instead of reading them. One entry per (.kcf, kernel tree),
// <dir>/<digest>.kcf, reused while the .kcf and every file it lists keep
// their stat identity (size, mtime and ctime in ns, inode, device; a missing
// file must still be missing), as the model cache trusts Kconfig files.
// `dir` must be private to the user (base/private_dir.h) or it is not used;
// an entry that is not the user's own regular file is ignored (both with a
// warning), one that is damaged (each carries a digest of its content) or
// stale is scanned again and replaced. The entries are checked against the
// disk directly: give a cache only with a DiskFileSystem.
struct KcfCache {
  std::string dir;
  bool store = true;  // write a fresh scan back
};

// `use_classifiers` = symbol_why.py's --classify; without it only
// y_or_m_enabled.cfg is read. Fragment directories are the parents of each
// fragment's `path`; `ksrc` is the kernel tree the .kcf lists are relative to.
// Files are read through `fs` (their texts not kept in its cache).
Classification classify(const std::vector<QueuedFragment>& queue, const std::string& ksrc, FileSystem& fs,
                        bool use_classifiers = true, const KcfCache* cache = nullptr);

}  // namespace kmeta::config
