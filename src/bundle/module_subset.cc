#include "bundle/module_subset.h"

#include <fmt/format.h>
#include <libkmod.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "base/file_util.h"
#include "base/strings.h"
#include "bundle/process.h"

namespace fs = std::filesystem;

namespace kmeta::bundle {

namespace {

bool is_module_file(const std::string& fname) {
  for (const char* ext : {".ko", ".ko.xz", ".ko.zst", ".ko.gz"})
    if (ends_with(fname, ext)) return true;
  return false;
}

std::string module_name_of(const std::string& relpath) {
  std::string base = fs::path(relpath).filename().string();
  return normalize_module_name(base.substr(0, base.find(".ko")));
}

void quiet_log(void*, int, const char*, int, const char*, const char*, va_list) {}

// The modules of one lib/modules/<release> directory, through libkmod.
class Tree {
 public:
  explicit Tree(const std::string& dir) : dir_(fs::absolute(dir).lexically_normal().string()) {
    while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
    static const char* const kNoConfig[] = {nullptr};
    ctx_ = kmod_new(dir_.c_str(), kNoConfig);
    if (ctx_) kmod_set_log_fn(ctx_, quiet_log, nullptr);
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec) || !is_module_file(it->path().filename().string())) continue;
      std::string rel = fs::relative(it->path(), dir_, ec).string();
      by_name_.emplace(module_name_of(rel), rel);
    }
  }
  ~Tree() {
    for (auto& [n, m] : mods_)
      if (m) kmod_module_unref(m);
    if (ctx_) kmod_unref(ctx_);
  }
  bool ok() const { return ctx_ != nullptr; }
  const std::string& dir() const { return dir_; }
  const std::multimap<std::string, std::string>& modules() const { return by_name_; }

  kmod_module* get(const std::string& name) {
    auto it = mods_.find(name);
    if (it != mods_.end()) return it->second;
    kmod_module* m = nullptr;
    if (kmod_module_new_from_name(ctx_, name.c_str(), &m) < 0) m = nullptr;
    if (m && !kmod_module_get_path(m)) {
      kmod_module_unref(m);
      m = nullptr;
    }
    mods_[name] = m;
    return m;
  }
  std::string relpath(kmod_module* m) const {
    std::string p = kmod_module_get_path(m) ? kmod_module_get_path(m) : "";
    if (starts_with(p, dir_ + "/")) return p.substr(dir_.size() + 1);
    return p;
  }
  std::vector<kmod_module*> deps(kmod_module* m) {
    std::vector<kmod_module*> out;
    kmod_list* l = kmod_module_get_dependencies(m);
    kmod_list* e;
    kmod_list_foreach(e, l) {
      kmod_module* d = kmod_module_get_module(e);
      std::string n = kmod_module_get_name(d);
      kmod_module_unref(d);
      if (kmod_module* g = get(n)) out.push_back(g);
    }
    kmod_module_unref_list(l);
    return out;
  }
  std::vector<std::pair<std::string, std::string>> info(kmod_module* m) {
    std::vector<std::pair<std::string, std::string>> out;
    kmod_list* l = nullptr;
    if (kmod_module_get_info(m, &l) < 0) return out;
    kmod_list* e;
    kmod_list_foreach(e, l) out.emplace_back(kmod_module_info_get_key(e), kmod_module_info_get_value(e));
    kmod_module_info_free_list(l);
    return out;
  }
  // Exported symbols of a module.
  std::vector<std::string> exports(kmod_module* m) {
    std::vector<std::string> out;
    kmod_list* l = nullptr;
    if (kmod_module_get_symbols(m, &l) < 0) return out;
    kmod_list* e;
    kmod_list_foreach(e, l) out.emplace_back(kmod_module_symbol_get_symbol(e));
    kmod_module_symbols_free_list(l);
    return out;
  }
  // Symbols a module needs, with whether the reference is weak.
  std::vector<std::pair<std::string, bool>> needs(kmod_module* m) {
    std::vector<std::pair<std::string, bool>> out;
    kmod_list* l = nullptr;
    if (kmod_module_get_dependency_symbols(m, &l) < 0) return out;
    kmod_list* e;
    kmod_list_foreach(e, l) out.emplace_back(kmod_module_dependency_symbol_get_symbol(e),
                                             kmod_module_dependency_symbol_get_bind(e) == KMOD_SYMBOL_WEAK);
    kmod_module_dependency_symbols_free_list(l);
    return out;
  }
  // Which module of the whole tree exports `sym` ("" when none).
  std::string exporter(const std::string& sym) {
    kmod_list* l = nullptr;
    std::string alias = "symbol:" + sym;
    if (kmod_module_new_from_lookup(ctx_, alias.c_str(), &l) < 0 || !l) return "";
    kmod_module* m = kmod_module_get_module(l);
    std::string n = kmod_module_get_name(m);
    kmod_module_unref(m);
    kmod_module_unref_list(l);
    return n;
  }

 private:
  std::string dir_;
  kmod_ctx* ctx_ = nullptr;
  std::multimap<std::string, std::string> by_name_;  // name -> relpath (on disk)
  std::map<std::string, kmod_module*> mods_;
};

std::set<std::string> builtin_names(const std::string& modules_dir) {
  std::set<std::string> out;
  if (auto text = read_file(modules_dir + "/modules.builtin"))
    for (std::string_view line : split_lines(*text))
      if (!trim(line).empty()) out.insert(module_name_of(std::string(trim(line))));
  return out;
}

std::vector<std::string> softdep_names(const std::string& value) {
  // "pre: a b post: c"
  std::vector<std::string> out;
  for (std::string_view w : split(value, ' ')) {
    if (w.empty() || w.back() == ':') continue;
    out.push_back(normalize_module_name(w));
  }
  return out;
}

}  // namespace

std::string config_for_module(const std::string& source_tree, const std::string& name) {
  if (source_tree.empty() || !is_directory(source_tree)) return "";
  std::string want = normalize_module_name(name) + ".o";
  std::string stem = want.substr(0, want.size() - 2), dashed = stem;
  for (char& c : dashed)
    if (c == '_') c = '-';
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(source_tree, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string fname = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (fname == ".git" || fname == "Documentation" || fname == "tools") it.disable_recursion_pending();
      continue;
    }
    if (fname != "Makefile" && fname != "Kbuild") continue;
    auto text = read_file(it->path().string());
    if (!text || (text->find(stem) == std::string::npos && text->find(dashed) == std::string::npos)) continue;
    // Join continuation lines, then look at obj-$(CONFIG_X) lines.
    std::string joined;
    for (std::string_view line : split_lines(*text)) {
      if (!line.empty() && line.back() == '\\') {
        joined.append(line.substr(0, line.size() - 1));
        joined += ' ';
        continue;
      }
      joined.append(line);
      std::string_view l = trim(joined);
      if (starts_with(l, "obj-$(CONFIG_")) {
        size_t close = l.find(')');
        size_t eq = l.find('=');
        if (close != std::string_view::npos && eq != std::string_view::npos && close < eq) {
          std::string sym(l.substr(6, close - 6));
          for (std::string_view w : split(l.substr(eq + 1), ' '))
            for (std::string_view x : split(w, '\t'))
              if (!x.empty() && normalize_module_name(x) == want) return sym;
        }
      }
      joined.clear();
    }
  }
  return "";
}

bool select_modules(const KernelInputs& in, const SubsetRequest& req, Subset* out, Diagnostics* diags) {
  size_t errors_before = diags->error_count();
  Tree tree(in.modules_dir);
  if (!tree.ok()) {
    diags->error(Location{in.modules_dir}, "libkmod cannot open this modules directory");
    return false;
  }
  auto config = read_dotconfig_values(read_file(in.config).value_or(""));
  if (config["CONFIG_MODULES"] != "y")
    diags->error(Location{in.config}, "CONFIG_MODULES is not set: this kernel loads no modules");
  std::set<std::string> builtin;
  bool builtin_read = false;

  // 1. The selection, entry by entry (exclusions drop what came before).
  std::map<std::string, SubsetModule> chosen;  // relpath -> module
  std::map<std::string, Location> excluded;    // relpath -> the exclusion line
  std::vector<std::string> all_names;
  for (const auto& [n, r] : tree.modules()) all_names.push_back(n);
  for (const ListEntry& e : req.entries) {
    std::vector<std::pair<std::string, std::string>> hits;
    if (e.kind == ListEntry::Kind::name) {
      auto [a, b] = tree.modules().equal_range(e.pattern);
      for (auto it = a; it != b; ++it) hits.emplace_back(it->first, it->second);
    } else {
      for (const auto& [n, r] : tree.modules())
        if (entry_matches(e, n, r)) hits.emplace_back(n, r);
    }
    if (e.exclude) {
      for (const auto& [n, r] : hits) {
        chosen.erase(r);
        excluded[r] = e.where;
      }
      continue;
    }
    for (const auto& [n, r] : hits) {
      excluded.erase(r);
      if (!chosen.count(r)) chosen[r] = SubsetModule{n, r, "selected", e.where};
    }
    if (!hits.empty() || e.optional) continue;
    if (e.kind != ListEntry::Kind::name) {
      diags->error(e.where, fmt::format("'{}' matches no module in {}", e.pattern, in.modules_dir), e.chain);
      continue;
    }
    if (!builtin_read) {
      builtin = builtin_names(in.modules_dir);
      builtin_read = true;
    }
    std::string sym = config_for_module(in.kernel_source, e.pattern);
    std::string value = sym.empty() ? "" : (config.count(sym) ? config[sym] : "n");
    if (builtin.count(e.pattern)) {
      diags->warning(
          e.where,
          fmt::format("module '{}' is built into the kernel{}: nothing to ship", e.pattern,
                      sym.empty() ? std::string(" (modules.builtin)") : fmt::format(" ({}=y)", sym)),
          e.chain);
      continue;
    }
    std::string why;
    if (!sym.empty())
      why = value == "n" ? fmt::format(" ({} is not set in {})", sym, in.config)
                         : fmt::format(" ({}={} in {}, but no module was installed)", sym, value, in.config);
    else if (in.kernel_source.empty())
      why = " (pass --kernel SRC to name its CONFIG_ option)";
    std::string guess = suggest(e.pattern, all_names);
    diags->error(e.where,
                 fmt::format("module '{}' is not built by this kernel{}{}", e.pattern, why,
                             guess.empty() ? "" : fmt::format("; did you mean '{}'?", guess)),
                 e.chain);
  }

  // 2. Closure over modules.dep and softdeps.
  std::vector<std::string> work;
  work.reserve(chosen.size());
  for (const auto& [r, m] : chosen) work.push_back(r);
  std::map<std::string, std::string> rel_of_name;
  for (const auto& [r, m] : chosen) rel_of_name[m.name] = r;
  auto add = [&](const std::string& name, const std::string& rel, const std::string& why,
                 const Location& where) {
    if (chosen.count(rel)) return;
    if (auto ex = excluded.find(rel); ex != excluded.end())
      diags->warning(ex->second,
                     fmt::format("'{}' was excluded here but is needed ({}): shipped anyway", name, why));
    chosen[rel] = SubsetModule{name, rel, why, where};
    rel_of_name[name] = rel;
    work.push_back(rel);
  };
  while (!work.empty()) {
    std::string rel = work.back();
    work.pop_back();
    SubsetModule cur = chosen[rel];
    kmod_module* m = tree.get(cur.name);
    if (!m) {
      diags->error(cur.where,
                   fmt::format("module '{}' ({}) is not in {}/modules.dep: the index is stale; re-run depmod",
                               cur.name, rel, in.modules_dir));
      continue;
    }
    if (req.dependencies)
      for (kmod_module* d : tree.deps(m))
        add(kmod_module_get_name(d), tree.relpath(d), "dependency of " + cur.name, cur.where);
    for (const auto& [key, value] : tree.info(m)) {
      if (key == "softdep" && req.softdeps) {
        for (const std::string& n : softdep_names(value)) {
          kmod_module* s = tree.get(n);
          if (s)
            add(n, tree.relpath(s), "softdep of " + cur.name, cur.where);
          else {
            if (!builtin_read) {
              builtin = builtin_names(in.modules_dir);
              builtin_read = true;
            }
            if (!builtin.count(n))
              diags->warning(cur.where,
                             fmt::format("softdep '{}' of module '{}' is not in the tree", n, cur.name));
          }
        }
      } else if (key == "firmware" && !req.firmware_dir.empty()) {
        std::string found;
        for (const char* ext : {"", ".zst", ".xz"})
          if (file_exists(req.firmware_dir + "/" + value + ext)) {
            found = value + ext;
            break;
          }
        if (found.empty())
          diags->warning(cur.where, fmt::format("firmware '{}' declared by module '{}' is not in {}", value,
                                                cur.name, req.firmware_dir));
        else
          out->firmware.push_back({found, req.firmware_dir + "/" + found, cur.name});
      } else if (key == "vermagic") {
        std::string v = std::string(value.substr(0, value.find(' ')));
        if (!in.release.empty() && v != in.release)
          diags->error(cur.where, fmt::format("module '{}' ({}) is built for kernel {}, not {}", cur.name,
                                              rel, v, in.release));
      }
    }
  }

  // 3. Every symbol a subset module needs: the kernel or the subset exports it.
  std::set<std::string> provided;
  if (!read_kernel_exports(in.system_map, &provided, diags)) return false;
  for (const auto& [r, sm] : chosen)
    if (kmod_module* m = tree.get(sm.name))
      for (auto& s : tree.exports(m)) provided.insert(s);
  for (const auto& [r, sm] : chosen) {
    kmod_module* m = tree.get(sm.name);
    if (!m) continue;
    for (const auto& [sym, weak] : tree.needs(m)) {
      if (weak || provided.count(sym)) continue;
      std::string from = tree.exporter(sym);
      std::string hint = from.empty() ? " (no module of the tree exports it either)"
                                      : fmt::format(" (module '{}' exports it: add it{})", from,
                                                    req.dependencies ? "" : ", or drop --no-deps");
      diags->error(sm.where,
                   fmt::format("module '{}' needs symbol '{}', which neither the kernel ({}) nor the subset "
                               "provides{}",
                               sm.name, sym, in.system_map, hint));
      out->unresolved.push_back(sm.name + ": " + sym);
    }
  }
  std::sort(out->unresolved.begin(), out->unresolved.end());
  out->modules.clear();
  for (auto& [r, m] : chosen) out->modules.push_back(m);
  std::sort(out->firmware.begin(), out->firmware.end(),
            [](const SubsetFirmware& a, const SubsetFirmware& b) { return a.relpath < b.relpath; });
  out->firmware.erase(
      std::unique(out->firmware.begin(), out->firmware.end(),
                  [](const SubsetFirmware& a, const SubsetFirmware& b) { return a.relpath == b.relpath; }),
      out->firmware.end());
  if (out->modules.empty() && diags->error_count() == errors_before)
    diags->error(Location{}, "the selection is empty: name modules, globs or a --modules-list");
  return diags->error_count() == errors_before;
}

bool stage_subset(const KernelInputs& in, const Subset& subset, const std::string& root, Diagnostics* diags) {
  std::string dest = root + "/lib/modules/" + in.release;
  std::error_code ec;
  fs::create_directories(dest, ec);
  if (ec) {
    diags->error(Location{dest}, "cannot create: " + ec.message());
    return false;
  }
  // The modules, and modules.order listing exactly them (tree order first,
  // then by path), so depmod's output order never depends on readdir order.
  std::set<std::string> rels;
  for (const auto& m : subset.modules) {
    fs::create_directories(fs::path(dest + "/" + m.relpath).parent_path(), ec);
    if (!ec) fs::copy_file(in.modules_dir + "/" + m.relpath, dest + "/" + m.relpath, ec);
    if (ec) {
      diags->error(Location{in.modules_dir + "/" + m.relpath}, "cannot copy: " + ec.message());
      return false;
    }
    rels.insert(m.relpath);
  }
  std::string order;
  std::set<std::string> listed;
  if (auto text = read_file(in.modules_dir + "/modules.order"))
    for (std::string_view line : split_lines(*text)) {
      std::string l(trim(line));
      // modules.order may list foo.o or foo.ko (older kernels), without a compression suffix.
      for (const auto& r : rels)
        if (!listed.count(r) && (r == l || r.substr(0, r.find(".ko") + 3) == l)) {
          order += r + "\n";
          listed.insert(r);
        }
    }
  for (const auto& r : rels)
    if (!listed.count(r)) order += r + "\n";
  std::string err;
  bool ok = write_file_atomic(dest + "/modules.order", order, &err);
  for (const char* f : {"modules.builtin", "modules.builtin.modinfo"})
    if (ok && file_exists(in.modules_dir + "/" + f)) {
      fs::copy_file(in.modules_dir + "/" + f, dest + "/" + f, ec);
      ok = !ec;
      if (ec) err = ec.message();
    }
  if (!ok) {
    diags->error(Location{dest}, "cannot write the subset's index inputs: " + err);
    return false;
  }
  std::string depmod = find_program("depmod");
  if (depmod.empty()) {
    diags->error(Location{}, "depmod not found (install Debian's kmod): it writes the subset's modules.dep");
    return false;
  }
  std::string conf = root + "/.kmeta-depmod.d";
  fs::create_directories(conf, ec);
  std::string output;
  int rc = run_program({depmod, "-b", root, "-C", conf, in.release}, &output);
  fs::remove_all(conf, ec);
  if (rc != 0) {
    diags->error(Location{dest}, fmt::format("depmod failed (exit {}): {}", rc, trim(output)));
    return false;
  }
  for (const auto& f : subset.firmware) {
    std::string to = root + "/lib/firmware/" + f.relpath;
    fs::create_directories(fs::path(to).parent_path(), ec);
    if (!ec) fs::copy_file(f.source, to, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      diags->error(Location{f.source}, "cannot copy firmware: " + ec.message());
      return false;
    }
  }
  return true;
}

}  // namespace kmeta::bundle
