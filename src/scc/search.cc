#include "scc/search.h"

#include <algorithm>
#include <cctype>

#include "base/strings.h"

namespace kmeta::scc {

// ---------------------------------------------------------------- collation

static bool is_alnum(unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80; }

int collate_compare(std::string_view a, std::string_view b, Collation c) {
  if (c == Collation::bytes) return a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0;
  // Level 1: letters and digits only, case-folded (punctuation is ignored).
  size_t i = 0, j = 0;
  for (;;) {
    while (i < a.size() && !is_alnum(static_cast<unsigned char>(a[i]))) ++i;
    while (j < b.size() && !is_alnum(static_cast<unsigned char>(b[j]))) ++j;
    if (i >= a.size() || j >= b.size()) {
      if (i < a.size()) return 1;
      if (j < b.size()) return -1;
      break;
    }
    int x = std::tolower(static_cast<unsigned char>(a[i])),
        y = std::tolower(static_cast<unsigned char>(b[j]));
    if (x != y) return x < y ? -1 : 1;
    ++i, ++j;
  }
  // Level 3: lower case before upper case.
  for (i = 0, j = 0;;) {
    while (i < a.size() && !is_alnum(static_cast<unsigned char>(a[i]))) ++i;
    while (j < b.size() && !is_alnum(static_cast<unsigned char>(b[j]))) ++j;
    if (i >= a.size() || j >= b.size()) break;
    bool ua = std::isupper(static_cast<unsigned char>(a[i])) != 0,
         ub = std::isupper(static_cast<unsigned char>(b[j])) != 0;
    if (ua != ub) return ua ? 1 : -1;
    ++i, ++j;
  }
  // Last resort: bytes.
  return a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0;
}

Collation collation_for_locale(const char* lc_all, const char* lc_collate, const char* lang) {
  const char* v = nullptr;
  for (const char* e : {lc_all, lc_collate, lang})
    if (e && *e) {
      v = e;
      break;
    }
  if (!v) return Collation::bytes;
  std::string_view s = v;
  if (s == "C" || s == "POSIX" || s.starts_with("C.")) return Collation::bytes;
  return Collation::en_us;
}

std::string remove_first(std::string_view s, std::string_view what) {
  if (what.empty()) return std::string(s);
  size_t p = s.find(what);
  if (p == std::string_view::npos) return std::string(s);
  std::string out(s.substr(0, p));
  out += s.substr(p + what.size());
  return out;
}

// ---------------------------------------------------------------- resolver

Resolver::Resolver(FileSystem& fs, std::string cwd, const std::vector<std::string>& include_args,
                   Collation collation)
    : fs_(fs), cwd_(std::move(cwd)) {
  for (const auto& a : include_args) {
    if (a.empty() || !fs_.is_dir(abs(a))) continue;
    std::string c = canonical(a);
    if (!c.empty()) dirs_.push_back(c);
  }
  // sort -u, then by length descending; equal lengths fall back to the
  // (reversed, because of -r) whole-line comparison.
  std::sort(dirs_.begin(), dirs_.end(),
            [&](const std::string& x, const std::string& y) { return collate_compare(x, y, collation) < 0; });
  dirs_.erase(std::unique(dirs_.begin(), dirs_.end()), dirs_.end());
  std::stable_sort(dirs_.begin(), dirs_.end(), [&](const std::string& x, const std::string& y) {
    if (x.size() != y.size()) return x.size() > y.size();
    return collate_compare(x, y, collation) > 0;
  });
}

std::string Resolver::canonical(const std::string& p) const {
  auto c = fs_.canonical(abs(p));
  return c ? *c : std::string();
}

std::string Resolver::search(const std::string& tgt_in, const std::vector<std::string>& dirs) const {
  if (is_file(tgt_in)) return tgt_in;
  std::string ext = ".scc";
  if (ends_with(tgt_in, ".patch"))
    ext = ".patch";
  else if (ends_with(tgt_in, ".cfg"))
    ext = ".cfg";
  else if (ends_with(tgt_in, ".config"))
    ext = ".config";
  else if (ends_with(tgt_in, ".scc"))
    ext = ".scc";
  else if (ends_with(tgt_in, "defconfig"))
    ext = "";
  std::string tgt = tgt_in;
  if (!ext.empty() && ends_with(tgt, ext)) tgt.resize(tgt.size() - ext.size());
  std::string base = path_basename(tgt);

  auto try_dir = [&](const std::string& p) -> std::string {
    const std::string d = p + "/" + tgt;
    if (is_file(d + ext)) return canonical(d + ext);
    if (is_file(d)) return canonical(d);
    if (is_file(d + "/" + tgt + ext)) return canonical(d + "/" + tgt + ext);
    if (is_file(d + "/" + tgt)) return canonical(d + "/" + tgt);
    if (is_file(d + "/" + base + ext)) return canonical(d + "/" + base + ext);
    if (is_file(d + "/" + base))
      return canonical(d + "/" + base + ext);  // sic: the reference adds the extension
    return {};
  };
  std::string r = try_dir(".");
  if (!r.empty()) return r;
  for (const auto& d : dirs) {
    r = try_dir(d);
    if (!r.empty()) return r;
  }
  return {};
}

std::string Resolver::strip_common_prefix(const std::string& name) const {
  std::string relocated = name;
  size_t out_len = name.size();
  for (const auto& r : dirs_) {
    std::string t = remove_first(name, r);
    if (t.size() < out_len) {
      relocated = t;
      break;
    }
    t = remove_first(name + "/", r);
    if (t.size() < out_len) {
      relocated = t;
      break;
    }
  }
  if (!is_file(relocated)) {
    size_t k = 0;
    while (k < relocated.size() && relocated[k] == '/') ++k;
    relocated.erase(0, k);
  }
  return relocated;
}

std::string Resolver::prefix_of(const std::string& path) const {
  return remove_first(path, strip_common_prefix(path));
}

}  // namespace kmeta::scc
