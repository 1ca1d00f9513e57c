// What differs between the lkc versions kmeta models: one row per version.
//
// kmeta reproduces the kernel's Kconfig implementation (scripts/kconfig,
// "lkc") of two releases, 6.1 and 6.12 (`Dialect`; which one a tree is read
// with is decided in dialect.h). Everything the two do differently is a named
// field of `LkcRules`, and each version is one constexpr row of it; code asks
// `model.rules().<field>` (or `lkc_rules(dialect)`), never "is this 6.1?".
// Supporting another release (6.6, 6.18) is adding a Dialect value and a row,
// plus a field for each behaviour that is new in it.
//
// Each field says what 6.1 and 6.12 do, naming the lkc functions (file:
// function) where the difference is visible in the two kernels' sources.
// Most choice-related fields come from lkc's rework of choices in 6.11
// (anonymous bool choices, `sym_calc_choice`, tristate and `optional`
// choices removed); the fields keep them apart where kmeta tests them apart.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kmeta::kconfig {

// Which lkc the tree behaves like. Detected from the tree (Makefile VERSION /
// PATCHLEVEL, dialect.h), or forced by the caller. The numeric values are
// stored in the model cache (model_codec.cc): append, never renumber.
enum class Dialect : uint8_t { v6_1, v6_12 };
inline constexpr Dialect kLastDialect = Dialect::v6_12;
inline constexpr size_t kDialectCount = static_cast<size_t>(kLastDialect) + 1;

// The parser.y a version's grammar is (grammar.cc holds each as data).
enum class Grammar : uint8_t {
  named_choices,     // 6.1: `choice [NAME]`, `optional`, bool/tristate [prompt] in choices
  anonymous_choices  // 6.12: anonymous bool choices, `bool "prompt"` only
};

// How expressions are rewritten while finalizing (expr.c; expr_ops.h).
enum class ExprRewriting : uint8_t {
  in_place,    // 6.1: trees copied and changed in place
  hash_consed  // 6.12: functional, on hash-consed nodes (expr_lookup)
};

// The order sym_check_deps visits the symbols in (parser.y: conf_parse).
enum class DepCheckOrder : uint8_t {
  symbol_table,  // 6.1: for_all_symbols, the hash-table order (hash_order())
  menu_tree      // 6.12: menu_for_each_entry, the menu tree depth-first
};

// The layout of include/config/auto.conf.cmd (confdata.c: conf_write_autoconf_cmd).
enum class AutoConfCmd : uint8_t {
  deps_newest_first,   // 6.1: files newest first, `AUTOCONF: $(deps_config)`, then env checks
  autoconfig_variable  // 6.12: `autoconfig := AUTOCONF`, files in order, env checks after
};

struct LkcRules {
  Dialect dialect;
  std::string_view name;  // "6.1": KMETA_KCONFIG_DIALECT's value, the model cache key's

  // --- lexer (lexer.l, util.c) ----------------------------------------------
  // `optional` is a keyword (T_OPTIONAL). 6.12's lexer.l no longer has it
  // (the choice `optional` property was removed), so there it is a word.
  bool optional_keyword;
  // Parser and lexer messages name the file of the statement being parsed
  // (6.1 current_pos.file: "<none>" after the top file closed); 6.12 names
  // the file the lexer is reading (cur_filename).
  bool messages_name_statement_file;
  // A recursive `source` is found through one includer record per file name
  // (6.1 util.c file_lookup + zconf_nextfile's `parent` chain, the report
  // stops at the repeated file); 6.12 scans the stack of open files and
  // reports the whole stack with the lines of the `source` statements.
  bool source_loop_by_file_record;
  // When the top file ends, the lexer returns an end of line before the end
  // of input (6.1 zconf_endfile / current_file = NULL), so a file without a
  // final newline still parses; in 6.12 that is a syntax error.
  bool eof_supplies_final_eol;

  // --- parser and model (parser.y, menu.c, symbol.c, expr.c) ----------------
  Grammar grammar;
  // Added to the lexer's line in "syntax error" messages (6.1 yyerror prints
  // zconf_lineno() + 1).
  int syntax_error_line_offset;
  // Every definition gets a P_SYMBOL property pointing back at its symbol
  // (6.1 menu.c: menu_add_entry; PropKind::symbol). Gone in 6.12.
  bool symbol_back_link_property;
  // `choice NAME` names a choice symbol, looked up among choices (6.1
  // parser.y: choice: T_CHOICE word_opt); the choice's type is unknown until
  // finalization. 6.12 choices are anonymous bool symbols.
  bool named_choices;
  // Choice members are listed while parsing, and a choice or member without a
  // prompt, or a non-bool member, is an error (6.12 parser.y: config_stmt,
  // choice_entry, choice_check_sanity). 6.1 finds members in menu_finalize and
  // only warns "choice must have a prompt".
  bool choice_members_listed_while_parsing;
  // Buckets of the symbol hash table, which fix lkc's symbol iteration order
  // (6.1 expr.h SYMBOL_HASHSIZE 9973; 6.12 internal.h 1U << 14).
  uint32_t symbol_hash_buckets;
  ExprRewriting expr_rewriting;

  // --- choices ---------------------------------------------------------------
  // A choice is a symbol with a value of its own (6.1): its tristate (an
  // `optional` choice may be n, a visible one is at least m: menu_finalize
  // adds `prompt && m` to its rev_dep), its selected member (sym->curr.val,
  // sym_calc_choice(struct symbol*), SYMBOL_NEED_SET_CHOICE_VALUES), its own
  // user value; members depend on it, find it through sym_get_choice_prop,
  // and conf, randconfig, .config reading and defconfig treat it as a symbol.
  // 6.12 (the 6.11 rework): the selection is computed from the choice's menu
  // (sym_calc_choice(struct menu*), members' user values in priority order),
  // the choice symbol itself is not changeable.
  bool choice_value_symbol;
  // Choices may be tristate (6.1): a member is boolean while its choice is y
  // (sym_get_type), members with m visibility are hidden while the choice is
  // y (sym_calc_visibility), and a member may be in m mode.
  bool tristate_choices;
  // Automatic submenus (following siblings that depend on a symbol move
  // under it) are also made inside choices (6.1 menu_finalize); 6.12 makes
  // none there.
  bool submenus_inside_choices;

  // --- dependency check (symbol.c: sym_check_deps) --------------------------
  DepCheckOrder dep_check_order;
  // Each line of a recursive dependency report starts with FILE:LINE: (6.1
  // sym_check_print_recursive); 6.12 names choice blocks by location instead.
  bool dep_report_located_lines;

  // --- evaluation (symbol.c, expr.c, menu.c) --------------------------------
  // Expression values are cached until sym_clear_all_valid (6.12 expr.c:
  // expr_calc_value, val_is_valid).
  bool expression_value_cache;
  // An int/hex symbol without a value reads as "0"/"0x0" (6.12 symbol.c:
  // sym_calc_value, sym_get_string_default); "" in 6.1.
  bool empty_number_reads_as_zero;
  // The string default of an untyped symbol is "" (6.1
  // sym_get_string_default); 6.12 returns its default's value, as for a
  // string symbol.
  bool untyped_default_is_empty;
  // menu_is_visible() marks a symbol with a visible child as user-set
  // (6.1 menu.c: sym->flags |= SYMBOL_DEF_USER); 6.12 does not.
  bool menu_visibility_sets_user_flag;

  // --- .config files and conf (confdata.c, conf.c) --------------------------
  // conf_read_simple strips "\n" and one "\r" before parsing a line, matches
  // "is not set" exactly and warns about a line without '=' (6.12 getline
  // based reading); 6.1 parses the raw fgets line.
  bool conf_read_strips_line_end;
  // conf_read_simple invalidates every symbol as it clears a value slot, and
  // marks choices as having a value in it (6.1); 6.12 only clears the slot's
  // flag, and reading user values invalidates everything afterwards.
  bool conf_read_invalidates_per_symbol;
  // After reading, conf_read drops user values of invisible symbols when
  // nothing is unsaved and out-of-range int/hex/string values, counting them
  // (6.1); 6.12 only marks the configuration changed.
  bool conf_read_drops_invisible_user_values;
  // conf_write_autoconf's sync (conf_touch_deps) computes each symbol as it
  // walks the table and skips nameless ones (6.1); 6.12 computes all first.
  bool auto_conf_sync_calc_per_symbol;
  AutoConfCmd auto_conf_cmd;
};

inline constexpr LkcRules kLkc61{
    .dialect = Dialect::v6_1,
    .name = "6.1",
    .optional_keyword = true,
    .messages_name_statement_file = true,
    .source_loop_by_file_record = true,
    .eof_supplies_final_eol = true,
    .grammar = Grammar::named_choices,
    .syntax_error_line_offset = 1,
    .symbol_back_link_property = true,
    .named_choices = true,
    .choice_members_listed_while_parsing = false,
    .symbol_hash_buckets = 9973,
    .expr_rewriting = ExprRewriting::in_place,
    .choice_value_symbol = true,
    .tristate_choices = true,
    .submenus_inside_choices = true,
    .dep_check_order = DepCheckOrder::symbol_table,
    .dep_report_located_lines = true,
    .expression_value_cache = false,
    .empty_number_reads_as_zero = false,
    .untyped_default_is_empty = true,
    .menu_visibility_sets_user_flag = true,
    .conf_read_strips_line_end = false,
    .conf_read_invalidates_per_symbol = true,
    .conf_read_drops_invisible_user_values = true,
    .auto_conf_sync_calc_per_symbol = true,
    .auto_conf_cmd = AutoConfCmd::deps_newest_first,
};

inline constexpr LkcRules kLkc612{
    .dialect = Dialect::v6_12,
    .name = "6.12",
    .optional_keyword = false,
    .messages_name_statement_file = false,
    .source_loop_by_file_record = false,
    .eof_supplies_final_eol = false,
    .grammar = Grammar::anonymous_choices,
    .syntax_error_line_offset = 0,
    .symbol_back_link_property = false,
    .named_choices = false,
    .choice_members_listed_while_parsing = true,
    .symbol_hash_buckets = 1u << 14,
    .expr_rewriting = ExprRewriting::hash_consed,
    .choice_value_symbol = false,
    .tristate_choices = false,
    .submenus_inside_choices = false,
    .dep_check_order = DepCheckOrder::menu_tree,
    .dep_report_located_lines = false,
    .expression_value_cache = true,
    .empty_number_reads_as_zero = true,
    .untyped_default_is_empty = false,
    .menu_visibility_sets_user_flag = false,
    .conf_read_strips_line_end = true,
    .conf_read_invalidates_per_symbol = false,
    .conf_read_drops_invisible_user_values = false,
    .auto_conf_sync_calc_per_symbol = false,
    .auto_conf_cmd = AutoConfCmd::autoconfig_variable,
};

// The table, indexed by Dialect.
inline constexpr std::array<const LkcRules*, kDialectCount> kLkcRules{&kLkc61, &kLkc612};

constexpr bool lkc_rules_indexed_by_dialect() {
  for (size_t i = 0; i < kDialectCount; ++i)
    if (static_cast<size_t>(kLkcRules[i]->dialect) != i) return false;
  return true;
}
static_assert(lkc_rules_indexed_by_dialect(), "one LkcRules row per Dialect, in Dialect order");

constexpr const LkcRules& lkc_rules(Dialect d) { return *kLkcRules[static_cast<size_t>(d)]; }

// The dialect whose row is named `name` ("6.1", "6.12"), if any.
constexpr std::optional<Dialect> dialect_named(std::string_view name) {
  for (const LkcRules* r : kLkcRules)
    if (r->name == name) return r->dialect;
  return std::nullopt;
}

}  // namespace kmeta::kconfig
