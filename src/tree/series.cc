#include "tree/series.h"

#include <cctype>

namespace kmeta::tree {

namespace {

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(uint8_t(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(uint8_t(s[j]))) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

template <typename F>
void for_lines(std::string_view text, F f) {
  size_t at = 0;
  int n = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    std::string_view l = text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
    f(l, ++n);
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
}

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::vector<SeriesEntry> parse_series(std::string_view text) {
  std::vector<SeriesEntry> out;
  for_lines(text, [&](std::string_view l, int n) {
    if (l.empty()) return;
    unsigned char c = uint8_t(l[0]);
    if (!(std::isalnum(c) || c == '_' || c == '/')) return;
    for (std::string_view w : words(l)) out.push_back({std::string(w), n});
  });
  return out;
}

std::vector<std::string> parse_merge_queue(std::string_view text) {
  std::vector<std::string> out;
  for (std::string_view w : words(text)) out.emplace_back(w);
  return out;
}

std::vector<MetaOp> parse_meta_series(std::string_view text) {
  std::vector<MetaOp> out;
  for_lines(text, [&](std::string_view l, int n) {
    std::vector<std::string_view> w = words(l);
    if (starts(l, "branch rename:") && w.size() >= 4) {
      out.push_back({MetaOp::rename, std::string(w[2]), std::string(w[3]), n});
    } else if (starts(l, "branch:") && w.size() >= 2) {
      out.push_back({MetaOp::branch, std::string(w[1]), {}, n});
    } else if (starts(l, "merge:") && w.size() >= 2) {
      out.push_back({MetaOp::merge, std::string(w[1]), {}, n});
    } else if (starts(l, "patch") && w.size() >= 2 && w[0] == "patch") {
      out.push_back({MetaOp::patch, std::string(w[1]), {}, n});
    }
  });
  return out;
}

bool valid_branch_name(std::string_view name) {
  if (name.empty() || name == "@" || name.front() == '-' || name.front() == '/' || name.back() == '/' ||
      name.back() == '.')
    return false;
  if (name.find("..") != std::string_view::npos || name.find("@{") != std::string_view::npos ||
      name.find("//") != std::string_view::npos)
    return false;
  size_t comp_start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '/') {
      std::string_view comp = name.substr(comp_start, i - comp_start);
      if (comp.empty() || comp.front() == '.' ||
          (comp.size() >= 5 && comp.substr(comp.size() - 5) == ".lock"))
        return false;
      comp_start = i + 1;
      continue;
    }
    unsigned char c = uint8_t(name[i]);
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' ||
        c == '[' || c == '\\')
      return false;
  }
  return true;
}

std::string branch_queue_name(std::string_view branch) {
  std::string b(branch);
  for (char& c : b)
    if (c == '/') c = '.';
  return "patch." + b + ".queue";
}

}  // namespace kmeta::tree
