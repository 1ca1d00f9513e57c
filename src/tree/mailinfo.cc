#include "tree/mailinfo.h"

#include <fmt/format.h>
#include <iconv.h>
#include <strings.h>

#include <cctype>
#include <cstring>
#include <functional>
#include <optional>
#include <vector>

namespace kmeta::tree {

namespace {

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool is_space(char c) { return std::isspace(uint8_t(c)) != 0; }

// Every whitespace run becomes one space (mailinfo's cleanup_space).
std::string cleanup_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (is_space(s[i])) {
      out.push_back(' ');
      while (i + 1 < s.size() && is_space(s[i + 1])) ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view ltrim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return rtrim(s);
}

bool iequals_prefix(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && strncasecmp(s.data(), p.data(), p.size()) == 0;
}

// "Name: value" with the name matched case-insensitively and a blank after
// the colon (mailinfo's cmp_header).
bool header_is(std::string_view line, std::string_view name) {
  return iequals_prefix(line, name) && line.size() > name.size() + 1 && line[name.size()] == ':' &&
         is_space(line[name.size() + 1]);
}

bool is_rfc2822_header(std::string_view line) {
  if (starts(line, "From ") || starts(line, ">From ")) return true;
  for (char ch : line) {
    if (ch == ':') return true;
    unsigned char c = uint8_t(ch);
    if ((c >= 33 && c <= 57) || (c >= 59 && c <= 126)) continue;
    break;
  }
  return false;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode_q(std::string_view in, bool rfc2047) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '=') {
      if (i + 1 >= in.size() || in[i + 1] == '\n') break;
      if (i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
        out.push_back(char(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
        i += 2;
        continue;
      }
    }
    if (rfc2047 && c == '_') c = ' ';
    out.push_back(c);
  }
  return out;
}

std::string decode_b(std::string_view in) {
  std::string out;
  int pos = 0, acc = 0;
  for (char ch : in) {
    int c;
    if (ch == '+')
      c = 62;
    else if (ch == '/')
      c = 63;
    else if (ch >= 'A' && ch <= 'Z')
      c = ch - 'A';
    else if (ch >= 'a' && ch <= 'z')
      c = ch - 'a' + 26;
    else if (ch >= '0' && ch <= '9')
      c = ch - '0' + 52;
    else
      continue;
    switch (pos++) {
      case 0: acc = c << 2; break;
      case 1:
        out.push_back(char(acc | (c >> 4)));
        acc = (c & 15) << 4;
        break;
      case 2:
        out.push_back(char(acc | (c >> 2)));
        acc = (c & 3) << 6;
        break;
      case 3:
        out.push_back(char(acc | c));
        acc = pos = 0;
        break;
    }
  }
  return out;
}

bool same_charset(std::string_view cs) {
  return strncasecmp(std::string(cs).c_str(), "utf-8", 6) == 0 ||
         strncasecmp(std::string(cs).c_str(), "utf8", 5) == 0;
}

std::optional<std::string> to_utf8(const std::string& in, const std::string& charset) {
  if (charset.empty() || same_charset(charset)) return in;
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  // iconv_open reports failure as (iconv_t)-1, the API's own sentinel.
  if (cd == iconv_t(-1)) return std::nullopt;  // NOLINT(performance-no-int-to-ptr)
  std::string out(in.size() * 4 + 16, '\0');
  char* ip = const_cast<char*>(in.data());
  size_t il = in.size();
  char* op = out.data();
  size_t ol = out.size();
  size_t rc = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  if (rc == size_t(-1)) return std::nullopt;
  out.resize(out.size() - ol);
  return out;
}

class Reader {
 public:
  Reader(std::string_view mail, const MailInfoOptions& opts, const Location& where, MailInfo* out,
         Diagnostics* diags)
      : opts_(opts), where_(where), out_(out), diags_(diags) {
    // git mailsplit: CRLF -> LF.
    if (opts.mailsplit) {
      text_.reserve(mail.size());
      for (size_t i = 0; i < mail.size(); ++i) {
        if (mail[i] == '\r' && i + 1 < mail.size() && mail[i + 1] == '\n') continue;
        text_.push_back(mail[i]);
      }
    } else {
      text_ = std::string(mail);
    }
  }

  bool run() {
    // Skip leading blanks.
    while (pos_ < text_.size() && is_space(text_[pos_])) {
      if (text_[pos_] == '\n') ++lineno_;
      ++pos_;
    }
    if (pos_ >= text_.size()) return error(0, "empty patch");
    out_->is_mail = detect_mail();
    // Mail headers (later ones overwrite earlier ones).
    std::string line;
    while (header_line(&line)) check_header(line, true);
    if (!multipart_.empty())
      return error(0, "MIME multipart mails are not supported; extract the patch first");
    // The body.
    while (pos_ < text_.size()) {
      std::string body_line(next_line());
      if (te_ != kNone) {
        decoded_prev_ += decode_transfer(body_line);
        size_t nl;
        while ((nl = decoded_prev_.find('\n')) != std::string::npos) {
          std::string one = decoded_prev_.substr(0, nl + 1);
          decoded_prev_.erase(0, nl + 1);
          if (!filter(one)) return false;
        }
        continue;
      }
      if (!filter(body_line)) return false;
    }
    if (!decoded_prev_.empty() && !filter(decoded_prev_)) return false;
    flush_inbody();
    finish();
    return !failed_;
  }

 private:
  enum Te { kNone, kQp, kBase64 };

  bool error(int line, std::string msg) {
    Location loc = where_;
    loc.line = line;
    diags_->error(loc, std::move(msg));
    failed_ = true;
    return false;
  }

  std::string_view next_line() {
    size_t nl = text_.find('\n', pos_);
    size_t end = nl == std::string::npos ? text_.size() : nl + 1;
    std::string_view l = std::string_view(text_).substr(pos_, end - pos_);
    pos_ = end;
    ++lineno_;
    return l;
  }

  // git am's patch format detection for a single file: mbox when it starts
  // with "From " / "From: ", or when its first lines are RFC 2822 headers.
  bool detect_mail() {
    std::string_view rest = std::string_view(text_).substr(pos_);
    if (starts(rest, "From ") || starts(rest, "From: ")) return true;
    size_t at = 0;
    bool any = false;
    while (at < rest.size()) {
      size_t nl = rest.find('\n', at);
      std::string_view l = rest.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
      if (l.empty()) return any;
      if (l[0] == ' ' || l[0] == '\t') {
        if (!any) return false;
      } else {
        size_t colon = l.find(':');
        if (colon == std::string_view::npos || colon == 0) return false;
        for (size_t k = 0; k < colon; ++k) {
          unsigned char c = uint8_t(l[k]);
          if (c < 33 || c > 126) return false;
        }
        any = true;
      }
      if (nl == std::string_view::npos) break;
      at = nl + 1;
    }
    return any;
  }

  // One header line with its continuation lines unfolded; false at the
  // first line that is not a header (left unread).
  bool header_line(std::string* line) {
    if (pos_ >= text_.size()) return false;
    size_t save = pos_;
    int save_line = lineno_;
    std::string_view l = rtrim(next_line());
    if (l.empty() || !is_rfc2822_header(l)) {
      pos_ = save;
      lineno_ = save_line;
      // The blank line that ends the headers is consumed by the body as in git
      // (it is skipped there while looking for in-body headers).
      return false;
    }
    *line = std::string(l);
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) {
      std::string c(rtrim(next_line()));
      c[0] = ' ';
      *line += c;
    }
    return true;
  }

  std::string decode_header(std::string_view in) {
    std::string out;
    size_t at = 0;
    bool after_word = false;
    while (true) {
      size_t ep = in.find("=?", at);
      if (ep == std::string_view::npos) break;
      std::string_view before = in.substr(at, ep - at);
      if (!(after_word && trim(before).empty())) out.append(before);
      size_t q1 = in.find('?', ep + 2);
      if (q1 == std::string_view::npos || q1 + 2 >= in.size() || in[q1 + 2] != '?') {
        bad_header_ = true;
        return std::string(in);
      }
      std::string charset(in.substr(ep + 2, q1 - ep - 2));
      char enc = char(std::tolower(uint8_t(in[q1 + 1])));
      size_t end = in.find("?=", q1 + 3);
      if (end == std::string_view::npos) {
        bad_header_ = true;
        return std::string(in);
      }
      std::string_view piece = in.substr(q1 + 3, end - q1 - 3);
      std::string dec;
      if (enc == 'b')
        dec = decode_b(piece);
      else if (enc == 'q')
        dec = decode_q(piece, true);
      else {
        bad_header_ = true;
        return std::string(in);
      }
      auto u = to_utf8(dec, charset);
      if (!u) {
        error(lineno_, fmt::format("cannot convert from {} to UTF-8", charset));
        return std::string(in);
      }
      out += *u;
      at = end + 2;
      after_word = true;
    }
    out.append(in.substr(at));
    return out;
  }

  // mailinfo's check_header for mail headers (overwrite) and in-body ones.
  bool check_header(const std::string& line, bool overwrite) {
    static const char* names[] = {"From", "Subject", "Date"};
    for (int i = 0; i < 3; ++i) {
      size_t n = std::strlen(names[i]);
      std::optional<std::string>& slot = overwrite ? p_hdr_[i] : s_hdr_[i];
      if ((!slot || overwrite) && header_is(line, names[i])) {
        slot = decode_header(std::string_view(line).substr(n + 2));
        return true;
      }
    }
    if (header_is(line, "Content-Type")) {
      std::string v = decode_header(std::string_view(line).substr(14));
      if (strcasestr(v.c_str(), "boundary=")) multipart_ = v;
      const char* cs = strcasestr(v.c_str(), "charset=");
      if (cs) {
        cs += 8;
        std::string_view s(cs);
        if (starts(s, "\"")) {
          s.remove_prefix(1);
          charset_ = std::string(s.substr(0, s.find('"')));
        } else {
          charset_ = std::string(s.substr(0, s.find_first_of("; \t")));
        }
      }
      return true;
    }
    if (header_is(line, "Content-Transfer-Encoding")) {
      std::string v = decode_header(std::string_view(line).substr(27));
      if (strcasestr(v.c_str(), "base64"))
        te_ = kBase64;
      else if (strcasestr(v.c_str(), "quoted-printable"))
        te_ = kQp;
      else
        te_ = kNone;
      return true;
    }
    return false;
  }

  std::string decode_transfer(const std::string& line) {
    if (te_ == kQp) return decode_q(line, false);
    if (te_ == kBase64) return decode_b(line);
    return line;
  }

  bool is_inbody_header(std::string_view line) {
    static const char* names[] = {"From", "Subject", "Date"};
    for (int i = 0; i < 3; ++i)
      if (!s_hdr_[i] && header_is(line, names[i])) return true;
    return false;
  }

  void flush_inbody() {
    if (accum_.empty()) return;
    check_header(accum_, false);
    accum_.clear();
  }

  bool check_inbody(const std::string& line) {
    if (!accum_.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (!accum_.empty() && accum_.back() == '\n') accum_.pop_back();
      accum_ += line;
      return true;
    }
    flush_inbody();
    if (starts(line, ">From") && line.size() > 5 && is_space(line[5]))
      return is_format_patch_separator(line.substr(1));
    if (starts(line, "[PATCH]") && line.size() > 7 && is_space(line[7])) {
      std::string s = line;
      while (!s.empty() && s.back() == '\n') s.pop_back();
      s_hdr_[1] = s;
      return true;
    }
    if (is_inbody_header(line)) {
      accum_ += line;
      return true;
    }
    return false;
  }

  static bool is_format_patch_separator(std::string_view l) {
    static const std::string_view sample =
        "From e6807f3efca28b30decfecb1732a56c7db1137ee Mon Sep 17 00:00:00 2001\n";
    if (l.size() != sample.size() || !starts(l, "From ")) return false;
    for (size_t i = 5; i < 45; ++i)
      if (!std::isxdigit(uint8_t(l[i])) || std::isupper(uint8_t(l[i]))) return false;
    return l.substr(45) == sample.substr(45);
  }

  static bool patchbreak(std::string_view l) {
    if (starts(l, "diff -") || starts(l, "Index: ")) return true;
    if (l.size() < 4) return false;
    if (starts(l, "---")) {
      if (l[3] == ' ' && !is_space(l[4])) return true;
      for (size_t i = 3; i < l.size(); ++i) {
        if (l[i] == '\n') return true;
        if (!is_space(l[i])) break;
      }
    }
    return false;
  }

  // mailinfo's handle_filter: message lines until the patch break, then the patch.
  bool filter(const std::string& line) {
    if (in_patch_) {
      out_->patch += line;
      return true;
    }
    if (header_stage_ && (line.empty() || line == "\n")) {
      if (!accum_.empty()) {
        flush_inbody();
        header_stage_ = false;
      }
      return true;
    }
    if (header_stage_) {
      header_stage_ = check_inbody(line);
      if (header_stage_) return true;
    }
    if (!charset_.empty() && !same_charset(charset_)) {
      auto u = to_utf8(line, charset_);
      if (!u) return error(lineno_, fmt::format("cannot convert from {} to UTF-8", charset_));
      message_line(*u);
      return true;
    }
    message_line(line);
    return true;
  }

  void message_line(const std::string& line) {
    if (patchbreak(line)) {
      in_patch_ = true;
      out_->patch_line = lineno_ - 1;
      out_->patch += line;
      // Another mail of an mbox in the same file would be a second commit
      // for `git am`; kmeta takes one mail per patch file.
      return;
    }
    out_->message += line;
  }

  void finish() {
    bool have_patch = !out_->patch.empty();
    auto pick = [&](int i) -> std::optional<std::string> {
      if (have_patch && s_hdr_[i]) return s_hdr_[i];
      return p_hdr_[i];
    };
    if (auto s = pick(1)) out_->subject = cleanup_subject(*s, opts_.keep_non_patch);
    if (auto d = pick(2)) out_->date = cleanup_space(std::string(ltrim(*d)));
    if (auto f = pick(0)) handle_from(cleanup_space(*f));
    // A second mail in the same file (an mbox of several patches).
    size_t at = 0;
    while ((at = out_->patch.find("\nFrom ", at)) != std::string::npos) {
      std::string_view l = std::string_view(out_->patch).substr(at + 1);
      l = l.substr(0, l.find('\n') + 1);
      if (is_format_patch_separator(l)) {
        error(out_->patch_line, "the file holds more than one mail; split it into one patch per file");
        return;
      }
      ++at;
    }
  }

  static std::string unquote_pairs(std::string_view in) {
    std::string out;
    size_t i = 0;
    std::function<void()> comment = [&]() {
      out.push_back('(');
      bool lit = false;
      while (i < in.size()) {
        char c = in[i++];
        if (lit) {
          lit = false;
        } else if (c == '\\') {
          lit = true;
          continue;
        } else if (c == '(') {
          comment();
          continue;
        } else if (c == ')') {
          out.push_back(')');
          return;
        }
        out.push_back(c);
      }
    };
    while (i < in.size()) {
      char c = in[i++];
      if (c == '"') {
        bool lit = false;
        while (i < in.size()) {
          char d = in[i++];
          if (lit) {
            lit = false;
          } else if (d == '\\') {
            lit = true;
            continue;
          } else if (d == '"') {
            break;
          }
          out.push_back(d);
        }
        continue;
      }
      if (c == '(') {
        comment();
        continue;
      }
      out.push_back(c);
    }
    return out;
  }

  void sane_name(const std::string& name) {
    if (name.empty() || name.size() > 60 || name.find_first_of("@<>") != std::string::npos)
      out_->author_name = out_->author_email;
    else
      out_->author_name = name;
  }

  void handle_from(const std::string& from) {
    std::string f = unquote_pairs(from);
    size_t at = f.find('@');
    if (at == std::string::npos) {  // "John Doe <johndoe>"
      size_t bra = from.find('<');
      if (bra == std::string::npos) return;
      size_t ket = from.find('>', bra);
      if (ket == std::string::npos) return;
      out_->author_email = from.substr(bra + 1, ket - bra - 1);
      sane_name(std::string(trim(std::string_view(from).substr(0, bra))));
      return;
    }
    while (at > 0) {
      char c = f[at - 1];
      if (is_space(c)) break;
      if (c == '<') {
        f[at - 1] = ' ';
        break;
      }
      --at;
    }
    size_t el = std::strcspn(f.c_str() + at, " \n\t\r\v\f>");
    out_->author_email = f.substr(at, el);
    f.erase(at, el + (at + el < f.size() ? 1 : 0));
    std::string name(trim(cleanup_space(f)));
    if (name.size() >= 2 && name.front() == '(' && name.back() == ')') name = name.substr(1, name.size() - 2);
    sane_name(name);
  }

  std::string text_;
  size_t pos_ = 0;
  int lineno_ = 1;
  const MailInfoOptions& opts_;
  Location where_;
  MailInfo* out_;
  Diagnostics* diags_;
  std::optional<std::string> p_hdr_[3], s_hdr_[3];
  std::string accum_, charset_, multipart_, decoded_prev_;
  Te te_ = kNone;
  bool header_stage_ = true, in_patch_ = false, failed_ = false, bad_header_ = false;
};

}  // namespace

std::string cleanup_subject(std::string_view subject, bool keep_non_patch) {
  std::string s(subject);
  size_t at = 0;
  while (at < s.size()) {
    char c = s[at];
    if (c == 'r' || c == 'R') {
      if (s.size() <= at + 3) break;
      if ((s[at + 1] == 'e' || s[at + 1] == 'E') && s[at + 2] == ':') {
        s.erase(at, 3);
        continue;
      }
      break;
    }
    if (c == ' ' || c == '\t' || c == ':') {
      s.erase(at, 1);
      continue;
    }
    if (c == '[') {
      size_t close = s.find(']', at);
      if (close == std::string::npos) break;
      size_t remove = close - at + 1;
      if (!keep_non_patch ||
          (remove >= 7 && std::string_view(s).substr(at, remove).find("PATCH") != std::string::npos)) {
        s.erase(at, remove);
      } else {
        at += remove;
        if (at < s.size() && is_space(s[at])) at += 1;
      }
      continue;
    }
    break;
  }
  return cleanup_space(trim(s));
}

std::string stripspace(std::string_view text) {
  std::string out;
  size_t empties = 0;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = rtrim(text.substr(at, end - at));
    at = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.empty()) {
      ++empties;
      continue;
    }
    if (empties > 0 && !out.empty()) out.push_back('\n');
    empties = 0;
    out.append(line);
    out.push_back('\n');
  }
  return out;
}

std::string am_message(const MailInfo& mi) {
  std::string msg = mi.subject;
  msg += "\n\n";
  msg += mi.message;
  return stripspace(msg);
}

bool mailinfo(std::string_view mail, const MailInfoOptions& opts, const Location& where, MailInfo* out,
              Diagnostics* diags) {
  *out = MailInfo{};
  Reader r(mail, opts, where, out, diags);
  return r.run();
}

}  // namespace kmeta::tree
