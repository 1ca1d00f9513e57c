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

#include "base/file_system.h"
#include "config/fragment.h"
#include "config/kernel_meta.h"
#include "config/queue_facts.h"

using namespace kmeta::config;

namespace {

// config.queue, then the other parts in the order they are asked for.
class Served : public kmeta::FileSystem {
 public:
  explicit Served(const std::vector<std::string>& parts) : parts_(parts) {}
  using kmeta::FileSystem::read_result;
  kmeta::ReadResult read_result(const std::string& path, const kmeta::FileReadOptions&) override {
    auto text = [](const std::string& t) { return std::make_shared<const std::string>(t); };
    if (path == "/km/config.queue") return {text(parts_[0]), kmeta::ReadError::none, {}};
    if (path.rfind("/km/", 0) != 0) std::abort();  // only files inside the directory are read
    if (++next_ < parts_.size()) return {text(parts_[next_]), kmeta::ReadError::none, {}};
    return {nullptr, kmeta::ReadError::missing, "No such file or directory"};
  }
  kmeta::FileType type(const std::string&) override { return kmeta::FileType::missing; }
  std::optional<std::string> canonical(const std::string&) override { return std::nullopt; }
  std::vector<kmeta::DirEntry> list(const std::string&) override { return {}; }
  std::string why_unreadable(const std::string&) override { return "does not exist"; }

 private:
  const std::vector<std::string>& parts_;
  size_t next_ = 0;
};

}  // namespace

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
  Served read(parts);
  std::vector<QueuedFragment> q;
  kmeta::Diagnostics error;
  if (!read_kernel_meta_queue("/km", read, &q, &error)) {
    if (!error.has_errors()) std::abort();
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
