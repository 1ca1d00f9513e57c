#include "kconfig/lexer.h"

#include <cstring>

#include "kconfig/grammar.h"
#include "kconfig/internal.h"

namespace kmeta::kconfig {
namespace {

// flex class {n}: [A-Za-z0-9_-]
struct CharClass {
  bool word[256] = {};
  constexpr CharClass() {
    for (int c = 0; c < 256; ++c)
      word[c] =
          (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }
};
constexpr CharClass kClass;
inline bool is_word(char c) { return kClass.word[static_cast<unsigned char>(c)]; }

struct Keyword {
  std::string_view text;
  int token;
};
constexpr Keyword kKeywords[] = {
    {"bool", T_BOOL},
    {"choice", T_CHOICE},
    {"comment", T_COMMENT},
    {"config", T_CONFIG},
    {"def_bool", T_DEF_BOOL},
    {"def_tristate", T_DEF_TRISTATE},
    {"default", T_DEFAULT},
    {"depends", T_DEPENDS},
    {"endchoice", T_ENDCHOICE},
    {"endif", T_ENDIF},
    {"endmenu", T_ENDMENU},
    {"help", T_HELP},
    {"hex", T_HEX},
    {"if", T_IF},
    {"imply", T_IMPLY},
    {"int", T_INT},
    {"mainmenu", T_MAINMENU},
    {"menu", T_MENU},
    {"menuconfig", T_MENUCONFIG},
    {"modules", T_MODULES},
    {"on", T_ON},
    {"optional", T_OPTIONAL},
    {"prompt", T_PROMPT},
    {"range", T_RANGE},
    {"select", T_SELECT},
    {"source", T_SOURCE},
    {"string", T_STRING},
    {"tristate", T_TRISTATE},
    {"visible", T_VISIBLE},
};

// Keywords start with a lower-case letter; index them by it.
struct KeywordIndex {
  uint8_t first[26] = {};
  uint8_t count[26] = {};
  constexpr KeywordIndex() {
    for (size_t i = 0; i < sizeof kKeywords / sizeof kKeywords[0]; ++i) {
      int c = kKeywords[i].text[0] - 'a';
      if (!count[c]) first[c] = static_cast<uint8_t>(i);
      ++count[c];
    }
  }
};
constexpr KeywordIndex kKeywordIndex;

int keyword(std::string_view w, const LkcRules& rules) {
  if (w.size() < 2 || w.size() > 12 || w[0] < 'a' || w[0] > 'z') return -1;
  int c = w[0] - 'a';
  for (int i = kKeywordIndex.first[c], e = i + kKeywordIndex.count[c]; i < e; ++i) {
    const Keyword& k = kKeywords[i];
    if (k.text == w) {
      if (k.token == T_OPTIONAL && !rules.optional_keyword) return -1;
      return k.token;
    }
  }
  return -1;
}

// End of the physical line starting at `p` (position of '\n' or end of text).
inline size_t line_end(const std::string& t, size_t p) {
  const size_t nl = t.find('\n', p);
  return nl == std::string::npos ? t.size() : nl;
}

}  // namespace

Lexer::Lexer(Dialect dialect, Messages& msgs, FileSystem& files, std::string cwd, std::string srctree)
    : dialect_(dialect),
      msgs_(msgs),
      files_(files),
      cwd_(std::move(cwd)),
      srctree_(std::move(srctree)),
      prev_token_(T_EOL),
      prev_prev_token_(T_EOL) {
  cur_file_ = &none_;
}

const FileName* Lexer::lookup_file(const std::string& name) {
  auto it = name_index_.find(name);
  if (it != name_index_.end()) return it->second;
  names_.push_back(name);
  file_list_.push_back(name);
  name_index_.emplace(name, &names_.back());
  return &names_.back();
}

Lexer::Open Lexer::read(const std::string& path, std::string* text, std::string* why) {
  std::string full = path;
  if (!cwd_.empty() && !path.empty() && path[0] != '/') full = (cwd_ == "/" ? "" : cwd_) + "/" + path;
  // Not kept by a caching FileSystem: each file is read once per parse.
  ReadResult r = files_.read_result(full, {.keep = false});
  if (r.text) {
    *text = *r.text;
    return Open::ok;
  }
  if (why) *why = r.reason;
  switch (r.error) {
    case ReadError::directory:  // fopen succeeds on a directory, reading it fails
    case ReadError::io: return Open::unreadable;
    case ReadError::not_regular:  // a FIFO, a device: refused before it is read
    case ReadError::too_large: return Open::refused;
    default: return Open::missing;  // where fopen fails
  }
}

Lexer::Open Lexer::open(const std::string& name, std::string* text, std::string* why) {
  Open st = read(name, text, why);
  if (st == Open::missing && !name.empty() && name[0] != '/' && !srctree_.empty())
    st = read(srctree_ + "/" + name, text, why);
  return st;
}

void Lexer::warn(const std::string& file, int line, const std::string& text) {
  msgs_.err(file + ":" + std::to_string(line) + ":warning: " + text + "\n", Severity::warning,
            {file, line, 0});
}

void Lexer::init(const std::string& name) {
  auto f = std::make_unique<Frame>();
  std::string why;
  Open st = open(name, &f->text, &why);
  if (st == Open::missing) {
    msgs_.err("can't find file " + name + "\n", Severity::error, {name, 0, 0});
    throw FatalError{};
  }
  if (st == Open::refused) {
    msgs_.err(name + ": error: cannot read: " + why + "\n", Severity::error, {name, 0, 0});
    throw FatalError{};
  }
  if (st == Open::unreadable) {
    msgs_.err("input in flex scanner failed\n", Severity::error, {name, 0, 0});
    throw FatalError{};
  }
  f->name = lookup_file(name);
  cur_file_ = f->name;
  stmt_file_61_ = nullptr;
  yylineno_ = 1;
  frames_.push_back(std::move(f));
}

const FileName& Lexer::msg_filename() const {
  if (!rules().messages_name_statement_file) return *cur_file_;
  return stmt_file_61_ ? *stmt_file_61_ : none_;
}

void Lexer::push_file(const std::string& name) {
  const bool by_record = rules().source_loop_by_file_record;
  const bool stmt_file = rules().messages_name_statement_file;
  const FileName* name61 = by_record ? lookup_file(name) : nullptr;  // 6.1 looks the name up first
  auto f = std::make_unique<Frame>();
  std::string why;
  Open st = open(name, &f->text, &why);
  if (st == Open::missing) {
    const std::string& where = stmt_file ? msg_filename() : *cur_file_;
    msgs_.err(where + ":" + std::to_string(cur_lineno_) + ": can't open file \"" + name + "\"\n",
              Severity::error, {where, cur_lineno_, 0});
    throw FatalError{};
  }
  if (st == Open::refused) {
    const std::string& where = stmt_file ? msg_filename() : *cur_file_;
    msgs_.err(
        where + ":" + std::to_string(cur_lineno_) + ": error: cannot read \"" + name + "\": " + why + "\n",
        Severity::error, {where, cur_lineno_, 0});
    throw FatalError{};
  }
  if (st == Open::unreadable) {
    msgs_.err("input in flex scanner failed\n", Severity::error, {name, 0, 0});
    throw FatalError{};
  }
  f->saved_lineno = yylineno_;
  f->source_lineno = cur_lineno_;

  if (!by_record) {
    bool recursive = false;
    for (const auto& fr : frames_)
      if (*fr->name == name) recursive = true;
    if (recursive) {
      std::string m = "Recursive inclusion detected.\nInclusion path:\n  current file : " + name + "\n";
      // innermost includer first: each frame with the line of its `source`
      for (size_t i = frames_.size(); i-- > 0;) {
        int line = i + 1 < frames_.size() ? frames_[i + 1]->source_lineno : cur_lineno_;
        m += "  included from: " + *frames_[i]->name + ":" + std::to_string(line) + "\n";
      }
      msgs_.err(m, Severity::error, {name, 0, 0});
      throw FatalError{};
    }
    f->name = lookup_file(name);
  } else {
    // 6.1 keeps one record per file name: its includer and the includer's line.
    auto link = [&](const FileName* n) -> FileLink61& {
      for (auto& [k, v] : links61_)
        if (k == n) return v;
      links61_.push_back({n, {}});
      return links61_.back().second;
    };
    link(cur_file_).lineno = yylineno_;
    link(name61).parent = cur_file_;
    bool recursive = false;
    for (const FileName* it = cur_file_; it; it = link(it).parent)
      if (*it == name) {
        recursive = true;
        break;
      }
    if (recursive) {
      std::string m = "Recursive inclusion detected.\nInclusion path:\n  current file : " + name + "\n";
      const FileName* it = name61;
      int guard = 0;
      do {
        it = link(it).parent;
        if (!it) break;
        m += "  included from: " + *it + ":" + std::to_string(link(it).lineno - 1) + "\n";
      } while (*it != name && ++guard < 100000);
      msgs_.err(m, Severity::error, {name, 0, 0});
      throw FatalError{};
    }
    f->name = name61;
  }
  frames_.push_back(std::move(f));
  yylineno_ = 1;
  cur_file_ = frames_.back()->name;
}

void Lexer::start_help() {
  text_.clear();
  last_ts_ = first_ts_ = 0;
  state_ = State::help;
}

int Lexer::next(std::string* value) {
  std::string_view word;
  int t = next(value, &word);
  if (!word.empty()) value->assign(word);
  return t;
}

int Lexer::next(std::string* value, std::string_view* word) {
  word_ = word;
  for (;;) {
    int token = lex1(value);
    if (prev_token_ == T_EOL || prev_token_ == T_HELPTEXT) {
      if (token == T_EOL) continue;  // runs of EOL reach the parser as one
      cur_lineno_ = yylineno_;
      stmt_file_61_ = top_closed_61_ ? nullptr : cur_file_;
    }
    if (prev_prev_token_ == T_EOL && prev_token_ == T_WORD &&
        (token == T_EQUAL || token == T_COLON_EQUAL || token == T_PLUS_EQUAL))
      state_ = State::assign_val;
    prev_prev_token_ = prev_token_;
    prev_token_ = token;
    return token;
  }
}

int Lexer::lex_eof() {
  state_ = State::initial;
  if (prev_token_ != T_EOL && prev_token_ != T_HELPTEXT)
    warn(*cur_file_, yylineno_, "no new line at end of file");
  if (!rules().eof_supplies_final_eol) {
    if (frames_.size() > 1) {
      yylineno_ = frames_.back()->saved_lineno;
      closed_.push_back(std::move(frames_.back()));
      frames_.pop_back();
      cur_file_ = frames_.back()->name;
      return T_EOL;
    }
    return T_EOF;
  }
  if (top_closed_61_) return T_EOF;
  if (frames_.size() > 1) {
    yylineno_ = frames_.back()->saved_lineno;
    closed_.push_back(std::move(frames_.back()));
    frames_.pop_back();
    cur_file_ = frames_.back()->name;
  } else {
    top_closed_61_ = true;  // current_file = NULL; the buffer stays at its end
  }
  return T_EOL;
}

int Lexer::lex1(std::string* value) {
  if (state_ == State::help) return lex_help(value);
  if (state_ == State::string) return lex_string(value);
  for (;;) {
    Frame& f = *frames_.back();
    const std::string& t = f.text;
    size_t p = f.pos;
    if (p >= t.size()) return lex_eof();
    char c = t[p];

    if (state_ == State::assign_val) {
      if (c == '\n') {
        f.pos = p + 1;
        ++yylineno_;
        state_ = State::initial;
        return T_EOL;
      }
      if (c == ' ' || c == '\t') {
        f.pos = p + 1;
        continue;
      }
      size_t e = line_end(t, p);
      value->assign(t, p, e - p);
      f.pos = e;
      return T_ASSIGN_VAL;
    }

    switch (c) {
      case '#': f.pos = line_end(t, p); continue;
      case ' ':
      case '\t':
        while (p < t.size() && (t[p] == ' ' || t[p] == '\t')) ++p;
        f.pos = p;
        continue;
      case '\\':
        if (p + 1 < t.size() && t[p + 1] == '\n') {
          f.pos = p + 2;
          ++yylineno_;
          continue;
        }
        break;
      case '\n':
        f.pos = p + 1;
        ++yylineno_;
        return T_EOL;
      case '"':
      case '\'':
        open_quote_ = c;
        text_.clear();
        f.pos = p + 1;
        state_ = State::string;
        return lex_string(value);
      case '|':
        if (p + 1 < t.size() && t[p + 1] == '|') {
          f.pos = p + 2;
          return T_OR;
        }
        break;
      case '&':
        if (p + 1 < t.size() && t[p + 1] == '&') {
          f.pos = p + 2;
          return T_AND;
        }
        break;
      case '=': f.pos = p + 1; return T_EQUAL;
      case '!':
        if (p + 1 < t.size() && t[p + 1] == '=') {
          f.pos = p + 2;
          return T_UNEQUAL;
        }
        f.pos = p + 1;
        return T_NOT;
      case '<':
        if (p + 1 < t.size() && t[p + 1] == '=') {
          f.pos = p + 2;
          return T_LESS_EQUAL;
        }
        f.pos = p + 1;
        return T_LESS;
      case '>':
        if (p + 1 < t.size() && t[p + 1] == '=') {
          f.pos = p + 2;
          return T_GREATER_EQUAL;
        }
        f.pos = p + 1;
        return T_GREATER;
      case '(': f.pos = p + 1; return T_OPEN_PAREN;
      case ')': f.pos = p + 1; return T_CLOSE_PAREN;
      case ':':
        if (p + 1 < t.size() && t[p + 1] == '=') {
          f.pos = p + 2;
          return T_COLON_EQUAL;
        }
        break;
      case '+':
        if (p + 1 < t.size() && t[p + 1] == '=') {
          f.pos = p + 2;
          return T_PLUS_EQUAL;
        }
        break;
      default: break;
    }

    if (is_word(c) || c == '$') {
      size_t e = p;
      bool dollar = false;
      while (e < t.size() && (is_word(t[e]) || t[e] == '$')) {
        if (t[e] == '$') dollar = true;
        ++e;
      }
      if (!dollar) {
        f.pos = e;
        std::string_view w(t.data() + p, e - p);
        int kw = keyword(w, rules());
        if (kw >= 0) return kw;
        if (word_)
          *word_ = w;
        else
          value->assign(w);
        return T_WORD;
      }
      // A word with macro references: expand up to the end of the token,
      // which may lie beyond this run (references can hold any character).
      // lkc reads the rest of the line with input(), which stops at (and
      // swallows) a NUL byte; the unused part goes back with unput().
      size_t le = line_end(t, p);
      const void* nul = std::memchr(t.data() + e, '\0', le - e);
      size_t end = nul ? static_cast<size_t>(static_cast<const char*>(nul) - t.data()) : le;
      size_t used = 0;
      std::string out = pp_->expand_one_token(std::string_view(t.data() + p, end - p), &used);
      Frame& fr = *frames_.back();
      fr.pos = p + used;
      if (nul) fr.text.erase(end, 1);
      if (!out.empty()) {
        *value = std::move(out);
        return T_WORD;
      }
      continue;
    }

    // flex `.`: anything else is reported and skipped
    f.pos = p + 1;
    warn(*cur_file_, yylineno_, std::string("ignoring unsupported character '") + c + "'");
  }
}

int Lexer::lex_string(std::string* value) {
  for (;;) {
    Frame& f = *frames_.back();
    const std::string& t = f.text;
    size_t p = f.pos;
    if (p >= t.size()) {
      state_ = State::initial;
      *value = std::move(text_);
      text_.clear();
      return T_WORD_QUOTE;
    }
    char c = t[p];
    switch (c) {
      case '$': {
        // flex matched "$".* (the rest of the line); lkc pushes back what the
        // expansion left as a C string, so whatever follows a NUL byte on
        // this line is lost.
        size_t le = line_end(t, p);
        const void* nul = std::memchr(t.data() + p + 1, '\0', le - p - 1);
        size_t end = nul ? static_cast<size_t>(static_cast<const char*>(nul) - t.data()) : le;
        size_t used = 0;
        std::string res = pp_->expand_dollar(std::string_view(t.data() + p + 1, end - p - 1), &used);
        Frame& fr = *frames_.back();
        fr.pos = p + 1 + used;
        if (nul) fr.text.erase(end, le - end);
        text_ += res;
        continue;
      }
      case '\\':
        if (p + 1 < t.size() && t[p + 1] != '\n') {
          text_ += t[p + 1];
          f.pos = p + 2;
        } else {
          f.pos = p + 1;
        }
        continue;
      case '\'':
      case '"':
        f.pos = p + 1;
        if (c == open_quote_) {
          state_ = State::initial;
          *value = std::move(text_);
          text_.clear();
          return T_WORD_QUOTE;
        }
        text_ += c;
        continue;
      case '\n': {
        const std::string& where = rules().messages_name_statement_file ? msg_filename() : *cur_file_;
        warn(where, cur_lineno_, "multi-line strings not supported");
        state_ = State::initial;  // the newline is lexed again as T_EOL
        *value = std::move(text_);
        text_.clear();
        return T_WORD_QUOTE;
      }
      default: {
        size_t e = p + 1;
        while (e < t.size()) {
          char d = t[e];
          if (d == '$' || d == '\'' || d == '"' || d == '\\' || d == '\n') break;
          ++e;
        }
        text_.append(t, p, e - p);
        f.pos = e;
        continue;
      }
    }
  }
}

int Lexer::lex_help(std::string* value) {
  auto end_help = [&]() {
    state_ = State::initial;
    *value = std::move(text_);
    text_.clear();
    return T_HELPTEXT;
  };
  for (;;) {
    Frame& f = *frames_.back();
    const std::string& t = f.text;
    size_t p = f.pos;
    if (p >= t.size()) return end_help();
    char c = t[p];
    if (c == ' ' || c == '\t' || c == '\n') {
      size_t e = p;
      while (e < t.size() && (t[e] == ' ' || t[e] == '\t')) ++e;
      if (e < t.size() && t[e] == '\n') {
        // [ \t]*\n/[^ \t\n] ends the text; [ \t]*\n is an empty line
        f.pos = e + 1;
        ++yylineno_;
        if (e + 1 < t.size() && t[e + 1] != ' ' && t[e + 1] != '\t' && t[e + 1] != '\n') return end_help();
        text_ += '\n';
        continue;
      }
      // [ \t]+ : indentation, tabs to the next multiple of 8
      int ts = 0;
      for (size_t i = p; i < e; ++i) ts = t[i] == '\t' ? (ts & ~7) + 8 : ts + 1;
      f.pos = e;
      last_ts_ = ts;
      if (first_ts_) {
        if (ts < first_ts_) return end_help();
        text_.append(static_cast<size_t>(ts - first_ts_), ' ');
      }
      continue;
    }
    // [^ \t\n].* : text, trailing blanks removed
    size_t e = line_end(t, p);
    size_t k = e;
    while (k > p && (t[k - 1] == ' ' || t[k - 1] == '\t')) --k;
    text_.append(t, p, k - p);
    f.pos = e;
    if (!first_ts_) first_ts_ = last_ts_;
  }
}

}  // namespace kmeta::kconfig
