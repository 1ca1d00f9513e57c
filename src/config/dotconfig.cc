#include "config/dotconfig.h"

#include "config/fragment.h"

namespace kmeta::config {

DotConfig DotConfig::parse(std::string_view text) {
  DotConfig d;
  // .config lines are a subset of the fragment forms.
  Fragment f = parse_fragment("", std::string(text));
  for (const FragmentLine& l : f.lines) {
    if (l.kind == LineKind::set)
      d.values_[l.name] = {l.raw_value, l.number, false};
    else if (l.kind == LineKind::unset)
      d.values_[l.name] = {"n", l.number, true};
  }
  return d;
}

std::string DotConfig::value_in(std::string_view text, std::string_view name) {
  // Lines are parsed independently: only those containing CONFIG_<name> can
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
    Fragment f = parse_fragment("", std::string(text.substr(b, e - b)));
    for (const FragmentLine& l : f.lines)
      if ((l.kind == LineKind::set || l.kind == LineKind::unset) && l.name == name)
        out = l.kind == LineKind::set ? l.raw_value : "n";
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
