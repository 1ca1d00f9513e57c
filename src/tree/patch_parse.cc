#include "tree/patch_parse.h"

#include <fmt/format.h>
#include <zlib.h>

#include <cstring>

namespace kmeta::tree {

namespace {

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string_view chomp(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

// Strips `n` leading path components ("a/x/y" -> "x/y" for n = 1). Empty when
// the path has fewer components.
std::string strip_components(std::string_view name, int n) {
  while (n-- > 0) {
    size_t slash = name.find('/');
    if (slash == std::string_view::npos) return {};
    name.remove_prefix(slash + 1);
    while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  }
  return std::string(name);
}

bool parse_number(std::string_view& s, long* out) {
  size_t i = 0;
  long v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (v > 100000000L) return false;
    v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (i == 0) return false;
  s.remove_prefix(i);
  *out = v;
  return true;
}

// "@@ -a[,b] +c[,d] @@"; counts default to 1.
bool parse_fragment_header(std::string_view line, Hunk* h) {
  if (!starts(line, "@@ -")) return false;
  std::string_view s = line.substr(4);
  h->old_count = h->new_count = 1;
  if (!parse_number(s, &h->old_start)) return false;
  if (starts(s, ",") && (s.remove_prefix(1), !parse_number(s, &h->old_count))) return false;
  if (!starts(s, " +")) return false;
  s.remove_prefix(2);
  if (!parse_number(s, &h->new_start)) return false;
  if (starts(s, ",") && (s.remove_prefix(1), !parse_number(s, &h->new_count))) return false;
  return starts(s, " @@");
}

bool parse_mode(std::string_view s, uint32_t* mode) {
  s = chomp(s);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty() || s.size() > 7) return false;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '7') return false;
    v = v * 8 + uint32_t(c - '0');
  }
  *mode = v;
  return true;
}

class Parser {
 public:
  Parser(std::string_view text, const Location& where, Diagnostics* diags)
      : text_(text), where_(where), diags_(diags) {}

  bool run(Patch* out) {
    while (pos_ < text_.size()) {
      std::string_view line = cur();
      if (starts(line, "diff --git ")) {
        FilePatch fp;
        if (!git_header(&fp)) return false;
        if (!body(&fp)) return false;
        out->files.push_back(std::move(fp));
        continue;
      }
      if (starts(line, "--- ") && starts(next(1), "+++ ") && starts(next(2), "@@ -")) {
        FilePatch fp;
        fp.line = lineno_;
        traditional_names(&fp);
        if (!body(&fp)) return false;
        out->files.push_back(std::move(fp));
        continue;
      }
      Hunk dummy;
      if (parse_fragment_header(line, &dummy))
        return error(lineno_,
                     fmt::format("patch fragment without header at line {}: {}", lineno_, chomp(line)));
      advance();
    }
    if (out->files.empty()) return error(0, "no patch found (no diff in the text)");
    return true;
  }

 private:
  std::string_view cur() const { return line_at(pos_); }
  std::string_view line_at(size_t at) const {
    if (at >= text_.size()) return {};
    size_t nl = text_.find('\n', at);
    return text_.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at + 1);
  }
  std::string_view next(int n) const {
    size_t at = pos_;
    for (int i = 0; i < n; ++i) at += line_at(at).size();
    return line_at(at);
  }
  void advance() {
    pos_ += cur().size();
    ++lineno_;
  }
  bool error(int line, std::string msg) {
    Location loc = where_;
    if (line > 0) loc.line = where_.line + line - 1;
    diags_->error(loc, std::move(msg));
    return false;
  }

  // The name in a "--- x" / "+++ x" line of a traditional diff: up to a tab.
  static std::string traditional_name(std::string_view rest, bool* dev_null) {
    rest = chomp(rest);
    std::string name;
    if (starts(rest, "\"")) {
      if (unquote_c_style(rest, &name) == 0) name.clear();
    } else {
      size_t tab = rest.find('\t');
      if (tab != std::string_view::npos) rest = rest.substr(0, tab);
      while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\r')) rest.remove_suffix(1);
      name = std::string(rest);
    }
    *dev_null = name == "/dev/null";
    return name;
  }

  void traditional_names(FilePatch* fp) {
    bool old_null = false, new_null = false;
    std::string o = traditional_name(cur().substr(4), &old_null);
    advance();
    std::string n = traditional_name(cur().substr(4), &new_null);
    advance();
    if (old_null)
      fp->is_new = true;
    else
      fp->old_path = strip_components(o, 1);
    if (new_null)
      fp->is_delete = true;
    else
      fp->new_path = strip_components(n, 1);
    if (fp->old_path.empty() && !old_null) fp->old_path = o;
    if (fp->new_path.empty() && !new_null) fp->new_path = n;
  }

  // The common name of "diff --git a/x b/x" (empty when the two differ, as in
  // a rename, whose names come from the extended headers).
  static std::string git_default_name(std::string_view rest) {
    rest = chomp(rest);
    std::string first, second;
    if (starts(rest, "\"")) {
      size_t used = unquote_c_style(rest, &first);
      if (!used || used >= rest.size() || rest[used] != ' ') return {};
      std::string_view r2 = rest.substr(used + 1);
      if (starts(r2, "\"")) {
        if (!unquote_c_style(r2, &second)) return {};
      } else {
        second = std::string(r2);
      }
      std::string a = strip_components(first, 1), b = strip_components(second, 1);
      return a == b ? a : std::string();
    }
    for (size_t sp = rest.find(' '); sp != std::string_view::npos; sp = rest.find(' ', sp + 1)) {
      std::string_view a = rest.substr(0, sp), b = rest.substr(sp + 1);
      if (starts(b, "\"")) {
        std::string bq;
        if (!unquote_c_style(b, &bq)) return {};
        std::string sa = strip_components(a, 1), sb = strip_components(bq, 1);
        return sa == sb ? sa : std::string();
      }
      std::string sa = strip_components(a, 1), sb = strip_components(b, 1);
      if (!sa.empty() && sa == sb) return sa;
    }
    return {};
  }

  bool git_header(FilePatch* fp) {
    fp->is_git = true;
    fp->line = lineno_;
    std::string def = git_default_name(cur().substr(11));
    advance();
    bool have_old = false, have_new = false;
    while (pos_ < text_.size()) {
      std::string_view l = cur();
      std::string_view v;
      auto is = [&](std::string_view p) {
        if (!starts(l, p)) return false;
        v = chomp(l.substr(p.size()));
        return true;
      };
      auto name_of = [&](std::string_view s) {
        std::string n;
        if (starts(s, "\"")) {
          if (!unquote_c_style(s, &n)) return std::string();
          return n;
        }
        size_t tab = s.find('\t');
        if (tab != std::string_view::npos) s = s.substr(0, tab);
        return std::string(s);
      };
      if (is("--- ")) {
        std::string n = name_of(v);
        if (n == "/dev/null")
          fp->is_new = true;
        else
          fp->old_path = strip_components(n, 1);
        have_old = true;
      } else if (is("+++ ")) {
        std::string n = name_of(v);
        if (n == "/dev/null")
          fp->is_delete = true;
        else
          fp->new_path = strip_components(n, 1);
        have_new = true;
      } else if (is("old mode ")) {
        if (!parse_mode(v, &fp->old_mode))
          return error(lineno_, fmt::format("invalid mode on line {}: {}", lineno_, v));
      } else if (is("new mode ")) {
        if (!parse_mode(v, &fp->new_mode))
          return error(lineno_, fmt::format("invalid mode on line {}: {}", lineno_, v));
      } else if (is("deleted file mode ")) {
        fp->is_delete = true;
        if (!parse_mode(v, &fp->old_mode))
          return error(lineno_, fmt::format("invalid mode on line {}: {}", lineno_, v));
      } else if (is("new file mode ")) {
        fp->is_new = true;
        if (!parse_mode(v, &fp->new_mode))
          return error(lineno_, fmt::format("invalid mode on line {}: {}", lineno_, v));
      } else if (is("rename from ") || is("rename old ")) {
        fp->is_rename = true;
        fp->old_path = name_of(v);
        have_old = true;
      } else if (is("rename to ") || is("rename new ")) {
        fp->is_rename = true;
        fp->new_path = name_of(v);
        have_new = true;
      } else if (is("copy from ")) {
        fp->is_copy = true;
        fp->old_path = name_of(v);
        have_old = true;
      } else if (is("copy to ")) {
        fp->is_copy = true;
        fp->new_path = name_of(v);
        have_new = true;
      } else if (is("similarity index ") || is("dissimilarity index ")) {
      } else if (is("index ")) {
        size_t dots = v.find("..");
        if (dots != std::string_view::npos) {
          fp->old_oid = std::string(v.substr(0, dots));
          std::string_view rest = v.substr(dots + 2);
          size_t sp = rest.find(' ');
          fp->new_oid = std::string(rest.substr(0, sp));
          if (sp != std::string_view::npos) {
            uint32_t m = 0;
            if (parse_mode(rest.substr(sp + 1), &m)) {
              if (!fp->old_mode) fp->old_mode = m;
              if (!fp->new_mode) fp->new_mode = m;
            }
          }
        }
      } else {
        break;
      }
      advance();
    }
    if (fp->is_new) fp->old_path.clear();
    if (fp->is_delete) fp->new_path.clear();
    if (!have_old && !fp->is_new) fp->old_path = def;
    if (!have_new && !fp->is_delete) fp->new_path = def;
    if (fp->is_new && fp->new_path.empty()) fp->new_path = def;
    if (fp->is_delete && fp->old_path.empty()) fp->old_path = def;
    if ((fp->old_path.empty() && !fp->is_new) || (fp->new_path.empty() && !fp->is_delete))
      return error(fp->line, fmt::format("git diff header lacks filename information when removing 1 leading "
                                         "pathname component (line {})",
                                         fp->line));
    return true;
  }

  bool body(FilePatch* fp) {
    while (starts(cur(), "@@ -")) {
      Hunk h;
      if (!parse_fragment_header(cur(), &h))
        return error(lineno_, fmt::format("corrupt patch at line {}", lineno_));
      h.line = lineno_;
      advance();
      if (!fragment(&h)) return false;
      fp->hunks.push_back(std::move(h));
    }
    if (fp->hunks.empty() && fp->is_git) {
      std::string_view l = cur();
      if (starts(l, "GIT binary patch")) {
        fp->is_binary = true;
        advance();
        BinaryHunk fwd;
        if (!binary_hunk(&fwd)) return false;
        fp->binary = std::move(fwd);
        if (starts(cur(), "literal ") || starts(cur(), "delta ")) {
          BinaryHunk rev;
          if (!binary_hunk(&rev)) return false;
          fp->binary_reverse = std::move(rev);
        }
      } else if (starts(l, "Binary files ") && chomp(l).ends_with(" differ")) {
        fp->is_binary = true;
        advance();
      }
    }
    if (fp->is_new && !fp->hunks.empty() && (fp->hunks.size() > 1 || fp->hunks[0].old_count))
      return error(fp->line, fmt::format("new file {} depends on old contents", fp->new_path));
    if (fp->is_delete && !fp->hunks.empty() && (fp->hunks.size() > 1 || fp->hunks[0].new_count))
      return error(fp->line, fmt::format("deleted file {} still has contents", fp->old_path));
    if (fp->hunks.empty() && !fp->is_binary && !fp->is_git)
      return error(fp->line, fmt::format("patch with only garbage at line {}", lineno_));
    return true;
  }

  bool fragment(Hunk* h) {
    long oldlines = h->old_count, newlines = h->new_count;
    bool changed = false;
    int leading = 0, trailing = 0;
    while (oldlines > 0 || newlines > 0) {
      std::string_view l = cur();
      if (l.empty() || l.back() != '\n')
        return error(lineno_, fmt::format("corrupt patch at line {}", lineno_));
      HunkLine hl;
      switch (l[0]) {
        case '\n':
          hl.op = ' ';
          hl.text = "\n";
          --oldlines;
          --newlines;
          if (!changed) ++leading;
          ++trailing;
          break;
        case ' ':
          hl.op = ' ';
          hl.text = std::string(l.substr(1));
          --oldlines;
          --newlines;
          if (!changed) ++leading;
          ++trailing;
          break;
        case '-':
          hl.op = '-';
          hl.text = std::string(l.substr(1));
          --oldlines;
          changed = true;
          trailing = 0;
          break;
        case '+':
          hl.op = '+';
          hl.text = std::string(l.substr(1));
          --newlines;
          changed = true;
          trailing = 0;
          break;
        case '\\':
          if (l.size() < 12 || !starts(l, "\\ "))
            return error(lineno_, fmt::format("corrupt patch at line {}", lineno_));
          advance();
          continue;
        default: return error(lineno_, fmt::format("corrupt patch at line {}", lineno_));
      }
      advance();
      // "\ No newline at end of file" after a line: that line has no '\n'.
      std::string_view n = cur();
      if (n.size() >= 12 && starts(n, "\\ ")) {
        if (!hl.text.empty() && hl.text.back() == '\n') hl.text.pop_back();
        advance();
      }
      h->lines.push_back(std::move(hl));
    }
    if (oldlines < 0 || newlines < 0 || !changed)
      return error(h->line, fmt::format("corrupt patch at line {}", h->line));
    h->leading = leading;
    h->trailing = trailing;
    return true;
  }

  bool binary_hunk(BinaryHunk* out) {
    std::string_view l = chomp(cur());
    std::string_view num;
    if (starts(l, "literal ")) {
      out->method = BinaryHunk::literal;
      num = l.substr(8);
    } else if (starts(l, "delta ")) {
      out->method = BinaryHunk::delta;
      num = l.substr(6);
    } else {
      return error(lineno_, fmt::format("corrupt binary patch at line {}: {}", lineno_, l));
    }
    long size = 0;
    if (!parse_number(num, &size) || !num.empty())
      return error(lineno_, fmt::format("corrupt binary patch at line {}: {}", lineno_, l));
    int start = lineno_;
    advance();
    std::string deflated;
    while (true) {
      std::string_view d = cur();
      if (d.empty()) return error(lineno_, fmt::format("corrupt binary patch at line {}", lineno_));
      if (d == "\n") {
        advance();
        break;
      }
      std::string_view body = chomp(d);
      int len = base85_line_length(body.empty() ? 0 : body[0]);
      size_t enc = body.size() - 1;
      if (len == 0 || enc % 5 != 0 || size_t(len) > enc / 5 * 4 || size_t(len) + 4 <= enc / 5 * 4)
        return error(lineno_, fmt::format("corrupt binary patch at line {}: {}", lineno_, body));
      std::string bytes;
      if (!base85_decode(body.substr(1), size_t(len), &bytes))
        return error(lineno_, fmt::format("corrupt binary patch at line {}: {}", lineno_, body));
      deflated += bytes;
      advance();
    }
    // Inflate to exactly `size` bytes.
    out->data.assign(size_t(size), '\0');
    z_stream zs{};
    if (inflateInit(&zs) != Z_OK) return error(start, "zlib initialisation failed");
    zs.next_in = reinterpret_cast<Bytef*>(deflated.data());
    zs.avail_in = uInt(deflated.size());
    zs.next_out = reinterpret_cast<Bytef*>(out->data.data());
    zs.avail_out = uInt(out->data.size());
    int rc = inflate(&zs, Z_FINISH);
    bool ok = rc == Z_STREAM_END && zs.total_out == uLong(size);
    inflateEnd(&zs);
    if (!ok)
      return error(start, fmt::format("corrupt binary patch at line {}: inflated size differs", start));
    return true;
  }

  std::string_view text_;
  Location where_;
  Diagnostics* diags_;
  size_t pos_ = 0;
  int lineno_ = 1;
};

}  // namespace

int base85_line_length(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A' + 1;
  if (c >= 'a' && c <= 'z') return c - 'a' + 27;
  return 0;
}

bool base85_decode(std::string_view in, size_t len, std::string* out) {
  static const char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
  int8_t table[256];
  std::memset(table, -1, sizeof table);
  for (int i = 0; i < 85; ++i) table[uint8_t(kAlphabet[i])] = int8_t(i);
  size_t i = 0;
  while (len > 0) {
    if (i + 5 > in.size()) return false;
    uint64_t acc = 0;
    for (int k = 0; k < 5; ++k) {
      int8_t v = table[uint8_t(in[i + k])];
      if (v < 0) return false;
      acc = acc * 85 + uint64_t(v);
    }
    if (acc > 0xffffffffULL) return false;
    i += 5;
    char b[4] = {char(acc >> 24), char(acc >> 16), char(acc >> 8), char(acc)};
    size_t take = len < 4 ? len : 4;
    out->append(b, take);
    len -= take;
  }
  return true;
}

size_t unquote_c_style(std::string_view in, std::string* out) {
  if (in.empty() || in[0] != '"') return 0;
  out->clear();
  size_t i = 1;
  while (i < in.size()) {
    char c = in[i++];
    if (c == '"') return i;
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (i >= in.size()) return 0;
    char e = in[i++];
    switch (e) {
      case 'a': out->push_back('\a'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'v': out->push_back('\v'); break;
      case '\\': out->push_back('\\'); break;
      case '"': out->push_back('"'); break;
      default:
        if (e >= '0' && e <= '3' && i + 1 < in.size() && in[i] >= '0' && in[i] <= '7' && in[i + 1] >= '0' &&
            in[i + 1] <= '7') {
          out->push_back(char(((e - '0') << 6) | ((in[i] - '0') << 3) | (in[i + 1] - '0')));
          i += 2;
        } else {
          return 0;
        }
    }
  }
  return 0;
}

bool parse_patch(std::string_view text, const Location& where, Patch* out, Diagnostics* diags) {
  Location w = where;
  if (w.line == 0) w.line = 1;
  Parser p(text, w, diags);
  return p.run(out);
}

Patch reverse_patch(const Patch& p) {
  Patch r;
  for (const FilePatch& f : p.files) {
    FilePatch g = f;
    std::swap(g.old_path, g.new_path);
    std::swap(g.old_mode, g.new_mode);
    std::swap(g.is_new, g.is_delete);
    std::swap(g.old_oid, g.new_oid);
    std::swap(g.binary, g.binary_reverse);
    for (Hunk& h : g.hunks) {
      std::swap(h.old_start, h.new_start);
      std::swap(h.old_count, h.new_count);
      for (HunkLine& l : h.lines) {
        if (l.op == '-')
          l.op = '+';
        else if (l.op == '+')
          l.op = '-';
      }
    }
    r.files.push_back(std::move(g));
  }
  return r;
}

}  // namespace kmeta::tree
