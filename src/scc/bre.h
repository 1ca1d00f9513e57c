// A matcher for GNU grep's basic regular expressions (BRE) with a linear-time
// guarantee: what spp --find needs to score KMACHINE/KTYPE values.
//
// spp scores a candidate with `grep -l -e '^[[:space:]]*define.*'$V'[[:space:]]*$'`:
// V is spliced into a GNU BRE unescaped, so a KMACHINE value is a regular
// expression. This is that dialect, in the C locale (bytes), compiled to a
// Thompson NFA and run as a state-set simulation: matching costs
// O(program size × line length) whatever the pattern, with no recursion over
// the input and no backtracking.
//
// Supported, with grep's meaning: literals, `.`, bracket expressions
// (`[^…]`, ranges, `[:class:]`, `[=c=]`, `[.c.]`), `*`, `\{m,n\}`, `\+`, `\?`,
// `\(…\)`, `\|`, anchors `^`/`$` (where BRE makes them anchors, literals
// elsewhere), `\< \> \b \B \` \'`, `\w \W \s \S`; `*`, `\+`, `\?` and `\{`
// are literals where nothing precedes them; a stray `\c` is `c`.
// Compile errors: what grep refuses (an unmatched `\(`, `[`, `\{`, a bad
// interval or range, a trailing backslash), back-references (`\1`…`\9`:
// they make matching NP-hard), and patterns beyond the bounds below.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kmeta::scc {

struct BreLimits {
  size_t max_pattern = 4096;   // bytes of pattern text
  size_t max_nesting = 100;    // `\(` groups and stacked repetitions inside each other
  size_t max_program = 20000;  // NFA instructions after expanding `\{m,n\}`
};

class Bre {
 public:
  // The compiled pattern, or nullopt with `*error` set to grep's wording for a
  // pattern grep refuses, or to the bound that was exceeded.
  static std::optional<Bre> compile(std::string_view pattern, std::string* error,
                                    const BreLimits& limits = {});

  // Does any substring of `line` match (grep's line match; `line` holds no '\n')?
  bool search(std::string_view line) const;

  size_t program_size() const { return prog_.size(); }

  enum class Assert : uint8_t {
    line_start,
    line_end,
    word_start,
    word_end,
    word_boundary,
    not_word_boundary
  };
  struct Inst {
    enum Op : uint8_t { set, split, jmp, assert_, match } op;
    explicit Inst(Op o) : op(o) {}
    Assert assertion{};
    int x = 0, y = 0;  // set: index into sets_, next = pc+1; split: both targets; jmp: x
  };

 private:
  friend class BreCompiler;
  std::vector<Inst> prog_;
  std::vector<std::bitset<256>> sets_;
};

}  // namespace kmeta::scc
