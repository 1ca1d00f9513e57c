#include "kbuild/tree_objects.h"

#include <optional>
#include <set>
#include <vector>

#include "base/file_util.h"
#include "base/strings.h"

namespace kmeta::kbuild {

namespace {

struct Ctx {
  const std::string& srctree;
  const std::string& srcarch;
  const std::map<std::string, std::string>& config;
  std::set<std::string> seen;
};

// "y", "m", "$(CONFIG_X)": whether the list is built.
bool condition_holds(std::string_view cond, const Ctx& c) {
  if (cond == "y" || cond == "m") return true;
  if (starts_with(cond, "$(CONFIG_") && ends_with(cond, ")")) {
    auto it = c.config.find(std::string(cond.substr(9, cond.size() - 10)));
    return it != c.config.end() && (it->second == "y" || it->second == "m");
  }
  return false;
}

std::string substitute(std::string word, const Ctx& c) {
  size_t p;
  while ((p = word.find("$(SRCARCH)")) != std::string::npos) word.replace(p, 10, c.srcarch);
  return word;
}

struct Assignment {
  std::string name, cond;
  std::vector<std::string> words;
};

// Logical lines (continuations joined, comments dropped) of the form
// `name-cond [:+]= words`.
std::vector<Assignment> read_assignments(const std::string& text) {
  std::vector<Assignment> out;
  std::string logical;
  auto flush = [&] {
    std::string_view l = trim(logical);
    size_t hash = l.find('#');
    if (hash != std::string_view::npos) l = trim(l.substr(0, hash));
    size_t eq = l.find('=');
    if (eq != std::string_view::npos && eq > 0) {
      std::string_view lhs = trim(l.substr(0, eq));
      if (!lhs.empty() && (lhs.back() == '+' || lhs.back() == ':')) lhs = trim(lhs.substr(0, lhs.size() - 1));
      size_t dash = lhs.find('-');
      if (dash != std::string_view::npos && lhs.find(' ') == std::string_view::npos) {
        Assignment a;
        a.name = std::string(lhs.substr(0, dash));
        a.cond = std::string(lhs.substr(dash + 1));
        for (std::string_view w : split(l.substr(eq + 1), ' '))
          for (std::string_view w2 : split(w, '\t'))
            if (!trim(w2).empty()) a.words.emplace_back(trim(w2));
        out.push_back(std::move(a));
      }
    }
    logical.clear();
  };
  for (std::string_view line : split_lines(text)) {
    if (!line.empty() && line.back() == '\\') {
      logical.append(line.substr(0, line.size() - 1));
      logical += ' ';
      continue;
    }
    logical.append(line);
    flush();
  }
  flush();
  return out;
}

size_t count_dir(const std::string& dir, Ctx& c) {
  if (!c.seen.insert(dir).second) return 0;
  std::string base = c.srctree + "/" + dir;
  std::optional<std::string> text;
  if (dir.empty()) {
    // The top: the Kbuild file, the Makefile's core-y/libs-y and the arch
    // Makefile's additions, all relative to the top.
    std::string all;
    for (const std::string& f :
         {std::string("Kbuild"), std::string("Makefile"), "arch/" + c.srcarch + "/Makefile"})
      if (auto t = read_file(base + f)) all += *t + "\n";
    text = all;
  } else {
    text = read_file(base + "Kbuild");
    if (!text) text = read_file(base + "Makefile");
  }
  if (!text) return 0;
  std::vector<Assignment> as = read_assignments(*text);
  // Composite objects: foo-y / foo-objs / foo-$(CONFIG_X) parts.
  std::map<std::string, size_t> parts;
  for (const auto& a : as) {
    if (a.name == "obj" || a.name == "lib" || a.name == "subdir" || a.name == "always" ||
        a.name == "ccflags" || a.name == "asflags" || a.name == "hostprogs" || a.name == "targets" ||
        a.name == "extra")
      continue;
    if (a.cond != "objs" && a.cond != "y" && !condition_holds(a.cond, c)) continue;
    for (const auto& w : a.words)
      if (ends_with(w, ".o")) ++parts[a.name + ".o"];
  }
  size_t n = 0;
  for (const auto& a : as) {
    if (a.name != "obj" && a.name != "lib" && a.name != "core" && a.name != "drivers" && a.name != "libs")
      continue;
    if (!condition_holds(a.cond, c)) continue;
    for (const auto& raw : a.words) {
      std::string w = substitute(raw, c);
      if (w.find('$') != std::string::npos) continue;
      if (ends_with(w, "/")) {
        n += count_dir(dir + w, c);
      } else if (ends_with(w, ".o")) {
        auto it = parts.find(w);
        n += it == parts.end() ? 1 : it->second;
      }
    }
  }
  return n;
}

}  // namespace

size_t estimate_objects(const std::string& srctree, const std::string& srcarch,
                        const std::map<std::string, std::string>& config) {
  Ctx c{srctree, srcarch, config, {}};
  return count_dir("", c);
}

std::map<std::string, std::string> read_config_values(const std::string& dotconfig_text) {
  std::map<std::string, std::string> out;
  for (std::string_view line : split_lines(dotconfig_text)) {
    if (!starts_with(line, "CONFIG_")) continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(line.substr(7, eq - 7)), std::string(line.substr(eq + 1)));
  }
  return out;
}

}  // namespace kmeta::kbuild
