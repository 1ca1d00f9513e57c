// Lexing of .scc files, in the two steps the reference applies:
//
// 1. Logical lines, as bash's `read` (without -r) splits them for spp:
//    backslash-newline joins lines, other backslashes are dropped (the next
//    character is kept), leading and trailing blanks are trimmed.
// 2. Words of a logical line: either split on blanks only (path statements,
//    which spp reads with `set $line`), or with shell quoting and variables
//    (the statements bash runs in the reference).
//
// See docs/scc-language.md §1-§2.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::scc {

// Maps byte offsets of a file to line/column.
class SourceMap {
 public:
  explicit SourceMap(std::string_view content);
  int line_of(uint32_t offset) const;    // 1-based
  int column_of(uint32_t offset) const;  // 1-based
  // The physical line (without its newline) that holds `line`.
  std::string_view line_text(std::string_view content, int line) const;

 private:
  std::vector<uint32_t> starts_;
};

struct LogicalLine {
  int line = 0;                  // first physical line, 1-based
  std::string text;              // after read(1) processing
  std::vector<uint32_t> origin;  // file offset of each character of `text`
  uint32_t offset_of(size_t i) const {
    return i < origin.size() ? origin[i] : (origin.empty() ? 0 : origin.back());
  }
};

// Splits a file into logical lines (empty ones included, so callers see every
// line). Reports CR and NUL bytes as errors in `diags` (located in `file`).
std::vector<LogicalLine> read_logical_lines(std::string_view content, const std::string& file,
                                            const SourceMap& map, Diagnostics& diags);

// ---- shell words

struct WordPart {
  enum Kind : uint8_t { literal, variable } kind = literal;
  bool quoted = false;  // inside '…' or "…"
  std::string text;     // the literal text, or the variable name
};

struct Word {
  std::vector<WordPart> parts;
  uint32_t offset = 0;  // file offset of the first character
  std::string raw;      // the source text of the word, as read (for print-back)

  bool has_variables() const;
  bool has_quotes() const;
  // The word without expansion (variables kept as $NAME); meaningful for literal words.
  std::string literal() const;
};

enum class TokenKind : uint8_t { word, semicolon, and_and, or_or };

struct Token {
  TokenKind kind = TokenKind::word;
  Word word;  // for kind == word (offset valid for all kinds)
};

// Lexes shell words starting at logical line `*index` of `lines`. A quoted
// string left open at the end of a line continues on the next logical line
// (joined with '\n'); `*index` is left on the last line consumed. Comments
// (`#` at the start of a word) end the token list. Errors go to `diags`;
// returns false when the line could not be lexed.
bool lex_shell_words(const std::vector<LogicalLine>& lines, size_t* index, const std::string& file,
                     const SourceMap& map, Diagnostics& diags, std::vector<Token>* out);

// Splits a logical line on blanks, as `set $line` does, stopping at a word
// that starts with '#'. Offsets are the file offsets of each word.
struct RawWord {
  std::string text;
  uint32_t offset = 0;
};
std::vector<RawWord> split_raw_words(const LogicalLine& line);

}  // namespace kmeta::scc
