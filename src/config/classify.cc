#include "config/classify.h"

#include <sys/stat.h>

#include "base/file_system.h"
#include "base/file_util.h"
#include "base/input_file.h"
#include "base/private_dir.h"
#include "base/strings.h"
#include "config/queue_facts.h"
#include "kbuild/probe_cache.h"

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

// A file's stat identity, as the .kcf scan cache records it: "missing", or
// the kind ("file" / "other") with size, mtime and ctime in ns, inode, device.
std::string stat_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "missing";
  if (!S_ISREG(st.st_mode)) return "other";
  auto ns = [](const timespec& t) {
    return static_cast<uint64_t>(t.tv_sec) * 1000000000ull + static_cast<uint64_t>(t.tv_nsec);
  };
  return "file " + std::to_string(st.st_size) + " " + std::to_string(ns(st.st_mtim)) + " " +
         std::to_string(ns(st.st_ctim)) + " " + std::to_string(st.st_ino) + " " + std::to_string(st.st_dev);
}

constexpr std::string_view kKcfHeader = "kmeta kcf scan 1";

class Classifier {
 public:
  Classifier(const std::string& ksrc, FileSystem& fs, const KcfCache* cache,
             std::vector<std::string>* warnings)
      : ksrc_(ksrc), fs_(fs), warnings_(warnings) {
    if (!cache || cache->dir.empty()) return;
    std::string why;
    if (check_private_dir(cache->dir, &why))
      cache_ = cache;
    else
      warnings_->push_back("ignoring the .kcf scan cache " + cache->dir + ": " + why +
                           "; reading the files, storing nothing");
  }

  // The symbols classified by one .kcf file (cached: a .kcf may be consulted
  // once per queued fragment of its directory).
  const std::vector<std::string>& kcf(const std::string& path, bool* exists) {
    auto it = kcf_.find(path);
    if (it == kcf_.end()) {
      std::vector<std::string> syms;
      bool found = cache_ && load(path, &syms);
      if (!found) found = scan(path, &syms);
      it = kcf_.emplace(path, std::make_pair(found, std::move(syms))).first;
    }
    *exists = it->second.first;
    return it->second.second;
  }

  // Names listed (CONFIG_X at line start) by a .cfg classifier file, cached.
  const std::vector<std::string>* cfg_list(const std::string& path) {
    auto it = cfg_.find(path);
    if (it == cfg_.end()) {
      std::optional<std::vector<std::string>> names;
      if (auto text = read(path)) {
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
  std::string entry_path(const std::string& kcf) const {
    return cache_->dir + "/" + kbuild::probe_digest("kcf\n" + ksrc_ + "\n" + kcf) + ".kcf";
  }

  // Reads the .kcf and scans every file it lists; stores the scan when a
  // cache is given. False when the .kcf cannot be read.
  bool scan(const std::string& path, std::vector<std::string>* syms) {
    std::string kcf_id = cache_ ? stat_identity(path) : std::string();
    auto text = read(path);
    if (!text) return false;
    // Identities are taken before the reads: a file changed in between is
    // seen as changed by the next run.
    bool cacheable = cache_ && kcf_id.rfind("file ", 0) == 0 && path.find('\n') == std::string::npos &&
                     ksrc_.find('\n') == std::string::npos;
    std::string files;
    size_t count = 0;
    for (std::string_view l : split_lines(*text)) {
      std::string listed = ksrc_ + "/" + rstrip(l);
      std::string id = cacheable ? stat_identity(listed) : std::string();
      auto k = read(listed);
      if (k) scan_kconfig(*k, syms);
      if (!cacheable) continue;
      // A regular file that could not be read (permissions, size) is not
      // worth remembering; a listed path with a newline cannot be stored.
      if ((!k && id.rfind("file ", 0) == 0) || listed.find('\n') != std::string::npos) {
        cacheable = false;
        continue;
      }
      files.append(id).append("\t").append(listed).append("\n");
      ++count;
    }
    if (cacheable && cache_->store) {
      std::string body = path + "\n" + ksrc_ + "\n" + kcf_id + "\n" + std::to_string(count) + "\n" + files;
      for (const std::string& s : *syms) body += s + "\n";
      if (make_private_dirs(cache_->dir))
        write_file_atomic(entry_path(path),
                          std::string(kKcfHeader) + " " + kbuild::probe_digest(body) + "\n" + body);
    }
    return true;
  }

  // The stored scan of `path`, when it is intact and every file it read is
  // unchanged.
  bool load(const std::string& path, std::vector<std::string>* syms) {
    std::string entry_file = entry_path(path), why;
    ReadError kind = ReadError::none;
    auto entry =
        read_file(entry_file, &why, &kind, {.max_size = 64u << 20, .nofollow = true, .private_file = true});
    if (!entry) {
      if (kind != ReadError::missing)
        warnings_->push_back("ignoring .kcf scan cache entry " + entry_file + ": " + why);
      return false;
    }
    // "<header> <digest of the rest>\n", then the rest.
    size_t nl = entry->find('\n');
    if (nl == std::string::npos || nl <= kKcfHeader.size() ||
        entry->compare(0, kKcfHeader.size(), kKcfHeader) != 0 || (*entry)[kKcfHeader.size()] != ' ')
      return false;
    std::string_view body = std::string_view(*entry).substr(nl + 1);
    if (std::string_view(*entry).substr(kKcfHeader.size() + 1, nl - kKcfHeader.size() - 1) !=
        kbuild::probe_digest(std::string(body)))
      return false;
    std::vector<std::string_view> lines = split_lines(body);
    if (lines.size() < 4 || lines[0] != path || lines[1] != ksrc_ || lines[2] != stat_identity(path))
      return false;
    size_t count = 0;
    for (char c : lines[3]) {
      if (c < '0' || c > '9' || count > lines.size()) return false;
      count = count * 10 + static_cast<size_t>(c - '0');
    }
    if (lines[3].empty() || lines.size() < 4 + count) return false;
    for (size_t i = 4; i < 4 + count; ++i) {
      size_t tab = lines[i].find('\t');
      if (tab == std::string_view::npos) return false;
      if (lines[i].substr(0, tab) != stat_identity(std::string(lines[i].substr(tab + 1)))) return false;
    }
    for (size_t i = 4 + count; i < lines.size(); ++i) syms->emplace_back(lines[i]);
    return true;
  }

  // Each file is scanned once: its text is not kept in fs_'s cache.
  std::shared_ptr<const std::string> read(const std::string& path) {
    return fs_.read_result(path, {.keep = false}).text;
  }

  const std::string& ksrc_;
  FileSystem& fs_;
  std::vector<std::string>* warnings_;
  const KcfCache* cache_ = nullptr;
  std::unordered_map<std::string, std::pair<bool, std::vector<std::string>>> kcf_;
  std::unordered_map<std::string, std::optional<std::vector<std::string>>> cfg_;
};

}  // namespace

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

Classification classify(const std::vector<QueuedFragment>& queue, const std::string& ksrc, FileSystem& fs,
                        bool use_classifiers, const KcfCache* cache) {
  Classification c;
  Classifier cl(ksrc, fs, cache, &c.cache_warnings);
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
