#include "scc/features.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace kmeta::scc {

std::string feature_name_problem(std::string_view name) {
  if (!name.empty() && name.front() == '/')
    return "it is an absolute path; features are named relative to the caches";
  size_t b = 0;
  while (b <= name.size()) {
    size_t e = name.find('/', b);
    if (e == std::string_view::npos) e = name.size();
    if (name.substr(b, e - b) == "..") return "it has a '..' component, which could leave the caches";
    b = e + 1;
  }
  return {};
}

std::vector<std::string> check_kernel_features(const std::vector<std::string>& features,
                                               const std::vector<std::string>& include_args, bool warn_only,
                                               FileSystem& fs, const std::string& cwd, Diagnostics& diags) {
  std::vector<std::string> kept;
  for (const auto& f : features) {
    std::string name = f.substr(0, f.find(':'));
    if (std::string why = feature_name_problem(name); !why.empty()) {
      diags.error(Location{}, fmt::format("Feature '{}' is not a name inside the caches: {}", name, why));
      continue;
    }
    bool found = false;
    for (const auto& d : include_args)
      if (fs.exists(absolute_path(str_cat({d, "/", name}), cwd))) {
        found = true;
        break;
      }
    if (found) {
      kept.push_back(f);
    } else if (warn_only) {
      diags.warning(Location{},
                    fmt::format("Feature '{}' not found, but KERNEL_DANGLING_FEATURES_WARN_ONLY is set; "
                                "dropping it (this may cause runtime issues)",
                                name));
    } else {
      diags.error(Location{},
                  fmt::format("Feature '{}' not found, this will cause configuration failures. Check the "
                              "SRC_URI for meta-data repositories or directories that may be missing "
                              "(set KERNEL_DANGLING_FEATURES_WARN_ONLY to ignore)",
                              name));
    }
  }
  return kept;
}

std::vector<std::string> config_pass_inputs(const YoctoInputs& in) {
  std::vector<std::string> out;
  if (!in.defconfig.empty()) out.push_back(in.defconfig);
  if (!in.bsp_definition.empty()) out.push_back(in.bsp_definition);
  for (const auto* v : {&in.sccs, &in.patches, &in.kernel_features})
    out.insert(out.end(), v->begin(), v->end());
  return out;
}

std::vector<std::string> patch_pass_inputs(const YoctoInputs& in) {
  std::vector<std::string> out;
  if (in.external_bsp && !in.bsp_definition.empty()) out.push_back(in.bsp_definition);
  for (const auto* v : {&in.sccs, &in.patches, &in.kernel_features})
    out.insert(out.end(), v->begin(), v->end());
  return out;
}

bool is_external_bsp(FileSystem& fs, const std::string& bsp_abs) {
  auto c = fs.read(bsp_abs);
  return c && c->find("KMETA_EXTERNAL_BSP") != std::string::npos;
}

std::string display_path(const std::string& path, const std::vector<std::string>& include_dirs) {
  for (const auto& d : include_dirs) {
    std::string pre = d == "/" ? "/" : d + "/";
    if (path.size() > pre.size() && path.compare(0, pre.size(), pre) == 0) return path.substr(pre.size());
  }
  return path;
}

static bool shown(Op op) {
  return op == Op::kconf || op == Op::patch || op == Op::branch || op == Op::merge || op == Op::git;
}

FeatureTree build_feature_tree(const Series& s, bool include_inactive) {
  FeatureTree t;
  t.series = &s;
  const int nf = static_cast<int>(s.frames.size());
  std::vector<std::vector<int>> kids(nf);
  std::vector<std::vector<size_t>> acts(nf);
  std::vector<int> roots;
  for (int f = 0; f < nf; ++f) {
    const Frame& fr = s.frames[f];
    if (!fr.active && !include_inactive) continue;
    if (fr.parent < 0)
      roots.push_back(f);
    else
      kids[fr.parent].push_back(f);
  }
  for (size_t i = 0; i < s.actions.size(); ++i) {
    const Action& a = s.actions[i];
    if (!shown(a.op)) continue;
    if (a.frame >= 0 && a.frame < nf)
      acts[a.frame].push_back(i);
    else
      t.loose.push_back(&a);
  }
  std::function<FeatureNode(int)> build = [&](int f) {
    FeatureNode n;
    n.frame = f;
    size_t ki = 0, ai = 0;
    const auto& K = kids[f];
    const auto& A = acts[f];
    while (ki < K.size() || ai < A.size()) {
      bool take_kid = ki < K.size() && (ai >= A.size() || s.frames[K[ki]].first_action <= A[ai]);
      if (take_kid) {
        n.items.push_back({nullptr, static_cast<int>(n.children.size())});
        n.children.push_back(build(K[ki++]));
      } else {
        n.items.push_back({&s.actions[A[ai++]], -1});
      }
    }
    return n;
  };
  for (int r : roots) t.roots.push_back(build(r));
  return t;
}

static std::string action_text(const Action& a, const std::vector<std::string>& dirs) {
  switch (a.op) {
    case Op::kconf:
      return fmt::format("{}kconf {} {}", a.force ? "force " : "", a.kconf_class, display_path(a.file, dirs));
    case Op::patch: return "patch " + display_path(a.file, dirs);
    case Op::branch: return "branch " + a.name;
    case Op::merge: return "merge " + a.name;
    case Op::git: return "git " + a.name;
    default: return to_string(a.op);
  }
}

static void print_node(const FeatureTree& t, const FeatureNode& n, int depth, std::string* out) {
  const Series& s = *t.series;
  const Frame& fr = s.frames[n.frame];
  std::string pad(static_cast<size_t>(depth) * 2, ' ');
  std::string flags;
  if (fr.nocfg) flags += " nocfg";
  if (fr.nopatch) flags += " nopatch";
  *out += pad + display_path(fr.file, s.include_dirs);
  if (!flags.empty()) *out += " [" + flags.substr(1) + "]";
  if (!fr.active) *out += " (not taken)";
  if (fr.included_at.valid()) *out += fmt::format("  (line {})", fr.included_at.line);
  *out += "\n";
  for (const auto& it : n.items) {
    if (it.child >= 0)
      print_node(t, n.children[it.child], depth + 1, out);
    else
      *out += pad + "  " + action_text(*it.action, s.include_dirs) + "\n";
  }
}

std::string print_feature_tree(const FeatureTree& t) {
  std::string out;
  for (const auto& r : t.roots) print_node(t, r, 0, &out);
  for (const Action* a : t.loose) out += action_text(*a, t.series->include_dirs) + "\n";
  return out;
}

static nlohmann::json node_json(const FeatureTree& t, const FeatureNode& n) {
  using nlohmann::json;
  const Series& s = *t.series;
  const Frame& fr = s.frames[n.frame];
  json j;
  j["file"] = fr.file;
  j["name"] = display_path(fr.file, s.include_dirs);
  if (fr.included_at.valid()) j["included_at"] = fr.included_at.str();
  j["active"] = fr.active;
  if (fr.nocfg) j["nocfg"] = true;
  if (fr.nopatch) j["nopatch"] = true;
  json items = json::array();
  for (const auto& it : n.items) {
    if (it.child >= 0) {
      items.push_back({{"include", node_json(t, n.children[it.child])}});
      continue;
    }
    const Action& a = *it.action;
    json x;
    x["op"] = to_string(a.op);
    x["line"] = a.where.line;
    if (a.op == Op::kconf || a.op == Op::patch) {
      x["path"] = a.file;
      x["dest"] = a.dest;
      if (a.op == Op::kconf) x["class"] = a.kconf_class;
    } else {
      x["name"] = a.name;
    }
    items.push_back(std::move(x));
  }
  j["items"] = std::move(items);
  return j;
}

nlohmann::json feature_tree_json(const FeatureTree& t) {
  nlohmann::json roots = nlohmann::json::array();
  for (const auto& r : t.roots) roots.push_back(node_json(t, r));
  return nlohmann::json{{"include_dirs", t.series->include_dirs}, {"tree", roots}};
}

}  // namespace kmeta::scc
