#include "scc/cmdline.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "scc/compiler.h"
#include "scc/writer.h"

namespace kmeta::scc {

bool parse_define(const std::string& text, std::pair<std::string, std::string>* out, std::string* error) {
  size_t eq = text.find('=');
  std::string name = text.substr(0, eq);
  bool ok = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name)
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (eq == std::string::npos || !ok) {
    *error = fmt::format("-D expects NAME=VALUE, got '{}'", text);
    return false;
  }
  *out = {name, text.substr(eq + 1)};
  return true;
}

namespace {

// "-Xvalue", "--Xvalue", "-X value", "--X value" (the reference's -D/-I forms).
bool take_attached(const std::vector<std::string>& a, size_t* i, char letter, std::string* value,
                   bool* missing) {
  const std::string& s = a[*i];
  std::string one = std::string("-") + letter, two = std::string("--") + letter;
  if (s == one || s == two) {
    if (*i + 1 >= a.size()) {
      *missing = true;
      return true;
    }
    *value = a[++*i];
    return true;
  }
  if (starts_with(s, two)) {
    *value = s.substr(3);
    return true;
  }
  if (starts_with(s, one)) {
    *value = s.substr(2);
    return true;
  }
  return false;
}

}  // namespace

bool parse_scc_args(const std::vector<std::string>& a, SccArgs* o, std::string* error) {
  size_t i = 0;
  for (; i < a.size(); ++i) {
    const std::string& s = a[i];
    std::string v;
    bool missing = false;
    if (s == "--help" || s == "-h") {
      o->help = true;
    } else if (take_attached(a, &i, 'D', &v, &missing)) {
      if (missing) return *error = "-D needs NAME=VALUE", false;
      std::pair<std::string, std::string> d;
      if (!parse_define(v, &d, error)) return false;
      o->defines.push_back(d);
    } else if (take_attached(a, &i, 'I', &v, &missing)) {
      if (missing) return *error = "-I needs a directory", false;
      if (!v.empty()) o->include_args.push_back(v);
    } else if (s == "--force" || s == "-f") {
      o->force = true;
    } else if (s == "--cmds") {
      if (i + 1 >= a.size()) return *error = "--cmds needs a list", false;
      o->cmds = a[++i];
      std::vector<std::string> unknown;
      CommandSet::parse(*o->cmds, &unknown);
      if (!unknown.empty())
        return *error = "--cmds: unknown command '" + unknown[0] +
                        "' (valid: branch, define, kconf, mark, merge, patch)",
               false;
    } else if (s == "--configs") {
      o->configs = true;
    } else if (s == "-i" || s == "-p" || s == "--patches" || s == "-c" || s == "--config") {
      // accepted for compatibility; they change nothing in the reference's output either
    } else if (s == "-o") {
      if (i + 1 >= a.size()) return *error = "-o needs a directory", false;
      o->output_spec = a[++i];
      o->outdir = o->output_spec.substr(0, o->output_spec.find(':'));
      if (o->outdir.empty()) return *error = "-o needs a directory (an empty value is not allowed)", false;
      std::vector<std::string> unknown;
      Artifacts::parse(o->output_spec, &unknown);
      if (!unknown.empty())
        return *error = "-o " + o->output_spec + ": unknown artifact '" + unknown[0] +
                        "' (valid: meta, cfg, patch, merge)",
               false;
    } else if (s == "-v") {
      o->verbose = true;
    } else if (s == "-w") {
      o->warn_missing = true;
    } else if (s == "--lint") {
      o->lint = true;
    } else if (s == "--json") {
      o->json = true;
    } else if (s == "-W" || s == "--warnings") {
      o->warnings = true;
    } else if (s == "--date") {
      o->date = true;
    } else if (starts_with(s, "--collate=")) {
      o->collate = s.substr(10);
      if (o->collate != "bytes" && o->collate != "locale")
        return *error = "--collate expects 'bytes' or 'locale'", false;
    } else if (starts_with(s, "--dump=")) {
      o->dump = s.substr(7);
      if (o->dump != "ast" && o->dump != "series") return *error = "--dump expects 'ast' or 'series'", false;
    } else if (s == "--") {
      ++i;
      break;
    } else {
      break;
    }
  }
  o->inputs.assign(a.begin() + static_cast<std::ptrdiff_t>(i), a.end());
  return true;
}

bool parse_spp_args(const std::vector<std::string>& a, SppArgs* o, std::string* error) {
  size_t i = 0;
  for (; i < a.size(); ++i) {
    const std::string& s = a[i];
    std::string v;
    bool missing = false;
    if (s == "--help" || s == "-h") {
      o->help = true;
    } else if (s == "--find") {
      o->find = true;
    } else if (s == "--fuzz") {
      o->fuzz = true;
    } else if (take_attached(a, &i, 'D', &v, &missing)) {
      if (missing) return *error = "-D needs NAME=VALUE", false;
      std::pair<std::string, std::string> d;
      if (!parse_define(v, &d, error)) return false;
      o->defines.push_back(d);
    } else if (take_attached(a, &i, 'I', &v, &missing)) {
      if (missing) return *error = "-I needs a directory", false;
      if (!v.empty()) o->include_args.push_back(v);
    } else if (s == "--force" || s == "-f" || s == "-i" || s == "-w") {
    } else if (s == "-o") {
      return *error = "kmeta spp only implements --find (-o is the preprocessor's output)", false;
    } else if (s == "-v") {
      o->verbose = true;
    } else if (starts_with(s, "--collate=")) {
      o->collate = s.substr(10);
      if (o->collate != "bytes" && o->collate != "locale")
        return *error = "--collate expects 'bytes' or 'locale'", false;
    } else if (s == "--") {
      ++i;
      break;
    } else {
      break;
    }
  }
  o->inputs.assign(a.begin() + static_cast<std::ptrdiff_t>(i), a.end());
  return true;
}

}  // namespace kmeta::scc
