// A new directory beside a path, for output built in several files (or by
// another program) and then renamed over that path. The directory sibling of
// AtomicFile (file_util.h): same name scheme, same guarantees, defined in
// file_util.cc.
#pragma once

#include <sys/types.h>

#include <string>

namespace kmeta {

// `<dir>/.<name>.kmeta-tmp.<16 random hex digits>` beside `path`, made with
// mkdir (which never follows a symlink: a planted file or link of that name
// makes another name be drawn), mode `mode` & ~umask. Parent directories are
// created. Returns its path, or "" with *error set ("PATH: reason"). The
// caller removes it when abandoning the output.
std::string create_temp_dir_beside(const std::string& path, std::string* error = nullptr, mode_t mode = 0755);

}  // namespace kmeta
