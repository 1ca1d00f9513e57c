#include "bundle/module_list.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "base/file_util.h"
#include "base/strings.h"

namespace kmeta::bundle {

std::string normalize_module_name(std::string_view name) {
  std::string s(name);
  for (char& c : s)
    if (c == '-') c = '_';
  return s;
}

// One pass per pattern token over the set of text positions reachable so
// far: O(|pattern| x |text|) for any pattern (a backtracking matcher is
// exponential on a hostile list line such as "a*a*a*...*b").
bool glob_match(std::string_view p, std::string_view t) {
  const size_t n = t.size();
  std::vector<char> reach(n + 1, 0), next(n + 1, 0);
  reach[0] = 1;
  size_t i = 0;
  while (i < p.size()) {
    std::fill(next.begin(), next.end(), 0);
    if (p.compare(i, 2, "**") == 0) {  // any run, '/' included
      char any = 0;
      for (size_t j = 0; j <= n; ++j) next[j] = any = any || reach[j];
      i += 2;
    } else if (p[i] == '*') {  // any run without '/'
      char any = 0;
      for (size_t j = 0; j <= n; ++j) {
        if (j > 0 && t[j - 1] == '/') any = 0;
        next[j] = any = any || reach[j];
      }
      i += 1;
    } else {
      for (size_t j = 0; j < n; ++j)
        if (reach[j] && (p[i] == '?' ? t[j] != '/' : t[j] == p[i])) next[j + 1] = 1;
      i += 1;
    }
    reach.swap(next);
  }
  return reach[n] != 0;
}

static std::string_view strip_ko(std::string_view path) {
  size_t slash = path.rfind('/');
  size_t ko = path.find(".ko", slash == std::string_view::npos ? 0 : slash);
  return ko == std::string_view::npos ? path : path.substr(0, ko);
}

bool entry_matches(const ListEntry& e, std::string_view name, std::string_view relpath) {
  switch (e.kind) {
    case ListEntry::Kind::name: return e.pattern == name;
    case ListEntry::Kind::name_glob: return glob_match(e.pattern, name);
    case ListEntry::Kind::subtree: {
      std::string_view rest = relpath;
      for (int pass = 0; pass < 2; ++pass) {
        if (starts_with(rest, e.pattern) && rest.size() > e.pattern.size() && rest[e.pattern.size()] == '/')
          return true;
        if (!starts_with(rest, "kernel/")) break;
        rest.remove_prefix(7);
      }
      return false;
    }
    case ListEntry::Kind::path_glob: {
      std::string_view rest = relpath;
      for (int pass = 0; pass < 2; ++pass) {
        if (glob_match(e.pattern, rest) || glob_match(e.pattern, strip_ko(rest))) return true;
        if (!starts_with(rest, "kernel/")) break;
        rest.remove_prefix(7);
      }
      return false;
    }
  }
  return false;
}

bool parse_list_line(std::string_view line, const Location& where, ListEntry* out, Diagnostics* diags) {
  std::string_view s = trim(line);
  out->pattern.clear();
  if (s.empty() || s[0] == '#') return true;
  std::vector<std::string_view> words;
  for (std::string_view w : split(s, ' '))
    for (std::string_view x : split(w, '\t'))
      if (!x.empty()) words.push_back(x);
  ListEntry e;
  e.where = where;
  if (words.size() > 2 || (words.size() == 2 && words[1] != "?" && words[1] != "-")) {
    diags->error(where, fmt::format("expected 'MODULE', 'MODULE ?' or 'MODULE -', got '{}'", s));
    return false;
  }
  if (words.size() == 2) {
    e.optional = words[1] == "?";
    e.exclude = words[1] == "-";
  }
  std::string_view p = words[0];
  if (p[0] == '=') {
    p.remove_prefix(1);
    while (!p.empty() && p.back() == '/') p.remove_suffix(1);
    if (p.empty()) {
      diags->error(where, "'=' needs a directory (dracut's =SUBTREE, e.g. =drivers/net)");
      return false;
    }
    e.kind = ListEntry::Kind::subtree;
    e.pattern = std::string(p);
  } else if (p.find('/') != std::string_view::npos) {
    e.kind = ListEntry::Kind::path_glob;
    e.pattern = std::string(p);
  } else {
    e.kind =
        p.find_first_of("*?") == std::string_view::npos ? ListEntry::Kind::name : ListEntry::Kind::name_glob;
    std::string_view stem = p;
    if (ends_with(stem, ".ko")) stem.remove_suffix(3);
    e.pattern = normalize_module_name(stem);
  }
  *out = std::move(e);
  return true;
}

namespace {
struct Reader {
  Diagnostics* diags;
  std::vector<ListEntry> out;
  std::vector<std::string> stack;  // canonical paths being read (cycle check)

  void read(const std::string& path, const std::vector<Location>& chain) {
    std::error_code ec;
    std::string canon = std::filesystem::weakly_canonical(path, ec).string();
    for (const auto& s : stack)
      if (s == canon) {
        diags->error(chain.empty() ? Location{path} : chain.front(),
                     fmt::format("#include cycle: {} includes itself", path),
                     std::vector<Location>(chain.begin() + (chain.empty() ? 0 : 1), chain.end()));
        return;
      }
    std::string err;
    auto text = read_file(path, &err);
    if (!text) {
      if (chain.empty())
        diags->error(Location{path}, fmt::format("cannot read module list: {}", err));
      else
        diags->error(chain.front(), fmt::format("cannot read included module list {}: {}", path, err),
                     std::vector<Location>(chain.begin() + 1, chain.end()));
      return;
    }
    stack.push_back(canon);
    FileName file(path);
    std::string dir = std::filesystem::path(path).parent_path().string();
    int lineno = 0;
    for (std::string_view line : split_lines(*text)) {
      ++lineno;
      Location where{file, lineno};
      std::string_view t = trim(line);
      if (starts_with(t, "#include")) {
        std::string_view arg = trim(t.substr(8));
        if (arg.size() >= 2 &&
            ((arg.front() == '<' && arg.back() == '>') || (arg.front() == '"' && arg.back() == '"')))
          arg = arg.substr(1, arg.size() - 2);
        if (arg.empty() || (t.size() > 8 && t[8] != ' ' && t[8] != '\t')) {
          diags->error(where, "expected '#include <file>' or '#include \"file\"'", chain);
          continue;
        }
        std::string inc = !arg.empty() && arg[0] == '/' ? std::string(arg)
                                                        : (dir.empty() ? "" : dir + "/") + std::string(arg);
        std::vector<Location> inner{where};
        inner.insert(inner.end(), chain.begin(), chain.end());
        read(inc, inner);
        continue;
      }
      ListEntry e;
      if (!parse_list_line(line, where, &e, diags) || e.pattern.empty()) continue;
      e.chain = chain;
      out.push_back(std::move(e));
    }
    stack.pop_back();
  }
};
}  // namespace

std::vector<ListEntry> read_list_file(const std::string& path, Diagnostics* diags) {
  Reader r{diags, {}, {}};
  r.read(path, {});
  return std::move(r.out);
}

}  // namespace kmeta::bundle
