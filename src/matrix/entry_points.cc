#include "matrix/entry_points.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "scc/find.h"

namespace kmeta::matrix {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

void walk(scc::FileSystem& fs, const std::string& dir, std::vector<std::string>* out) {
  for (const scc::DirEntry& e : fs.list(dir)) {
    std::string p = (dir == "/" ? "" : dir) + "/" + e.name;
    if (e.is_dir)
      walk(fs, p, out);
    else if (e.name.size() > 4 && e.name.compare(e.name.size() - 4, 4, ".scc") == 0)
      out->push_back(p);
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> scc_defines(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    size_t i = 0;
    while (i < line.size() && is_space(line[i])) ++i;
    if (line.substr(i, 6) != "define" || i + 6 >= line.size() || !is_space(line[i + 6])) continue;
    i += 6;
    while (i < line.size() && is_space(line[i])) ++i;
    size_t b = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    std::string name(line.substr(b, i - b));
    while (i < line.size() && is_space(line[i])) ++i;
    size_t e = line.size();
    while (e > i && is_space(line[e - 1])) --e;
    if (!name.empty()) out.emplace_back(std::move(name), std::string(line.substr(i, e - i)));
  }
  return out;
}

std::vector<EntryPoint> find_entry_points(scc::FileSystem& fs, const std::vector<std::string>& caches,
                                          const std::string& kernel,
                                          std::string (*arch_of)(std::string_view karch)) {
  std::vector<std::string> files;
  for (const std::string& c : caches) walk(fs, c, &files);
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());

  std::map<std::string, std::string> karch_of;                       // file -> KARCH
  std::map<std::pair<std::string, std::string>, std::string> pairs;  // (machine, type) -> first naming file
  for (const std::string& f : files) {
    auto text = fs.read(f);
    if (!text) continue;
    std::vector<std::string> machines, types;
    std::string karch;
    for (const auto& [n, v] : scc_defines(*text)) {
      if (v.empty()) continue;
      if (n == "KMACHINE" && std::find(machines.begin(), machines.end(), v) == machines.end())
        machines.push_back(v);
      if (n == "KTYPE" && std::find(types.begin(), types.end(), v) == types.end()) types.push_back(v);
      if (n == "KARCH" && karch.empty()) karch = v;
    }
    karch_of[f] = karch;
    for (const auto& m : machines)
      for (const auto& t : types) pairs.emplace(std::make_pair(m, t), f);
  }

  std::vector<EntryPoint> out;
  for (const auto& [key, named_by] : pairs) {
    std::string arch = arch_of(karch_of[named_by]);
    scc::FindOptions fo;
    fo.cwd = kernel;
    fo.include_args = caches;
    fo.include_args.push_back(str_cat({kernel, "/arch/", arch, "/configs"}));
    fo.include_args.push_back(kernel + "/kernel/configs");
    fo.kmachine = key.first;
    fo.ktype = key.second;
    scc::FindResult r = scc::find_bsp(fs, fo);
    EntryPoint e;
    e.machine = key.first;
    e.ktype = key.second;
    e.definition = r.found ? r.path : named_by;
    auto it = karch_of.find(e.definition);
    e.karch = it != karch_of.end() ? it->second : karch_of[named_by];
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace kmeta::matrix
