// The Kconfig macro language (lkc preprocess.c): variables (`=`, `:=`, `+=`),
// user functions with $(1).., built-ins ($(shell) $(info) $(warning-if)
// $(error-if) $(filename) $(lineno)) and environment fallback.
//
// Expansion works on raw text handed over by the lexer; each entry point says
// how much input it consumed, so the lexer can continue after it (lkc pushes
// the rest back with unput(), which amounts to the same). Errors are logged
// with "FILE:LINE: " (the lexer's current file and line) and end the parse by
// throwing FatalError, as lkc exits.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kconfig/internal.h"
#include "kconfig/messages.h"
#include "kconfig/shell_runner.h"

namespace kmeta::kconfig {

enum class Flavor { recursive, simple, append };

// Where the preprocessor is: the lexer's current file name and line.
class PreprocessHost {
 public:
  virtual ~PreprocessHost() = default;
  virtual const std::string& pp_filename() const = 0;
  virtual int pp_lineno() const = 0;
};

class Preprocessor {
 public:
  Preprocessor(const std::map<std::string, std::string>& env, ShellRunner* shell, Messages& msgs,
               PreprocessHost& host)
      : env_(env), shell_(shell), msgs_(msgs), host_(host) {}

  // Expands every $(...) in `in` (lkc expand_string).
  std::string expand_string(std::string_view in);
  // Expands one word: stops at the first character that is not alphanumeric,
  // '_' or '-' outside a reference (lkc expand_one_token).
  std::string expand_one_token(std::string_view in, size_t* consumed);
  // `in` starts right after a '$': expands one reference, or yields "$" when no
  // '(' follows (lkc expand_dollar).
  std::string expand_dollar(std::string_view in, size_t* consumed);

  void add_variable(const std::string& name, const std::string& value, Flavor flavor);

  // Environment variables consulted, with their values, in first-use order.
  const std::vector<std::pair<std::string, std::string>>& env_used() const { return env_used_; }
  // Names consulted through $(NAME) while unset, in first-use order (what a
  // cached parse must also find unset to still hold).
  const std::vector<std::string>& env_unset() const { return env_unset_; }

 private:
  struct Variable {
    std::string value;
    Flavor flavor = Flavor::recursive;
    int exp_count = 0;
  };
  using Args = std::vector<std::string>;

  [[noreturn]] void error(const std::string& text);
  std::string expand(std::string_view in, bool token_end, const Args& args, size_t* consumed);
  std::string dollar(std::string_view in, const Args& args, size_t* consumed);
  std::string eval_clause(std::string_view clause, const Args& args);
  bool variable_expand(const std::string& name, const Args& args, std::string* out);
  bool function_expand(const std::string& name, const Args& args, std::string* out);
  bool env_expand(const std::string& name, std::string* out);

  const std::map<std::string, std::string>& env_;
  ShellRunner* shell_;
  Messages& msgs_;
  PreprocessHost& host_;
  std::unordered_map<std::string, Variable> vars_;
  std::vector<std::pair<std::string, std::string>> env_used_;
  std::vector<std::string> env_unset_;
  int depth_ = 0;
  StackGuard stack_;
};

}  // namespace kmeta::kconfig
