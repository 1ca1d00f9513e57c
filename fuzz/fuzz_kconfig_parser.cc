// Fuzz target for the Kconfig front end (lexer, macro preprocessor, parser,
// finalization, dependency checks): any bytes are parsed as a Kconfig file
// from memory, in both dialects, and the result printed back. `source
// "Kconfig.inc"` reaches a second in-memory copy of the input, so inclusion
// and recursion paths are exercised too; $(shell,...) answers "y" without
// running anything. Must never crash, hang or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "kconfig/parser.h"
#include "kconfig/printer.h"

namespace {

using namespace kmeta::kconfig;

class FakeShell : public ShellRunner {
 public:
  bool run(const std::string& cmd, std::string* out, std::string* err) override {
    if (cmd.find("fail") != std::string::npos) {
      *err = "fake shell: refusing '" + cmd + "'";
      return false;
    }
    *out = "y\n";
    return true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  kmeta::MemoryFileSystem files;
  files.add_file("/Kconfig", text);
  files.add_file("/Kconfig.inc", text);
  FakeShell shell;
  for (Dialect d : {Dialect::v6_12, Dialect::v6_1}) {
    ParseOptions o;
    o.files = &files;
    o.cwd = "/";
    o.dialect = d;
    o.shell = &shell;
    o.env = {{"ARCH", "x86"}, {"SRCARCH", "x86"}, {"CC", "gcc"}};
    Messages msgs;
    auto model = parse_kconfig("Kconfig", o, msgs);
    if (model) {
      std::string s = dump_model(*model) + print_model(*model);
      for (SymbolId id : model->symbol_ids()) s += print_symbol(*model, id);
      (void)s;
    }
  }
  return 0;
}
