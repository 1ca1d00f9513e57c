// The Kconfig lexer (lkc lexer.l): tokens, keywords, strings, help text,
// assignment values, macro expansion inside words and strings, the stack of
// `source`d files, and lkc's two line counters.
//
// It reproduces flex's longest-match behaviour rule by rule, including the
// second-stage filter (yylex) that drops repeated end-of-line tokens, records
// the statement line and switches to raw assignment values.
//
// Positions: `yylineno()` is the line the lexer is on (used by macro errors,
// $(lineno) and lexer warnings); `lineno()` is the line of the first token of
// the current statement (lkc cur_lineno: node/property locations and parser
// messages).
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/file_system.h"
#include "kconfig/messages.h"
#include "kconfig/model.h"
#include "kconfig/preprocess.h"

namespace kmeta::kconfig {

class Lexer : public PreprocessHost {
 public:
  // Relative names are read from `cwd` (lkc: the process's; "" = as given),
  // then from `srctree` (zconf_fopen).
  Lexer(Dialect dialect, Messages& msgs, FileSystem& files, std::string cwd, std::string srctree);

  void set_preprocessor(Preprocessor* pp) { pp_ = pp; }

  // lkc zconf_initscan: opens the top-level file ("can't find file X" and
  // FatalError when it cannot).
  void init(const std::string& name);
  // lkc yylex: the next token; T_WORD, T_WORD_QUOTE, T_HELPTEXT and
  // T_ASSIGN_VAL carry their text in *value.
  int next(std::string* value);
  // Same, but a plain word (no macro in it) is returned as a view into the
  // file text in *word (valid while the Lexer lives) and *value stays empty.
  int next(std::string* value, std::string_view* word);
  // lkc zconf_nextfile (`source`): switches to `name`; FatalError when it
  // cannot be opened or is already being read.
  void push_file(const std::string& name);
  // lkc zconf_starthelp: the next token is the help text.
  void start_help();

  const FileName& filename() const { return *cur_file_; }  // cur_filename
  int lineno() const { return cur_lineno_; }               // cur_lineno
  int yylineno() const { return yylineno_; }
  // Where parser messages (syntax errors, zconfprint) point: 6.12 uses the
  // lexer's file; 6.1 the file of the statement's first token ("<none>" after
  // the end of the top-level file).
  const FileName& msg_filename() const;
  // [6.1] After the end of the top-level file lkc's current_file is NULL:
  // nothing compares equal to it.
  bool file_closed() const { return top_closed_61_; }
  // Files finished since the last release_closed(): their text still backs
  // the word views handed out. next() never returns a word of a file after
  // closing it, so once the caller has copied the words it still holds, the
  // texts can go (the whole tree's text is never held at once).
  bool has_closed() const { return !closed_.empty(); }
  void release_closed() { closed_.clear(); }

  // Every file name looked up, in first-lookup order (lkc file_lookup).
  const std::vector<std::string>& files() const { return file_list_; }

  const std::string& pp_filename() const override { return *cur_file_; }
  int pp_lineno() const override { return yylineno_; }

 private:
  enum class State { initial, assign_val, help, string };
  struct Frame {
    const FileName* name;
    std::string text;
    size_t pos = 0;
    int saved_lineno = 0;   // the includer's yylineno, restored at the end
    int source_lineno = 0;  // cur_lineno of the `source` statement (6.12 report)
  };

  int lex1(std::string* value);
  std::string_view* word_ = nullptr;  // where lex1 puts plain words, if set
  int lex_eof();
  int lex_help(std::string* value);
  int lex_string(std::string* value);
  const FileName* lookup_file(const std::string& name);
  // ok; missing: lkc's fopen() would fail (absent, no permission, a symlink
  // loop: it then tries $srctree); unreadable: fopen() succeeds but reading
  // fails (a directory); refused: lkc would hang or exhaust memory on it (a
  // FIFO, a device, a file over base/input_file.h's cap): *why says which.
  enum class Open { ok, missing, unreadable, refused };
  Open open(const std::string& name, std::string* text, std::string* why);
  Open read(const std::string& path, std::string* text, std::string* why);
  void warn(const std::string& file, int line, const std::string& text);

  Dialect dialect_;
  const LkcRules& rules() const { return lkc_rules(dialect_); }
  Messages& msgs_;
  FileSystem& files_;
  std::string cwd_;
  std::string srctree_;
  Preprocessor* pp_ = nullptr;

  std::vector<std::unique_ptr<Frame>> frames_;
  std::vector<std::unique_ptr<Frame>> closed_;  // finished files, until release_closed()
  std::deque<FileName> names_;                  // interned file names
  std::unordered_map<std::string, const FileName*> name_index_;
  std::vector<std::string> file_list_;
  // [6.1] per file name: the includer and its yylineno when it sourced the file
  struct FileLink61 {
    const FileName* parent = nullptr;
    int lineno = 0;
  };
  std::vector<std::pair<const FileName*, FileLink61>> links61_;
  bool top_closed_61_ = false;              // [6.1] current_file == NULL
  const FileName* stmt_file_61_ = nullptr;  // [6.1] current_pos.file

  const FileName* cur_file_ = nullptr;
  int cur_lineno_ = 0;
  int yylineno_ = 1;
  int prev_token_;
  int prev_prev_token_;
  State state_ = State::initial;
  char open_quote_ = 0;
  std::string text_;  // string / help text being collected
  int first_ts_ = 0, last_ts_ = 0;
  FileName none_ = "<none>";
};

}  // namespace kmeta::kconfig
