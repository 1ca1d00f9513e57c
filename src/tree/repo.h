// The libgit2 side of tree construction: one open repository, files read
// from trees, blobs/trees/commits written as objects, the index and work tree
// moved for the paths that changed, and refs moved in one git_transaction.
//
// Nothing here decides anything about patches; run.cc does.
#pragma once

#include <git2.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tree/apply.h"
#include "tree/commit_info.h"

namespace kmeta::tree {

struct GitDeleter {
  void operator()(git_repository* p) const { git_repository_free(p); }
  void operator()(git_tree* p) const { git_tree_free(p); }
  void operator()(git_commit* p) const { git_commit_free(p); }
  void operator()(git_reference* p) const { git_reference_free(p); }
  void operator()(git_index* p) const { git_index_free(p); }
  void operator()(git_signature* p) const { git_signature_free(p); }
  void operator()(git_transaction* p) const { git_transaction_free(p); }
  void operator()(git_blob* p) const { git_blob_free(p); }
  void operator()(git_odb* p) const { git_odb_free(p); }
  void operator()(git_config* p) const { git_config_free(p); }
};
template <typename T>
using GitPtr = std::unique_ptr<T, GitDeleter>;

std::string oid_hex(const git_oid& oid);
bool parse_oid(const std::string& hex, git_oid* out);
// The message of libgit2's last error.
std::string git_error_text();

// libgit2 initialised for the lifetime of the object.
class GitLibrary {
 public:
  GitLibrary() {
    git_libgit2_init();
    // Cache trees of any size (libgit2 keeps only those under 4 KiB): a
    // kernel's big directories (include/linux, drivers/...) are read again
    // for every patched path beneath them.
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, size_t(1) << 20);
    // Objects read are not re-hashed (git does not either; git fsck checks):
    // libgit2's default hashes every tree it inflates.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  }
  ~GitLibrary() { git_libgit2_shutdown(); }
};

class Repo {
 public:
  // Opens the repository containing `path` (a work tree). nullptr + error.
  static std::unique_ptr<Repo> open(const std::string& path, std::string* error);

  git_repository* raw() const { return repo_.get(); }
  std::string git_dir() const;  // ".../.git/"
  std::string workdir() const;  // ".../"

  // HEAD: the commit, and the ref it points at ("refs/heads/x"; "HEAD" when detached).
  bool head(git_oid* commit, std::string* ref, std::string* error) const;
  bool resolve_ref(const std::string& ref, git_oid* out) const;
  // A string of the repository's configuration (local, global, system) as
  // git reads it; nullopt when unset.
  std::optional<std::string> config_string(const std::string& key) const;
  bool commit_tree(const git_oid& commit, git_oid* tree, std::string* error) const;
  bool commit_time(const git_oid& commit, GitTime* out) const;
  bool commit_parent(const git_oid& commit, git_oid* parent) const;

  // A file of a tree (nullopt if absent or not a blob/link).
  std::optional<FileEntry> read(const git_oid& tree, const std::string& path) const;
  std::optional<std::string> blob(const std::string& hex) const;

  // A new tree: `base` with `changes` applied (content nullopt = delete).
  bool write_tree(const git_oid& base, const std::vector<FileChange>& changes, git_oid* out,
                  std::string* error);
  bool write_commit(const git_oid& tree, const std::vector<git_oid>& parents, const CommitMeta& meta,
                    git_oid* out, std::string* error);

  // Paths that differ between two trees.
  bool changed_paths(const git_oid& from_tree, const git_oid& to_tree, std::vector<std::string>* out,
                     std::string* error);

  // Index and work tree from `from_tree` to `to_tree` for `paths` only.
  // `force` overwrites local changes (recovery of an interrupted update);
  // otherwise a modified file is an error and nothing is touched.
  bool checkout_paths(const git_oid& from_tree, const git_oid& to_tree, const std::vector<std::string>& paths,
                      bool force, std::string* error);

  // Moves `ref` (or HEAD when detached) to `to`, atomically, with a reflog entry.
  bool move_ref(const std::string& ref, const git_oid& to, const Signature& who, const std::string& message,
                std::string* error);
  bool create_branch(const std::string& name, const git_oid& at, std::string* error);
  bool set_head(const std::string& ref, std::string* error);
  // Deletes `ref` and its reflog in one git_transaction; a missing ref is
  // not an error (the step is repeated when an interrupted move is finished).
  bool remove_ref(const std::string& ref, std::string* error);
  // Points HEAD at `ref` (a symbolic ref) in one git_transaction.
  bool set_head_symbolic(const std::string& ref, const Signature& who, const std::string& message,
                         std::string* error);
  // Moves the reflog of `from` to `to` when `from` has one and `to` has none.
  bool rename_reflog(const std::string& from, const std::string& to, std::string* error);
  // refs/heads/* and refs/tags/*: name -> commit id.
  bool list_refs(std::vector<std::pair<std::string, std::string>>* out, std::string* error) const;

  // A --no-ff merge of `theirs` into `ours` (trees only). False with
  // `conflicts` listing the conflicting paths.
  bool merge_trees(const git_oid& ours, const git_oid& theirs, git_oid* tree,
                   std::vector<std::string>* conflicts, std::string* error);

 private:
  GitPtr<git_repository> repo_;
};

}  // namespace kmeta::tree
