#include "scc/compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "base/ref_name.h"
#include "base/strings.h"
#include "scc/parser.h"

namespace kmeta::scc {

// ---------------------------------------------------------------- commands

CommandSet CommandSet::parse(std::string_view list, std::vector<std::string>* unknown) {
  CommandSet s{false, false, false, false, false, false};
  // The reference matches each command file name with `grep -w` against the
  // list, so any non-word character separates names.
  size_t i = 0;
  auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  while (i < list.size()) {
    while (i < list.size() && !word_char(list[i])) ++i;
    size_t b = i;
    while (i < list.size() && word_char(list[i])) ++i;
    std::string_view w = list.substr(b, i - b);
    if (w.empty()) continue;
    if (w == "branch")
      s.branch = true;
    else if (w == "define")
      s.define = true;
    else if (w == "kconf")
      s.kconf = true;
    else if (w == "mark")
      s.mark = true;
    else if (w == "merge")
      s.merge = true;
    else if (w == "patch")
      s.patch = true;
    else if (w == "auto") {
    } else if (unknown)
      unknown->emplace_back(w);
  }
  return s;
}

// ---------------------------------------------------------------- expansion

static bool ifs(char c) { return c == ' ' || c == '\t' || c == '\n'; }

std::vector<std::string> expand_words(const std::vector<Word>& words, const Vars& vars) {
  std::vector<std::string> out;
  for (const Word& w : words) {
    std::string cur;
    bool have = false;
    for (const WordPart& p : w.parts) {
      if (p.kind == WordPart::literal) {
        cur += p.text;
        if (p.quoted || !p.text.empty()) have = true;
        continue;
      }
      auto it = vars.find(p.text);
      const std::string empty;
      const std::string& v = it == vars.end() ? empty : it->second;
      if (p.quoted) {
        cur += v;
        have = true;
        continue;
      }
      size_t i = 0;
      bool first = true;
      while (i < v.size()) {
        size_t b = i;
        while (i < v.size() && ifs(v[i])) ++i;
        if (i > b && have) {  // a separator: ends the current field
          out.push_back(cur);
          cur.clear();
          have = false;
        } else if (!first && have) {
          out.push_back(cur);
          cur.clear();
          have = false;
        }
        b = i;
        while (i < v.size() && !ifs(v[i])) ++i;
        if (i > b) {
          cur.append(v, b, i - b);
          have = true;
        }
        first = false;
      }
    }
    if (have) out.push_back(cur);
  }
  return out;
}

std::string expand_word(const Word& w, const Vars& vars) {
  std::string s;
  for (const WordPart& p : w.parts) {
    if (p.kind == WordPart::literal) {
      s += p.text;
    } else if (auto it = vars.find(p.text); it != vars.end()) {
      s += it->second;
    }
  }
  return s;
}

static bool eval_test(const Test& t, const Vars& vars) {
  bool r = false;
  switch (t.op) {
    case Test::eq: r = expand_word(t.lhs, vars) == expand_word(t.rhs, vars); break;
    case Test::ne: r = expand_word(t.lhs, vars) != expand_word(t.rhs, vars); break;
    case Test::nonempty: r = !expand_word(t.lhs, vars).empty(); break;
    case Test::empty: r = expand_word(t.lhs, vars).empty(); break;
    case Test::always_false: r = false; break;
  }
  return t.negate ? !r : r;
}

bool eval_condition(const Condition& c, const Vars& vars) {
  if (c.tests.empty()) return false;
  bool r = eval_test(c.tests[0], vars);
  for (size_t i = 1; i < c.tests.size(); ++i) {
    bool is_and = c.and_ops[i - 1];
    if (is_and ? r : !r) r = eval_test(c.tests[i], vars);  // short-circuit, left to right
  }
  return r;
}

// ---------------------------------------------------------------- parsing cache

const ParsedFile* Compiler::parsed(const std::string& path) {
  auto it = cache_.find(path);
  if (it != cache_.end()) return it->second.get();
  auto content = fs_.read(path);
  if (!content) {
    cache_.emplace(path, nullptr);
    return nullptr;
  }
  auto pf = parse_scc(path, std::move(content));
  const ParsedFile* r = pf.get();
  cache_.emplace(path, std::move(pf));
  return r;
}

// ---------------------------------------------------------------- the walk

namespace {

struct Stop {};  // thrown to abandon the walk after a fatal preprocessing error

std::string before_colon(const std::string& s) { return s.substr(0, s.find(':')); }
// cut -d: -f2 (the whole string when there is no ':')
std::string cut_f2(const std::string& s) {
  size_t c = s.find(':');
  if (c == std::string::npos) return s;
  size_t e = s.find(':', c + 1);
  return s.substr(c + 1, e == std::string::npos ? std::string::npos : e - c - 1);
}

class Walker {
 public:
  Walker(Compiler& c, const CompileOptions& o, CompileResult& r)
      : comp_(c), opts_(o), res_(r), rs_(c.fs(), o.cwd, o.include_args, o.collation) {
    for (const auto& [k, v] : o.defines) vars_[k] = v;
  }

  void run(const std::vector<std::string>& inputs) {
    Series& s = res_.series;
    s.include_dirs = rs_.include_dirs();
    // spp checks every input exists before it writes anything.
    for (const auto& f : inputs) {
      std::string ff = before_colon(f);
      std::string found = rs_.search(ff, rs_.include_dirs());
      // Something there that is not a readable file (a directory, a symlink
      // loop, a FIFO such as /dev/stdin, a file too large): say what, where
      // the reference says "does not exist".
      std::string why = comp_.fs().why_unreadable(found.empty() ? rs_.abs(ff) : rs_.abs(found));
      if (found.empty() || (!why.empty() && why != "does not exist")) {
        if (why.empty() || why == "does not exist") {
          res_.reference_error += fmt::format("ERROR. input file \"{}\" does not exist\n", ff);
          res_.diags.error(Location{f, 0, 0},
                           fmt::format("input file '{}' not found (looked in . and the -I directories)", ff));
        } else {
          res_.reference_error += fmt::format("ERROR. input file \"{}\" {}\n", ff, why);
          res_.diags.error(Location{f, 0, 0}, fmt::format("input file '{}' {}", ff, why));
        }
        res_.preprocess_failed = true;
        res_.failed = true;
        return;
      }
    }
    for (const auto& d : rs_.include_dirs()) {
      Action a;
      a.op = Op::reloc_dir;
      std::string one_less = d;
      while (one_less.size() > 1 && one_less.back() == '/') one_less.pop_back();
      size_t slash = one_less.rfind('/');
      a.name = slash == std::string::npos ? one_less : one_less.substr(0, slash);
      s.actions.push_back(std::move(a));
    }
    try {
      for (const auto& f : inputs) process(f, f, Location{}, -1, false, false, true);
    } catch (const Stop&) {
      res_.failed = true;
    }
  }

 private:
  // ----- diagnostics

  void fatal_missing(const std::string& ref_line, Location where, int frame, std::string msg) {
    if (opts_.warn_missing) {
      res_.diags.warning(std::move(where), std::move(msg) + " (skipped: -w)", res_.series.chain(frame));
      return;
    }
    res_.diags.error(std::move(where), std::move(msg), res_.series.chain(frame));
    if (!res_.preprocess_failed) res_.reference_error = ref_line;
    res_.preprocess_failed = true;
    res_.failed = true;
    if (!opts_.keep_going) throw Stop{};
  }

  // " (is a directory)" when `found` (else `name` as given) exists but is not
  // a readable file; "" when it simply is not there.
  // (With nothing found, `name` is looked at beside the file that names it,
  // then as given.)
  std::string reason(const std::string& found, const std::string& name, const std::string& containing = {}) {
    std::vector<std::string> candidates;
    if (!found.empty()) {
      candidates.push_back(rs_.abs(found));
    } else {
      if (!containing.empty() && (name.empty() || name[0] != '/'))
        candidates.push_back(rs_.abs(path_dirname(containing) + "/" + name));
      candidates.push_back(rs_.abs(name));
    }
    for (const std::string& c : candidates) {
      std::string why = comp_.fs().why_unreadable(c);
      if (!why.empty() && why != "does not exist") return " (" + why + ")";
    }
    return {};
  }

  Location at(const ParsedFile& pf, uint32_t off) const {
    return Location{pf.path, pf.map->line_of(off), pf.map->column_of(off)};
  }

  // ----- spp's process_file

  // `name` as written (with an optional :specifier); `containing` = the file
  // holding the include (the input itself for inputs); `stmt_loc` = the
  // include statement; `frame` = frame of the including file.
  void process(const std::string& name, const std::string& containing, const Location& stmt_loc, int frame,
               bool inh_cfg, bool inh_patch, bool active, Location name_loc = {}) {
    if (!name_loc.valid()) name_loc = stmt_loc;
    std::string in = before_colon(name);
    std::string spec = cut_f2(name);
    std::string working_dir = path_dirname(containing);
    std::vector<std::string> local_first{working_dir};
    local_first.insert(local_first.end(), rs_.include_dirs().begin(), rs_.include_dirs().end());

    if (!ends_with(in, ".scc")) {
      if (ends_with(in, ".patch")) {
        std::string found = rs_.search(in, local_first);
        if (found.empty() || !rs_.is_file(found)) {
          fatal_missing("", name_loc, frame,
                        fmt::format("patch '{}' not found{}", in, reason(found, in, containing)));
          return;
        }
        std::string rel = rs_.strip_common_prefix(rs_.canonical(in));
        emit_patch(found, remove_first(in, rel), stmt_loc, frame, active);
        return;
      }
      bool cfg = ends_with(in, ".cfg") || ends_with(in, ".config");
      if (cfg || ends_with(in, "defconfig")) {
        std::string found = rs_.search(in, local_first);
        if (!cfg && !found.empty()) found = rs_.canonical(found);
        if (found.empty() || !rs_.is_file(found)) {
          fatal_missing("", name_loc, frame,
                        fmt::format("{} '{}' not found{}", cfg ? "config fragment" : "defconfig", in,
                                    reason(found, in, containing)));
          return;
        }
        std::string rel = rs_.strip_common_prefix(rs_.canonical(found));
        std::string klass = cfg && spec == "required" ? "hardware" : "non-hardware";
        emit_kconf(found, remove_first(found, rel), klass, "", false, stmt_loc, frame, active, false);
        return;
      }
    }

    // A feature (.scc or a name without a known extension).
    std::string path;
    if (!rs_.is_file(in)) {
      std::vector<std::string> dirs = rs_.include_dirs();
      dirs.push_back(path_dirname(containing));
      std::string found = rs_.search(in, dirs);
      if (found.empty() || !rs_.is_file(found)) {
        std::string why = reason(found, in, containing);
        fatal_missing(
            why.empty()
                ? fmt::format("ERROR: could not find file {}, included from {}\n", in, containing)
                : fmt::format("ERROR: could not read file {}, included from {}{}\n", in, containing, why),
            name_loc, frame, fmt::format("included file '{}' not found{}", in, why));
        return;
      }
      path = found;
    } else {
      path = rs_.canonical(in);
    }

    // Cycle and depth checks (the reference recurses until bash dies).
    if (std::find(stack_.begin(), stack_.end(), path) != stack_.end()) {
      std::string cyc;
      bool on = false;
      for (const auto& p : stack_) {
        if (p == path) on = true;
        if (on) cyc += path_basename(p) + " -> ";
      }
      cyc += path_basename(path);
      res_.diags.error(stmt_loc, fmt::format("include cycle: {}", cyc), res_.series.chain(frame));
      res_.failed = true;
      throw Stop{};
    }
    if (stack_.size() >= opts_.max_depth) {
      res_.diags.error(stmt_loc, fmt::format("includes nested deeper than {} levels", opts_.max_depth),
                       res_.series.chain(frame));
      res_.failed = true;
      throw Stop{};
    }

    const ParsedFile* pf = comp_.parsed(path);
    if (!pf) {
      std::string why = comp_.fs().why_unreadable(path);
      fatal_missing(fmt::format("ERROR: could not read file {}, included from {}: {}\n", in, containing,
                                why.empty() ? "read error" : why),
                    stmt_loc, frame,
                    fmt::format("cannot read '{}': {}", path, why.empty() ? "read error" : why));
      return;
    }

    Series& s = res_.series;
    int me = static_cast<int>(s.frames.size());
    s.frames.push_back(Frame{path, stmt_loc, frame, active, inh_cfg, inh_patch, s.actions.size()});

    if (reported_.insert(path).second) {
      for (const auto& d : pf->diags.items()) {
        Diagnostic x = d;
        x.chain = s.chain(me);
        res_.diags.report(std::move(x));
      }
      if (!pf->ok()) {
        res_.failed = true;
        // Its statements are not what the author meant (a CRLF file's names end
        // in '\r'): looking them up would only add misleading "not found" errors.
        if (!opts_.keep_going) throw Stop{};
      }
    }
    check_flags(path, stmt_flags_, stmt_loc, frame);

    if (active) mark(path, "start", me);
    stack_.push_back(path);
    block(*pf, pf->body, containing, me, inh_cfg, inh_patch, active);
    stack_.pop_back();
    if (active) mark(path, "end", me);
  }

  // Lint: the same feature included by statements with different flags
  // (the flags written on the include lines; inherited ones are the normal
  // way ktypes reuse each other and are not compared).
  void check_flags(const std::string& path, unsigned flags, const Location& where, int frame) {
    if (!where.valid()) return;
    bool nocfg = flags & 1, nopatch = flags & 2;
    auto [it, fresh] = seen_flags_.try_emplace(path, FlagUse{nocfg, nopatch, where});
    if (fresh || (it->second.nocfg == nocfg && it->second.nopatch == nopatch) || it->second.warned) return;
    it->second.warned = true;
    auto desc = [](bool c, bool p) {
      std::string s = c ? "nocfg" : "";
      if (p) s += s.empty() ? "nopatch" : " nopatch";
      return s.empty() ? std::string("no flags") : s;
    };
    res_.diags.warning(
        where,
        fmt::format("'{}' is included with {} here and with {} at {}", path_basename(path),
                    desc(nocfg, nopatch), desc(it->second.nocfg, it->second.nopatch), it->second.where.str()),
        res_.series.chain(frame));
  }

  // A branch name reaches git through kgit-meta's `eval git checkout -b ${b}`
  // (and `git merge`, `git branch -m`): it must be a valid git branch name that
  // the shell reads as itself. Otherwise a located error (nothing is written).
  bool branch_name_ok(const std::string& name, const char* what, const Location& where, int frame) {
    std::string problem = branch_name_problem(name);
    if (problem.empty() && !shell_safe_word(name))
      problem =
          "has characters a shell would interpret (kgit-meta evaluates meta-series branch names); use "
          "letters, digits and . _ / + - , @ % =";
    if (problem.empty()) return true;
    res_.diags.error(where,
                     fmt::format("{} name '{}' is not a valid branch name: it {}", what, name, problem),
                     res_.series.chain(frame));
    res_.failed = true;
    return false;
  }

  void mark(const std::string& path, const char* what, int frame) {
    if (!opts_.commands.mark) return;
    Action a;
    a.op = Op::mark;
    a.where = Location{path, 0, 0};
    a.frame = frame;
    a.name = path_basename(path);
    a.value = what;
    a.source = path;
    res_.series.actions.push_back(std::move(a));
  }

  // Work bounds, checked before the work is done: a DAG of includes (each file
  // including the next twice) doubles per level, and so does a define whose
  // value repeats the previous one. The error is located at the statement
  // that crossed the bound, with its include chain.
  void count(const Location& where, int frame) {
    if (++statements_ > opts_.max_statements) {
      res_.diags.error(
          where,
          fmt::format("the includes expand to more than {} statements; giving up (a file included "
                      "many times over, e.g. twice at every level of a chain?)",
                      opts_.max_statements),
          res_.series.chain(frame));
      res_.failed = true;
      throw Stop{};
    }
  }

  void check_expansion(const Stmt& st, const Location& where, int frame) {
    size_t size = 0;
    for (const Word& w : st.args)
      for (const WordPart& p : w.parts) {
        if (p.kind == WordPart::literal) {
          size += p.text.size();
        } else if (auto it = vars_.find(p.text); it != vars_.end()) {
          size += it->second.size();
        }
      }
    expanded_ += size;
    std::string what;
    if (size > opts_.max_expansion)
      what = fmt::format("this statement expands to {} bytes, more than the bound of {}", size,
                         opts_.max_expansion);
    else if (expanded_ > opts_.max_total_expansion)
      what = fmt::format("variable expansions add up to more than {} bytes", opts_.max_total_expansion);
    if (what.empty()) return;
    res_.diags.error(where, what + "; giving up (a define that repeats another variable, level after level?)",
                     res_.series.chain(frame));
    res_.failed = true;
    throw Stop{};
  }

  // `in` = this file (canonical); `containing` = the file that included it.
  void block(const ParsedFile& pf, const Block& b, const std::string& containing, int frame, bool inh_cfg,
             bool inh_patch, bool active) {
    const std::string& in = pf.path;
    for (const Stmt& st : b) {
      Location where = at(pf, st.offset);
      where.column = 0;
      count(where, frame);
      switch (st.kind) {
        case StmtKind::include:
          stmt_flags_ = (st.nocfg ? 1u : 0u) | (st.nopatch ? 2u : 0u);
          process(st.path, in, where, frame, inh_cfg || st.nocfg, inh_patch || st.nopatch, active,
                  at(pf, st.path_offset));
          break;
        case StmtKind::patch: {
          if (inh_patch) break;
          std::string name = st.path;
          std::string local = path_dirname(in) + "/" + name;
          std::string found;
          if (rs_.is_file(local)) {
            found = local;
          } else {
            found = rs_.search(name, rs_.include_dirs());
            if (found.empty() || !rs_.is_file(found)) {
              fatal_missing(
                  fmt::format("ERROR: could not find patch {}, included from {}\n", name, containing),
                  at(pf, st.path_offset), frame,
                  fmt::format("patch '{}' not found{}", name, reason(found, local)));
              break;
            }
          }
          emit_patch(found, rs_.prefix_of(found), where, frame, active);
          break;
        }
        case StmtKind::kconf: {
          if (inh_cfg && !st.force) break;
          std::string name = st.path;
          std::string local = path_dirname(in) + "/" + name;
          std::string found;
          if (rs_.is_file(local)) {
            found = local;
          } else {
            found = rs_.search(name, rs_.include_dirs());
            if (found.empty() || !rs_.is_file(found)) {
              fatal_missing(
                  fmt::format("ERROR: could not find kconf {}, included from {}\n", name, containing),
                  at(pf, st.path_offset), frame,
                  fmt::format("fragment '{}' not found{}", name, reason(found, local)));
              break;
            }
          }
          emit_kconf(found, rs_.prefix_of(found), st.kconf_class, st.kconf_flags, st.force, where, frame,
                     active, true);
          break;
        }
        case StmtKind::if_block: {
          if (stack_.size() + ++if_nesting_ > opts_.max_nesting) {
            res_.diags.error(
                where,
                fmt::format("includes and conditionals nested deeper than {} levels", opts_.max_nesting),
                res_.series.chain(frame));
            res_.failed = true;
            throw Stop{};
          }
          bool taken = false;
          for (const IfArm& arm : st.arms) {
            bool t = active && !taken && eval_condition(arm.cond, vars_);
            block(pf, arm.body, containing, frame, inh_cfg, inh_patch, t);
            taken = taken || t;
          }
          if (st.has_else) block(pf, st.else_body, containing, frame, inh_cfg, inh_patch, active && !taken);
          --if_nesting_;
          break;
        }
        default:
          if (active) command(st, where, frame);
          break;
      }
    }
  }

  // ----- scc's commands

  void command(const Stmt& st, const Location& where, int frame) {
    check_expansion(st, where, frame);
    std::vector<std::string> w = expand_words(st.args, vars_);
    auto arg = [&](size_t i) { return i < w.size() ? w[i] : std::string(); };
    Action a;
    a.where = where;
    a.frame = frame;
    switch (st.kind) {
      case StmtKind::define:
        if (!opts_.commands.define) return;
        if (w.empty()) return;
        vars_[w[0]] = arg(1);
        a.op = Op::define;
        a.name = w[0];
        a.value = arg(1);
        break;
      case StmtKind::branch: {
        if (!opts_.commands.branch) return;
        std::string nb = arg(0);
        if (!branch_name_ok(cbranch_.empty() ? nb : cbranch_ + "/" + nb, "branch", where, frame)) return;
        if (!cbranch_.empty()) {
          parent_branch_ = cbranch_;
          cbranch_ += "/" + nb;
        } else {
          cbranch_ = nb;
        }
        std::string q = cbranch_;
        std::replace(q.begin(), q.end(), '/', '.');
        branch_queue_ = "patch." + q + ".queue";
        a.op = Op::branch;
        a.name = cbranch_;
        a.value = parent_branch_;
        break;
      }
      case StmtKind::git: {
        a.op = Op::git;
        for (size_t i = 0; i < w.size(); ++i) a.name += (i ? " " : "") + w[i];
        break;
      }
      case StmtKind::tag:
        a.op = Op::git;
        a.name = "tag " + arg(0);
        break;
      case StmtKind::merge:
        if (!opts_.commands.merge) return;
        if (!branch_name_ok(arg(0), "merge", where, frame)) return;
        a.op = Op::merge;
        a.name = arg(0);
        a.branch = cbranch_;
        a.branch_queue = branch_queue_;
        break;
      case StmtKind::mark: {
        if (!opts_.commands.mark) return;
        a.op = Op::mark;
        for (size_t i = 0; i < w.size(); ++i) a.name += (i ? " " : "") + w[i];
        break;
      }
      case StmtKind::set_kernel_version: vars_["KERNEL_VERSION"] = arg(0); return;
      default: return;
    }
    res_.series.actions.push_back(std::move(a));
  }

  void emit_patch(const std::string& path, const std::string& prefix, const Location& where, int frame,
                  bool active) {
    if (!active || !opts_.commands.patch) return;
    Action a;
    a.op = Op::patch;
    a.where = where;
    a.frame = frame;
    a.source = path;
    a.file = rs_.abs(path);
    a.prefix = prefix;
    a.branch = cbranch_;
    if (!prefix.empty()) a.rel_dir = path_dirname(remove_first(path, prefix));
    a.dest = "patches/" + cbranch_ + "/" + a.rel_dir + "/" + path_basename(path);
    a.branch_queue = branch_queue_;
    res_.series.actions.push_back(std::move(a));
  }

  void emit_kconf(const std::string& path, const std::string& prefix, const std::string& klass,
                  const std::string& flags, bool force, const Location& where, int frame, bool active,
                  bool stmt) {
    (void)stmt;
    if (!active || !opts_.commands.kconf) return;
    FileSystem& fs = comp_.fs();
    Action a;
    a.op = Op::kconf;
    a.where = where;
    a.frame = frame;
    a.source = path;
    a.file = rs_.abs(path);
    a.prefix = prefix;
    a.kconf_class = klass;
    a.flags = flags;
    a.force = force;
    a.branch = cbranch_;
    if (!prefix.empty()) a.rel_dir = path_dirname(remove_first(path, prefix));
    a.dest = "configs/" + cbranch_ + "/" + a.rel_dir + "/" + path_basename(path);

    // Classifier files of the fragment's directory.
    std::string adir = rs_.abs(path_dirname(path));
    const std::vector<DirEntry> entries = fs.list(adir);
    for (const DirEntry& e : entries)
      if (e.name.size() > 4 && e.name[0] != '.' && ends_with(e.name, ".kcf") &&
          fs.is_file(adir + "/" + e.name))
        a.classifiers.push_back({adir + "/" + e.name, e.name});
    for (const char* n :
         {"hardware.cfg", "non-hardware.cfg", "required.cfg", "optional.cfg", "y_or_m_enabled.cfg"}) {
      bool listed =
          std::any_of(entries.begin(), entries.end(), [&](const DirEntry& e) { return e.name == n; });
      if (listed && fs.is_file(adir + "/" + n)) a.classifiers.push_back({adir + "/" + n, n});
    }

    // "# OVERRIDE:" annotations.
    if (auto content = fs.read(a.file)) {
      const std::string& c = *content;
      size_t pos = 0;
      int lineno = 0;
      while (pos < c.size()) {
        size_t e = c.find('\n', pos);
        if (e == std::string::npos) e = c.size();
        ++lineno;
        std::string_view line(c.data() + pos, e - pos);
        if (line.find("# OVERRIDE:") != std::string_view::npos)
          a.overrides.push_back(override_of(line, path, lineno));
        pos = e + 1;
      }
    }
    res_.series.actions.push_back(std::move(a));
  }

  Override override_of(std::string_view line, const std::string& file, int lineno) {
    Override o;
    o.line = std::string(line);
    o.option = o.line.substr(0, o.line.find('='));
    o.expression = o.line.substr(o.line.find("OVERRIDE:") + 9);
    auto it = vars_.find("MODULE_OR_Y");
    o.module_or_y = it == vars_.end() ? "" : it->second;
    if (o.expression.empty()) return o;
    // The reference runs `eval x=<expression>`; kmeta accepts one shell word.
    LogicalLine ll;
    ll.line = lineno;
    ll.text = o.expression;
    ll.origin.assign(o.expression.size(), 0);
    std::vector<LogicalLine> lines{ll};
    size_t idx = 0;
    Diagnostics scratch;
    SourceMap map(o.expression);
    std::vector<Token> toks;
    if (lex_shell_words(lines, &idx, file, map, scratch, &toks) && toks.size() == 1 &&
        toks[0].kind == TokenKind::word) {
      o.value = expand_word(toks[0].word, vars_);
    } else if (!toks.empty() || scratch.has_errors()) {
      o.supported = false;
      if (warned_overrides_.insert(file + ":" + std::to_string(lineno)).second)
        res_.diags.warning(
            Location{file, lineno, 0},
            fmt::format("OVERRIDE expression '{}' is not a single word of text and variables; ignored",
                        o.expression));
    }
    return o;
  }

  struct FlagUse {
    bool nocfg, nopatch;
    Location where;
    bool warned = false;
  };

  Compiler& comp_;
  const CompileOptions& opts_;
  CompileResult& res_;
  Resolver rs_;
  Vars vars_;
  size_t expanded_ = 0;  // bytes of variable expansion so far (check_expansion)
  std::string cbranch_, parent_branch_, branch_queue_;
  std::vector<std::string> stack_;
  std::unordered_set<std::string> reported_;
  std::unordered_map<std::string, FlagUse> seen_flags_;
  std::set<std::string> warned_overrides_;
  size_t statements_ = 0;
  unsigned stmt_flags_ = 0;  // flags written on the include statement being processed
  size_t if_nesting_ = 0;
};

}  // namespace

CompileResult Compiler::compile(const std::vector<std::string>& inputs, const CompileOptions& opts) {
  CompileResult r;
  Walker w(*this, opts, r);
  w.run(inputs);
  if (r.diags.has_errors()) r.failed = true;
  return r;
}

}  // namespace kmeta::scc
