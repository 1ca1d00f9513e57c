#include "tree/meta.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "base/file_util.h"
#include "tree/repo.h"
#include "tree/series.h"
#include "tree/state.h"

namespace kmeta::tree {

namespace {

std::string dir_of(const std::string& path) {
  size_t s = path.find_last_of('/');
  return s == std::string::npos ? "." : path.substr(0, s);
}

// Every ref a meta-series moves goes through a journalled move (MetaState
// `updating`): the plan is written first, then the work tree and index go
// from `from` to `to`, then the ref steps run, each its own git_transaction.
// A run that finds the plan (kill -9) runs it again, forced; every step is
// idempotent.
class MetaRunner {
 public:
  MetaRunner(const MetaOptions& o, MetaResult* res) : o_(o), res_(res) {}

  bool run() {
    std::string err;
    auto text = read_file(o_.meta_series, &err);
    if (!text) return fail(o_.meta_series + ": " + err);
    meta_dir_ = dir_of(o_.meta_series);
    repo_ = Repo::open(o_.tree.workdir, &err);
    if (!repo_) return fail(err);
    git_dir_ = repo_->git_dir();
    if (!lock_run(git_dir_, &lock_, &err)) return fail(err);
    ops_ = parse_meta_series(*text);
    std::error_code ec;
    std::string series_path = std::filesystem::absolute(o_.meta_series, ec).lexically_normal().string();
    std::string digest = blob_id(*text + (o_.resume ? "\nresume" : ""));
    bool have = false;
    if (!load_meta_state(git_dir_, &st_, &have, &err)) return fail(err);
    if (have && (st_.status == "updating" || st_.status == "aborting")) {
      bool aborting = st_.status == "aborting";
      if (!finish_move(true, &err)) return fail("cannot finish the interrupted meta-series update: " + err);
      if (aborting) {
        have = false;
        if (o_.tree.abort) {  // a killed --abort, now finished
          res_->aborted = true;
          res_->ok = true;
          return true;
        }
      }
    }
    if (o_.tree.abort) return abort_run(have);

    git_oid head;
    std::string head_ref;
    if (!repo_->head(&head, &head_ref, &err)) return fail(err);
    bool same = have && st_.meta_series == series_path && st_.digest == digest;
    if (same && st_.status == "done" && st_.head == oid_hex(head)) {
      res_->nothing_to_do = true;
      res_->ok = true;
      return true;
    }
    if (!same || st_.status == "done") {
      st_ = MetaState();
      st_.status = "running";
      st_.meta_series = series_path;
      st_.digest = digest;
      st_.start_head = head_ref;
      st_.start_commit = oid_hex(head);
      if (!repo_->list_refs(&st_.start_refs, &err)) return fail(err);
      if (!save_meta_state(git_dir_, st_, &err)) return fail(err);
    } else {
      res_->resumed = true;
      st_.status = "running";
    }
    for (size_t i = st_.next; i < ops_.size(); ++i) {
      if (ops_[i].kind == MetaOp::patch) continue;  // the queues hold the patches
      if (o_.tree.interrupted && o_.tree.interrupted->load()) return stop("interrupted", i);
      if (!op(i)) return false;
      st_.next = i + 1;
      st_.decision.clear();
      if (!save_meta_state(git_dir_, st_, &err)) return fail(err);
      checkpoint();
    }
    if (!repo_->head(&head, &head_ref, &err)) return fail(err);
    st_.status = "done";
    st_.head = oid_hex(head);
    if (!save_meta_state(git_dir_, st_, &err)) return fail(err);
    res_->ok = true;
    return true;
  }

 private:
  bool fail(const std::string& msg) { return fail({}, msg); }
  // A step's error, located at its meta-series line.
  bool fail(const Location& where, const std::string& msg) {
    res_->diags.error(where, msg);
    res_->ok = false;
    return false;
  }

  // A queue or merge stopped (or the run was interrupted): the journal keeps
  // op i and its decision, so a rerun retries it.
  bool stop(const char* status, size_t i) {
    st_.status = status;
    st_.next = i;
    std::string err;
    if (!save_meta_state(git_dir_, st_, &err)) return fail(err);
    res_->interrupted = std::string(status) == "interrupted";
    res_->ok = false;
    return false;
  }

  void checkpoint() {
    if (o_.tree.checkpoint) o_.tree.checkpoint("meta");
  }

  Signature who(const git_oid& at) const {
    GitTime when = o_.tree.policy.source_date;
    if (!o_.tree.have_source_date) repo_->commit_time(at, &when);
    return {o_.tree.policy.committer_name, o_.tree.policy.committer_email, when};
  }

  bool branch_exists(const std::string& b) const {
    git_oid id;
    return repo_->resolve_ref("refs/heads/" + b, &id);
  }

  // kgit-meta's check_branch: B, else B/base, else nothing.
  std::string existing(const std::string& b) const {
    if (branch_exists(b)) return b;
    if (branch_exists(b + "/base")) return b + "/base";
    return {};
  }

  // Journals the move (work tree from HEAD to `to`, then `steps`), runs it
  // and records op `next_op` with `decision` as the state after it.
  bool move(const git_oid& to, std::vector<RefStep> steps, size_t next_op, const std::string& decision,
            std::string* err) {
    git_oid head;
    std::string ref;
    if (!repo_->head(&head, &ref, err)) return false;
    st_.status = "updating";
    st_.after = "running";
    st_.after_next = next_op;
    st_.after_decision = decision;
    st_.from = oid_hex(head);
    st_.to = oid_hex(to);
    st_.steps = std::move(steps);
    if (!save_meta_state(git_dir_, st_, err)) return false;
    checkpoint();
    return finish_move(false, err);
  }

  // Runs the journalled move; `force` after a kill (the work tree may be
  // half-way). On a failed checkout in a first attempt nothing moved and the
  // record goes back to `running`.
  bool finish_move(bool force, std::string* err) {
    git_oid from, to, from_tree, to_tree;
    if (!parse_oid(st_.from, &from) || !parse_oid(st_.to, &to)) {
      *err = "bad commit ids in the meta-series journal";
      return false;
    }
    std::vector<std::string> paths;
    if (!repo_->commit_tree(from, &from_tree, err) || !repo_->commit_tree(to, &to_tree, err) ||
        !repo_->changed_paths(from_tree, to_tree, &paths, err) ||
        !repo_->checkout_paths(from_tree, to_tree, paths, force, err)) {
      if (!force) {
        std::string e2;
        st_.status = "running";
        st_.steps.clear();
        save_meta_state(git_dir_, st_, &e2);
      }
      return false;
    }
    checkpoint();
    Signature sig = who(to);
    for (const RefStep& s : st_.steps) {
      git_oid id;
      bool ok = true;
      if (s.op == "set") {
        ok = parse_oid(s.target, &id) && repo_->move_ref(s.ref, id, sig, s.message, err);
      } else if (s.op == "detach") {
        ok = parse_oid(s.target, &id) && repo_->move_ref("HEAD", id, sig, s.message, err);
      } else if (s.op == "remove") {
        ok = repo_->remove_ref(s.ref, err);
      } else if (s.op == "head") {
        ok = repo_->set_head_symbolic(s.ref, sig, s.message, err);
      } else if (s.op == "reflog") {
        ok = repo_->rename_reflog(s.ref, s.target, err);
      } else {
        *err = "unknown step '" + s.op + "' in the meta-series journal";
        ok = false;
      }
      if (!ok) {
        if (err->empty()) *err = "bad commit id in the meta-series journal";
        return false;
      }
      checkpoint();
    }
    if (st_.status == "aborting") {
      // Back at the start: neither journal is needed any more.
      remove_state(git_dir_);
      remove_meta_state(git_dir_);
      st_ = MetaState();
      return true;
    }
    st_.status = st_.after;
    st_.next = st_.after_next;
    st_.decision = st_.after_decision;
    st_.after.clear();
    st_.after_decision.clear();
    st_.from.clear();
    st_.to.clear();
    st_.steps.clear();
    return save_meta_state(git_dir_, st_, err);
  }

  // HEAD to branch b (work tree and index first), journalled.
  bool switch_to(const std::string& b, size_t next_op, const std::string& decision, std::string* err) {
    git_oid target;
    if (!repo_->resolve_ref("refs/heads/" + b, &target)) {
      *err = "no branch " + b;
      return false;
    }
    return move(target, {{"head", "refs/heads/" + b, "", "checkout: moving to " + b}}, next_op, decision,
                err);
  }

  // run_tree under this run's lock; `what` names the step.
  bool run_step(MetaStep* step, TreeOptions t, size_t i, const Location& where, const std::string& why) {
    t.lock_held = true;
    repo_.reset();  // run_tree opens its own handle
    step->run = run_tree(t);
    std::string err;
    repo_ = Repo::open(o_.tree.workdir, &err);
    if (!repo_) return fail(err);
    bool ok = step->run.ok;
    bool interrupted = step->run.interrupted;
    res_->steps.push_back(std::move(*step));
    if (interrupted) {
      res_->interrupted = true;
      return stop("interrupted", i);
    }
    if (!ok) {
      stop("stopped", i);
      return fail(where, why);
    }
    return true;
  }

  bool apply_queue(const std::string& b, MetaStep* step, size_t i, const Location& where) {
    std::string q = meta_dir_ + "/" + branch_queue_name(b);
    if (!file_exists(q)) {
      std::string nb = b;
      if (size_t at = nb.find("/base"); at != std::string::npos) nb.erase(at, 5);
      q = meta_dir_ + "/" + branch_queue_name(nb);
    }
    if (!file_exists(q)) {
      res_->steps.push_back(std::move(*step));
      return true;
    }
    TreeOptions t = o_.tree;
    t.series = q;
    t.patches_dir = meta_dir_;
    t.merges = false;
    return run_step(step, t, i, where, fmt::format("the queue of branch {} stopped", b));
  }

  bool op(size_t i) {
    const MetaOp& op = ops_[i];
    const Location where{FileName(o_.meta_series), op.line, 0};
    std::string err;
    for (const std::string& name : {op.a, op.b})
      if (!name.empty() && op.kind != MetaOp::patch && !valid_branch_name(name))
        return fail(where, fmt::format("'{}' is not a valid branch name", name));
    MetaStep step;
    switch (op.kind) {
      case MetaOp::patch: return true;
      case MetaOp::rename: {
        git_oid head, old;
        std::string ref;
        if (!repo_->head(&head, &ref, &err)) return fail(where, err);
        if (existing(op.b).empty()) {
          if (!repo_->resolve_ref("refs/heads/" + op.a, &old))
            return fail(where, fmt::format("cannot rename branch {} to {}: no such branch", op.a, op.b));
          std::string from = "refs/heads/" + op.a, to = "refs/heads/" + op.b;
          std::vector<RefStep> steps;
          // HEAD never names a missing branch, even between two steps.
          if (ref == from) steps.push_back({"detach", "HEAD", oid_hex(old), "branch: renaming " + op.a});
          steps.push_back({"remove", from, "", ""});
          steps.push_back({"reflog", from, to, ""});
          steps.push_back({"set", to, oid_hex(old), "branch: renamed " + from + " to " + to});
          steps.push_back({"head", to, "", "checkout: moving to " + op.b});
          if (!move(old, std::move(steps), i, "", &err)) return fail(where, err);
          step.what = "branch rename " + op.a + " " + op.b;
        } else {
          if (!switch_to(op.b, i, "", &err)) return fail(where, err);
          step.what = "branch " + op.b + " exists";
        }
        res_->steps.push_back(std::move(step));
        return true;
      }
      case MetaOp::branch: {
        // Resumed after the branch was made (or switched to, --resume): its queue.
        const std::string kApply = "apply ";
        if (st_.decision.rfind(kApply, 0) == 0) {
          std::string b = st_.decision.substr(kApply.size());
          step.what = "branch " + b + " (resumed)";
          return apply_queue(b, &step, i, where);
        }
        std::string b = existing(op.a);
        if (b.empty()) {
          b = op.a;
          git_oid head;
          std::string ref;
          if (!repo_->head(&head, &ref, &err)) return fail(where, err);
          std::vector<RefStep> steps = {
              {"set", "refs/heads/" + b, oid_hex(head), "branch: Created from HEAD"},
              {"head", "refs/heads/" + b, "", "checkout: moving to " + b}};
          if (!move(head, std::move(steps), i, kApply + b, &err)) return fail(where, err);
          step.what = "branch create " + b;
          return apply_queue(b, &step, i, where);
        }
        if (!switch_to(b, i, o_.resume ? kApply + b : "", &err)) return fail(where, err);
        step.what = "branch reuse " + b;
        if (o_.resume) return apply_queue(b, &step, i, where);
        res_->steps.push_back(std::move(step));
        return true;
      }
      case MetaOp::merge: {
        std::string b = existing(op.a);
        if (b.empty()) return fail(where, fmt::format("branch {} does not exist, can't merge", op.a));
        TreeOptions t = o_.tree;
        t.merge_only = {b};
        t.merges = true;
        step.what = "merge " + b;
        return run_step(&step, t, i, where, fmt::format("merging {} failed", b));
      }
    }
    return true;
  }

  // Back to the start: the tree's own pending update first, then one
  // journalled move (status `aborting`): HEAD detached at the start commit,
  // branches made since removed, the others put back, HEAD as it was.
  bool abort_run(bool have) {
    std::string err;
    if (!have) return fail("no kmeta tree --meta-series run to abort");
    TreeOptions t = o_.tree;
    t.lock_held = true;
    t.recover_only = true;
    t.abort = false;
    repo_.reset();
    TreeResult r = run_tree(t);
    repo_ = Repo::open(o_.tree.workdir, &err);
    if (!repo_) return fail(err);
    if (!r.ok) {
      res_->diags.merge(r.diags);
      return fail("cannot finish the interrupted update before the abort");
    }
    git_oid head, start;
    std::string ref;
    if (!repo_->head(&head, &ref, &err)) return fail(err);
    if (!parse_oid(st_.start_commit, &start)) return fail("bad start commit in the meta-series journal");
    std::vector<std::pair<std::string, std::string>> now;
    if (!repo_->list_refs(&now, &err)) return fail(err);
    std::map<std::string, std::string> before(st_.start_refs.begin(), st_.start_refs.end());
    std::vector<RefStep> steps = {{"detach", "HEAD", st_.start_commit, "kmeta tree: abort"}};
    for (const auto& [name, id] : now)
      if (!before.count(name)) steps.push_back({"remove", name, "", ""});
    std::map<std::string, std::string> cur(now.begin(), now.end());
    for (const auto& [name, id] : before)
      if (cur[name] != id) steps.push_back({"set", name, id, "kmeta tree: abort"});
    if (st_.start_head != "HEAD") steps.push_back({"head", st_.start_head, "", "kmeta tree: abort"});
    st_.status = "aborting";
    st_.from = oid_hex(head);
    st_.to = st_.start_commit;
    st_.steps = std::move(steps);
    if (!save_meta_state(git_dir_, st_, &err)) return fail(err);
    checkpoint();
    if (!finish_move(false, &err)) return fail(err);
    res_->aborted = true;
    res_->ok = true;
    return true;
  }

  const MetaOptions& o_;
  MetaResult* res_;
  std::unique_ptr<Repo> repo_;
  std::string git_dir_, meta_dir_;
  std::vector<MetaOp> ops_;
  FileLock lock_;
  MetaState st_;
};

}  // namespace

MetaResult run_meta_series(const MetaOptions& o) {
  GitLibrary lib;
  MetaResult res;
  MetaRunner r(o, &res);
  r.run();
  return res;
}

}  // namespace kmeta::tree
