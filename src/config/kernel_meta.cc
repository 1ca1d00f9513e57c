#include "config/kernel_meta.h"

#include "base/strings.h"

namespace kmeta::config {

bool read_kernel_meta_queue(const std::string& meta_dir, const FileReader& read, std::vector<QueuedFragment>* out,
                            std::string* error) {
  std::string qpath = meta_dir + "/config.queue";
  auto q = read(qpath);
  if (!q) {
    *error = "cannot read " + qpath;
    return false;
  }
  int n = 0;
  for (std::string_view line : split_lines(*q)) {
    ++n;
    size_t hash = line.find('#');
    std::string name(trim(line.substr(0, hash)));
    if (name.empty()) continue;
    std::string path = meta_dir + "/" + name;
    auto text = read(path);
    if (!text) {
      *error = qpath + ":" + std::to_string(n) + ": cannot read fragment " + path;
      return false;
    }
    QueuedFragment f;
    f.fragment = parse_fragment(path, std::move(*text));
    f.queue_name = name;
    f.merge_name = ".kernel-meta/" + name;
    f.kconf_class = hash == std::string_view::npos ? "" : std::string(trim(line.substr(hash + 1)));
    f.chain.push_back({qpath, n, 0});
    out->push_back(std::move(f));
  }
  return true;
}

}  // namespace kmeta::config
