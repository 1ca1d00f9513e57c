// A cache of parsed Kconfig models, so that resolving the same tree again
// skips lexing, parsing, finalizing and checking (most of a warm run).
//
// A parse is a function of what it read: the Kconfig files (and the
// Makefile the dialect comes from), the environment variables $(NAME)
// consulted (set or unset), and the output of every $(shell,...) it ran.
// parse_kconfig_cached() records exactly those inputs while parsing, and
// stores them with the encoded model (model_codec.h) and the messages the
// parse printed. A later call reuses the stored model only when every input
// is unchanged:
//
//   files   each path the parser opened (as composed, relative ones resolved
//           against ParseOptions::cwd), by stat identity: size, mtime and
//           ctime in ns, inode, device; a missing file must still be missing
//           (checked through its shallowest missing ancestor directory).
//           Checked before anything else; an edit, a touch, a new file where
//           a relative `source` looked first: all force a fresh parse.
//   env     the value of every consulted variable, and consulted-but-unset
//           names still unset.
//   shell   every command asked again through ParseOptions::shell (the probe
//           cache answers without spawning when warm), output compared.
//
// The stored messages are replayed into `msgs`, so output is byte-identical
// to a fresh parse. Failed parses are never stored.
//
// Trust: `dir` must be private to the user (base/private_dir.h: owned by
// them, not writable by group or others; created 0700), else the cache is
// not used; an entry that is not a regular file owned by the user and
// unwritable by others is a miss (ModelCacheResult::warning) and replaced.
// A damaged part anywhere (inputs, model, help text) is a miss too, so a
// re-parse re-stores the entry.
//
// Slots: <dir>/<digest>.model, one per (producer, Kconfig file, srctree,
// dialect, ARCH/SRCARCH/toolchain variables); different build directories of one
// tree and arch share a slot. Files are written atomically with checksums
// (the recorded inputs' one is verified before any probe is asked again);
// anything unreadable, corrupt, or from another format version is a miss,
// never an error. At most `keep` slots are kept (least recently used go).
#pragma once

#include <memory>
#include <string>

#include "kconfig/messages.h"
#include "kconfig/model.h"
#include "kconfig/parser.h"

namespace kmeta::kbuild {

struct ModelCacheOptions {
  std::string dir;    // created on first store
  bool store = true;  // write a fresh parse back
  size_t keep = 24;   // slots kept in `dir`
  // Who parses: part of the slot key, so that a model stored by another
  // build of the parser is never reused (its rules may differ). The CLI
  // passes producer_identity().
  std::string producer;
};

// The running program's identity for ModelCacheOptions::producer: size,
// mtime and inode of /proc/self/exe (any rebuild or upgrade changes it).
std::string producer_identity();

struct ModelCacheResult {
  bool hit = false;
  bool stored = false;
  std::string miss;  // why the stored model was not used ("" on a hit)
  // For the user ("kmeta: warning: " + it): the cache directory or the entry
  // was refused (not the user's, writable by others, not a regular file).
  std::string warning;
};

// parse_kconfig (parser.h) through the cache. With ParseOptions::files set
// (in-memory trees) the cache is bypassed.
std::unique_ptr<kconfig::Model> parse_kconfig_cached(const std::string& file,
                                                     const kconfig::ParseOptions& options,
                                                     const ModelCacheOptions& cache, kconfig::Messages& msgs,
                                                     ModelCacheResult* result = nullptr);

}  // namespace kmeta::kbuild
