#include "scc/parser.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace kmeta::scc {

const std::vector<std::string>& known_kconf_classes() {
  static const std::vector<std::string> k = {"hardware", "non-hardware", "required", "optional"};
  return k;
}

bool is_known_kconf_class(std::string_view c) {
  for (const auto& k : known_kconf_classes())
    if (k == c) return true;
  return false;
}

const std::vector<std::string>& scc_keywords() {
  static const std::vector<std::string> k = {"include", "kconf", "patch", "define", "branch",
                                             "git",     "tag",   "merge", "mark",   "set_kernel_version",
                                             "if",      "elif",  "else",  "fi",     "force"};
  return k;
}

namespace {

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!start(s[0])) return false;
  for (char c : s)
    if (!start(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

// Does `[[:space:]]+word` match somewhere in `line` (the reference's flag test)?
bool reference_flag(std::string_view line, std::string_view word) {
  for (size_t p = line.find(word); p != std::string_view::npos; p = line.find(word, p + 1))
    if (p > 0 && (line[p - 1] == ' ' || line[p - 1] == '\t' || line[p - 1] == '\n')) return true;
  return false;
}

enum class Term { eof, elif_, else_, fi };

struct BlockEnd {
  Term term = Term::eof;
  std::vector<Token> tokens;  // of the terminating line
  int line = 0;
  uint32_t offset = 0;
};

class Parser {
 public:
  explicit Parser(ParsedFile& pf) : pf_(pf) {
    lines_ = read_logical_lines(*pf.content, pf.path, *pf.map, pf.diags);
  }

  void run() {
    BlockEnd end = parse_block(&pf_.body);
    if (end.term != Term::eof)
      error(end.offset, fmt::format("'{}' without a matching 'if'", term_name(end.term)));
  }

 private:
  static const char* term_name(Term t) {
    switch (t) {
      case Term::elif_: return "elif";
      case Term::else_: return "else";
      case Term::fi: return "fi";
      default: return "end of file";
    }
  }

  Location loc(uint32_t off) const { return {pf_.path, pf_.map->line_of(off), pf_.map->column_of(off)}; }
  // After giving up on a file (an over-deep `if`), the enclosing blocks' own
  // complaints ("'if' without 'fi'", ...) are consequences, not findings.
  void error(uint32_t off, std::string msg) {
    if (!gave_up_) pf_.diags.error(loc(off), std::move(msg));
  }
  void warning(uint32_t off, std::string msg) {
    if (!gave_up_) pf_.diags.warning(loc(off), std::move(msg));
  }

  BlockEnd parse_block(Block* out) {
    Block* saved = block_;
    block_ = out;
    BlockEnd end = parse_block_inner(out);
    block_ = saved;
    return end;
  }

  BlockEnd parse_block_inner(Block* out) {
    while (i_ < lines_.size()) {
      const LogicalLine& ll = lines_[i_];
      std::vector<RawWord> raw = split_raw_words(ll);
      if (raw.empty()) {  // empty line or comment (including #define)
        ++i_;
        continue;
      }
      const std::string& w0 = raw[0].text;
      if (starts_with(w0, "include")) {
        parse_include(ll, raw);
        ++i_;
        continue;
      }
      if (starts_with(w0, "patch")) {
        parse_patch(ll, raw);
        ++i_;
        continue;
      }
      if (starts_with(w0, "kconf") ||
          (w0 == "force" && raw.size() > 1 && starts_with(raw[1].text, "kconf"))) {
        parse_kconf(ll, raw);
        ++i_;
        continue;
      }
      if (starts_with(w0, "as_module")) {
        error(raw[0].offset,
              "'as_module kconf' is not supported (the reference's implementation edits a file it never "
              "creates)");
        ++i_;
        continue;
      }
      // A shell statement.
      size_t first = i_;
      std::vector<Token> toks;
      bool lexed = lex_shell_words(lines_, &i_, pf_.path, *pf_.map, pf_.diags, &toks);
      ++i_;
      if (!lexed || toks.empty()) continue;
      if (toks[0].kind != TokenKind::word) {
        error(toks[0].word.offset, "a line cannot start with an operator");
        continue;
      }
      const Word& kw = toks[0].word;
      std::string k = kw.has_variables() ? std::string() : kw.literal();
      if (k == "elif" || k == "else" || k == "fi") {
        BlockEnd e;
        e.term = k == "elif" ? Term::elif_ : k == "else" ? Term::else_ : Term::fi;
        e.tokens = std::move(toks);
        e.line = lines_[first].line;
        e.offset = kw.offset;
        return e;
      }
      if (k == "if") {
        parse_if(std::move(toks), lines_[first].line, out);
        continue;
      }
      Stmt s;
      s.line = lines_[first].line;
      s.offset = kw.offset;
      s.keyword = k;
      if (!command_kind(k, &s.kind)) {
        if (k == "then")
          error(kw.offset, "'then' without 'if'");
        else if (k.empty())
          error(kw.offset, "a command name cannot come from a variable");
        else if (std::string g = suggest(k, scc_keywords()); !g.empty())
          error(kw.offset, fmt::format("unknown command '{}'; did you mean '{}'?", k, g));
        else
          error(kw.offset, fmt::format("unknown command '{}'", k));
        continue;
      }
      for (size_t t = 1; t < toks.size(); ++t) {
        if (toks[t].kind != TokenKind::word) {
          error(toks[t].word.offset,
                "only one command per line (';', '&&' and '||' belong to 'if' conditions)");
          break;
        }
        s.args.push_back(std::move(toks[t].word));
      }
      check_command(s);
      out->push_back(std::move(s));
    }
    return BlockEnd{};
  }

  static bool command_kind(const std::string& k, StmtKind* kind) {
    static const std::pair<const char*, StmtKind> table[] = {
        {"define", StmtKind::define},
        {"branch", StmtKind::branch},
        {"git", StmtKind::git},
        {"tag", StmtKind::tag},
        {"merge", StmtKind::merge},
        {"mark", StmtKind::mark},
        {"set_kernel_version", StmtKind::set_kernel_version}};
    for (const auto& [n, v] : table)
      if (k == n) {
        *kind = v;
        return true;
      }
    return false;
  }

  void check_command(const Stmt& s) {
    const char* name = to_string(s.kind);
    auto need = [&](size_t n) {
      if (s.args.size() < n) {
        error(s.offset, fmt::format("'{}' needs {}", name,
                                    s.kind == StmtKind::define ? "a variable name" : "an argument"));
        return false;
      }
      return true;
    };
    auto at_most = [&](size_t n) {
      if (s.args.size() > n)
        warning(s.args[n].offset,
                fmt::format("'{}' uses {} argument{}; '{}' and what follows is ignored{}", name, n,
                            n == 1 ? "" : "s", s.args[n].raw,
                            s.kind == StmtKind::define ? " (quote a value with blanks)" : ""));
    };
    switch (s.kind) {
      case StmtKind::define:
        if (!need(1)) return;
        if (s.args[0].has_variables() || !is_identifier(s.args[0].literal()))
          error(s.args[0].offset, fmt::format("'{}' is not a valid variable name", s.args[0].raw));
        at_most(2);
        return;
      case StmtKind::branch:
      case StmtKind::tag:
      case StmtKind::merge:
      case StmtKind::set_kernel_version:
        if (need(1)) at_most(1);
        return;
      default: return;
    }
  }

  bool check_path_word(const RawWord& w, const char* what) {
    for (char c : w.text) {
      if (c == '"' || c == '\'' || c == '$' || c == '`' || c == '\\') {
        error(w.offset,
              fmt::format("{} '{}': quotes and variables are not expanded in file names (the reference "
                          "looks for a file with this literal name)",
                          what, w.text));
        return false;
      }
      if (c == '*' || c == '?' || c == '[') {
        error(w.offset, fmt::format("{} '{}': wildcards are not supported in file names", what, w.text));
        return false;
      }
    }
    return true;
  }

  void keyword_prefix_warning(const RawWord& w, const char* real) {
    if (w.text != real)
      warning(w.offset,
              fmt::format("unknown command '{}'; treated as '{}' (the reference matches the line by prefix)",
                          w.text, real));
  }

  void parse_include(const LogicalLine& ll, const std::vector<RawWord>& raw) {
    keyword_prefix_warning(raw[0], "include");
    if (raw.size() < 2) {
      error(raw[0].offset, "'include' needs a file name");
      return;
    }
    if (!check_path_word(raw[1], "include")) return;
    Stmt s;
    s.kind = StmtKind::include;
    s.line = ll.line;
    s.offset = raw[0].offset;
    s.keyword = raw[0].text;
    s.path = raw[1].text;
    s.path_offset = raw[1].offset;
    bool word_nocfg = false, word_nopatch = false;
    for (size_t k = 2; k < raw.size(); ++k) {
      const std::string& w = raw[k].text;
      s.extra.push_back(w);
      if (w == "nocfg")
        word_nocfg = true;
      else if (w == "nopatch")
        word_nopatch = true;
      else if (w == "inherit")
        s.inherit = true;
      else
        warning(raw[k].offset, fmt::format("unknown include flag '{}' is ignored", w));
    }
    // The reference decides the flags with a regex on the whole line.
    s.nocfg = reference_flag(ll.text, "nocfg");
    s.nopatch = reference_flag(ll.text, "nopatch");
    if (s.nocfg && !word_nocfg)
      warning(
          raw[0].offset,
          "'nocfg' appears after a blank on this line (comment or name) and applies, as in the reference");
    if (s.nopatch && !word_nopatch)
      warning(
          raw[0].offset,
          "'nopatch' appears after a blank on this line (comment or name) and applies, as in the reference");
    push(std::move(s));
  }

  void parse_patch(const LogicalLine& ll, const std::vector<RawWord>& raw) {
    keyword_prefix_warning(raw[0], "patch");
    if (raw.size() < 2) {
      error(raw[0].offset, "'patch' needs a file name");
      return;
    }
    if (!check_path_word(raw[1], "patch")) return;
    if (raw.size() > 2)
      warning(raw[2].offset, fmt::format("'patch' takes one file; '{}' is ignored", raw[2].text));
    Stmt s;
    s.kind = StmtKind::patch;
    s.line = ll.line;
    s.offset = raw[0].offset;
    s.keyword = raw[0].text;
    s.path = raw[1].text;
    s.path_offset = raw[1].offset;
    push(std::move(s));
  }

  void parse_kconf(const LogicalLine& ll, const std::vector<RawWord>& raw) {
    size_t k = 0;
    Stmt s;
    s.kind = StmtKind::kconf;
    s.line = ll.line;
    s.offset = raw[0].offset;
    if (raw[0].text == "force") {
      s.force = true;
      k = 1;
    }
    s.keyword = raw[k].text;
    keyword_prefix_warning(raw[k], "kconf");
    if (raw.size() < k + 3) {
      error(raw[k].offset, "'kconf' needs a class and a fragment (kconf hardware foo.cfg)");
      return;
    }
    s.kconf_class = raw[k + 1].text;
    if (!check_path_word(raw[k + 2], "kconf")) return;
    s.path = raw[k + 2].text;
    s.path_offset = raw[k + 2].offset;
    if (raw.size() > k + 3) {
      s.kconf_flags = raw[k + 3].text;
      if (s.kconf_flags == "as_module") {
        error(raw[k + 3].offset,
              "'as_module' is not supported (the reference's implementation edits a file it never creates)");
        return;
      }
      for (size_t x = k + 4; x < raw.size(); ++x)
        warning(raw[x].offset, fmt::format("'kconf' uses one flag word; '{}' is ignored", raw[x].text));
    }
    if (!is_known_kconf_class(s.kconf_class)) {
      std::string g = suggest(s.kconf_class, known_kconf_classes());
      warning(
          raw[k + 1].offset,
          fmt::format(
              "unknown kconf class '{}'{}; the fragment goes into config.queue but into no *_frags.txt list",
              s.kconf_class, g.empty() ? "" : fmt::format(" (did you mean '{}'?)", g)));
    }
    push(std::move(s));
  }

  void push(Stmt s) { block_->push_back(std::move(s)); }

  // Parses tests from toks[b..) up to a ';' or the end; returns the index after.
  size_t parse_condition(const std::vector<Token>& toks, size_t b, Condition* c, uint32_t if_off, bool* ok) {
    size_t t = b;
    std::string src;
    for (;;) {
      Test test;
      if (t < toks.size() && toks[t].kind == TokenKind::word && toks[t].word.literal() == "!" &&
          !toks[t].word.has_quotes()) {
        test.negate = true;
        src += "! ";
        ++t;
      }
      if (t >= toks.size() || toks[t].kind != TokenKind::word || toks[t].word.literal() != "[" ||
          toks[t].word.has_quotes()) {
        uint32_t off = t < toks.size() ? toks[t].word.offset : if_off;
        error(off,
              t < toks.size() && toks[t].kind == TokenKind::word &&
                      (toks[t].word.literal() == "[[" || toks[t].word.literal() == "test")
                  ? fmt::format("'{}' is not supported in conditions; use '[ … ]'", toks[t].word.literal())
                  : "expected a test '[ … ]'");
        *ok = false;
        return toks.size();
      }
      test.offset = toks[t].word.offset;
      src += "[";
      ++t;
      std::vector<const Word*> args;
      while (t < toks.size() && toks[t].kind == TokenKind::word &&
             !(toks[t].word.literal() == "]" && !toks[t].word.has_quotes())) {
        args.push_back(&toks[t].word);
        src += " " + toks[t].word.raw;
        ++t;
      }
      if (t >= toks.size() || toks[t].kind != TokenKind::word) {
        error(test.offset, "missing ']' to close the test");
        *ok = false;
        return toks.size();
      }
      src += " ]";
      ++t;
      if (!make_test(args, &test)) {
        *ok = false;
        return toks.size();
      }
      c->tests.push_back(std::move(test));
      if (t < toks.size() && (toks[t].kind == TokenKind::and_and || toks[t].kind == TokenKind::or_or)) {
        c->and_ops.push_back(toks[t].kind == TokenKind::and_and);
        src += toks[t].kind == TokenKind::and_and ? " && " : " || ";
        ++t;
        continue;
      }
      break;
    }
    c->source = src;
    return t;
  }

  bool make_test(std::vector<const Word*> a, Test* t) {
    auto lit = [](const Word* w) {
      return w->has_variables() || w->has_quotes() ? std::string("\x01") : w->literal();
    };
    auto unquoted_var = [&](const Word* w) {
      for (const auto& p : w->parts)
        if (p.kind == WordPart::variable && !p.quoted)
          warning(w->offset,
                  fmt::format("unquoted variable '{}' in a test: the reference's '[' fails when it is "
                              "empty; kmeta treats it as quoted",
                              w->raw));
    };
    for (const Word* w : a) unquoted_var(w);
    bool inner_not = false;
    if (a.size() >= 2 && lit(a[0]) == "!" && a.size() != 3) {
      inner_not = true;
      a.erase(a.begin());
    } else if (a.size() == 3 && lit(a[0]) == "!" && lit(a[1]) != "=" && lit(a[1]) != "==" &&
               lit(a[1]) != "!=") {
      inner_not = true;
      a.erase(a.begin());
    }
    if (inner_not) t->negate = !t->negate;
    switch (a.size()) {
      case 0: t->op = Test::always_false; return true;
      case 1:
        t->op = Test::nonempty;
        t->lhs = *a[0];
        return true;
      case 2: {
        std::string op = lit(a[0]);
        if (op == "-n" || op == "-z") {
          t->op = op == "-n" ? Test::nonempty : Test::empty;
          t->lhs = *a[1];
          return true;
        }
        error(a[0]->offset,
              fmt::format("unsupported test operator '{}' (supported: =, !=, -n, -z, !)", a[0]->raw));
        return false;
      }
      case 3: {
        std::string op = lit(a[1]);
        if (op == "=" || op == "==" || op == "!=") {
          t->op = op == "!=" ? Test::ne : Test::eq;
          t->lhs = *a[0];
          t->rhs = *a[2];
          return true;
        }
        error(a[1]->offset,
              fmt::format("unsupported test operator '{}' (supported: =, !=, -n, -z, !)", a[1]->raw));
        return false;
      }
      default:
        error(a[0]->offset,
              "too many words in a test (one comparison per '[ … ]'; join tests with && or ||)");
        return false;
    }
  }

  // Parses "if" … "fi" whose first line's tokens are `toks` (toks[0] is "if").
  void parse_if(std::vector<Token> toks, int line, Block* out) {
    if (if_depth_ >= kMaxIfDepth) {
      error(toks[0].word.offset,
            fmt::format("'if' nested deeper than {} levels; the rest of the file is skipped", kMaxIfDepth));
      i_ = lines_.size();  // give up on this file
      gave_up_ = true;
      return;
    }
    ++if_depth_;
    parse_if_inner(std::move(toks), line, out);
    --if_depth_;
  }

  void parse_if_inner(std::vector<Token> toks, int line, Block* out) {
    Stmt s;
    s.kind = StmtKind::if_block;
    s.line = line;
    s.offset = toks[0].word.offset;
    s.keyword = "if";
    uint32_t if_off = s.offset;
    bool ok = true;
    std::vector<Token> cur = std::move(toks);
    int cur_line = line;
    for (;;) {
      IfArm arm;
      arm.line = cur_line;
      size_t t = parse_condition(cur, 1, &arm.cond, cur[0].word.offset, &ok);
      if (ok) expect_then(cur, t, &ok);
      BlockEnd end = parse_block(&arm.body);
      s.arms.push_back(std::move(arm));
      if (end.term == Term::eof) {
        error(if_off, "'if' without 'fi' (every 'if' must be closed in the same file)");
        break;
      }
      if (end.term == Term::elif_) {
        cur = std::move(end.tokens);
        cur_line = end.line;
        continue;
      }
      if (end.term == Term::else_) {
        only_keyword(end.tokens, "else");
        s.has_else = true;
        BlockEnd e2 = parse_block(&s.else_body);
        if (e2.term == Term::fi) {
          only_keyword(e2.tokens, "fi");
        } else if (e2.term == Term::eof) {
          error(if_off, "'if' without 'fi' (every 'if' must be closed in the same file)");
        } else {
          error(e2.offset, fmt::format("'{}' after 'else'", term_name(e2.term)));
        }
        break;
      }
      only_keyword(end.tokens, "fi");
      break;
    }
    if (ok) out->push_back(std::move(s));
  }

  void only_keyword(const std::vector<Token>& toks, const char* kw) {
    if (toks.size() > 1) error(toks[1].word.offset, fmt::format("nothing may follow '{}' on its line", kw));
  }

  // After a condition: "; then" on the same line, or "then" alone on the next
  // non-empty line.
  void expect_then(const std::vector<Token>& toks, size_t t, bool* ok) {
    if (t < toks.size()) {
      if (toks[t].kind != TokenKind::semicolon) {
        error(toks[t].word.offset, "expected '; then' after the condition");
        *ok = false;
        return;
      }
      ++t;
      if (t < toks.size()) {
        if (toks[t].kind == TokenKind::word && toks[t].word.literal() == "then" &&
            !toks[t].word.has_quotes()) {
          if (t + 1 < toks.size())
            error(toks[t + 1].word.offset, "statements after 'then' must go on the following lines");
          return;
        }
        error(toks[t].word.offset, "expected 'then'");
        *ok = false;
        return;
      }
    }
    // "then" on a line of its own.
    while (i_ < lines_.size() && split_raw_words(lines_[i_]).empty()) ++i_;
    if (i_ < lines_.size()) {
      std::vector<RawWord> raw = split_raw_words(lines_[i_]);
      if (raw.size() == 1 && raw[0].text == "then") {
        ++i_;
        return;
      }
      error(raw[0].offset, "expected 'then'");
    } else {
      error(toks.back().word.offset, "expected 'then'");
    }
    *ok = false;
  }

  ParsedFile& pf_;
  std::vector<LogicalLine> lines_;
  size_t i_ = 0;
  Block* block_ = nullptr;
  int if_depth_ = 0;
  bool gave_up_ = false;
  static constexpr int kMaxIfDepth = 100;
};

}  // namespace

std::unique_ptr<ParsedFile> parse_scc(std::string path, std::shared_ptr<const std::string> content) {
  auto pf = std::make_unique<ParsedFile>();
  pf->path = std::move(path);
  pf->content = content ? std::move(content) : std::make_shared<const std::string>();
  pf->map = std::make_unique<SourceMap>(*pf->content);
  Parser p(*pf);
  p.run();
  return pf;
}

}  // namespace kmeta::scc
