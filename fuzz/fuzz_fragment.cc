// Fuzz target for config fragments: the input is split at its first NUL (or
// its middle) into two fragments, which are parsed, sanity-checked, merged as
// merge_config.sh merges them, and read the way symbol_why.py reads a queue;
// every assigned value goes through the kernel's per-type value rules. Must
// never crash, hang or trip a sanitizer, and the merge must keep its line map
// consistent with the seed it produces.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/fragment.h"
#include "config/merge.h"
#include "config/queue_facts.h"

using namespace kmeta::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  size_t cut = in.find('\0');
  if (cut == std::string::npos) cut = in.size() / 2;
  std::vector<QueuedFragment> q(2);
  q[0].fragment = parse_fragment("a.cfg", in.substr(0, cut));
  q[1].fragment = parse_fragment("b.cfg", cut < in.size() ? in.substr(cut + 1) : std::string());
  q[0].queue_name = "a.cfg";
  q[1].queue_name = "b.cfg";
  for (const auto& f : q) {
    (void)check_fragment(f.fragment);
    for (const auto& l : f.fragment.lines) {
      (void)requested_value(l);
      for (ValueType t :
           {ValueType::boolean, ValueType::tristate, ValueType::integer, ValueType::hex, ValueType::string})
        (void)value_syntax(t, l.raw_value);
    }
  }
  MergeResult m = merge_fragments(q);
  size_t lines = 0;
  for (char c : m.seed) lines += c == '\n';
  if (!m.seed.empty() && m.seed.back() != '\n') ++lines;
  if (lines != m.seed_origin.size()) std::abort();
  for (const auto& r : m.requests) (void)r.effective();
  QueueFacts facts = read_queue_facts(q);
  (void)render_sanity_report(facts);
  return 0;
}
