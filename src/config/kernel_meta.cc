#include "config/kernel_meta.h"

#include "base/file_system.h"
#include "base/strings.h"

namespace kmeta::config {

bool read_kernel_meta_queue(const std::string& meta_dir, FileSystem& fs, std::vector<QueuedFragment>* out,
                            Diagnostics* diags) {
  std::string qpath = meta_dir + "/config.queue";
  ReadResult q = fs.read_result(qpath, {.keep = false});
  if (!q.text) {
    diags->error({}, "cannot read " + qpath + ": " + q.reason);
    return false;
  }
  int n = 0;
  for (std::string_view line : split_lines(*q.text)) {
    ++n;
    size_t hash = line.find('#');
    std::string name(trim(line.substr(0, hash)));
    if (name.empty()) continue;
    // Entries are paths inside the .kernel-meta directory (scc refuses copies
    // outside it): an absolute one or one with a ".." component could name
    // any file, whose lines would be parsed and echoed.
    bool escapes = name.front() == '/';
    for (std::string_view part : split(name, '/')) escapes = escapes || part == "..";
    if (escapes) {
      diags->error(
          {FileName(qpath), n, 0},
          str_cat({"queue entry '", name,
                   "' is not a path inside the .kernel-meta directory (absolute, or a '..' component)"}));
      return false;
    }
    std::string path = str_cat({meta_dir, "/", name});
    ReadResult text = fs.read_result(path, {.keep = false});
    if (!text.text) {
      diags->error({FileName(qpath), n, 0}, str_cat({"cannot read fragment ", path, ": ", text.reason}));
      return false;
    }
    QueuedFragment f;
    f.fragment = parse_fragment(path, *text.text);
    f.queue_name = name;
    f.merge_name = ".kernel-meta/" + name;
    f.kconf_class = hash == std::string_view::npos ? "" : std::string(trim(line.substr(hash + 1)));
    f.chain.push_back({qpath, n, 0});
    out->push_back(std::move(f));
  }
  return true;
}

}  // namespace kmeta::config
