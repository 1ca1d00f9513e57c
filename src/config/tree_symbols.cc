#include "config/tree_symbols.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "base/strings.h"

namespace kmeta::config {

namespace {

// Every file named Kconfig* below `dir` (relative paths), skipping entries
// whose name starts with '.', as Python's glob("**/Kconfig*") does.
// Symlinks are followed (as glob's os.scandir + is_dir() do). A Kconfig* that
// is not a regular file is refused when read.
void find_kconfigs(FileSystem& fs, const std::string& root, const std::string& rel,
                   std::vector<std::string>* out) {
  std::string dir = root;
  if (!rel.empty()) dir.append("/").append(rel);
  std::vector<std::string> subdirs;
  for (const DirEntry& e : fs.list(dir)) {
    if (e.name[0] == '.') continue;
    std::string child = rel.empty() ? e.name : str_cat({rel, "/", e.name});
    bool is_dir = e.is_dir;
    if (e.is_symlink) {
      FileType t = fs.type(str_cat({root, "/", child}));
      if (t == FileType::missing) continue;
      is_dir = t == FileType::directory;
    }
    if (is_dir)
      subdirs.push_back(std::move(child));
    else if (e.name.compare(0, 7, "Kconfig") == 0)
      out->push_back(std::move(child));
  }
  for (const auto& s : subdirs) find_kconfigs(fs, root, s, out);
}

}  // namespace

const std::unordered_map<std::string, std::vector<Location>>& TreeSymbols::Index::defs() {
  std::call_once(once_, [this] { scan(); });
  return defs_;
}

void TreeSymbols::Index::scan() {
  std::vector<std::string> files;
  find_kconfigs(*fs_, ksrc_, "", &files);
  std::sort(files.begin(), files.end());
  for (const std::string& rel : files) {
    auto text = fs_->read_result(ksrc_ + "/" + rel, {.keep = false}).text;
    if (!text) continue;
    std::string_view all = *text;
    int n = 0;
    size_t pos = 0;
    while (pos < all.size()) {
      size_t nl = all.find('\n', pos);
      size_t end = nl == std::string_view::npos ? all.size() : nl;
      std::string_view line = all.substr(pos, end - pos);
      pos = end + 1;
      ++n;
      size_t p = std::string_view::npos;
      if (starts_with(line, "menu")) {
        p = line.rfind("config ");
        if (p < 4) p = std::string_view::npos;  // (npos is never < 4)
      } else if (starts_with(line, "config ")) {
        p = 0;
      }
      if (p == std::string_view::npos) continue;
      size_t b = p + 7, e = b;
      while (e < line.size() && (std::isalnum(static_cast<unsigned char>(line[e])) || line[e] == '_')) ++e;
      if (e > b) defs_[std::string(line.substr(b, e - b))].push_back({rel, n, 0});
    }
  }
  fs_.reset();
}

const Location* TreeSymbols::find(const std::string& name) {
  scanned_ = true;
  const auto& defs = index_->defs();
  auto it = defs.find(name);
  return it == defs.end() || it->second.empty() ? nullptr : &it->second.front();
}

std::vector<Location> TreeSymbols::all(const std::string& name) {
  scanned_ = true;
  const auto& defs = index_->defs();
  auto it = defs.find(name);
  return it == defs.end() ? std::vector<Location>{} : it->second;
}

}  // namespace kmeta::config
