#include "scc/find.h"

#include "scc/bre.h"

#include <algorithm>
#include <fmt/format.h>

#include <optional>

namespace kmeta::scc {

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string define_pattern(std::string_view value) {
  return "^[[:space:]]*define.*" + std::string(value) + "[[:space:]]*$";
}

bool define_line_matches(std::string_view line, std::string_view value) {
  std::optional<Bre> re = Bre::compile(define_pattern(value), nullptr);
  return re && re->search(line);  // grep fails on a pattern it refuses: no match
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
  std::vector<std::string> lines;  // all its lines (a value with "\\|" can match any of them)
};

struct Search {
  int max = 0;
  std::vector<std::string> tied;
};

Search search(const std::vector<Candidate>& cands, const std::vector<Bre>& keys,
              std::vector<std::pair<std::string, int>>* trace) {
  Search s;
  for (const auto& c : cands) {
    int score = 0;
    for (const auto& k : keys)
      for (const auto& l : c.lines)
        if (k.search(l)) {
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
    bool defines = false;
    size_t pos = 0;
    while (pos < t.size()) {
      size_t e = t.find('\n', pos);
      if (e == std::string::npos) e = t.size();
      std::string_view line(t.data() + pos, e - pos);
      size_t i = 0;
      while (i < line.size() && is_space(line[i])) ++i;
      if (line.substr(i, 6) == "define") defines = true;
      c.lines.emplace_back(line);
      pos = e + 1;
    }
    if (defines) cands.push_back(std::move(c));
  }

  // Each value is a grep BRE (spp splices it into its pattern unescaped):
  // compiled once, matched in linear time; one grep refuses, or one past the
  // matcher's bounds, is an error rather than a silent "no match".
  auto compile = [&](const std::string& defines, std::vector<Bre>* out) {
    for (const auto& k : keys_of(defines)) {
      std::string why;
      std::optional<Bre> re = Bre::compile(define_pattern(k), &why);
      if (!re) {
        std::string shown = k.size() > 60 ? k.substr(0, 60) + "..." : k;
        res.error = fmt::format("KMACHINE/KTYPE value '{}' is not a usable grep pattern (spp matches it as one): {}",
                                shown, why);
        return false;
      }
      out->push_back(std::move(*re));
    }
    return true;
  };
  std::vector<Bre> machine_keys, both_keys;
  if (!compile(o.kmachine, &machine_keys) || !compile(o.kmachine + ":" + o.ktype, &both_keys)) return res;
  Search first = search(cands, machine_keys, &res.scored);
  Search both = search(cands, both_keys, &res.scored);
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
