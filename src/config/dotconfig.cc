#include "config/dotconfig.h"

#include <algorithm>

#include "config/fragment.h"

namespace kmeta::config {

DotConfig DotConfig::parse(std::string_view text) {
  DotConfig d;
  // .config lines are a subset of the fragment forms, read as
  // parse_fragment() reads them (without building a Fragment).
  d.values_.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++number;
    std::string_view name, raw;
    LineKind kind = classify_line(line, &name, &raw);
    if (kind == LineKind::set)
      d.values_.insert_or_assign(std::string(name), Entry{std::string(raw), number, false});
    else if (kind == LineKind::unset)
      d.values_.insert_or_assign(std::string(name), Entry{"n", number, true});
  }
  return d;
}

std::string DotConfig::value_in(std::string_view text, std::string_view name) {
  // Lines are read independently: only those containing CONFIG_<name> can
  // assign it, and the last one that does wins, as in parse().
  std::string word = "CONFIG_" + std::string(name);
  std::string out = "n";
  size_t done = 0;  // lines before this offset are read
  for (size_t p = text.find(word); p != std::string_view::npos; p = text.find(word, p + 1)) {
    if (p < done) continue;
    size_t b = text.rfind('\n', p);
    b = b == std::string_view::npos ? 0 : b + 1;
    size_t e = text.find('\n', p);
    e = e == std::string_view::npos ? text.size() : e;
    done = e;
    std::string_view n, raw;
    LineKind kind = classify_line(text.substr(b, e - b), &n, &raw);
    if ((kind == LineKind::set || kind == LineKind::unset) && n == name)
      out = kind == LineKind::set ? std::string(raw) : "n";
  }
  return out;
}

const std::string* DotConfig::get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? nullptr : &it->second.value;
}

std::string DotConfig::value(std::string_view name) const {
  const std::string* v = get(name);
  return v ? *v : std::string("n");
}

int DotConfig::line(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? 0 : it->second.line;
}

}  // namespace kmeta::config

namespace kmeta::config {

bool DotConfig::is_unset_line(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it != values_.end() && it->second.unset;
}

}  // namespace kmeta::config
