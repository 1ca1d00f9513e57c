#include "base/diagnostic_render.h"

#include <fmt/format.h>

namespace kmeta {

std::string render_with_source(const Diagnostic& d, FileSystem& sources) {
  std::string out;
  if (d.where.valid()) out = d.where.str() + ": ";
  out += fmt::format("{}: {}\n", to_string(d.severity), d.message);
  if (d.where.valid() && d.where.line > 0 && !d.where.file.empty() && d.where.file.str()[0] == '/') {
    if (auto content = sources.read(d.where.file)) {
      // The physical line.
      const std::string& c = *content;
      size_t b = 0;
      for (int l = 1; l < d.where.line && b != std::string::npos; ++l) {
        b = c.find('\n', b);
        if (b != std::string::npos) ++b;
      }
      if (b != std::string::npos && b <= c.size()) {
        size_t e = c.find('\n', b);
        std::string line = c.substr(b, e == std::string::npos ? std::string::npos : e - b);
        if (line.size() > 200) line.resize(200);
        out += "    " + line + "\n";
        if (d.where.column > 0 && static_cast<size_t>(d.where.column) <= line.size() + 1) {
          std::string pad;
          for (int i = 0; i + 1 < d.where.column; ++i) pad += line[i] == '\t' ? '\t' : ' ';
          out += "    " + pad + "^\n";
        }
      }
    }
  }
  for (const Location& l : d.chain) out += fmt::format("  {} {}\n", d.chain_verb, l.str());
  return out;
}

std::string render_with_source(const Diagnostics& ds, FileSystem& sources, bool with_warnings) {
  std::string out;
  for (const auto& d : ds.items())
    if (d.severity == Severity::error || with_warnings) out += render_with_source(d, sources);
  return out;
}

}  // namespace kmeta
