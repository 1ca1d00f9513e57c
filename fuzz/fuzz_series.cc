// Fuzz target for the tree module's queue readers (tree/series.h): the input
// is read as a patch series, a merge.queue and a meta-series, as kmeta tree
// reads them from an untrusted .kernel-meta directory. Besides "no crash, no
// hang, no sanitizer report": every entry is a blank-free word of the input,
// on a line that exists, in input order; every branch name of a meta-series
// is either refused or gives a queue file name that stays in its directory
// (no '/', no NUL).
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tree/series.h"

using namespace kmeta::tree;

namespace {

bool is_word(std::string_view w, std::string_view in) {
  if (w.empty() || in.find(w) == std::string_view::npos) return false;
  for (char c : w)
    if (std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  int lines = 1;
  for (char c : in) lines += c == '\n';

  int last = 0;
  for (const SeriesEntry& e : parse_series(in)) {
    if (!is_word(e.name, in) || e.line < 1 || e.line > lines || e.line < last) std::abort();
    last = e.line;
  }
  for (const std::string& b : parse_merge_queue(in))
    if (!is_word(b, in)) std::abort();
  last = 0;
  for (const MetaOp& op : parse_meta_series(in)) {
    if (!is_word(op.a, in) || op.line < 1 || op.line > lines || op.line < last) std::abort();
    if (op.kind == MetaOp::rename && !is_word(op.b, in)) std::abort();
    last = op.line;
    if (op.kind != MetaOp::patch && valid_branch_name(op.a)) {
      std::string q = branch_queue_name(op.a);
      if (q.find('/') != std::string::npos || q.find('\0') != std::string::npos) std::abort();
    }
  }
  return 0;
}
