#include "kconfig/lkc_rules.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "kconfig/dialect.h"

namespace kmeta::kconfig {
namespace {

// One row per Dialect value, found by it, named uniquely, the name mapping back.
TEST(LkcRules, OneRowPerDialect) {
  std::set<std::string_view> names;
  for (size_t i = 0; i < kDialectCount; ++i) {
    const Dialect d = static_cast<Dialect>(i);
    const LkcRules& r = lkc_rules(d);
    EXPECT_EQ(r.dialect, d);
    EXPECT_FALSE(r.name.empty());
    EXPECT_TRUE(names.insert(r.name).second) << r.name;
    EXPECT_EQ(dialect_named(r.name), d);
  }
  EXPECT_EQ(names.size(), kDialectCount);
  EXPECT_EQ(&lkc_rules(Dialect::v6_1), &kLkc61);
  EXPECT_EQ(&lkc_rules(Dialect::v6_12), &kLkc612);
  EXPECT_EQ(lkc_rules(kLastDialect).dialect, kLastDialect);
  EXPECT_EQ(dialect_named("6.6"), std::nullopt);
  EXPECT_EQ(dialect_named(""), std::nullopt);
  EXPECT_EQ(dialect_named("6.1 "), std::nullopt);
}

TEST(LkcRules, Row61) {
  const LkcRules& r = lkc_rules(Dialect::v6_1);
  EXPECT_EQ(r.name, "6.1");
  EXPECT_TRUE(r.optional_keyword);
  EXPECT_TRUE(r.messages_name_statement_file);
  EXPECT_TRUE(r.source_loop_by_file_record);
  EXPECT_TRUE(r.eof_supplies_final_eol);
  EXPECT_EQ(r.grammar, Grammar::named_choices);
  EXPECT_EQ(r.syntax_error_line_offset, 1);
  EXPECT_TRUE(r.symbol_back_link_property);
  EXPECT_TRUE(r.named_choices);
  EXPECT_FALSE(r.choice_members_listed_while_parsing);
  EXPECT_EQ(r.symbol_hash_buckets, 9973u);
  EXPECT_EQ(r.expr_rewriting, ExprRewriting::in_place);
  EXPECT_TRUE(r.choice_value_symbol);
  EXPECT_TRUE(r.tristate_choices);
  EXPECT_TRUE(r.submenus_inside_choices);
  EXPECT_EQ(r.dep_check_order, DepCheckOrder::symbol_table);
  EXPECT_TRUE(r.dep_report_located_lines);
  EXPECT_FALSE(r.expression_value_cache);
  EXPECT_FALSE(r.empty_number_reads_as_zero);
  EXPECT_TRUE(r.untyped_default_is_empty);
  EXPECT_TRUE(r.menu_visibility_sets_user_flag);
  EXPECT_FALSE(r.conf_read_strips_line_end);
  EXPECT_TRUE(r.conf_read_invalidates_per_symbol);
  EXPECT_TRUE(r.conf_read_drops_invisible_user_values);
  EXPECT_TRUE(r.auto_conf_sync_calc_per_symbol);
  EXPECT_EQ(r.auto_conf_cmd, AutoConfCmd::deps_newest_first);
}

TEST(LkcRules, Row612) {
  const LkcRules& r = lkc_rules(Dialect::v6_12);
  EXPECT_EQ(r.name, "6.12");
  EXPECT_FALSE(r.optional_keyword);
  EXPECT_FALSE(r.messages_name_statement_file);
  EXPECT_FALSE(r.source_loop_by_file_record);
  EXPECT_FALSE(r.eof_supplies_final_eol);
  EXPECT_EQ(r.grammar, Grammar::anonymous_choices);
  EXPECT_EQ(r.syntax_error_line_offset, 0);
  EXPECT_FALSE(r.symbol_back_link_property);
  EXPECT_FALSE(r.named_choices);
  EXPECT_TRUE(r.choice_members_listed_while_parsing);
  EXPECT_EQ(r.symbol_hash_buckets, 16384u);
  EXPECT_EQ(r.expr_rewriting, ExprRewriting::hash_consed);
  EXPECT_FALSE(r.choice_value_symbol);
  EXPECT_FALSE(r.tristate_choices);
  EXPECT_FALSE(r.submenus_inside_choices);
  EXPECT_EQ(r.dep_check_order, DepCheckOrder::menu_tree);
  EXPECT_FALSE(r.dep_report_located_lines);
  EXPECT_TRUE(r.expression_value_cache);
  EXPECT_TRUE(r.empty_number_reads_as_zero);
  EXPECT_FALSE(r.untyped_default_is_empty);
  EXPECT_FALSE(r.menu_visibility_sets_user_flag);
  EXPECT_TRUE(r.conf_read_strips_line_end);
  EXPECT_FALSE(r.conf_read_invalidates_per_symbol);
  EXPECT_FALSE(r.conf_read_drops_invisible_user_values);
  EXPECT_FALSE(r.auto_conf_sync_calc_per_symbol);
  EXPECT_EQ(r.auto_conf_cmd, AutoConfCmd::autoconfig_variable);
}

// --- the rows against the lkc sources of the provisioned kernels -------------

std::string kernels_dir() {
  if (const char* k = std::getenv("KMETA_KERNELS")) return k;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.cache/kmeta/kernels";
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool has(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

// The body of the C function whose definition starts with `head` (to the next
// "\n}\n").
std::string function_body(const std::string& text, const std::string& head) {
  size_t at = text.find(head + "\n{");
  if (at == std::string::npos) return "";
  size_t end = text.find("\n}\n", at);
  return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// SYMBOL_HASHSIZE as the kernel defines it: a number or (1U << N).
uint32_t symbol_hash_size(const std::string& headers) {
  size_t at = headers.find("#define SYMBOL_HASHSIZE");
  if (at == std::string::npos) return 0;
  std::string line = headers.substr(at + 23, headers.find('\n', at) - at - 23);
  size_t shift = line.find("<<");
  if (shift != std::string::npos) return 1u << std::stoul(line.substr(shift + 2));
  return static_cast<uint32_t>(std::stoul(line));
}

// For each kernel tree in $KMETA_KERNELS whose Makefile names a dialect, the
// markers of each behaviour in its scripts/kconfig agree with that row. The
// truth is the kernel's source, not kmeta: a wrong row fails here.
TEST(LkcRules, RowsMatchTheKernelSources) {
  namespace fs = std::filesystem;
  std::error_code ec;
  int checked = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(kernels_dir(), ec)) {
    const fs::path lkc = e.path() / "scripts/kconfig";
    if (!fs::exists(lkc / "parser.y") || !fs::exists(e.path() / "Makefile")) continue;
    std::optional<Dialect> d = dialect_from_makefile(slurp(e.path() / "Makefile"));
    ASSERT_TRUE(d.has_value()) << e.path();
    const LkcRules& r = lkc_rules(*d);
    SCOPED_TRACE(e.path().string() + " read as " + std::string(r.name));
    std::string headers, sources;
    for (const fs::directory_entry& f : fs::directory_iterator(lkc)) {
      if (f.path().extension() == ".h") headers += slurp(f.path());
      if (f.path().extension() == ".c") sources += slurp(f.path());
    }
    const std::string lexer = slurp(lkc / "lexer.l"), parser = slurp(lkc / "parser.y");
    const std::string expr = slurp(lkc / "expr.c"), symbol = slurp(lkc / "symbol.c");
    const std::string menu = slurp(lkc / "menu.c"), confdata = slurp(lkc / "confdata.c");

    EXPECT_EQ(r.optional_keyword, has(lexer, "\"optional\""));
    const std::string yyerror = function_body(parser, "static void yyerror(const char *err)");
    ASSERT_FALSE(yyerror.empty());
    EXPECT_EQ(r.syntax_error_line_offset, has(yyerror, "zconf_lineno() + 1") ? 1 : 0);
    EXPECT_EQ(r.messages_name_statement_file, has(yyerror, "zconf_curname()"));
    EXPECT_EQ(r.named_choices, has(parser, "T_CHOICE word_opt"));
    EXPECT_EQ(r.grammar == Grammar::named_choices, has(parser, "T_CHOICE word_opt"));
    EXPECT_EQ(r.choice_members_listed_while_parsing, has(parser, "choice member must have a prompt"));
    EXPECT_EQ(r.tristate_choices, !has(parser, "choice member must be bool"));
    EXPECT_EQ(r.symbol_back_link_property, has(menu, "P_SYMBOL"));
    EXPECT_EQ(r.menu_visibility_sets_user_flag, has(menu, "SYMBOL_DEF_USER"));
    EXPECT_EQ(r.symbol_hash_buckets, symbol_hash_size(headers));
    EXPECT_EQ(r.expr_rewriting == ExprRewriting::hash_consed, has(expr, "expr_lookup"));
    EXPECT_EQ(r.expression_value_cache, has(expr, "val_is_valid"));
    EXPECT_EQ(r.choice_value_symbol, has(headers + sources, "SYMBOL_NEED_SET_CHOICE_VALUES"));
    EXPECT_EQ(r.empty_number_reads_as_zero, has(symbol, "newval.val = \"0\";"));
    EXPECT_EQ(r.dep_check_order == DepCheckOrder::menu_tree,
              has(parser, "menu->sym && sym_check_deps(menu->sym)"));
    EXPECT_EQ(r.auto_conf_cmd == AutoConfCmd::autoconfig_variable, has(confdata, "autoconfig := "));
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no kernel sources provisioned at " << kernels_dir();
}

}  // namespace
}  // namespace kmeta::kconfig
