// `kmeta kgit-s2q`: yocto-kernel-tools' kgit-s2q command line (as do_patch
// runs it: `kgit-s2q --gen -v --commit-sha author --patches .kernel-meta/`)
// on the tree library (tree/run.h): the same commits, the same exit status,
// the same (n/N) and [INFO]/[ERROR] lines on stdout (docs/tree.md).
//
//   kmeta kgit-s2q [--author "Name <email>"] [--patches DIR] [--commit-sha author|applied]
//                  [-v] [-f] [--gen] [--series] [--clean] [--prev] [-a] [-c N] [-i]
//                  [--annotated] [--fuzzy] [-h] [-- PATCH]
//
// Run in the kernel tree, like the script. Deliberate differences: progress
// is kmeta tree's journal (<git-dir>/kmeta-tree/state.json), so a rerun after
// a failure retries the failed patch instead of silently starting after it
// (`-- NEXT-PATCH`, or `kmeta tree --skip`, passes over it); the series and
// the patches are applied in memory and the branch, index and work tree move
// once; dates the script takes from the clock come from GIT_COMMITTER_DATE,
// else SOURCE_DATE_EPOCH, else HEAD's committer date. The autoresume
// heuristics (-a, -c, --annotated, --fuzzy) are accepted and not needed: the
// journal says where the series stopped. --current is not supported.
#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "base/file_util.h"
#include "base/input_file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/errors.h"
#include "tree/ident.h"
#include "tree/repo.h"
#include "tree/run.h"
#include "tree/series.h"
#include "tree/state.h"

namespace kmeta::cli {

namespace {

void usage() {
  std::fputs(
      "\n"
      " kmeta kgit-s2q [--author <author name> ] [--patches <dir>] [-f] [--commit-sha <type>]\n"
      "                [--series] [--gen] [--clean] [--prev] [-v] [-h] -- [<patch>]\n"
      "\n"
      "    kgit-s2q's command line on kmeta tree (docs/tree.md): every patch of <dir>/series\n"
      "    becomes one commit on the current branch, in process.\n"
      "\n"
      "    --series:     dump the series file and exit\n"
      "    --gen:        accepted (generate patch headers if missing: kmeta always does)\n"
      "    --author:     patch author to use if missing, in the format of: \"First Last <foo@bar.com>\"\n"
      "    --patches:    directory containing the series file to use\n"
      "    --clean:      remove the progress record of earlier runs (kmeta tree's journal)\n"
      "    --prev:       accepted; a rerun retries the patch that failed anyway\n"
      "    --commit-sha: type of commit sha to create: \"author\" or \"applied\". 'author' uses the date of "
      "the\n"
      "                  patch author, and 'applied' the date the patch is applied ($GIT_COMMITTER_DATE,\n"
      "                  else $SOURCE_DATE_EPOCH, else HEAD's date). The default is 'applied'\n"
      "    -a, -c <count>, --annotated, --fuzzy:\n"
      "                  accepted; kmeta resumes where its journal says the series stopped\n"
      "    -i:           accepted; a patch without an author gets --author or \"invalid_git config\"\n"
      "    -v:           verbose\n"
      "    -f:           force the first patch of the series as the starting point\n"
      "    -h:           help\n"
      "\n"
      "    --:           marks the end of options on the command line\n"
      "\n"
      "    <patch>:      patch to use as the starting point\n"
      "\n",
      stdout);
}

std::string basename_of(const std::string& p) {
  size_t s = p.find_last_of('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

// The script's "$DIR/$i": plain concatenation with one slash.
std::string dir_join(const std::string& dir, const std::string& name) { return dir + "/" + name; }

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

}  // namespace

int cmd_kgit_s2q(const Args& args) {
  std::string author, commit_sha = "applied", patches, start;
  bool verbose = false, force = false, clean = false, prev = false, dump_series = false, current = false;
  // The script's loop: known options are taken, anything else is ignored;
  // "--" ends the options and the word after it is the starting patch.
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 < args.size()) *out = args[++i];
    };
    std::string ignored;
    if (a == "--author")
      value(&author);
    else if (a == "--commit-sha")
      value(&commit_sha);
    else if (a == "--patches")
      value(&patches);
    else if (a == "-c")
      value(&ignored);
    else if (a == "-v")
      verbose = true;
    else if (a == "-f")
      force = true;
    else if (a == "--clean")
      clean = true;
    else if (a == "--prev")
      prev = true;
    else if (a == "--series")
      dump_series = true;
    else if (a == "--current")
      current = true;
    else if (a == "--help" || a == "-h") {
      usage();
      return kExitOk;
    } else if (a == "--") {
      if (i + 1 < args.size()) start = args[i + 1];
      break;
    }
  }

  tree::GitLibrary lib;
  std::string err;
  std::unique_ptr<tree::Repo> repo = tree::Repo::open(".", &err);
  if (!repo) {
    fmt::print(stderr, "kmeta kgit-s2q: {}\n", err);
    return 128;  // git-sh-setup's exit when not in a repository
  }
  git_oid head;
  std::string ref;
  if (!repo->head(&head, &ref, &err)) {
    fmt::print(stderr, "kmeta kgit-s2q: {}\n", err);
    return kExitFailure;
  }
  if (ref == "HEAD") {
    fmt::print(stderr, "kmeta kgit-s2q: Working on a detached HEAD is unsupported.\n");
    return kExitFailure;
  }
  std::string branch = ref.rfind("refs/heads/", 0) == 0 ? ref.substr(11) : ref;
  std::string git_dir = repo->git_dir();

  // The meta directory: .metadir when a run recorded it, else .kernel-meta.
  std::string meta = ".kernel-meta";
  if (auto md = read_file(".metadir", &err)) {
    std::string first = md->substr(0, md->find('\n'));
    if (!first.empty()) meta = first;
  }

  if (clean) {
    tree::RunState st;
    bool exists = false;
    if (tree::load_state(git_dir, &st, &exists, &err) && exists && st.status == "updating") {
      fmt::print(stderr,
                 "kmeta kgit-s2q: {} records an update in progress; run `kmeta kgit-s2q` (or `kmeta tree`) "
                 "to finish it first\n",
                 tree::state_path(git_dir));
      return kExitFailure;
    }
    tree::remove_state(git_dir);
    return kExitOk;
  }
  if (prev) return kExitOk;  // a rerun retries the failed patch: nothing to reset

  tree::CommitPolicy policy;
  if (!author.empty()) {
    // expr "z$quilt_author" : 'z\(.*[^ ]\) *<.*' and '.*<\([^>]*\)'
    std::smatch mn, me;
    std::string z = "z" + author;
    bool ok = std::regex_match(z, mn, std::regex("z(.*[^ ]) *<.*")) &&
              std::regex_match(z, me, std::regex(".*<([^>]*).*")) && !mn[1].str().empty() &&
              !me[1].str().empty();
    if (!ok) {
      fmt::print(stderr, "kmeta kgit-s2q: malformed --author parameter\n");
      return kExitFailure;
    }
    policy.fallback_author_name = mn[1].str();
    policy.fallback_author_email = me[1].str();
  }

  std::string dir = patches.empty() ? meta + "/patches/" + branch : patches;
  if (!is_directory(dir)) {
    fmt::print("\n[ERROR] Can't find patch dir at {}\n", dir);
    usage();
  }
  std::string series = dir_join(dir, "series");
  auto text = read_file(series, &err);
  if (!text) {
    fmt::print("\n[ERROR] Can't find series file at {}\n", series);
    usage();
    return kExitFailure;
  }
  if (dump_series) {
    std::istringstream words(*text);
    for (std::string w; words >> w;) fmt::print("{}\n", dir_join(dir, w));
    return kExitOk;
  }
  if (current) {
    fmt::print(stderr,
               "kmeta kgit-s2q: --current is not supported; the progress of a series is in {} "
               "(`kmeta tree --check` shows what applies)\n",
               tree::state_path(git_dir));
    return kExitUsage;
  }

  std::vector<tree::SeriesEntry> entries = tree::parse_series(*text);
  // (n/COUNT): COUNT counts the lines starting with [a-zA-Z0-9_], as the script does.
  size_t count = 0;
  for (std::string_view line : split_lines(*text))
    if (!line.empty() && (std::isalnum(static_cast<unsigned char>(line[0])) || line[0] == '_')) ++count;

  tree::TreeOptions o;
  o.workdir = ".";
  o.patches_dir = dir;
  o.series = series;
  o.merges = false;  // do_patch merges merge.queue itself
  if (force) o.start_at = 0;
  if (!start.empty()) {
    o.start_at = -1;
    for (size_t i = 0; i < entries.size(); ++i)
      if (start.find(entries[i].name) != std::string::npos) {
        o.start_at = long(i);
        break;
      }
    if (o.start_at < 0) {
      fmt::print(stderr, "kmeta kgit-s2q: {}: the starting patch {} is not in the series\n", series, start);
      return kExitFailure;
    }
  }

  if (const char* v = env("GIT_COMMITTER_NAME"))
    policy.committer_name = v;
  else if (auto c = repo->config_string("user.name"))
    policy.committer_name = *c;
  if (const char* v = env("GIT_COMMITTER_EMAIL"))
    policy.committer_email = v;
  else if (auto c = repo->config_string("user.email"))
    policy.committer_email = *c;
  policy.committer_date_is_author_date = commit_sha == "author";
  if (const char* v = env("GIT_COMMITTER_DATE")) {
    auto d = tree::parse_git_date(v);
    if (!d) {
      fmt::print(stderr, "kmeta kgit-s2q: GIT_COMMITTER_DATE: cannot parse '{}'\n", v);
      return kExitFailure;
    }
    policy.source_date = *d;
    o.have_source_date = true;
  } else if (const char* v = env("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    long long t = std::strtoll(v, &end, 10);
    if (!end || *end) {
      fmt::print(stderr, "kmeta kgit-s2q: SOURCE_DATE_EPOCH: bad value '{}'\n", v);
      return kExitFailure;
    }
    policy.source_date = {t, 0};
    o.have_source_date = true;
  }
  o.policy = policy;
  repo.reset();

  o.progress = [&](size_t n, size_t, const tree::PatchOutcome& p, bool done) {
    std::string path = dir_join(dir, p.entry);
    if (!done) {
      if (verbose && file_exists(path)) fmt::print("({}/{}) {}\n", n + 1, count, basename_of(p.entry));
      std::fflush(stdout);
      return;
    }
    // The script's ladder: git am, git am -C1, then mailinfo + git apply -C1
    // (the fallback, for a mail git am refuses); each step it leaves prints.
    bool by_am = p.ok() && p.am_path;
    if (by_am && p.kind != tree::PatchOutcome::applied_reduced) return;
    if (!file_exists(path)) {
      fmt::print("[ERROR]: patch {} doesn't exist\n", path);
      return;
    }
    fmt::print("[INFO]: check of {} with \"git am\" did not pass, trying reduced context.\n", path);
    if (by_am) return;
    fmt::print("[INFO]: Context reduced git-am of {} with \"git am\" did not work, trying \"apply\".\n",
               path);
    if (p.ok()) return;
    std::fflush(stdout);
    std::string why = tree::explain(p);
    if (!why.empty()) fmt::print(stderr, "{}\n", why);
    if (!p.error.empty()) fmt::print(stderr, "{}\n", p.error);
    fmt::print("[ERROR]: Application of {} failed.\n", path);
    fmt::print(
        "         Fix the patch (or the tree) and rerun: the patch is retried. To go on without it:\n"
        "             kmeta tree --skip --patches {} --series {}\n",
        dir, series);
  };
  tree::TreeResult r = tree::run_tree(o);
  std::fflush(stdout);
  if (o.start_at < 0 && r.first > 0 && r.first < r.total && !r.nothing_to_do)
    fmt::print(stderr, "kmeta kgit-s2q: resumed at {} (kmeta tree's journal)\n", entries[r.first].name);
  print_errors("kmeta kgit-s2q", r.diags);
  return r.ok ? kExitOk : kExitFailure;
}

}  // namespace kmeta::cli
