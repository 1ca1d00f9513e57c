#include "config/classify.h"

#include "base/file_util.h"
#include "base/strings.h"
#include "config/queue_facts.h"

namespace kmeta::config {

namespace {

bool is_word(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::string word_at(std::string_view s, size_t p) {
  size_t e = p;
  while (e < s.size() && is_word(s[e])) ++e;
  return std::string(s.substr(p, e - p));
}

std::string dir_of(const std::string& path) {
  size_t s = path.rfind('/');
  if (s == std::string::npos) return ".";
  return s == 0 ? "/" : path.substr(0, s);
}

std::string rstrip(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\f' || s.back() == '\v'))
    s.remove_suffix(1);
  return std::string(s);
}

// The symbols a Kconfig file defines, by symbol_why.py's two regexes:
// `^(menu).*config (\w*)` (greedy: the last "config " on the line) and
// `^config (\w*)`. Only lines starting with "menu" or "config " are looked at.
void scan_kconfig(std::string_view text, std::vector<std::string>* out) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    char c = text[pos];
    if (c == 'm' || c == 'c') {
      std::string_view line = text.substr(pos, end - pos);
      if (starts_with(line, "menu")) {
        size_t p = line.rfind("config ");
        if (p != std::string_view::npos && p >= 4) out->push_back(word_at(line, p + 7));
      } else if (starts_with(line, "config ")) {
        out->push_back(word_at(line, 7));
      }
    }
    pos = end + 1;
  }
}

// `CONFIG_[^= ]+` at the start of a line, "CONFIG_" removed, right-stripped.
bool cfg_list_name(std::string_view line, std::string* name) {
  if (!starts_with(line, "CONFIG_")) return false;
  size_t n = 7;
  while (n < line.size() && line[n] != '=' && line[n] != ' ') ++n;
  if (n == 7) return false;
  *name = rstrip(line.substr(7, n - 7));
  return true;
}

class Classifier {
 public:
  Classifier(const std::string& ksrc, const FileReader& read) : ksrc_(ksrc), read_(read) {}

  // The symbols classified by one .kcf file (cached: a .kcf may be consulted
  // once per queued fragment of its directory).
  const std::vector<std::string>& kcf(const std::string& path, bool* exists) {
    auto it = kcf_.find(path);
    if (it == kcf_.end()) {
      std::vector<std::string> syms;
      auto text = read_(path, nullptr);
      if (text)
        for (std::string_view l : split_lines(*text)) {
          auto k = read_(ksrc_ + "/" + rstrip(l), nullptr);
          if (k) scan_kconfig(*k, &syms);
        }
      it = kcf_.emplace(path, std::make_pair(text.has_value(), std::move(syms))).first;
    }
    *exists = it->second.first;
    return it->second.second;
  }

  // Names listed (CONFIG_X at line start) by a .cfg classifier file, cached.
  const std::vector<std::string>* cfg_list(const std::string& path) {
    auto it = cfg_.find(path);
    if (it == cfg_.end()) {
      std::optional<std::vector<std::string>> names;
      if (auto text = read_(path, nullptr)) {
        names.emplace();
        std::string n;
        for (std::string_view l : split_lines(*text))
          if (cfg_list_name(l, &n)) names->push_back(n);
      }
      it = cfg_.emplace(path, std::move(names)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

 private:
  const std::string& ksrc_;
  const FileReader& read_;
  std::unordered_map<std::string, std::pair<bool, std::vector<std::string>>> kcf_;
  std::unordered_map<std::string, std::optional<std::vector<std::string>>> cfg_;
};

}  // namespace

FileReader disk_reader() {
  // read_file() (base/input_file.h) refuses what is not a regular file and
  // what is too large, saying which.
  return [](const std::string& path, std::string* error) -> std::optional<std::string> {
    return read_file(path, error);
  };
}

const char* to_string(HwClass c) {
  switch (c) {
    case HwClass::unclassified: return "unclassified";
    case HwClass::hardware: return "hardware";
    case HwClass::non_hardware: return "non-hardware";
  }
  return "unclassified";
}

HwClass Classification::of(const std::string& name) const {
  if (hardware.count(name)) return HwClass::hardware;
  if (non_hardware.count(name)) return HwClass::non_hardware;
  return HwClass::unclassified;
}

const std::string* Classification::source(const std::string& name) const {
  if (auto it = hardware.find(name); it != hardware.end()) return &it->second;
  if (auto it = non_hardware.find(name); it != non_hardware.end()) return &it->second;
  return nullptr;
}

Classification classify(const std::vector<QueuedFragment>& queue, const std::string& ksrc, const FileReader& read,
                        bool use_classifiers) {
  Classification c;
  Classifier cl(ksrc, read);
  auto to_hw = [&](const std::string& n, const std::string& why) {
    c.hardware[n] = why;
    c.non_hardware.erase(n);
  };
  auto to_non_hw = [&](const std::string& n, const std::string& why) {
    c.non_hardware[n] = why;
    c.hardware.erase(n);
  };

  if (use_classifiers) {
    for (const QueuedFragment& q : queue) {
      std::string dir = dir_of(q.fragment.path);
      bool exists = false;
      std::string nh = dir + "/non-hardware.kcf";
      const auto& nh_syms = cl.kcf(nh, &exists);
      for (const auto& s : nh_syms) to_non_hw(s, nh);
      std::string hw = dir + "/hardware.kcf";
      const auto& hw_syms = cl.kcf(hw, &exists);
      for (const auto& s : hw_syms) to_hw(s, hw);
      bool is_hw = q.kconf_class == "hardware", is_non_hw = q.kconf_class == "non-hardware";
      if (!is_hw && !is_non_hw) continue;
      for (const FragmentLine& l : q.fragment.lines) {
        QueueOption o = split_queue_option(l.text);
        if (o.kind != QueueOption::option) continue;
        std::string n = o.name.substr(7);
        if (is_hw)
          to_hw(n, q.fragment.path);
        else
          to_non_hw(n, q.fragment.path);
      }
    }
  }
  for (const QueuedFragment& q : queue) {
    std::string dir = dir_of(q.fragment.path);
    std::string ym = dir + "/y_or_m_enabled.cfg";
    if (const auto* names = cl.cfg_list(ym))
      for (const auto& n : *names) c.y_or_m[n] = ym;
    if (!use_classifiers) continue;
    std::string hw = dir + "/hardware.cfg";
    if (const auto* names = cl.cfg_list(hw))
      for (const auto& n : *names) to_hw(n, hw);
    std::string nh = dir + "/non-hardware.cfg";
    if (const auto* names = cl.cfg_list(nh))
      for (const auto& n : *names) to_non_hw(n, nh);
  }
  return c;
}

}  // namespace kmeta::config
