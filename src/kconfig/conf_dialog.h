// The line-oriented dialogue of conf (--oldaskconfig, --oldconfig,
// --syncconfig) and the new-symbol listings (--listnewconfig,
// --helpnewconfig): conf.c's conf(), conf_sym(), conf_string(),
// conf_choice() and check_conf(), both dialects.
#pragma once

#include <string>

#include "kconfig/conf.h"

namespace kmeta::kconfig {

struct DialogOptions {
  ConfMode mode = ConfMode::oldaskconfig;
  bool tty = false;  // answers are not echoed when stdin and stdout are terminals
  std::string prefix = "CONFIG_";
};

class Dialog {
 public:
  Dialog(Configuration& cfg, DialogOptions opts, LineInput& in, Messages& log)
      : cfg_(cfg), m_(cfg.model()), opts_(std::move(opts)), in_(in), log_(log) {}
  // Runs the mode's loop. False when conf would exit(1) (6.12: no value for a
  // new int/hex symbol at end of input).
  bool run();

 private:
  void conf(NodeId menu);
  void check_conf(NodeId menu);
  bool conf_sym(NodeId menu);
  bool conf_string(NodeId menu);
  void conf_choice(NodeId menu);
  bool conf_choice_61(NodeId menu);  // returns conf_choice's int result
  NodeId choice_answer(NodeId menu, int cnt, int def, bool is_new);
  bool askvalue(SymbolId sym, std::string_view def);
  void read_answer();
  void print_help(NodeId menu);
  void out(std::string s) { log_.out(std::move(s)); }
  std::string_view prompt_text(NodeId n) const;
  PropKind prompt_kind(NodeId n) const;
  NodeId parent_menu(NodeId n) const;  // menu_get_parent_menu

  Configuration& cfg_;
  const Model& m_;
  DialogOptions opts_;
  LineInput& in_;
  Messages& log_;
  std::string line_;
  int indent_ = 1;
  int conf_cnt_ = 0;
  NodeId root_entry_ = kNone;
};

}  // namespace kmeta::kconfig
