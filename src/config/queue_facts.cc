#include "config/queue_facts.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "base/strings.h"

namespace kmeta::config {

namespace {

bool py_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// An insertion-ordered map from string to V, with O(1) lookup: Python's
// OrderedDict as symbol_why.py uses it (re-assigning a key keeps its place).
template <class V>
class Ordered {
 public:
  V& operator[](const std::string& k) {
    auto [it, fresh] = index_.emplace(k, items_.size());
    if (fresh) items_.emplace_back(k, V{});
    return items_[it->second].second;
  }
  const V* find(const std::string& k) const {
    auto it = index_.find(k);
    return it == index_.end() ? nullptr : &items_[it->second].second;
  }
  std::vector<std::pair<std::string, V>>& items() { return items_; }

 private:
  std::vector<std::pair<std::string, V>> items_;
  std::unordered_map<std::string, size_t> index_;
};

std::string_view strip_line(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The option name of a line for --filter matching: "CONFIG_([^= ]+)".
std::string filter_key(const std::string& option) {
  if (!starts_with(option, "CONFIG_")) return "";
  std::string_view r = std::string_view(option).substr(7);
  size_t n = 0;
  while (n < r.size() && r[n] != '=' && r[n] != ' ') ++n;
  return std::string(r.substr(0, n));
}

bool filtered(const std::string& option, const std::vector<std::string>& filter) {
  if (filter.empty()) return false;
  std::string k = filter_key(option);
  return !k.empty() && std::find(filter.begin(), filter.end(), k) != filter.end();
}

}  // namespace

QueueOption split_queue_option(std::string_view line) {
  std::string_view s = strip_line(line);
  QueueOption o;
  // ^(CONFIG_[^= ]+)=([^\s#]+)
  if (starts_with(s, "CONFIG_")) {
    size_t n = 7;
    while (n < s.size() && s[n] != '=' && s[n] != ' ') ++n;
    if (n > 7 && n < s.size() && s[n] == '=') {
      size_t v = n + 1, e = v;
      while (e < s.size() && !py_space(s[e]) && s[e] != '#') ++e;
      if (e > v) {
        o.kind = QueueOption::option;
        o.name = std::string(s.substr(0, n));
        o.value = std::string(s.substr(v, e - v));
        return o;
      }
    }
  }
  if (!s.empty() && s[0] == '#') {
    size_t i = 1;
    while (i < s.size() && py_space(s[i])) ++i;
    if (starts_with(s.substr(i), "CONFIG_")) {
      // # (CONFIG_[^ ]+) is not set   (a prefix match)
      if (starts_with(s, "# CONFIG_")) {
        size_t n = 9;
        while (n < s.size() && s[n] != ' ') ++n;
        if (n > 9 && starts_with(s.substr(n), " is not set")) {
          o.kind = QueueOption::option;
          o.name = std::string(s.substr(2, n - 2));
          o.value.assign(1, 'n');
          return o;
        }
      }
      o.kind = QueueOption::invalid;
      o.value = std::string(s);
      return o;
    }
    return o;  // a comment
  }
  if (s.find('=') != std::string_view::npos) {
    o.kind = QueueOption::invalid;
    o.value = std::string(s);
  }
  return o;
}

const std::vector<std::pair<std::string, std::string>>* QueueFacts::option(std::string_view name) const {
  for (const auto& [k, v] : options)
    if (k == name) return &v;
  return nullptr;
}

QueueFacts read_queue_facts(const std::vector<QueuedFragment>& queue) {
  Ordered<Ordered<std::string>> frag_dict;
  Ordered<Ordered<std::string>> option_dict;
  Ordered<std::vector<std::string>> duplicated;
  Ordered<std::vector<std::string>> malformed;
  for (const QueuedFragment& q : queue) {
    const std::string& frag = q.queue_name;
    frag_dict[frag] = Ordered<std::string>();
    for (const FragmentLine& l : q.fragment.lines) {
      QueueOption o = split_queue_option(l.text);
      if (o.kind == QueueOption::invalid) {
        malformed[frag].push_back(o.value);
      } else if (o.kind == QueueOption::option) {
        Ordered<std::string>& fd = frag_dict[frag];
        if (!fd.find(o.name))
          fd[o.name] = o.value;
        else
          duplicated[frag].push_back(o.name);
        option_dict[o.name][frag] = o.value;
      }
    }
  }
  QueueFacts f;
  for (auto& [k, v] : frag_dict.items()) f.fragments.emplace_back(k, std::move(v.items()));
  for (auto& [k, v] : option_dict.items()) f.options.emplace_back(k, std::move(v.items()));
  f.duplicated = std::move(duplicated.items());
  f.malformed = std::move(malformed.items());
  return f;
}

std::string render_sanity_report(const QueueFacts& facts, const std::vector<std::string>& filter) {
  std::string out;
  bool first = true;
  for (const auto& [o, frags] : facts.options) {
    if (frags.size() < 2 || filtered(o, filter)) continue;
    if (first) {
      out += "[INFO]: redefined configuration option report:\n\n";
      first = false;
    }
    out += fmt::format("    - option {} is defined more than once\n", o);
    for (const auto& [frag, val] : frags) out += fmt::format("       - {} ({})\n", frag, val);
  }
  return out;
}

std::string render_invalid_report(const QueueFacts& facts, bool strict,
                                  const std::function<bool(const std::string&)>& in_kconfig,
                                  const std::function<bool(const std::string&)>& in_tree,
                                  const std::vector<std::string>& filter) {
  std::string out;
  bool first = true;
  for (const auto& [frag, opts] : facts.duplicated)
    for (const auto& o : opts) {
      if (filtered(o, filter)) continue;
      if (first) {
        out += "\n[INFO]: Fragments with duplicated configuration options:\n";
        first = false;
      }
      out += fmt::format("    - fragment {} has a duplicated option: {}\n", frag, o);
    }
  first = true;
  for (const auto& [frag, lines] : facts.malformed) {
    if (first) {
      out += "\n[INFO]: Fragments with badly formatted configuration options:\n";
      first = false;
    }
    for (const auto& l : lines)
      out += fmt::format("    - fragment {} has the following issues: {}\n", frag, l);
  }
  first = true;
  for (const auto& [o, frags] : facts.options) {
    std::string name = starts_with(o, "CONFIG_") ? o.substr(7) : o;
    if (in_kconfig(name)) continue;
    if (!strict && in_tree(name)) continue;
    if (first) {
      out += "\n[INFO]: the following symbols were not found in the active configuration:\n";
      first = false;
    }
    out += fmt::format("     - {}\n", o);
  }
  return out;
}

}  // namespace kmeta::config
