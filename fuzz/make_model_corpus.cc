// Writes the seed corpus of fuzz_model_codec: the encoding of each given
// Kconfig file, parsed on its own (no $(shell), no sources outside it), as
// OUTDIR/tree<N>.kmdl. Run it again whenever the codec's format changes
// (model_codec_test checks that every seed still decodes):
//   build/fuzz/make_model_corpus fuzz/corpus/model_codec fuzz/seeds/model_codec/*.Kconfig
#include <cstdio>
#include <string>

#include "base/file_system.h"
#include "base/file_util.h"
#include "kconfig/model_codec.h"
#include "kconfig/parser.h"

int main(int argc, char** argv) {
  using namespace kmeta::kconfig;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUTDIR KCONFIG...\n", argv[0]);
    return 2;
  }
  int n = 0, status = 0;
  for (int i = 2; i < argc; ++i) {
    auto text = kmeta::read_file(argv[i]);
    if (!text) {
      std::fprintf(stderr, "%s: cannot read\n", argv[i]);
      status = 1;
      continue;
    }
    kmeta::MemoryFileSystem files;
    files.add_file("/Kconfig", *text);
    ParseOptions o;
    o.files = &files;
    o.cwd = "/";
    o.dialect = Dialect::v6_12;
    Messages msgs;
    auto m = parse_kconfig("Kconfig", o, msgs);
    if (!m) {
      std::fprintf(stderr, "%s: does not parse, skipped\n%s", argv[i], msgs.text(Stream::err).c_str());
      continue;
    }
    std::string out = std::string(argv[1]) + "/tree" + std::to_string(n++) + ".kmdl";
    if (!kmeta::write_file_atomic(out, encode_model(*m))) {
      std::fprintf(stderr, "%s: cannot write\n", out.c_str());
      status = 1;
    }
  }
  return status;
}
