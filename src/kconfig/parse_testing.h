// Test helper: parse in-memory Kconfig files. Not part of the library.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "kconfig/parser.h"
#include "kconfig/printer.h"

namespace kmeta::kconfig::testing {

struct Parsed {
  std::unique_ptr<Model> model;
  Messages msgs;
  std::string out() const { return msgs.text(Stream::out); }
  std::string err() const { return msgs.text(Stream::err); }
  const Model& m() const { return *model; }
  // A finalized expression as lkc prints it.
  std::string str(ExprId e) const { return expr_str(*model, e); }
  const Symbol& sym(const std::string& name) const { return model->sym(model->find(name)); }
  // The condition of `name`'s n-th property of `kind`.
  ExprId cond(const std::string& name, PropKind kind, int n = 0) const {
    for (PropId p : sym(name).props)
      if (model->prop(p).kind == kind && n-- == 0) return model->prop(p).cond;
    return kNone;
  }
  ExprId dep(const std::string& name, int def = 0) const { return model->node(sym(name).nodes.at(def)).dep; }
};

class Shell : public ShellRunner {
 public:
  bool run(const std::string& cmd, std::string* out, std::string*) override {
    commands.push_back(cmd);
    *out = output;
    return true;
  }
  std::string output = "y\n";
  std::vector<std::string> commands;
};

inline Parsed parse_files(const std::map<std::string, std::string>& files, Dialect d = Dialect::v6_12,
                          std::map<std::string, std::string> env = {}, ShellRunner* shell = nullptr,
                          const std::string& top = "Kconfig") {
  MemoryFileSystem src;
  for (const auto& [k, v] : files) src.add_file(k[0] == '/' ? k : "/" + k, v);
  ParseOptions o;
  o.files = &src;
  o.cwd = "/";
  o.dialect = d;
  o.env = std::move(env);
  o.shell = shell;
  Parsed p;
  p.model = parse_kconfig(top, o, p.msgs);
  return p;
}

inline Parsed parse_text(const std::string& text, Dialect d = Dialect::v6_12,
                         std::map<std::string, std::string> env = {}, ShellRunner* shell = nullptr) {
  return parse_files({{"Kconfig", text}}, d, std::move(env), shell);
}

}  // namespace kmeta::kconfig::testing
