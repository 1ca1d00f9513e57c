#include "kconfig/grammar.h"

#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

namespace kmeta::kconfig {
namespace {

const char* const kTokenNames[kNumTokens] = {
    "$end",
    "error",
    "$undefined",
    "T_HELPTEXT",
    "T_WORD",
    "T_WORD_QUOTE",
    "T_BOOL",
    "T_CHOICE",
    "T_CLOSE_PAREN",
    "T_COLON_EQUAL",
    "T_COMMENT",
    "T_CONFIG",
    "T_DEFAULT",
    "T_DEF_BOOL",
    "T_DEF_TRISTATE",
    "T_DEPENDS",
    "T_ENDCHOICE",
    "T_ENDIF",
    "T_ENDMENU",
    "T_HELP",
    "T_HEX",
    "T_IF",
    "T_IMPLY",
    "T_INT",
    "T_MAINMENU",
    "T_MENU",
    "T_MENUCONFIG",
    "T_MODULES",
    "T_ON",
    "T_OPEN_PAREN",
    "T_OPTIONAL",
    "T_PLUS_EQUAL",
    "T_PROMPT",
    "T_RANGE",
    "T_SELECT",
    "T_SOURCE",
    "T_STRING",
    "T_TRISTATE",
    "T_VISIBLE",
    "T_EOL",
    "T_ASSIGN_VAL",
    "T_OR",
    "T_AND",
    "T_EQUAL",
    "T_UNEQUAL",
    "T_LESS",
    "T_LESS_EQUAL",
    "T_GREATER",
    "T_GREATER_EQUAL",
    "T_NOT",
};

struct RuleText {
  Act act;
  const char* lhs;
  const char* rhs;  // space separated; "" = empty
};

// parser.y of Linux 6.12, rule by rule and in the same order (the order decides
// Bison's tie-breaks, so it is part of the behaviour).
const RuleText kRules612[] = {
    {Act::none, "input", "mainmenu_stmt stmt_list"},
    {Act::none, "input", "stmt_list"},
    {Act::mainmenu, "mainmenu_stmt", "T_MAINMENU T_WORD_QUOTE T_EOL"},
    {Act::none, "stmt_list", ""},
    {Act::none, "stmt_list", "stmt_list assignment_stmt"},
    {Act::none, "stmt_list", "stmt_list choice_stmt"},
    {Act::none, "stmt_list", "stmt_list comment_stmt"},
    {Act::none, "stmt_list", "stmt_list config_stmt"},
    {Act::none, "stmt_list", "stmt_list if_stmt"},
    {Act::none, "stmt_list", "stmt_list menu_stmt"},
    {Act::none, "stmt_list", "stmt_list menuconfig_stmt"},
    {Act::none, "stmt_list", "stmt_list source_stmt"},
    {Act::unknown_stmt, "stmt_list", "stmt_list T_WORD error T_EOL"},
    {Act::invalid_stmt, "stmt_list", "stmt_list error T_EOL"},
    {Act::none, "stmt_list_in_choice", ""},
    {Act::none, "stmt_list_in_choice", "stmt_list_in_choice comment_stmt"},
    {Act::none, "stmt_list_in_choice", "stmt_list_in_choice config_stmt"},
    {Act::none, "stmt_list_in_choice", "stmt_list_in_choice if_stmt_in_choice"},
    {Act::invalid_stmt, "stmt_list_in_choice", "stmt_list_in_choice error T_EOL"},
    {Act::config_start, "config_entry_start", "T_CONFIG nonconst_symbol T_EOL"},
    {Act::config_stmt, "config_stmt", "config_entry_start config_option_list"},
    {Act::menuconfig_start, "menuconfig_entry_start", "T_MENUCONFIG nonconst_symbol T_EOL"},
    {Act::menuconfig_stmt, "menuconfig_stmt", "menuconfig_entry_start config_option_list"},
    {Act::none, "config_option_list", ""},
    {Act::none, "config_option_list", "config_option_list config_option"},
    {Act::none, "config_option_list", "config_option_list depends"},
    {Act::none, "config_option_list", "config_option_list help"},
    {Act::type_option, "config_option", "type prompt_stmt_opt T_EOL"},
    {Act::prompt, "config_option", "T_PROMPT T_WORD_QUOTE if_expr T_EOL"},
    {Act::default_option, "config_option", "default expr if_expr T_EOL"},
    {Act::select, "config_option", "T_SELECT nonconst_symbol if_expr T_EOL"},
    {Act::imply, "config_option", "T_IMPLY nonconst_symbol if_expr T_EOL"},
    {Act::range, "config_option", "T_RANGE symbol symbol if_expr T_EOL"},
    {Act::modules, "config_option", "T_MODULES T_EOL"},
    {Act::choice, "choice", "T_CHOICE T_EOL"},
    {Act::choice_entry, "choice_entry", "choice choice_option_list"},
    {Act::choice_end, "choice_end", "end"},
    {Act::none, "choice_stmt", "choice_entry stmt_list_in_choice choice_end"},
    {Act::none, "choice_option_list", ""},
    {Act::none, "choice_option_list", "choice_option_list choice_option"},
    {Act::none, "choice_option_list", "choice_option_list depends"},
    {Act::none, "choice_option_list", "choice_option_list help"},
    {Act::prompt, "choice_option", "T_PROMPT T_WORD_QUOTE if_expr T_EOL"},
    {Act::prompt, "choice_option", "T_BOOL T_WORD_QUOTE if_expr T_EOL"},
    {Act::choice_default, "choice_option", "T_DEFAULT nonconst_symbol if_expr T_EOL"},
    {Act::type_bool, "type", "T_BOOL"},
    {Act::type_tristate, "type", "T_TRISTATE"},
    {Act::type_int, "type", "T_INT"},
    {Act::type_hex, "type", "T_HEX"},
    {Act::type_string, "type", "T_STRING"},
    {Act::default_plain, "default", "T_DEFAULT"},
    {Act::default_bool, "default", "T_DEF_BOOL"},
    {Act::default_tristate, "default", "T_DEF_TRISTATE"},
    {Act::if_entry, "if_entry", "T_IF expr T_EOL"},
    {Act::if_end, "if_end", "end"},
    {Act::none, "if_stmt", "if_entry stmt_list if_end"},
    {Act::none, "if_stmt_in_choice", "if_entry stmt_list_in_choice if_end"},
    {Act::menu, "menu", "T_MENU T_WORD_QUOTE T_EOL"},
    {Act::menu_entry, "menu_entry", "menu menu_option_list"},
    {Act::menu_end, "menu_end", "end"},
    {Act::none, "menu_stmt", "menu_entry stmt_list menu_end"},
    {Act::none, "menu_option_list", ""},
    {Act::none, "menu_option_list", "menu_option_list visible"},
    {Act::none, "menu_option_list", "menu_option_list depends"},
    {Act::source, "source_stmt", "T_SOURCE T_WORD_QUOTE T_EOL"},
    {Act::comment, "comment", "T_COMMENT T_WORD_QUOTE T_EOL"},
    {Act::none, "comment_stmt", "comment comment_option_list"},
    {Act::none, "comment_option_list", ""},
    {Act::none, "comment_option_list", "comment_option_list depends"},
    {Act::help_start, "help_start", "T_HELP T_EOL"},
    {Act::help, "help", "help_start T_HELPTEXT"},
    {Act::depends, "depends", "T_DEPENDS T_ON expr T_EOL"},
    {Act::visible, "visible", "T_VISIBLE if_expr T_EOL"},
    {Act::none, "prompt_stmt_opt", ""},
    {Act::prompt_opt, "prompt_stmt_opt", "T_WORD_QUOTE if_expr"},
    {Act::end_menu, "end", "T_ENDMENU T_EOL"},
    {Act::end_choice, "end", "T_ENDCHOICE T_EOL"},
    {Act::end_if, "end", "T_ENDIF T_EOL"},
    {Act::if_expr_none, "if_expr", ""},
    {Act::if_expr, "if_expr", "T_IF expr"},
    {Act::expr_symbol, "expr", "symbol"},
    {Act::expr_lth, "expr", "symbol T_LESS symbol"},
    {Act::expr_leq, "expr", "symbol T_LESS_EQUAL symbol"},
    {Act::expr_gth, "expr", "symbol T_GREATER symbol"},
    {Act::expr_geq, "expr", "symbol T_GREATER_EQUAL symbol"},
    {Act::expr_equal, "expr", "symbol T_EQUAL symbol"},
    {Act::expr_unequal, "expr", "symbol T_UNEQUAL symbol"},
    {Act::expr_paren, "expr", "T_OPEN_PAREN expr T_CLOSE_PAREN"},
    {Act::expr_not, "expr", "T_NOT expr"},
    {Act::expr_or, "expr", "expr T_OR expr"},
    {Act::expr_and, "expr", "expr T_AND expr"},
    {Act::nonconst_symbol, "nonconst_symbol", "T_WORD"},
    {Act::none, "symbol", "nonconst_symbol"},
    {Act::const_symbol, "symbol", "T_WORD_QUOTE"},
    {Act::assignment, "assignment_stmt", "T_WORD assign_op assign_val T_EOL"},
    {Act::op_recursive, "assign_op", "T_EQUAL"},
    {Act::op_simple, "assign_op", "T_COLON_EQUAL"},
    {Act::op_append, "assign_op", "T_PLUS_EQUAL"},
    {Act::assign_val_empty, "assign_val", ""},
    {Act::none, "assign_val", "T_ASSIGN_VAL"},
};

// The 6.1 grammar differs only around choices: `choice [NAME]`, `optional`, and
// `bool|tristate [prompt]` options, with `logic_type` factored out of `type`.
std::vector<RuleText> rules_61() {
  std::vector<RuleText> out;
  for (const RuleText& r : kRules612) {
    std::string lhs = r.lhs, rhs = r.rhs;
    if (lhs == "choice") {
      out.push_back({Act::choice, "choice", "T_CHOICE word_opt T_EOL"});
    } else if (lhs == "choice_option" && rhs == "T_BOOL T_WORD_QUOTE if_expr T_EOL") {
      out.push_back({Act::choice_type, "choice_option", "logic_type prompt_stmt_opt T_EOL"});
      out.push_back({Act::optional, "choice_option", "T_OPTIONAL T_EOL"});
    } else if (lhs == "type" && rhs == "T_BOOL") {
      out.push_back({Act::none, "type", "logic_type"});
      out.push_back({Act::type_int, "type", "T_INT"});
      out.push_back({Act::type_hex, "type", "T_HEX"});
      out.push_back({Act::type_string, "type", "T_STRING"});
      out.push_back({Act::type_bool, "logic_type", "T_BOOL"});
      out.push_back({Act::type_tristate, "logic_type", "T_TRISTATE"});
    } else if (lhs == "type") {
      // emitted above
    } else if (lhs == "assignment_stmt") {
      out.push_back({Act::word_opt_none, "word_opt", ""});
      out.push_back({Act::none, "word_opt", "T_WORD"});
      out.push_back(r);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

GrammarInfo make(Grammar which) {
  std::vector<RuleText> texts;
  if (which == Grammar::named_choices)
    texts = rules_61();
  else
    texts.assign(std::begin(kRules612), std::end(kRules612));

  lalr::Grammar g;
  g.n_terminals = kNumTokens;
  std::map<std::string, int> ids;
  for (int t = 0; t < kNumTokens; ++t) {
    g.names.push_back(kTokenNames[t]);
    ids[kTokenNames[t]] = t;
  }
  auto sym = [&](const std::string& name) {
    auto it = ids.find(name);
    if (it != ids.end()) return it->second;
    if (name.rfind("T_", 0) == 0) throw std::logic_error("grammar: unknown token " + name);
    int id = static_cast<int>(g.names.size());
    g.names.push_back(name);
    ids[name] = id;
    return id;
  };
  int accept = sym("$accept");
  int input = sym("input");
  g.rules.push_back({accept, {input, T_EOF}, static_cast<int>(Act::none)});
  for (const RuleText& r : texts) {
    lalr::Rule rule;
    rule.lhs = sym(r.lhs);
    std::istringstream in(r.rhs);
    for (std::string w; in >> w;) rule.rhs.push_back(sym(w));
    rule.action = static_cast<int>(r.act);
    g.rules.push_back(rule);
  }
  g.n_symbols = static_cast<int>(g.names.size());
  g.prec.assign(kNumTokens, 0);
  g.assoc.assign(kNumTokens, lalr::Assoc::none);
  auto level = [&](int p, lalr::Assoc a, std::initializer_list<int> toks) {
    for (int t : toks) {
      g.prec[t] = p;
      g.assoc[t] = a;
    }
  };
  level(1, lalr::Assoc::left, {T_OR});
  level(2, lalr::Assoc::left, {T_AND});
  level(3, lalr::Assoc::left, {T_EQUAL, T_UNEQUAL});
  level(4, lalr::Assoc::left, {T_LESS, T_LESS_EQUAL, T_GREATER, T_GREATER_EQUAL});
  level(5, lalr::Assoc::nonassoc, {T_NOT});

  GrammarInfo info;
  info.tables = lalr::build(g);
  if (!info.tables.conflicts.empty())
    throw std::logic_error("kconfig grammar: " + info.tables.conflicts.front());
  info.nt_if_entry = ids.at("if_entry");
  info.nt_menu_entry = ids.at("menu_entry");
  info.nt_choice_entry = ids.at("choice_entry");
  const lalr::Tables& t = info.tables;
  info.state_symbol.assign(t.n_states, -1);
  for (int s = 0; s < t.n_states; ++s) {
    for (int x = 0; x < t.n_terminals; ++x)
      if (t.act(s, x) > 0) info.state_symbol[t.act(s, x) - 1] = x;
    for (int x = t.n_terminals; x < t.n_symbols; ++x)
      if (t.go_to(s, x) >= 0) info.state_symbol[t.go_to(s, x)] = x;
  }
  return info;
}

}  // namespace

const GrammarInfo& kconfig_grammar(Dialect d) {
  static const GrammarInfo named = make(Grammar::named_choices);
  static const GrammarInfo anonymous = make(Grammar::anonymous_choices);
  return lkc_rules(d).grammar == Grammar::named_choices ? named : anonymous;
}

const char* token_name(int tok) { return tok >= 0 && tok < kNumTokens ? kTokenNames[tok] : "?"; }

}  // namespace kmeta::kconfig
