// Reading an existing Yocto `.kernel-meta` directory (what scc wrote for a
// build): the fragment queue from config.queue, each fragment from its copy
// under the directory. This is what symbol_why.py reads, so `kmeta
// symbol-why` and `kmeta audit --kernel-meta` work on a real Yocto build tree.
#pragma once

#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "config/classify.h"
#include "config/merge.h"

namespace kmeta::config {

// `meta_dir` is the .kernel-meta directory; queue names are relative to it.
// Fragments are named "<meta_dir>/<queue name>" in diagnostics. False + an
// error in *diags (located at the config.queue line for an entry's problem)
// when config.queue or a fragment cannot be read.
bool read_kernel_meta_queue(const std::string& meta_dir, FileSystem& fs, std::vector<QueuedFragment>* out,
                            Diagnostics* diags);

}  // namespace kmeta::config
