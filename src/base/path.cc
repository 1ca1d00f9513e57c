#include "base/path.h"

#include <vector>

namespace kmeta {

std::string path_dirname(std::string_view p) {
  if (p.empty()) return ".";
  size_t end = p.size();
  while (end > 1 && p[end - 1] == '/') --end;  // trailing slashes
  if (end == 1 && p[0] == '/') return "/";
  size_t slash = p.rfind('/', end - 1);
  if (slash == std::string_view::npos) return ".";
  while (slash > 0 && p[slash - 1] == '/') --slash;  // slashes before the last component
  if (slash == 0) return "/";
  return std::string(p.substr(0, slash));
}

std::string path_basename(std::string_view p) {
  if (p.empty()) return "";
  size_t end = p.size();
  while (end > 1 && p[end - 1] == '/') --end;
  if (end == 1 && p[0] == '/') return "/";
  size_t slash = p.rfind('/', end - 1);
  size_t start = slash == std::string_view::npos ? 0 : slash + 1;
  return std::string(p.substr(start, end - start));
}

std::string lexically_normal(std::string_view p) {
  bool abs = !p.empty() && p[0] == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view c = p.substr(i, j - i);
    if (c.empty() || c == ".") {
    } else if (c == "..") {
      if (!parts.empty() && parts.back() != "..")
        parts.pop_back();
      else if (!abs)
        parts.push_back(c);
    } else {
      parts.push_back(c);
    }
    i = j + 1;
  }
  if (parts.empty()) return abs ? std::string("/") : std::string(".");
  std::string out;
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k || abs) out += '/';
    out += parts[k];
  }
  return out;
}

std::string absolute_path(std::string_view p, std::string_view cwd) {
  if (!p.empty() && p[0] == '/') return std::string(p);
  std::string out(cwd);
  if (out.empty() || out.back() != '/') out += '/';
  out += p;
  return out;
}

bool path_within(std::string_view p, std::string_view dir) {
  std::string np = lexically_normal(p), nd = lexically_normal(dir);
  if (nd == "/") return np[0] == '/';
  if (np.size() < nd.size() || np.compare(0, nd.size(), nd) != 0) return false;
  return np.size() == nd.size() || np[nd.size()] == '/';
}

}  // namespace kmeta
