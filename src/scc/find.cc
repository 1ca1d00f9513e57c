#include "scc/find.h"

#include <algorithm>
#include <regex>

namespace kmeta::scc {

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// A value is "simple" when, inside a BRE, each of its characters is literal
// or '.', so a direct scan matches exactly what grep matches.
static bool simple_value(std::string_view v) {
  for (char c : v)
    if (c == '[' || c == '\\' || c == '*') return false;
  return true;
}

bool define_line_matches(std::string_view line, std::string_view value) {
  size_t i = 0;
  while (i < line.size() && is_space(line[i])) ++i;
  if (line.substr(i, 6) != "define") return false;
  std::string_view r = line.substr(i + 6);
  if (!simple_value(value)) {
    if (line.size() > 4096) return false;  // std::regex recurses per character; such lines are not defines
    std::string pat = "^[[:space:]]*define.*" + std::string(value) + "[[:space:]]*$";
    try {
      std::regex re(pat, std::regex::basic);
      return std::regex_search(std::string(line), re);
    } catch (const std::regex_error&) {
      return false;  // grep would fail on the pattern: no match
    }
  }
  // Ends where the match of `value` may end: any position followed only by spaces.
  size_t tail = r.size();
  while (tail > 0 && is_space(r[tail - 1])) --tail;
  for (size_t e = r.size() + 1; e-- > tail;) {
    if (e < value.size()) break;
    size_t s = e - value.size();
    bool ok = true;
    for (size_t k = 0; k < value.size() && ok; ++k)
      ok = value[k] == '.' ? r[s + k] != '\n' : r[s + k] == value[k];
    if (ok) return true;
  }
  return false;
}

namespace {

// cut -d: -f1,2,3 of the define list, as spp builds its keys.
std::vector<std::string> keys_of(const std::string& defines) {
  std::vector<std::string> keys;
  auto add = [&](const std::string& k) {
    if (!k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  };
  if (defines.find(':') == std::string::npos) {
    add(defines);
    return keys;
  }
  size_t b = 0;
  for (int f = 0; f < 3; ++f) {
    if (b > defines.size()) break;
    size_t e = defines.find(':', b);
    add(defines.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return keys;
}

void walk(FileSystem& fs, const std::string& dir, std::vector<std::string>* out) {
  for (const DirEntry& e : fs.list(dir)) {
    std::string p = (dir == "/" ? "" : dir) + "/" + e.name;
    if (e.is_dir) {
      walk(fs, p, out);
    } else if (e.name.size() >= 4 && e.name.compare(e.name.size() - 4, 4, ".scc") == 0) {
      out->push_back(p);
    }
  }
}

struct Candidate {
  std::string path;
  std::vector<std::string> lines;  // its define lines
};

struct Search {
  int max = 0;
  std::vector<std::string> tied;
};

Search search(const std::vector<Candidate>& cands, const std::vector<std::string>& keys,
              std::vector<std::pair<std::string, int>>* trace) {
  Search s;
  for (const auto& c : cands) {
    int score = 0;
    for (const auto& k : keys)
      for (const auto& l : c.lines)
        if (define_line_matches(l, k)) {
          ++score;
          break;
        }
    if (trace) trace->push_back({c.path, score});
    if (score > s.max) {
      s.max = score;
      s.tied = {c.path};
    } else if (score == s.max) {
      s.tied.push_back(c.path);
    }
  }
  return s;
}

std::string pick(const Search& s) {
  if (s.max <= 0 || s.tied.empty()) return {};
  std::string r = s.tied.size() >= 2 ? s.tied[1] : s.tied[0];
  return r.substr(0, r.find(':'));  // the reference passes "path:score" through cut -d: -f1
}

}  // namespace

FindResult find_bsp(FileSystem& fs, const FindOptions& o) {
  FindResult res;
  Resolver rs(fs, o.cwd, o.include_args, o.collation);
  std::vector<std::string> files;
  for (const auto& d : rs.include_dirs()) walk(fs, d, &files);
  std::sort(files.begin(), files.end(), [&](const std::string& a, const std::string& b) {
    return collate_compare(a, b, o.collation) < 0;
  });
  files.erase(std::unique(files.begin(), files.end()), files.end());

  std::vector<Candidate> cands;
  for (const auto& f : files) {
    auto content = fs.read(f);
    if (!content) continue;
    Candidate c{f, {}};
    const std::string& t = *content;
    size_t pos = 0;
    while (pos < t.size()) {
      size_t e = t.find('\n', pos);
      if (e == std::string::npos) e = t.size();
      std::string_view line(t.data() + pos, e - pos);
      size_t i = 0;
      while (i < line.size() && is_space(line[i])) ++i;
      if (line.substr(i, 6) == "define") c.lines.emplace_back(line);
      pos = e + 1;
    }
    if (!c.lines.empty()) cands.push_back(std::move(c));
  }

  Search first = search(cands, keys_of(o.kmachine), &res.scored);
  Search both = search(cands, keys_of(o.kmachine + ":" + o.ktype), &res.scored);
  std::string file;
  int score = 0;
  if (both.max == 2) {
    file = pick(both);
    score = 2;
  } else if (o.fuzz) {
    file = pick(first);
    score = first.max;
  }
  if (!file.empty()) {
    res.found = true;
    res.path = file;
    res.score = score;
  }
  return res;
}

}  // namespace kmeta::scc
