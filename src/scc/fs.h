// The scc module reads files only through a FileSystem (base/file_system.h)
// and composes paths with base/path.h. These names keep scc code and its
// callers spelling scc::FileSystem etc.
#pragma once

#include "base/file_system.h"
#include "base/path.h"

namespace kmeta::scc {

using kmeta::DirEntry;
using kmeta::DiskFileSystem;
using kmeta::FileSystem;
using kmeta::FileType;
using kmeta::MemoryFileSystem;

using kmeta::absolute_path;
using kmeta::lexically_normal;
using kmeta::path_basename;
using kmeta::path_dirname;
using kmeta::path_within;

}  // namespace kmeta::scc
