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
