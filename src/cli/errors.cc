#include "cli/errors.h"

#include <cstdio>
#include <string>

#include "base/diagnostic_render.h"
#include "base/file_system.h"

namespace kmeta::cli {

void print_errors(std::string_view command, const Diagnostics& ds, bool with_warnings) {
  DiskFileSystem sources;
  std::string out;
  for (const Diagnostic& d : ds.items()) {
    if (d.severity != Severity::error && !with_warnings) continue;
    if (!d.where.valid() && !command.empty()) out.append(command).append(": ");
    out += render_with_source(d, sources);
  }
  std::fputs(out.c_str(), stderr);
}

}  // namespace kmeta::cli
