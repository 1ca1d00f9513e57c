// The Kconfig grammar (lkc parser.y, Linux 6.1 and 6.12) as data, and its
// LALR(1) tables. Tokens are shared by the lexer and the parser.
#pragma once

#include "kconfig/lalr.h"
#include "kconfig/model.h"

namespace kmeta::kconfig {

// Terminals. T_EOF must be 0 and T_ERROR 1 (lalr.h conventions).
enum Token : int {
  T_EOF = 0,
  T_ERROR,
  T_UNDEF,
  T_HELPTEXT,
  T_WORD,
  T_WORD_QUOTE,
  T_BOOL,
  T_CHOICE,
  T_CLOSE_PAREN,
  T_COLON_EQUAL,
  T_COMMENT,
  T_CONFIG,
  T_DEFAULT,
  T_DEF_BOOL,
  T_DEF_TRISTATE,
  T_DEPENDS,
  T_ENDCHOICE,
  T_ENDIF,
  T_ENDMENU,
  T_HELP,
  T_HEX,
  T_IF,
  T_IMPLY,
  T_INT,
  T_MAINMENU,
  T_MENU,
  T_MENUCONFIG,
  T_MODULES,
  T_ON,
  T_OPEN_PAREN,
  T_OPTIONAL,
  T_PLUS_EQUAL,
  T_PROMPT,
  T_RANGE,
  T_SELECT,
  T_SOURCE,
  T_STRING,
  T_TRISTATE,
  T_VISIBLE,
  T_EOL,
  T_ASSIGN_VAL,
  T_OR,
  T_AND,
  T_EQUAL,
  T_UNEQUAL,
  T_LESS,
  T_LESS_EQUAL,
  T_GREATER,
  T_GREATER_EQUAL,
  T_NOT,
  kNumTokens
};

// Semantic actions, one per rule that does something (parser.cc).
enum class Act : int {
  none,  // $$ = $1 (Bison's default)
  mainmenu,
  unknown_stmt,
  invalid_stmt,
  config_start,
  menuconfig_start,
  config_stmt,
  menuconfig_stmt,
  type_option,
  prompt,
  default_option,
  select,
  imply,
  range,
  modules,
  choice,  // 6.12: anonymous; 6.1: `choice [NAME]`
  choice_entry,
  choice_end,
  choice_type,  // [6.1] bool/tristate [prompt] in a choice
  optional,     // [6.1]
  choice_default,
  type_bool,
  type_tristate,
  type_int,
  type_hex,
  type_string,
  default_plain,
  default_bool,
  default_tristate,
  if_entry,
  if_end,
  menu,
  menu_entry,
  menu_end,
  source,
  comment,
  help_start,
  help,
  depends,
  visible,
  prompt_opt,
  end_menu,
  end_choice,
  end_if,
  if_expr_none,
  if_expr,
  expr_symbol,
  expr_lth,
  expr_leq,
  expr_gth,
  expr_geq,
  expr_equal,
  expr_unequal,
  expr_paren,
  expr_not,
  expr_or,
  expr_and,
  nonconst_symbol,
  const_symbol,
  word_opt_none,  // [6.1]
  assignment,
  op_recursive,
  op_simple,
  op_append,
  assign_val_empty,
};

// Nonterminals whose popped values Bison's %destructor reports
// ("missing end statement for this entry").
struct GrammarInfo {
  lalr::Tables tables;
  int nt_if_entry = -1, nt_menu_entry = -1, nt_choice_entry = -1;
  std::vector<int> state_symbol;  // accessing symbol of each state
};

// The grammar of `d`'s lkc (LkcRules::grammar), built once per grammar
// (immutable afterwards; thread-safe initialisation).
const GrammarInfo& kconfig_grammar(Dialect d);

const char* token_name(int tok);

}  // namespace kmeta::kconfig
