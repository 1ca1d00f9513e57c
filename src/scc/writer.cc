#include "scc/writer.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

#include "base/file_util.h"
#include "base/ref_name.h"
#include "base/strings.h"
#include "scc/fixup.h"

namespace kmeta::scc {

Artifacts Artifacts::parse(std::string_view spec, std::vector<std::string>* unknown) {
  Artifacts a;
  size_t colon = spec.find(':');
  if (colon == std::string_view::npos) return Artifacts{true, true, true, false};
  std::string_view list = spec.substr(colon + 1);
  // `cut -d: -f2`: only up to a second ':'.
  list = list.substr(0, list.find(':'));
  auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && !word_char(list[i])) ++i;
    size_t b = i;
    while (i < list.size() && word_char(list[i])) ++i;
    std::string_view w = list.substr(b, i - b);
    if (w == "meta") a.meta = true;
    if (w == "cfg") a.cfg = true;
    if (w == "patch") a.patch = true;
    if (w == "merge") a.merge = true;
    if (unknown && !w.empty() && w != "meta" && w != "cfg" && w != "patch" && w != "merge")
      unknown->emplace_back(w);
  }
  return a;
}

std::string scc_header(const std::string& processed) {
  return "#\n# scc v0.8\n# processed: " + processed + "\n#\n# This is a scc output file, do not edit\n#\n";
}

namespace {

bool sed_safe_option(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

bool sed_safe_value(std::string_view s) {
  for (char c : s)
    if (c == '/' || c == '&' || c == '\\' || c == '\n' || c == ' ' || c == '\t') return false;
  return true;
}

class Planner {
 public:
  Planner(const Series& s, const OutputOptions& o, FileSystem& fs, Diagnostics& d)
      : s_(s), o_(o), fs_(fs), d_(d) {}

  bool run(OutputPlan* plan) {
    const Artifacts& art = o_.artifacts;
    if (art.cfg) plan->remove.push_back("config.queue");
    if (art.patch) plan->remove.insert(plan->remove.end(), {"unused.patch.queue", "patch*.queue"});
    if (art.merge) plan->remove.insert(plan->remove.end(), {"unused.merge.queue", "merge.queue"});
    plan->save_fixups = true;
    plan->remove.push_back("fixups");

    const std::string patchqueue = art.patch ? "patch.queue" : "unused.patch.queue";
    const std::string mergequeue = art.merge ? "merge.queue" : "unused.merge.queue";
    std::string meta = scc_header(o_.processed);
    std::vector<std::string> fixups;  // lines of the fixups file
    struct Fix {
      std::string path, opt, val;
    };
    std::vector<Fix> fixes;

    for (const Action& a : s_.actions) {
      meta += meta_lines(a);
      switch (a.op) {
        case Op::kconf: {
          std::string dir = "configs/" + a.branch + "/" + a.rel_dir;
          std::string name = path_basename(a.source);
          std::string copy = str_cat({dir, "/", name});
          std::string abs_copy = str_cat({o_.outdir, "/", copy});
          err_ += "[DEBUG]: ===> fragment: " + a.source + " flags: " + a.flags + "\n";
          copy_file(a.file, copy, a.where);
          std::vector<const Override*> ovs;
          for (const auto& ov : a.overrides) ovs.push_back(&ov);
          if (!ovs.empty()) {
            std::string all;
            for (size_t i = 0; i < ovs.size(); ++i) all += (i ? "\n" : "") + ovs[i]->line;
            // $(grep …) drops trailing newlines only
            while (!all.empty() && all.back() == '\n') all.pop_back();
            err_ += "[DEBUG]: overrides found: " + all + "\n";
            for (const Override* ov : ovs) {
              err_ += "[DEBUG]: override: " + ov->line + "\n";
              err_ += "[DEBUG]: Option: " + ov->option + "\n";
              err_ += "[DEBUG]: Expression: " + ov->expression + "\n";
              err_ += "[DEBUG]: Module var: " + ov->module_or_y + "\n";
              if (ov->value.empty()) continue;
              copy_file(a.file, str_cat({dir, "/orig-", name}), a.where);
              // The reference evals each line of `fixups`: a line is written only when
              // every piece of it is literal shell text and literal sed text.
              bool sed_ok = sed_safe_option(ov->option) && sed_safe_value(ov->module_or_y);
              if (sed_ok) fixes.push_back({copy, ov->option, ov->module_or_y});
              if (sed_ok && shell_safe_word(ov->module_or_y) && shell_safe_word(abs_copy))
                fixups.push_back("sed s/^" + ov->option + "=./" + ov->option + "=" + ov->module_or_y +
                                 "/ -i " + abs_copy);
              else
                d_.warning(
                    a.where,
                    fmt::format("OVERRIDE fixup for '{}' is not literal shell and sed text: not written "
                                "to 'fixups'{}",
                                ov->option, sed_ok ? "" : " and not applied"));
            }
          }
          for (const Classifier& c : a.classifiers) {
            copy_file(c.source, dir + "/" + c.name, a.where);
            if (c.name == "non-hardware.cfg")
              append("non-hardware_frags.txt", echo_words(o_.outdir + "/" + dir + "/" + c.name));
            if (c.name == "hardware.cfg")
              append("hardware_frags.txt", echo_words(o_.outdir + "/" + dir + "/" + c.name));
          }
          if (art.cfg) append("config.queue", echo_words(a.dest + " # " + a.kconf_class));
          const std::string& k = a.kconf_class;
          if (k == "hardware" || k == "non-hardware" || k == "required" || k == "optional")
            append(k + "_frags.txt", echo_words(o_.outdir + "/" + a.dest));
          break;
        }
        case Op::patch: {
          std::string dir = "patches/" + a.branch + "/" + a.rel_dir;
          copy_file(a.file, dir + "/" + path_basename(a.source), a.where);
          append(patchqueue, a.dest);
          if (!a.branch_queue.empty()) append(a.branch_queue, a.dest);
          break;
        }
        case Op::merge:
          append(mergequeue, echo_words(a.name));
          if (!a.branch_queue.empty()) append(a.branch_queue, echo_words(a.name));
          break;
        default: break;
      }
    }
    if (!ok_) return false;

    // The fixups run last, on the final copies.
    for (const Fix& f : fixes) {
      auto it = index_.find(f.path);
      if (it == index_.end()) continue;
      files_[it->second].content = apply_fixup(files_[it->second].content, f.opt, f.val);
    }
    std::string out;
    if (!art.meta) out = meta;
    for (const auto& l : fixups) out += "Executing: " + l + "\n";

    // Order: copies, then lists and queues (first-written order), then the meta-series.
    for (auto& f : files_) plan->files.push_back(std::move(f));
    for (auto& [name, text] : lists_order_) plan->files.push_back({name, std::move(lists_[name])});
    if (!fixups.empty()) {
      std::string t;
      for (const auto& l : fixups) t += l + "\n";
      plan->files.push_back({"fixups", std::move(t)});
    }
    if (art.meta) plan->files.push_back({"meta-series", std::move(meta)});
    plan->out = std::move(out);
    plan->err = std::move(err_);
    return true;
  }

 private:
  void copy_file(const std::string& src, const std::string& rel, const Location& where) {
    std::string norm = lexically_normal(rel);
    if (norm == "." || norm.starts_with("../") || norm == ".." || norm[0] == '/') {
      d_.error(where,
               fmt::format("'{}' would be copied outside the output directory ({}); refusing", src, rel));
      ok_ = false;
      return;
    }
    auto content = fs_.read(src);
    if (!content) {
      d_.error(where, fmt::format("cannot read '{}'", src));
      ok_ = false;
      return;
    }
    auto it = index_.find(norm);
    if (it != index_.end()) {
      files_[it->second].content = *content;  // cp -f: the last copy wins
      return;
    }
    index_.emplace(norm, files_.size());
    files_.push_back({norm, *content});
  }

  void append(const std::string& name, const std::string& line) {
    auto it = lists_.find(name);
    if (it == lists_.end()) {
      lists_order_.push_back({name, ""});
      it = lists_.emplace(name, std::string()).first;
    }
    it->second += line + "\n";
  }

  const Series& s_;
  const OutputOptions& o_;
  FileSystem& fs_;
  Diagnostics& d_;
  bool ok_ = true;
  std::string err_;
  std::vector<PlannedFile> files_;
  std::unordered_map<std::string, size_t> index_;
  std::map<std::string, std::string> lists_;
  std::vector<std::pair<std::string, std::string>> lists_order_;
};

}  // namespace

bool plan_output(const Series& s, const OutputOptions& o, FileSystem& fs, OutputPlan* plan,
                 Diagnostics& diags) {
  Planner p(s, o, fs, diags);
  return p.run(plan);
}

namespace {

// Atomic writes (temporary file in the same directory, then rename), creating
// each directory once.
class DirWriter {
 public:
  bool mkdirs(const std::string& dir, std::string* err) {
    if (dir.empty() || made_.count(dir)) return true;
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return *err = dir + ": not a directory", false;
      made_.insert(dir);
      return true;
    }
    std::string parent = path_dirname(dir);
    if (parent != dir && !mkdirs(parent, err)) return false;
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
      return *err = dir + ": " + std::strerror(errno), false;
    made_.insert(dir);
    return true;
  }

  bool write(const std::string& path, std::string_view data, std::string* err) {
    if (!mkdirs(path_dirname(path), err)) return false;
    AtomicFile out(path);
    out.write(data);
    return out.commit(err);
  }

 private:
  std::set<std::string> made_;
};

}  // namespace

bool write_output(const OutputPlan& plan, const std::string& outdir_in, Diagnostics& diags) {
  std::string outdir = outdir_in;
  while (outdir.size() > 1 && outdir.back() == '/') outdir.pop_back();
  DirWriter w;
  std::string err;
  if (!w.mkdirs(outdir, &err)) {
    diags.error(Location{outdir, 0, 0}, "cannot create the output directory: " + err);
    return false;
  }
  if (plan.save_fixups && file_exists(outdir + "/fixups")) {
    auto old = read_file(outdir + "/fixups");
    if (!old || !w.write(outdir + "/fixups.old", *old, &err)) {
      diags.error(Location{outdir + "/fixups.old", 0, 0}, "cannot save the previous fixups: " + err);
      return false;
    }
  }
  for (const auto& r : plan.remove) {
    if (r == "patch*.queue") {
      if (DIR* d = ::opendir(outdir.c_str())) {
        while (struct dirent* e = ::readdir(d)) {
          std::string n = e->d_name;
          if (n.starts_with("patch") && n.ends_with(".queue")) ::unlink(str_cat({outdir, "/", n}).c_str());
        }
        ::closedir(d);
      }
      continue;
    }
    ::unlink(str_cat({outdir, "/", r}).c_str());
  }
  for (const auto& f : plan.files) {
    if (!w.write(outdir + "/" + f.path, f.content, &err)) {
      diags.error(Location{outdir + "/" + f.path, 0, 0}, "cannot write: " + err);
      return false;
    }
  }
  return true;
}

std::optional<std::string> configs_listing(const std::string& outdir, FileSystem& fs,
                                           const std::string& cwd) {
  auto q = fs.read(absolute_path(outdir + "/config.queue", cwd));
  if (!q) return std::nullopt;
  std::string out;
  size_t pos = 0;
  const std::string& c = *q;
  while (pos < c.size()) {
    size_t e = c.find('\n', pos);
    bool nl = e != std::string::npos;
    if (!nl) e = c.size();
    std::string line = outdir + "/" + c.substr(pos, e - pos);
    size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    out += line;
    if (nl) out += ' ';
    pos = e + 1;
  }
  return out;
}

}  // namespace kmeta::scc
