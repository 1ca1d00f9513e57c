#include "scc/lexer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace kmeta::scc {

// ---------------------------------------------------------------- SourceMap

SourceMap::SourceMap(std::string_view content) {
  starts_.push_back(0);
  for (uint32_t i = 0; i < content.size(); ++i)
    if (content[i] == '\n') starts_.push_back(i + 1);
}

int SourceMap::line_of(uint32_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<int>(it - starts_.begin());
}

int SourceMap::column_of(uint32_t offset) const {
  int line = line_of(offset);
  return static_cast<int>(offset - starts_[line - 1]) + 1;
}

std::string_view SourceMap::line_text(std::string_view content, int line) const {
  if (line < 1 || static_cast<size_t>(line) > starts_.size()) return {};
  uint32_t b = starts_[line - 1];
  if (b > content.size()) return {};
  size_t e = content.find('\n', b);
  if (e == std::string_view::npos) e = content.size();
  return content.substr(b, e - b);
}

static Location loc_at(const std::string& file, const SourceMap& map, uint32_t off) {
  return Location{file, map.line_of(off), map.column_of(off)};
}

// ---------------------------------------------------------------- logical lines

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::vector<LogicalLine> read_logical_lines(std::string_view content, const std::string& file,
                                            const SourceMap& map, Diagnostics& diags) {
  std::vector<LogicalLine> out;
  size_t i = 0;
  const size_t n = content.size();
  bool reported_cr = false, reported_nul = false;
  while (i < n) {
    LogicalLine ll;
    ll.line = map.line_of(static_cast<uint32_t>(i));
    std::vector<bool> escaped;
    while (i < n && content[i] != '\n') {
      char c = content[i];
      if (c == '\r' && !reported_cr) {
        diags.error(loc_at(file, map, static_cast<uint32_t>(i)),
                    "carriage return in a .scc file (DOS line endings are not supported)");
        reported_cr = true;
      }
      if (c == '\0' && !reported_nul) {
        diags.error(loc_at(file, map, static_cast<uint32_t>(i)), "NUL byte in a .scc file");
        reported_nul = true;
      }
      if (c == '\\') {
        if (i + 1 < n && content[i + 1] == '\n') {  // continuation
          i += 2;
          continue;
        }
        if (i + 1 < n) {
          ll.text += content[i + 1];
          ll.origin.push_back(static_cast<uint32_t>(i + 1));
          escaped.push_back(true);
          i += 2;
          continue;
        }
        ++i;  // a lone backslash at the end of the file is dropped
        continue;
      }
      ll.text += c;
      ll.origin.push_back(static_cast<uint32_t>(i));
      escaped.push_back(false);
      ++i;
    }
    if (i < n) ++i;  // the newline
    // Trim unescaped blanks at both ends, as read(1) does with the default IFS.
    size_t b = 0, e = ll.text.size();
    while (b < e && is_blank(ll.text[b]) && !escaped[b]) ++b;
    while (e > b && is_blank(ll.text[e - 1]) && !escaped[e - 1]) --e;
    if (b > 0 || e < ll.text.size()) {
      ll.text = ll.text.substr(b, e - b);
      ll.origin = std::vector<uint32_t>(ll.origin.begin() + b, ll.origin.begin() + e);
    }
    out.push_back(std::move(ll));
  }
  return out;
}

// ---------------------------------------------------------------- words

bool Word::has_variables() const {
  for (const auto& p : parts)
    if (p.kind == WordPart::variable) return true;
  return false;
}

bool Word::has_quotes() const {
  for (const auto& p : parts)
    if (p.quoted) return true;
  return false;
}

std::string Word::literal() const {
  std::string s;
  for (const auto& p : parts) s += p.kind == WordPart::variable ? "$" + p.text : p.text;
  return s;
}

std::vector<RawWord> split_raw_words(const LogicalLine& line) {
  std::vector<RawWord> out;
  const std::string& t = line.text;
  size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && (is_blank(t[i]) || t[i] == '\n')) ++i;
    if (i >= t.size()) break;
    if (t[i] == '#') break;
    size_t b = i;
    while (i < t.size() && !is_blank(t[i]) && t[i] != '\n') ++i;
    out.push_back({t.substr(b, i - b), line.offset_of(b)});
  }
  return out;
}

static bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
static bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// Words that the reference preprocessor rewrites when they start a line.
static bool starts_with_spp_keyword(std::string_view t) {
  for (std::string_view k : {"include", "patch", "kconf", "force", "as_module", "#define"})
    if (t.substr(0, k.size()) == k) return true;
  return false;
}

namespace {

class ShellLexer {
 public:
  ShellLexer(const std::vector<LogicalLine>& lines, size_t* index, const std::string& file,
             const SourceMap& map, Diagnostics& diags)
      : lines_(lines), index_(index), file_(file), map_(map), diags_(diags) {}

  bool run(std::vector<Token>* out) {
    for (;;) {
      const std::string& t = text();
      while (pos_ < t.size() && is_blank(t[pos_])) ++pos_;
      if (pos_ >= t.size()) return ok_;
      char c = t[pos_];
      if (c == '#') return ok_;
      uint32_t off = offset();
      if (c == ';') {
        out->push_back(op(TokenKind::semicolon, off));
        ++pos_;
        continue;
      }
      if ((c == '&' || c == '|') && pos_ + 1 < t.size() && t[pos_ + 1] == c) {
        out->push_back(op(c == '&' ? TokenKind::and_and : TokenKind::or_or, off));
        pos_ += 2;
        continue;
      }
      if (c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')') {
        const char* what = c == '|'                 ? "a pipe"
                           : c == '&'               ? "a background job"
                           : (c == '(' || c == ')') ? "a subshell"
                                                    : "a redirection";
        return fail(off, fmt::format("'{}' ({}) is not part of the .scc language", c, what));
      }
      Token tok;
      if (!word(&tok.word)) return false;
      out->push_back(std::move(tok));
    }
  }

 private:
  const std::string& text() const { return lines_[*index_].text; }
  uint32_t offset() const { return lines_[*index_].offset_of(pos_); }

  static Token op(TokenKind k, uint32_t off) {
    Token t;
    t.kind = k;
    t.word.offset = off;
    return t;
  }

  bool fail(uint32_t off, std::string msg) {
    diags_.error(loc_at(file_, map_, off), std::move(msg));
    ok_ = false;
    return false;
  }

  // Moves to the next logical line inside an open quote. False at end of file.
  bool next_line(uint32_t quote_off, std::string* raw) {
    if (*index_ + 1 >= lines_.size()) return fail(quote_off, "unterminated quoted string");
    ++*index_;
    pos_ = 0;
    *raw += '\n';
    if (starts_with_spp_keyword(text()))
      return fail(offset(),
                  "this line continues a quoted string but starts with a keyword the reference preprocessor "
                  "rewrites; close the string on the previous line");
    return true;
  }

  static void add(Word* w, bool quoted, char c) {
    if (w->parts.empty() || w->parts.back().kind != WordPart::literal || w->parts.back().quoted != quoted)
      w->parts.push_back({WordPart::literal, quoted, ""});
    w->parts.back().text += c;
  }

  // After '$' at pos_: a variable reference, or a literal '$'.
  bool dollar(Word* w, bool quoted) {
    const std::string& t = text();
    uint32_t off = offset();
    size_t i = pos_ + 1;
    if (i < t.size() && is_name_start(t[i])) {
      size_t b = i;
      while (i < t.size() && is_name_char(t[i])) ++i;
      w->parts.push_back({WordPart::variable, quoted, t.substr(b, i - b)});
      pos_ = i;
      return true;
    }
    if (i < t.size() && t[i] == '{') {
      size_t b = i + 1, e = b;
      while (e < t.size() && is_name_char(t[e])) ++e;
      if (e < t.size() && t[e] == '}' && e > b && is_name_start(t[b])) {
        w->parts.push_back({WordPart::variable, quoted, t.substr(b, e - b)});
        pos_ = e + 1;
        return true;
      }
      return fail(off, "parameter expansion other than ${NAME} is not part of the .scc language");
    }
    if (i < t.size() && t[i] == '(')
      return fail(off, "command substitution '$(…)' is not part of the .scc language");
    if (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) ||
                         std::string_view("@*#?$!-").find(t[i]) != std::string_view::npos))
      return fail(off, fmt::format("special parameter '${}' is not part of the .scc language", t[i]));
    add(w, quoted, '$');
    ++pos_;
    return true;
  }

  bool word(Word* w) {
    w->offset = offset();
    std::string raw;
    size_t raw_start = pos_;
    auto flush_raw = [&] { raw += text().substr(raw_start, pos_ - raw_start); };
    for (;;) {
      const std::string& t = text();
      if (pos_ >= t.size()) break;
      char c = t[pos_];
      if (is_blank(c) || c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')')
        break;
      if (c == '`') return fail(offset(), "command substitution '`…`' is not part of the .scc language");
      if (c == '\\') {
        if (pos_ + 1 < t.size()) add(w, true, t[pos_ + 1]);
        pos_ += 2;
        continue;
      }
      if (c == '$') {
        if (!dollar(w, false)) return false;
        continue;
      }
      if (c == '\'') {
        uint32_t qoff = offset();
        ++pos_;
        if (w->parts.empty() || !w->parts.back().quoted || w->parts.back().kind != WordPart::literal)
          w->parts.push_back({WordPart::literal, true, ""});
        for (;;) {
          const std::string& tt = text();
          if (pos_ >= tt.size()) {
            flush_raw();
            if (!next_line(qoff, &raw)) return false;
            raw_start = 0;
            w->parts.back().text += '\n';
            continue;
          }
          if (tt[pos_] == '\'') break;
          w->parts.back().text += tt[pos_++];
        }
        ++pos_;
        continue;
      }
      if (c == '"') {
        uint32_t qoff = offset();
        ++pos_;
        w->parts.push_back({WordPart::literal, true, ""});  // keeps "" as an (empty) word
        for (;;) {
          const std::string& tt = text();
          if (pos_ >= tt.size()) {
            flush_raw();
            if (!next_line(qoff, &raw)) return false;
            raw_start = 0;
            add(w, true, '\n');
            continue;
          }
          char d = tt[pos_];
          if (d == '"') break;
          if (d == '`') return fail(offset(), "command substitution '`…`' is not part of the .scc language");
          if (d == '\\' && pos_ + 1 < tt.size() &&
              std::string_view("$\"\\`").find(tt[pos_ + 1]) != std::string_view::npos) {
            add(w, true, tt[pos_ + 1]);
            pos_ += 2;
            continue;
          }
          if (d == '$') {
            if (!dollar(w, true)) return false;
            continue;
          }
          add(w, true, d);
          ++pos_;
        }
        ++pos_;
        continue;
      }
      add(w, false, c);
      ++pos_;
    }
    flush_raw();
    w->raw = std::move(raw);
    return true;
  }

  const std::vector<LogicalLine>& lines_;
  size_t* index_;
  const std::string& file_;
  const SourceMap& map_;
  Diagnostics& diags_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

bool lex_shell_words(const std::vector<LogicalLine>& lines, size_t* index, const std::string& file,
                     const SourceMap& map, Diagnostics& diags, std::vector<Token>* out) {
  if (*index >= lines.size()) return true;
  ShellLexer lx(lines, index, file, map, diags);
  return lx.run(out);
}

}  // namespace kmeta::scc
