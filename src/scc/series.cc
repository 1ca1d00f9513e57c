#include "scc/series.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace kmeta::scc {

const char* to_string(Op op) {
  switch (op) {
    case Op::reloc_dir: return "reloc_dir";
    case Op::mark: return "mark";
    case Op::define: return "define";
    case Op::branch: return "branch";
    case Op::kconf: return "kconf";
    case Op::patch: return "patch";
    case Op::merge: return "merge";
    case Op::git: return "git";
  }
  return "?";
}

std::vector<Location> Series::chain(int frame) const {
  std::vector<Location> out;
  for (int f = frame; f >= 0 && static_cast<size_t>(f) < frames.size(); f = frames[f].parent)
    if (frames[f].included_at.valid()) out.push_back(frames[f].included_at);
  return out;
}

std::vector<const Action*> Series::fragments() const {
  std::vector<const Action*> out;
  for (const auto& a : actions)
    if (a.op == Op::kconf) out.push_back(&a);
  return out;
}

std::vector<const Action*> Series::patches() const {
  std::vector<const Action*> out;
  for (const auto& a : actions)
    if (a.op == Op::patch) out.push_back(&a);
  return out;
}

// The reference echoes most lines unquoted (echo_words): runs of blanks collapse.

std::string meta_lines(const Action& a) {
  switch (a.op) {
    case Op::reloc_dir: return "# _reloc_dir " + a.name + "\n";
    case Op::mark: return echo_words("# _mark " + a.name + (a.value.empty() ? "" : " " + a.value)) + "\n";
    case Op::define: return echo_words("# _define " + a.name + " '" + a.value + "'") + "\n";
    case Op::branch: {
      std::string s;
      if (!a.value.empty()) s = echo_words("branch rename: " + a.value + " " + a.value + "/base") + "\n";
      return s + echo_words("branch: " + a.name) + "\n";
    }
    case Op::kconf: return echo_words("kconf " + a.source + " # " + a.kconf_class) + "\n";
    case Op::patch: return "patch " + a.dest + "\n";
    case Op::merge: return echo_words("merge: " + a.name) + "\n";
    case Op::git: return "# _git " + a.name + "\n";
  }
  return {};
}

nlohmann::json to_json(const Series& s) {
  using nlohmann::json;
  json acts = json::array();
  for (const auto& a : s.actions) {
    json j;
    j["op"] = to_string(a.op);
    if (a.where.valid()) {
      j["file"] = a.where.file;
      j["line"] = a.where.line;
    }
    json chain = json::array();
    for (const auto& l : s.chain(a.frame)) chain.push_back(l.str());
    j["chain"] = chain;
    switch (a.op) {
      case Op::reloc_dir: j["dir"] = a.name; break;
      case Op::mark: j["file_name"] = a.name, j["what"] = a.value; break;
      case Op::define: j["name"] = a.name, j["value"] = a.value; break;
      case Op::branch:
        j["branch"] = a.name;
        if (!a.value.empty()) j["renamed"] = a.value;
        break;
      case Op::merge: j["branch"] = a.name; break;
      case Op::git: j["args"] = a.name; break;
      case Op::kconf:
      case Op::patch: {
        j["source"] = a.source;
        j["dest"] = a.dest;
        j["in_branch"] = a.branch;
        if (a.op == Op::kconf) {
          j["class"] = a.kconf_class;
          if (a.force) j["force"] = true;
          if (!a.flags.empty()) j["flags"] = a.flags;
          if (!a.classifiers.empty()) {
            json c = json::array();
            for (const auto& x : a.classifiers) c.push_back(x.source);
            j["classifiers"] = c;
          }
          if (!a.overrides.empty()) {
            json o = json::array();
            for (const auto& x : a.overrides)
              o.push_back({{"option", x.option}, {"expression", x.expression}, {"value", x.value}});
            j["overrides"] = o;
          }
        }
        break;
      }
    }
    acts.push_back(std::move(j));
  }
  return json{{"include_dirs", s.include_dirs}, {"actions", acts}};
}

}  // namespace kmeta::scc
