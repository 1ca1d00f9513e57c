#include "tree/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "base/file_util.h"
#include "tree/repo.h"
#include "tree/series.h"
#include "tree/state.h"

namespace kmeta::tree {

namespace {

std::string join_path(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (!name.empty() && name[0] == '/') return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::string series_digest(const std::vector<SeriesEntry>& entries) {
  std::string all;
  for (const SeriesEntry& e : entries) {
    all += e.name;
    all += '\n';
  }
  return blob_id(all);
}

class Runner {
 public:
  Runner(const TreeOptions& o, TreeResult* res) : o_(o), res_(res) {}

  bool run() {
    std::string err;
    repo_ = Repo::open(o_.workdir, &err);
    if (!repo_) return fail(err);
    git_dir_ = repo_->git_dir();
    if (!o_.check && !o_.lock_held && !lock_run(git_dir_, &lock_, &err)) return fail(err);
    patches_ = o_.patches_dir.empty() ? join_path(repo_->workdir(), ".kernel-meta") : o_.patches_dir;
    if (!load_state(git_dir_, &st_, &have_state_, &err)) return fail(err);
    if (have_state_ && st_.status == "updating" && !o_.check) {
      if (!finish_update(&err)) return fail("cannot finish the interrupted update: " + err);
    }
    if (o_.recover_only) {
      res_->ok = true;
      return true;
    }
    if (!repo_->head(&head_, &ref_, &err)) return fail(err);
    if (o_.abort) return abort_run();

    if (o_.merge_only.empty()) {
      series_file_ = o_.series;
      if (series_file_.empty()) {
        series_file_ = join_path(patches_, "series");
        if (!file_exists(series_file_)) series_file_ = join_path(patches_, "patch.queue");
      }
      auto text = read_file(series_file_, &err);
      if (!text) return fail(Location{FileName(series_file_)}, "cannot read the series: " + err);
      entries_ = parse_series(*text);
      digest_ = series_digest(entries_);
    } else {
      std::string all = "merge";
      for (const std::string& b : o_.merge_only) all += " " + b;
      digest_ = blob_id(all);
    }
    res_->total = entries_.size();

    git_oid start = head_;
    size_t first = 0;
    std::vector<std::string> skipped;
    bool resumable = have_state_ && st_.digest == digest_ && st_.series == series_file_;
    if (o_.start_at >= 0 && !o_.check) {
      if (o_.skip) return fail("--skip and a starting patch exclude each other");
      first = std::min(size_t(o_.start_at), entries_.size());
    } else if (!o_.check && resumable) {
      if (st_.status == "done" && st_.head == oid_hex(head_)) {
        res_->nothing_to_do = true;
        res_->ok = true;
        res_->start = st_.start;
        res_->head = st_.head;
        res_->first = entries_.size();
        return true;
      }
      if (st_.status == "stopped" || st_.status == "interrupted") {
        if (st_.head != oid_hex(head_) && !o_.skip)
          return fail(
              fmt::format("HEAD ({}) moved since kmeta tree stopped at {} ({}); use --skip if it holds "
                          "that patch resolved, or --abort",
                          oid_hex(head_).substr(0, 12), st_.head.substr(0, 12), entry_name(st_.next)));
        if (!parse_oid(st_.start, &start)) return fail("bad start commit in the state file");
        first = st_.next;
        skipped = st_.skipped;
        if (o_.skip && st_.status == "stopped" && first < entries_.size()) {
          PatchOutcome sk;
          sk.kind = PatchOutcome::skipped;
          sk.index = first;
          sk.entry = entries_[first].name;
          res_->patches.push_back(sk);
          skipped.push_back(entries_[first].name);
          ++first;
        }
      }
    } else if (o_.skip && !o_.check) {
      return fail("nothing to skip: no stopped kmeta tree run for this series");
    }
    res_->first = first;
    res_->start = oid_hex(start);

    CommitPolicy policy = o_.policy;
    if (!o_.have_source_date && !repo_->commit_time(start, &policy.source_date))
      return fail("cannot read the date of " + oid_hex(start));
    policy_ = policy;

    git_oid base_tree;
    if (!repo_->commit_tree(head_, &base_tree, &err)) return fail(err);
    cur_commit_ = head_;
    cur_tree_ = base_tree;

    size_t stopped_at = entries_.size();
    bool interrupted = false;
    for (size_t i = first; i < entries_.size(); ++i) {
      if (o_.interrupted && o_.interrupted->load()) {
        interrupted = true;
        stopped_at = i;
        break;
      }
      if (!step(i, base_tree)) {
        if (!o_.check) {
          stopped_at = i;
          break;
        }
      }
    }
    res_->interrupted = interrupted;
    bool all_applied = stopped_at == entries_.size() && !interrupted;
    if (o_.check) {
      res_->ok = true;
      for (const PatchOutcome& p : res_->patches)
        if (!p.ok()) res_->ok = false;
      res_->head = oid_hex(head_);
      return res_->ok;
    }
    if (all_applied && o_.merges && !merge_queue(&err)) {
      // Publish what was applied, then report.
      res_->diags.error({}, err);
      all_applied = false;
      stopped_at = entries_.size();
    }
    RunState next;
    next.status = all_applied ? "done" : interrupted ? "interrupted" : "stopped";
    next.ref = ref_;
    next.start = oid_hex(start);
    next.head = oid_hex(cur_commit_);
    next.series = series_file_;
    next.digest = digest_;
    next.next = stopped_at;
    next.skipped = skipped;
    if (!publish(next, &err)) return fail(err);
    res_->head = oid_hex(cur_commit_);
    res_->ok = all_applied && !res_->diags.has_errors();
    return res_->ok;
  }

 private:
  bool fail(const std::string& msg) { return fail({}, msg); }
  bool fail(const Location& where, const std::string& msg) {
    res_->diags.error(where, msg);
    res_->ok = false;
    return false;
  }

  std::string entry_name(size_t i) const { return i < entries_.size() ? entries_[i].name : "(end)"; }

  std::optional<FileEntry> read_file_at(const git_oid& base_tree, const std::string& path) {
    auto it = overlay_.find(path);
    if (it != overlay_.end()) return it->second;
    return repo_->read(base_tree, path);
  }

  bool step(size_t i, const git_oid& base_tree) {
    const SeriesEntry& e = entries_[i];
    std::string path = join_path(patches_, e.name);
    PatchOutcome pre;
    pre.index = i;
    pre.entry = e.name;
    if (o_.progress) o_.progress(i, entries_.size(), pre, false);
    std::string err;
    auto mail = read_file(path, &err);
    StepResult sr;
    if (!mail) {
      sr.outcome.kind = PatchOutcome::bad_patch;
      sr.outcome.error =
          fmt::format("{}:{}: error: patch {} doesn't exist ({})", series_file_, e.line, path, err);
    } else {
      FileSource src;
      src.read = [&](const std::string& p) { return read_file_at(base_tree, p); };
      src.blob = [&](const std::string& hex) { return repo_->blob(hex); };
      sr = apply_mail(*mail, Location{FileName(path), 0, 0}, src, policy_);
    }
    PatchOutcome& out = sr.outcome;
    out.index = i;
    out.entry = e.name;
    if (out.ok()) {
      for (const FileChange& c : sr.changes) overlay_[c.path] = c.entry;
      if (!o_.check) {
        git_oid tree, commit;
        if (!repo_->write_tree(cur_tree_, sr.changes, &tree, &err) ||
            !repo_->write_commit(tree, {cur_commit_}, sr.meta, &commit, &err)) {
          out.kind = PatchOutcome::bad_patch;
          out.error = path + ": error: " + err;
        } else {
          cur_tree_ = tree;
          cur_commit_ = commit;
          out.commit = oid_hex(commit);
          if (o_.checkpoint) o_.checkpoint("patch");
        }
      }
    }
    bool ok = out.ok();
    if (o_.progress) o_.progress(i, entries_.size(), out, true);
    res_->patches.push_back(std::move(out));
    return ok;
  }

  bool merge_queue(std::string* err) {
    std::string mq = o_.merge_queue.empty() ? join_path(patches_, "merge.queue") : o_.merge_queue;
    std::vector<std::string> branches = o_.merge_only;
    if (branches.empty()) {
      if (!file_exists(mq)) return true;
      auto text = read_file(mq, err);
      if (!text) return false;
      branches = parse_merge_queue(*text);
    } else {
      mq = "merge";
    }
    for (const std::string& b : branches) {
      MergeOutcome m;
      m.branch = b;
      git_oid theirs;
      if (!valid_branch_name(b) || !repo_->resolve_ref("refs/heads/" + b, &theirs)) {
        *err = fmt::format("{}: branch {} does not exist, cannot merge", mq, b);
        res_->merges.push_back(m);
        return false;
      }
      git_oid tree, commit;
      if (!repo_->merge_trees(cur_commit_, theirs, &tree, &m.conflicts, err)) {
        if (!m.conflicts.empty())
          *err = fmt::format("{}: merging branch {} conflicts in {} path(s), first {}", mq, b,
                             m.conflicts.size(), m.conflicts.front());
        res_->merges.push_back(m);
        return false;
      }
      CommitMeta meta;
      meta.author = {policy_.committer_name, policy_.committer_email, policy_.source_date};
      meta.committer = meta.author;
      meta.message = "Merge branch " + b + "\n";
      if (!repo_->write_commit(tree, {cur_commit_, theirs}, meta, &commit, err)) return false;
      cur_commit_ = commit;
      cur_tree_ = tree;
      m.commit = oid_hex(commit);
      res_->merges.push_back(m);
    }
    return true;
  }

  Signature reflog_identity() const {
    return {policy_.committer_name, policy_.committer_email, policy_.source_date};
  }

  // Moves index, work tree and ref from HEAD to cur_commit_, journalled.
  bool publish(RunState next, std::string* err) {
    if (git_oid_equal(&cur_commit_, &head_)) return save_state(git_dir_, next, err);
    RunState upd = next;
    upd.after = next.status;
    upd.status = "updating";
    upd.from = oid_hex(head_);
    upd.to = oid_hex(cur_commit_);
    if (!save_state(git_dir_, upd, err)) return false;
    if (o_.checkpoint) o_.checkpoint("journal");
    git_oid from_tree;
    std::vector<std::string> paths;
    if (!repo_->commit_tree(head_, &from_tree, err) ||
        !repo_->changed_paths(from_tree, cur_tree_, &paths, err) ||
        !repo_->checkout_paths(from_tree, cur_tree_, paths, false, err)) {
      // Nothing moved: put the previous record back.
      std::string e2;
      if (have_state_)
        save_state(git_dir_, st_, &e2);
      else
        remove_state(git_dir_);
      *err += fmt::format(" (the commits exist, up to {}, but HEAD was not moved)", oid_hex(cur_commit_));
      return false;
    }
    if (o_.checkpoint) o_.checkpoint("checkout");
    std::string msg = fmt::format("kmeta tree: {} ({} patches)", next.status, res_->patches.size());
    if (!repo_->move_ref(ref_, cur_commit_, reflog_identity(), msg, err)) return false;
    if (o_.checkpoint) o_.checkpoint("ref");
    return save_state(git_dir_, next, err);
  }

  bool finish_update(std::string* err) {
    git_oid from, to, from_tree, to_tree;
    if (!parse_oid(st_.from, &from) || !parse_oid(st_.to, &to)) {
      *err = "bad commit ids in " + state_path(git_dir_);
      return false;
    }
    std::vector<std::string> paths;
    if (!repo_->commit_tree(from, &from_tree, err) || !repo_->commit_tree(to, &to_tree, err) ||
        !repo_->changed_paths(from_tree, to_tree, &paths, err) ||
        !repo_->checkout_paths(from_tree, to_tree, paths, true, err))
      return false;
    GitTime when;
    repo_->commit_time(to, &when);
    if (!repo_->move_ref(st_.ref, to, {policy_.committer_name, policy_.committer_email, when},
                         "kmeta tree: finish interrupted update", err))
      return false;
    st_.status = st_.after;
    st_.after.clear();
    st_.from.clear();
    st_.to.clear();
    if (st_.status == "aborted") {
      remove_state(git_dir_);
      have_state_ = false;
      return true;
    }
    return save_state(git_dir_, st_, err);
  }

  bool abort_run() {
    std::string err;
    if (!have_state_) return fail("no kmeta tree run to abort");
    git_oid start;
    if (!parse_oid(st_.start, &start)) return fail("bad start commit in the state file");
    if (!repo_->commit_tree(start, &cur_tree_, &err)) return fail(err);
    cur_commit_ = start;
    policy_ = o_.policy;
    repo_->commit_time(start, &policy_.source_date);
    RunState next = st_;
    next.status = "aborted";
    if (!publish(next, &err)) return fail(err);
    remove_state(git_dir_);
    res_->aborted = true;
    res_->ok = true;
    res_->start = st_.start;
    res_->head = st_.start;
    return true;
  }

  const TreeOptions& o_;
  TreeResult* res_;
  std::unique_ptr<Repo> repo_;
  std::string git_dir_, patches_, series_file_, digest_, ref_;
  std::vector<SeriesEntry> entries_;
  FileLock lock_;
  RunState st_;
  bool have_state_ = false;
  git_oid head_{}, cur_commit_{}, cur_tree_{};
  CommitPolicy policy_;
  std::map<std::string, std::optional<FileEntry>> overlay_;
};

}  // namespace

TreeResult run_tree(const TreeOptions& opts) {
  GitLibrary lib;
  TreeResult res;
  Runner r(opts, &res);
  r.run();
  return res;
}

}  // namespace kmeta::tree
