// Config fragments (`.cfg` files): lines, requested values, sanity findings.
//
// A fragment is a list of `CONFIG_X=value` and `# CONFIG_X is not set` lines
// plus comments. Three readers interpret it, and they disagree at the edges:
// merge_config.sh (sed/grep patterns), the kernel's conf (confdata.c) and
// symbol_why.py (Python regexes). This file classifies every line the way the
// merge and the kernel see it, splits values from trailing annotations
// (`CONFIG_X=y # OVERRIDE:$MODULE_OR_Y`), and reports the lines where the
// readers disagree or the kernel silently drops what was written (sanity).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kmeta::config {

enum class LineKind : uint8_t {
  blank,    // empty, or blanks only
  comment,  // starts with '#' and is not an exact "is not set" line
  set,      // CONFIG_X=<raw value>  (merge_config.sh's `^CONFIG_[A-Za-z0-9_]*=`)
  unset,    // exactly "# CONFIG_X is not set"
  other,    // anything else: the kernel warns "unexpected data" or ignores it
};

struct FragmentLine {
  int number = 0;  // 1-based
  LineKind kind = LineKind::blank;
  std::string text;       // the line, without its '\n'
  std::string name;       // set/unset: the symbol name without "CONFIG_"
  std::string raw_value;  // set: everything after the first '='
};

struct Fragment {
  std::string path;  // as it should appear in diagnostics
  std::string text;  // the whole file
  std::vector<FragmentLine> lines;
};

// Classifies every line of `text`. Never fails: unreadable lines are `other`.
Fragment parse_fragment(std::string path, std::string text);
// How parse_fragment() classifies one line (without its newline); for `set`
// and `unset` lines also the name and (`set`) the raw value, as views of it.
LineKind classify_line(std::string_view line, std::string_view* name, std::string_view* raw_value);

// A requested value split from what follows it on the line.
//   y # OVERRIDE:$MODULE_OR_Y   -> value "y",      trailing "# OVERRIDE:$MODULE_OR_Y"
//   "a b" # note                -> value "\"a b\"", trailing "# note"
//   18 # 256 KiB                -> value "18",     trailing "# 256 KiB"
// An unset line is value "n". The value is what a reader means, not what the
// kernel accepts (that depends on the symbol's type: see value_syntax()).
struct RequestedValue {
  std::string value;
  std::string trailing;
};
RequestedValue split_value(std::string_view raw);
RequestedValue requested_value(const FragmentLine& line);

// Values compared by meaning: "n", "" (absent) and "is not set" are equal, and
// trailing annotations are not part of a value.
bool same_value(std::string_view requested, std::string_view actual);

// What the kernel's conf makes of a raw value for a symbol of the given type
// (confdata.c: conf_set_sym_val). `accepted` = the value that is assigned.
enum class ValueType : uint8_t { unknown, boolean, tristate, integer, hex, string };
struct ValueSyntax {
  bool ok = true;        // the kernel assigns a value (possibly not the intended one)
  bool silent = false;   // !ok and the kernel says nothing (string without quotes)
  std::string accepted;  // what is assigned: "y"/"m"/"n", the number, the "quoted" string
  std::string problem;   // human text when the line does not mean what it says
};
ValueSyntax value_syntax(ValueType type, std::string_view raw);

// Lines whose meaning differs between readers, or that the kernel drops.
enum class SanityKind : uint8_t {
  duplicate,            // the symbol is assigned twice in one fragment
  unset_malformed,      // "# CONFIG_X" / "#CONFIG_X is not set": not an unset line
  not_set_trailing,     // "# CONFIG_X is not set <more>": ignored by merge_config.sh and 6.12
  space_around_equals,  // "CONFIG_X = y", "CONFIG_X =y", "CONFIG_X= y"
  leading_whitespace,   // " CONFIG_X=y", "  #": the kernel warns "unexpected data"
  missing_equals,       // "CONFIG_X" alone
  trailing_text,        // "CONFIG_A=m CONFIG_B=y": text after the value that is not a comment
  unexpected,           // any other text
};
const char* to_string(SanityKind k);

struct SanityIssue {
  SanityKind kind;
  int line = 0;         // 1-based line of the offending text
  int first_line = 0;   // duplicate: the earlier assignment
  std::string symbol;   // without "CONFIG_", when one can be read
  std::string text;     // the offending line
  std::string message;  // one sentence: what the readers make of it
};

std::vector<SanityIssue> check_fragment(const Fragment& f);

}  // namespace kmeta::config
