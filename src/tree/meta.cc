#include "tree/meta.h"

#include <fmt/format.h>

#include "base/file_util.h"
#include "tree/repo.h"
#include "tree/series.h"

namespace kmeta::tree {

namespace {

std::string dir_of(const std::string& path) {
  size_t s = path.find_last_of('/');
  return s == std::string::npos ? "." : path.substr(0, s);
}

bool branch_exists(Repo& repo, const std::string& b) {
  git_oid id;
  return repo.resolve_ref("refs/heads/" + b, &id);
}

// kgit-meta's check_branch: B, else B/base, else nothing.
std::string existing(Repo& repo, const std::string& b) {
  if (branch_exists(repo, b)) return b;
  if (branch_exists(repo, b + "/base")) return b + "/base";
  return {};
}

bool switch_to(Repo& repo, const std::string& b, std::string* err) {
  git_oid head, target, from_tree, to_tree;
  std::string ref;
  if (!repo.head(&head, &ref, err)) return false;
  if (!repo.resolve_ref("refs/heads/" + b, &target)) {
    *err = "no branch " + b;
    return false;
  }
  std::vector<std::string> paths;
  if (!repo.commit_tree(head, &from_tree, err) || !repo.commit_tree(target, &to_tree, err) ||
      !repo.changed_paths(from_tree, to_tree, &paths, err) ||
      !repo.checkout_paths(from_tree, to_tree, paths, false, err))
    return false;
  return repo.set_head("refs/heads/" + b, err);
}

}  // namespace

MetaResult run_meta_series(const MetaOptions& o) {
  GitLibrary lib;
  MetaResult res;
  auto fail = [&](const std::string& msg) {
    res.diags.error({}, msg);
    res.ok = false;
    return res;
  };
  std::string err;
  auto text = read_file(o.meta_series, &err);
  if (!text) return fail(o.meta_series + ": " + err);
  std::string meta_dir = dir_of(o.meta_series);
  auto repo = Repo::open(o.tree.workdir, &err);
  if (!repo) return fail(err);
  for (const MetaOp& op : parse_meta_series(*text)) {
    std::string where = fmt::format("{}:{}", o.meta_series, op.line);
    for (const std::string& name : {op.a, op.b})
      if (!name.empty() && op.kind != MetaOp::patch && !valid_branch_name(name))
        return fail(fmt::format("{}: '{}' is not a valid branch name", where, name));
    MetaStep step;
    switch (op.kind) {
      case MetaOp::patch: continue;
      case MetaOp::rename: {
        if (existing(*repo, op.b).empty()) {
          git_reference* r = nullptr;
          git_reference* moved = nullptr;
          if (git_branch_lookup(&r, repo->raw(), op.a.c_str(), GIT_BRANCH_LOCAL) != 0 ||
              git_branch_move(&moved, r, op.b.c_str(), 0) != 0) {
            git_reference_free(r);
            return fail(
                fmt::format("{}: cannot rename branch {} to {}: {}", where, op.a, op.b, git_error_text()));
          }
          git_reference_free(r);
          git_reference_free(moved);
          step.what = "branch rename " + op.a + " " + op.b;
        } else {
          step.what = "branch " + op.b + " exists";
        }
        if (!switch_to(*repo, op.b, &err)) return fail(where + ": " + err);
        break;
      }
      case MetaOp::branch: {
        std::string b = existing(*repo, op.a);
        bool apply = false;
        if (b.empty()) {
          b = op.a;
          git_oid head;
          std::string ref;
          if (!repo->head(&head, &ref, &err) || !repo->create_branch(b, head, &err) ||
              !repo->set_head("refs/heads/" + b, &err))
            return fail(where + ": " + err);
          step.what = "branch create " + b;
          apply = true;
        } else {
          if (!switch_to(*repo, b, &err)) return fail(where + ": " + err);
          step.what = "branch reuse " + b;
          apply = o.resume;
        }
        if (apply) {
          std::string q = meta_dir + "/" + branch_queue_name(b);
          if (!file_exists(q)) {
            std::string nb = b;
            if (size_t at = nb.find("/base"); at != std::string::npos) nb.erase(at, 5);
            q = meta_dir + "/" + branch_queue_name(nb);
          }
          if (file_exists(q)) {
            TreeOptions t = o.tree;
            t.series = q;
            t.patches_dir = meta_dir;
            t.merges = false;
            repo.reset();  // run_tree opens its own handle
            step.run = run_tree(t);
            repo = Repo::open(o.tree.workdir, &err);
            if (!repo) return fail(err);
            bool ok = step.run.ok;
            res.steps.push_back(std::move(step));
            if (!ok) return fail(fmt::format("{}: the queue of branch {} stopped", where, b));
            continue;
          }
        }
        break;
      }
      case MetaOp::merge: {
        std::string b = existing(*repo, op.a);
        if (b.empty()) return fail(fmt::format("{}: branch {} does not exist, can't merge", where, op.a));
        TreeOptions t = o.tree;
        t.merge_only = {b};
        t.merges = true;
        repo.reset();
        step.what = "merge " + b;
        step.run = run_tree(t);
        repo = Repo::open(o.tree.workdir, &err);
        if (!repo) return fail(err);
        bool ok = step.run.ok;
        res.steps.push_back(std::move(step));
        if (!ok) return fail(fmt::format("{}: merging {} failed", where, b));
        continue;
      }
    }
    res.steps.push_back(std::move(step));
  }
  res.ok = true;
  return res;
}

}  // namespace kmeta::tree
