// Fuzz target for the tree module's readers: the input is a patch mail; it
// goes through mailinfo, the diff parser and the applier (against a file
// source whose every file is the mail itself, so hunks find real lines).
// Bad input must give diagnostics, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tree/apply.h"
#include "tree/mailinfo.h"
#include "tree/patch_parse.h"

using namespace kmeta;
using namespace kmeta::tree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  Diagnostics diags;
  MailInfo mi;
  Location where{FileName("fuzz.patch"), 0, 0};
  if (mailinfo(in, MailInfoOptions{}, where, &mi, &diags)) (void)am_message(mi);
  for (std::string_view text : {in, std::string_view(mi.patch)}) {
    Patch p;
    if (!parse_patch(text, where, &p, &diags)) continue;
    FileSource src;
    std::string body(in);
    src.read = [&](const std::string&) -> std::optional<FileEntry> { return FileEntry{body, 0100644}; };
    for (int c : {-1, 1, 0}) (void)apply_patch(p, src, ApplyOptions{c});
    (void)apply_patch(reverse_patch(p), src, ApplyOptions{1});
  }
  return 0;
}
