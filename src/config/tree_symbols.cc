#include "config/tree_symbols.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "base/strings.h"

namespace kmeta::config {

namespace {

// Every file named Kconfig* below `dir` (relative paths), skipping entries
// whose name starts with '.', as Python's glob("**/Kconfig*") does.
void find_kconfigs(const std::string& root, const std::string& rel, std::vector<std::string>* out) {
  std::string dir = rel.empty() ? root : root + "/" + rel;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> subdirs;
  while (struct dirent* e = ::readdir(d)) {
    const char* n = e->d_name;
    if (n[0] == '.') continue;
    std::string child = rel.empty() ? std::string(n) : rel + "/" + n;
    unsigned char t = e->d_type;
    if (t == DT_UNKNOWN || t == DT_LNK) {
      struct stat st;
      if (::stat((root + "/" + child).c_str(), &st) != 0) continue;
      t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if (t == DT_DIR)
      subdirs.push_back(std::move(child));
    else if (t == DT_REG && std::strncmp(n, "Kconfig", 7) == 0)
      out->push_back(std::move(child));
  }
  ::closedir(d);
  for (const auto& s : subdirs) find_kconfigs(root, s, out);
}

}  // namespace

const std::unordered_map<std::string, std::vector<Location>>& TreeSymbols::Index::defs() {
  std::call_once(once_, [this] { scan(); });
  return defs_;
}

void TreeSymbols::Index::scan() {
  std::vector<std::string> files;
  find_kconfigs(ksrc_, "", &files);
  std::sort(files.begin(), files.end());
  for (const std::string& rel : files) {
    auto text = read_(ksrc_ + "/" + rel, nullptr);
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
        if (p != std::string_view::npos && p < 4) p = std::string_view::npos;
      } else if (starts_with(line, "config ")) {
        p = 0;
      }
      if (p == std::string_view::npos) continue;
      size_t b = p + 7, e = b;
      while (e < line.size() && (std::isalnum(static_cast<unsigned char>(line[e])) || line[e] == '_')) ++e;
      if (e > b) defs_[std::string(line.substr(b, e - b))].push_back({rel, n, 0});
    }
  }
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
