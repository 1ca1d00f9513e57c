// Fuzz target for the .kernel-meta reader (config/kernel_meta.h): the input is
// split at NUL bytes; the first part is config.queue, the others are the
// fragments it names, served in the order they are asked for (a missing one
// is an unreadable file). This is what `kmeta symbol-why` and `audit
// --kernel-meta` read from a build tree nobody vouches for. Besides "no
// crash, no hang, no sanitizer report": a refusal says why; an accepted queue
// names no path outside the directory; the fragments then go through the
// checks and the queue facts symbol-why prints.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "config/fragment.h"
#include "config/kernel_meta.h"
#include "config/queue_facts.h"

using namespace kmeta::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  std::string in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  for (size_t at = 0;;) {
    size_t nul = in.find('\0', at);
    parts.push_back(in.substr(at, nul == std::string::npos ? std::string::npos : nul - at));
    if (nul == std::string::npos) break;
    at = nul + 1;
  }
  size_t next = 0;
  FileReader read = [&](const std::string& path, std::string* error) -> std::optional<std::string> {
    if (path == "/km/config.queue") return parts[0];
    if (path.rfind("/km/", 0) != 0) std::abort();  // only files inside the directory are read
    if (++next < parts.size()) return parts[next];
    *error = "No such file or directory";
    return std::nullopt;
  };
  std::vector<QueuedFragment> q;
  std::string error;
  if (!read_kernel_meta_queue("/km", read, &q, &error)) {
    if (error.empty()) std::abort();
    return 0;
  }
  for (const QueuedFragment& f : q) {
    if (f.queue_name.empty() || f.queue_name[0] == '/' || f.queue_name == ".." ||
        f.queue_name.rfind("../", 0) == 0 || f.queue_name.find("/../") != std::string::npos ||
        (f.queue_name.size() >= 3 && f.queue_name.compare(f.queue_name.size() - 3, 3, "/..") == 0))
      std::abort();
    (void)check_fragment(f.fragment);
  }
  QueueFacts facts = read_queue_facts(q);
  (void)render_sanity_report(facts);
  return 0;
}
