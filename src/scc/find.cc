#include "scc/find.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "scc/bre.h"

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

struct Span {
  size_t begin, size;
};

// A candidate file: its text and the lines that can match a define pattern.
struct Candidate {
  std::string path;
  std::string text;
  // The lines that start (after blanks) with "define": the only ones the
  // anchored pattern `^[[:space:]]*define.*V...` can match.
  // (Offsets, not views: a short text's inline buffer moves with the candidate.)
  std::vector<Span> define_lines;
  // Every line, split on first use: a value holding `\|` (or a newline) is
  // an alternation whose other branches are not anchored on "define".
  std::vector<Span> all_lines;
  bool split = false;

  std::string_view line(Span s) const { return std::string_view(text).substr(s.begin, s.size); }
  const std::vector<Span>& lines() {
    if (!split) {
      split = true;
      size_t pos = 0;
      while (pos < text.size()) {
        size_t e = text.find('\n', pos);
        if (e == std::string::npos) e = text.size();
        all_lines.push_back({pos, e - pos});
        pos = e + 1;
      }
    }
    return all_lines;
  }
};

// The define lines of `t`: found from the occurrences of "define" rather than
// by splitting every line (most of a BSP tree's .scc lines are not defines).
std::vector<Span> define_lines_of(const std::string& t) {
  std::vector<Span> out;
  size_t p = t.find("define");
  while (p != std::string::npos) {
    size_t ls = t.rfind('\n', p);
    ls = ls == std::string::npos ? 0 : ls + 1;
    size_t i = ls;
    while (i < p && is_space(t[i])) ++i;
    size_t le = t.find('\n', p);
    if (le == std::string::npos) le = t.size();
    if (i == p) {
      out.push_back({ls, le - ls});
      p = le;  // one entry per line
    } else {
      p += 6;
    }
    p = t.find("define", p);
  }
  return out;
}

// A compiled value, with what lets most files be scored without the matcher.
struct Key {
  Bre re;
  bool anchored = true;  // only define lines can match
  std::string literal;   // non-empty: V has no BRE operator, so a matching line holds it verbatim
};

Key make_key(Bre re, const std::string& value) {
  Key k{std::move(re), true, {}};
  if (value.find("\\|") != std::string::npos || value.find('\n') != std::string::npos) k.anchored = false;
  if (k.anchored && !value.empty() && value.find_first_of("\\.[*^$\n") == std::string::npos)
    k.literal = value;
  return k;
}

struct Search {
  int max = 0;
  std::vector<std::string> tied;
};

bool key_matches(const Key& k, Candidate& c) {
  if (!k.literal.empty() && c.text.find(k.literal) == std::string::npos) return false;
  for (Span l : k.anchored ? c.define_lines : c.lines())
    if (k.re.search(c.line(l))) return true;
  return false;
}

Search search(std::vector<Candidate>& cands, const std::vector<Key>& keys,
              std::vector<std::pair<std::string, int>>* trace) {
  Search s;
  for (auto& c : cands) {
    int score = 0;
    for (const auto& k : keys)
      if (key_matches(k, c)) ++score;
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
    std::vector<Span> defines = define_lines_of(*content);
    if (defines.empty()) continue;
    cands.push_back({f, *content, std::move(defines), {}, false});
  }

  // Each value is a grep BRE (spp splices it into its pattern unescaped):
  // compiled once, matched in linear time; one grep refuses, or one past the
  // matcher's bounds, is an error rather than a silent "no match".
  auto compile = [&](const std::string& defines, std::vector<Key>* out) {
    for (const auto& k : keys_of(defines)) {
      std::string why;
      std::optional<Bre> re = Bre::compile(define_pattern(k), &why);
      if (!re) {
        std::string shown = k.size() > 60 ? k.substr(0, 60) + "..." : k;
        res.error = fmt::format(
            "KMACHINE/KTYPE value '{}' is not a usable grep pattern (spp matches it as one): {}", shown, why);
        return false;
      }
      out->push_back(make_key(std::move(*re), k));
    }
    return true;
  };
  std::vector<Key> machine_keys, both_keys;
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
