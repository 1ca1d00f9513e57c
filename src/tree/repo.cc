#include "tree/repo.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace kmeta::tree {

std::string oid_hex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

bool parse_oid(const std::string& hex, git_oid* out) {
  return hex.size() == GIT_OID_HEXSZ && git_oid_fromstr(out, hex.c_str()) == 0;
}

std::string git_error_text() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

std::unique_ptr<Repo> Repo::open(const std::string& path, std::string* error) {
  git_repository* r = nullptr;
  if (git_repository_open_ext(&r, path.c_str(), 0, nullptr) != 0) {
    *error = "not a git repository: " + path + " (" + git_error_text() + ")";
    return nullptr;
  }
  auto repo = std::unique_ptr<Repo>(new Repo);
  repo->repo_.reset(r);
  if (git_repository_is_bare(r)) {
    *error = "a work tree is needed, " + path + " is a bare repository";
    return nullptr;
  }
  return repo;
}

std::string Repo::git_dir() const { return git_repository_path(repo_.get()); }
std::string Repo::workdir() const {
  const char* w = git_repository_workdir(repo_.get());
  return w ? w : "";
}

std::optional<std::string> Repo::config_string(const std::string& key) const {
  git_config* cfg = nullptr;
  if (git_repository_config_snapshot(&cfg, repo_.get()) != 0) return std::nullopt;
  GitPtr<git_config> cp(cfg);
  const char* v = nullptr;
  if (git_config_get_string(&v, cfg, key.c_str()) != 0 || !v) return std::nullopt;
  return std::string(v);
}

bool Repo::head(git_oid* commit, std::string* ref, std::string* error) const {
  git_reference* h = nullptr;
  if (git_reference_lookup(&h, repo_.get(), "HEAD") != 0) {
    *error = "cannot read HEAD: " + git_error_text();
    return false;
  }
  GitPtr<git_reference> hp(h);
  if (git_reference_type(h) == GIT_REFERENCE_SYMBOLIC)
    *ref = git_reference_symbolic_target(h);
  else
    *ref = "HEAD";
  git_reference* resolved = nullptr;
  if (git_reference_resolve(&resolved, h) != 0) {
    *error = "HEAD does not point at a commit (" + git_error_text() + ")";
    return false;
  }
  *commit = *git_reference_target(resolved);
  git_reference_free(resolved);
  return true;
}

bool Repo::resolve_ref(const std::string& ref, git_oid* out) const {
  return git_reference_name_to_id(out, repo_.get(), ref.c_str()) == 0;
}

bool Repo::commit_tree(const git_oid& commit, git_oid* tree, std::string* error) const {
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo_.get(), &commit) != 0) {
    *error = "no commit " + oid_hex(commit) + ": " + git_error_text();
    return false;
  }
  *tree = *git_commit_tree_id(c);
  git_commit_free(c);
  return true;
}

bool Repo::commit_time(const git_oid& commit, GitTime* out) const {
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo_.get(), &commit) != 0) return false;
  const git_signature* s = git_commit_committer(c);
  out->seconds = s->when.time;
  out->offset_minutes = s->when.offset;
  git_commit_free(c);
  return true;
}

bool Repo::commit_parent(const git_oid& commit, git_oid* parent) const {
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo_.get(), &commit) != 0) return false;
  bool ok = git_commit_parentcount(c) > 0;
  if (ok) *parent = *git_commit_parent_id(c, 0);
  git_commit_free(c);
  return ok;
}

std::optional<FileEntry> Repo::read(const git_oid& tree_id, const std::string& path) const {
  git_tree* t = nullptr;
  if (git_tree_lookup(&t, repo_.get(), &tree_id) != 0) return std::nullopt;
  GitPtr<git_tree> tp(t);
  git_tree_entry* e = nullptr;
  if (git_tree_entry_bypath(&e, t, path.c_str()) != 0) return std::nullopt;
  git_filemode_t mode = git_tree_entry_filemode(e);
  git_oid id = *git_tree_entry_id(e);
  git_tree_entry_free(e);
  if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE && mode != GIT_FILEMODE_LINK)
    return std::nullopt;
  git_blob* b = nullptr;
  if (git_blob_lookup(&b, repo_.get(), &id) != 0) return std::nullopt;
  FileEntry fe;
  fe.content.assign(static_cast<const char*>(git_blob_rawcontent(b)), size_t(git_blob_rawsize(b)));
  fe.mode = uint32_t(mode);
  git_blob_free(b);
  return fe;
}

std::optional<std::string> Repo::blob(const std::string& hex) const {
  git_oid id;
  if (!parse_oid(hex, &id)) return std::nullopt;
  git_blob* b = nullptr;
  if (git_blob_lookup(&b, repo_.get(), &id) != 0) return std::nullopt;
  std::string s(static_cast<const char*>(git_blob_rawcontent(b)), size_t(git_blob_rawsize(b)));
  git_blob_free(b);
  return s;
}

bool Repo::write_tree(const git_oid& base, const std::vector<FileChange>& changes, git_oid* out,
                      std::string* error) {
  // One update per path, the last change winning.
  std::map<std::string, const FileChange*> last;
  for (const FileChange& c : changes) last[c.path] = &c;
  std::vector<git_tree_update> updates;
  updates.reserve(last.size());
  for (auto& [path, c] : last) {
    git_tree_update u{};
    u.path = path.c_str();
    if (!c->entry) {
      u.action = GIT_TREE_UPDATE_REMOVE;
    } else {
      u.action = GIT_TREE_UPDATE_UPSERT;
      u.filemode = git_filemode_t(c->entry->mode);
      if (git_blob_create_from_buffer(&u.id, repo_.get(), c->entry->content.data(),
                                      c->entry->content.size()) != 0) {
        *error = "cannot write a blob for " + path + ": " + git_error_text();
        return false;
      }
    }
    updates.push_back(u);
  }
  git_tree* t = nullptr;
  if (git_tree_lookup(&t, repo_.get(), &base) != 0) {
    *error = "cannot read tree " + oid_hex(base) + ": " + git_error_text();
    return false;
  }
  GitPtr<git_tree> tp(t);
  if (git_tree_create_updated(out, repo_.get(), t, updates.size(), updates.data()) != 0) {
    *error = "cannot write the tree: " + git_error_text();
    return false;
  }
  return true;
}

bool Repo::write_commit(const git_oid& tree_id, const std::vector<git_oid>& parents, const CommitMeta& meta,
                        git_oid* out, std::string* error) {
  git_signature *a = nullptr, *c = nullptr;
  if (git_signature_new(&a, meta.author.name.c_str(), meta.author.email.c_str(), meta.author.when.seconds,
                        meta.author.when.offset_minutes) != 0 ||
      git_signature_new(&c, meta.committer.name.c_str(), meta.committer.email.c_str(),
                        meta.committer.when.seconds, meta.committer.when.offset_minutes) != 0) {
    *error = "bad identity: " + git_error_text();
    git_signature_free(a);
    return false;
  }
  GitPtr<git_signature> ap(a), cp(c);
  git_tree* t = nullptr;
  if (git_tree_lookup(&t, repo_.get(), &tree_id) != 0) {
    *error = git_error_text();
    return false;
  }
  GitPtr<git_tree> tp(t);
  std::vector<git_commit*> ps;
  for (const git_oid& p : parents) {
    git_commit* pc = nullptr;
    if (git_commit_lookup(&pc, repo_.get(), &p) != 0) {
      for (git_commit* x : ps) git_commit_free(x);
      *error = git_error_text();
      return false;
    }
    ps.push_back(pc);
  }
  int rc = git_commit_create(out, repo_.get(), nullptr, a, c, nullptr, meta.message.c_str(), t, ps.size(),
                             const_cast<const git_commit**>(ps.data()));
  for (git_commit* x : ps) git_commit_free(x);
  if (rc != 0) {
    *error = "cannot write the commit: " + git_error_text();
    return false;
  }
  return true;
}

namespace {

// Paths that differ between two trees, descending only into subtrees whose
// ids differ (libgit2's tree-to-tree diff reads every tree of both sides: on
// a kernel, ~5 000 tree objects for a handful of changed files).
class TreeDiffer {
 public:
  TreeDiffer(git_repository* repo, std::vector<std::string>* out) : repo_(repo), out_(out) {}

  bool diff(const git_oid* a, const git_oid* b, const std::string& prefix) {
    GitPtr<git_tree> ta, tb;
    if (a && !lookup(*a, &ta)) return false;
    if (b && !lookup(*b, &tb)) return false;
    std::map<std::string, std::pair<const git_tree_entry*, const git_tree_entry*>> by_name;
    if (ta)
      for (size_t i = 0, n = git_tree_entrycount(ta.get()); i < n; ++i) {
        const git_tree_entry* e = git_tree_entry_byindex(ta.get(), i);
        by_name[git_tree_entry_name(e)].first = e;
      }
    if (tb)
      for (size_t i = 0, n = git_tree_entrycount(tb.get()); i < n; ++i) {
        const git_tree_entry* e = git_tree_entry_byindex(tb.get(), i);
        by_name[git_tree_entry_name(e)].second = e;
      }
    for (const auto& [name, pair] : by_name) {
      const git_tree_entry *ea = pair.first, *eb = pair.second;
      if (ea && eb && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
          git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb))
        continue;
      std::string path = prefix + name;
      bool a_tree = ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE;
      bool b_tree = eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE;
      if (a_tree || b_tree) {
        if (!diff(a_tree ? git_tree_entry_id(ea) : nullptr, b_tree ? git_tree_entry_id(eb) : nullptr,
                  path + "/"))
          return false;
        if ((ea && !a_tree) || (eb && !b_tree)) out_->push_back(path);  // a file became a directory, or back
      } else {
        out_->push_back(path);
      }
    }
    return true;
  }

  std::string error;

 private:
  bool lookup(const git_oid& id, GitPtr<git_tree>* out) {
    git_tree* t = nullptr;
    if (git_tree_lookup(&t, repo_, &id) != 0) {
      error = git_error_text();
      return false;
    }
    out->reset(t);
    return true;
  }

  git_repository* repo_;
  std::vector<std::string>* out_;
};

}  // namespace

bool Repo::changed_paths(const git_oid& from_tree, const git_oid& to_tree, std::vector<std::string>* out,
                         std::string* error) {
  TreeDiffer d(repo_.get(), out);
  if (!d.diff(&from_tree, &to_tree, "")) {
    *error = d.error;
    return false;
  }
  return true;
}

bool Repo::checkout_paths(const git_oid& from_tree, const git_oid& to_tree,
                          const std::vector<std::string>& paths, bool force, std::string* error) {
  if (paths.empty()) return true;
  git_tree *from = nullptr, *to = nullptr;
  if (git_tree_lookup(&from, repo_.get(), &from_tree) != 0 ||
      git_tree_lookup(&to, repo_.get(), &to_tree) != 0) {
    git_tree_free(from);
    *error = git_error_text();
    return false;
  }
  GitPtr<git_tree> fp(from), tp(to);
  std::vector<char*> ps;
  ps.reserve(paths.size());
  for (const std::string& p : paths) ps.push_back(const_cast<char*>(p.c_str()));
  git_checkout_options opts;
  git_checkout_options_init(&opts, GIT_CHECKOUT_OPTIONS_VERSION);
  opts.checkout_strategy =
      (force ? GIT_CHECKOUT_FORCE : GIT_CHECKOUT_SAFE) | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
  opts.baseline = from;
  opts.paths.strings = ps.data();
  opts.paths.count = ps.size();
  if (git_checkout_tree(repo_.get(), reinterpret_cast<git_object*>(to), &opts) != 0) {
    *error = "cannot update the work tree: " + git_error_text();
    return false;
  }
  return true;
}

namespace {

// A ref transaction and the reflog signature its moves carry.
struct RefTransaction {
  GitPtr<git_transaction> tx;
  GitPtr<git_signature> sig;
};

bool begin_ref_transaction(git_repository* repo, const Signature& who, RefTransaction* out,
                           std::string* error) {
  git_transaction* tx = nullptr;
  if (git_transaction_new(&tx, repo) != 0) {
    *error = git_error_text();
    return false;
  }
  out->tx.reset(tx);
  git_signature* s = nullptr;
  if (git_signature_new(&s, who.name.c_str(), who.email.c_str(), who.when.seconds, who.when.offset_minutes) !=
      0) {
    *error = git_error_text();
    return false;
  }
  out->sig.reset(s);
  return true;
}

}  // namespace

bool Repo::move_ref(const std::string& ref, const git_oid& to, const Signature& who,
                    const std::string& message, std::string* error) {
  RefTransaction t;
  if (!begin_ref_transaction(repo_.get(), who, &t, error)) return false;
  git_transaction* tx = t.tx.get();
  git_signature* s = t.sig.get();
  if (git_transaction_lock_ref(tx, ref.c_str()) != 0 ||
      git_transaction_set_target(tx, ref.c_str(), &to, s, message.c_str()) != 0 ||
      git_transaction_commit(tx) != 0) {
    *error = "cannot move " + ref + ": " + git_error_text();
    return false;
  }
  return true;
}

bool Repo::create_branch(const std::string& name, const git_oid& at, std::string* error) {
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo_.get(), &at) != 0) {
    *error = git_error_text();
    return false;
  }
  git_reference* r = nullptr;
  int rc = git_branch_create(&r, repo_.get(), name.c_str(), c, 0);
  git_commit_free(c);
  git_reference_free(r);
  if (rc != 0) {
    *error = "cannot create branch " + name + ": " + git_error_text();
    return false;
  }
  return true;
}

bool Repo::set_head(const std::string& ref, std::string* error) {
  if (git_repository_set_head(repo_.get(), ref.c_str()) != 0) {
    *error = "cannot point HEAD at " + ref + ": " + git_error_text();
    return false;
  }
  return true;
}

bool Repo::remove_ref(const std::string& ref, std::string* error) {
  git_reference* r = nullptr;
  if (git_reference_lookup(&r, repo_.get(), ref.c_str()) != 0) return true;
  git_reference_free(r);
  if (git_reflog_delete(repo_.get(), ref.c_str()) != 0) {
    *error = "cannot delete the reflog of " + ref + ": " + git_error_text();
    return false;
  }
  git_transaction* tx = nullptr;
  if (git_transaction_new(&tx, repo_.get()) != 0) {
    *error = git_error_text();
    return false;
  }
  GitPtr<git_transaction> txp(tx);
  if (git_transaction_lock_ref(tx, ref.c_str()) != 0 || git_transaction_remove(tx, ref.c_str()) != 0 ||
      git_transaction_commit(tx) != 0) {
    *error = "cannot delete " + ref + ": " + git_error_text();
    return false;
  }
  return true;
}

bool Repo::set_head_symbolic(const std::string& ref, const Signature& who, const std::string& message,
                             std::string* error) {
  RefTransaction t;
  if (!begin_ref_transaction(repo_.get(), who, &t, error)) return false;
  git_transaction* tx = t.tx.get();
  git_signature* s = t.sig.get();
  if (git_transaction_lock_ref(tx, "HEAD") != 0 ||
      git_transaction_set_symbolic_target(tx, "HEAD", ref.c_str(), s, message.c_str()) != 0 ||
      git_transaction_commit(tx) != 0) {
    *error = "cannot point HEAD at " + ref + ": " + git_error_text();
    return false;
  }
  return true;
}

bool Repo::rename_reflog(const std::string& from, const std::string& to, std::string* error) {
  std::error_code ec;
  if (!std::filesystem::exists(git_dir() + "logs/" + from, ec) ||
      std::filesystem::exists(git_dir() + "logs/" + to, ec))
    return true;
  if (git_reflog_rename(repo_.get(), from.c_str(), to.c_str()) != 0) {
    *error = "cannot move the reflog of " + from + " to " + to + ": " + git_error_text();
    return false;
  }
  return true;
}

bool Repo::list_refs(std::vector<std::pair<std::string, std::string>>* out, std::string* error) const {
  git_reference_iterator* it = nullptr;
  if (git_reference_iterator_glob_new(&it, repo_.get(), "refs/*") != 0) {
    *error = git_error_text();
    return false;
  }
  git_reference* r = nullptr;
  while (git_reference_next(&r, it) == 0) {
    std::string name = git_reference_name(r);
    git_oid id;
    if ((name.rfind("refs/heads/", 0) == 0 || name.rfind("refs/tags/", 0) == 0) &&
        git_reference_name_to_id(&id, repo_.get(), name.c_str()) == 0)
      out->emplace_back(name, oid_hex(id));
    git_reference_free(r);
  }
  git_reference_iterator_free(it);
  std::sort(out->begin(), out->end());
  return true;
}

bool Repo::merge_trees(const git_oid& ours, const git_oid& theirs, git_oid* tree,
                       std::vector<std::string>* conflicts, std::string* error) {
  git_commit *a = nullptr, *b = nullptr;
  if (git_commit_lookup(&a, repo_.get(), &ours) != 0 || git_commit_lookup(&b, repo_.get(), &theirs) != 0) {
    git_commit_free(a);
    *error = git_error_text();
    return false;
  }
  GitPtr<git_commit> ap(a), bp(b);
  git_index* idx = nullptr;
  if (git_merge_commits(&idx, repo_.get(), a, b, nullptr) != 0) {
    *error = "cannot merge: " + git_error_text();
    return false;
  }
  GitPtr<git_index> ip(idx);
  if (git_index_has_conflicts(idx)) {
    git_index_conflict_iterator* it = nullptr;
    git_index_conflict_iterator_new(&it, idx);
    const git_index_entry *anc, *our, *their;
    while (git_index_conflict_next(&anc, &our, &their, it) == 0) {
      const git_index_entry* e = our ? our : their ? their : anc;
      conflicts->push_back(e->path);
    }
    git_index_conflict_iterator_free(it);
    return false;
  }
  if (git_index_write_tree_to(tree, idx, repo_.get()) != 0) {
    *error = git_error_text();
    return false;
  }
  return true;
}

}  // namespace kmeta::tree
