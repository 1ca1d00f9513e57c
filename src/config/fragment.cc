#include "config/fragment.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "base/strings.h"

namespace kmeta::config {

namespace {

constexpr std::string_view kPrefix = "CONFIG_";

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of the run of [A-Za-z0-9_] at the start of s.
size_t name_len(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && is_name_char(s[n])) ++n;
  return n;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view strip_cr(std::string_view s) {
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

// "# CONFIG_X is not set", exactly (merge_config.sh's SED_CONFIG_EXP2).
bool match_unset(std::string_view line, std::string_view* name) {
  if (!starts_with(line, "# ")) return false;
  std::string_view rest = line.substr(2);
  if (!starts_with(rest, kPrefix)) return false;
  size_t n = name_len(rest.substr(kPrefix.size()));
  if (rest.substr(kPrefix.size() + n) != " is not set") return false;
  *name = rest.substr(kPrefix.size(), n);
  return true;
}

}  // namespace

LineKind classify_line(std::string_view line, std::string_view* name, std::string_view* raw_value) {
  *name = {};
  *raw_value = {};
  if (line.empty()) return LineKind::blank;
  if (match_unset(line, name)) return LineKind::unset;
  if (line[0] == '#') return LineKind::comment;
  if (starts_with(line, kPrefix)) {
    size_t n = name_len(line.substr(kPrefix.size()));
    size_t eq = kPrefix.size() + n;
    if (eq < line.size() && line[eq] == '=') {
      *name = line.substr(kPrefix.size(), n);
      *raw_value = line.substr(eq + 1);
      return LineKind::set;
    }
  }
  return LineKind::other;
}

Fragment parse_fragment(std::string path, std::string text) {
  Fragment f;
  f.path = std::move(path);
  f.text = std::move(text);
  std::string_view all = f.text;
  int number = 0;
  size_t pos = 0;
  while (pos < all.size()) {
    size_t nl = all.find('\n', pos);
    std::string_view line = all.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? all.size() : nl + 1;
    FragmentLine l;
    l.number = ++number;
    l.text = std::string(line);
    std::string_view name, raw_value;
    l.kind = classify_line(line, &name, &raw_value);
    l.name = std::string(name);
    l.raw_value = std::string(raw_value);
    f.lines.push_back(std::move(l));
  }
  return f;
}

RequestedValue split_value(std::string_view raw) {
  raw = strip_cr(raw);
  RequestedValue r;
  size_t end = 0;
  if (!raw.empty() && raw[0] == '"') {
    end = 1;
    while (end < raw.size() && raw[end] != '"') end += raw[end] == '\\' ? 2 : 1;
    end = std::min(end + 1, raw.size());
  } else {
    while (end < raw.size() && !is_blank(raw[end]) && raw[end] != '#') ++end;
  }
  r.value = std::string(raw.substr(0, end));
  r.trailing = std::string(trim(raw.substr(end)));
  return r;
}

RequestedValue requested_value(const FragmentLine& line) {
  if (line.kind == LineKind::unset) return {"n", ""};
  if (line.kind == LineKind::set) return split_value(line.raw_value);
  return {};
}

bool same_value(std::string_view requested, std::string_view actual) {
  auto norm = [](std::string_view v) { return v.empty() ? std::string_view("n") : v; };
  return norm(requested) == norm(actual);
}

ValueSyntax value_syntax(ValueType type, std::string_view raw) {
  raw = strip_cr(raw);
  ValueSyntax s;
  auto reject = [&](std::string problem) {
    s.ok = false;
    s.problem = std::move(problem);
    return s;
  };
  switch (type) {
    case ValueType::unknown: return reject("the symbol has no type in this kernel");
    case ValueType::boolean:
    case ValueType::tristate: {
      char c = raw.empty() ? '\0' : raw[0];
      if (c == 'y' || c == 'n' || (c == 'm' && type == ValueType::tristate)) {
        s.accepted = std::string(1, c);
        std::string_view rest = trim(raw.substr(1));
        if (!rest.empty() && rest[0] != '#' && raw.size() > 1 && !is_blank(raw[1]))
          s.problem = fmt::format("only the first character of '{}' counts: read as {}", raw, c);
        return s;
      }
      if (c == 'm') return reject("'m' is not a value of a bool symbol (only y or n)");
      if (c == ' ' || c == '\t') return reject(fmt::format("value '{}' starts with a blank", raw));
      return reject(fmt::format("'{}' is not a value of a {} symbol", raw,
                                type == ValueType::boolean ? "bool" : "tristate"));
    }
    case ValueType::string: {
      if (raw.empty() || raw[0] != '"') {
        s.silent = true;
        return reject(raw.empty() ? std::string("empty value for a string symbol (write \"\")")
                                  : fmt::format("string value '{}' is not in double quotes", raw));
      }
      std::string content;
      size_t i = 1;
      for (; i < raw.size() && raw[i] != '"'; ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
        content += raw[i];
      }
      if (i >= raw.size()) return reject(fmt::format("string value '{}' has no closing quote", raw));
      std::string esc = "\"";
      for (char c : content) {
        if (c == '"' || c == '\\') esc += '\\';
        esc += c;
      }
      esc += '"';
      s.accepted = std::move(esc);
      std::string_view rest = trim(raw.substr(i + 1));
      if (!rest.empty() && rest[0] != '#')
        s.problem = fmt::format("text after the closing quote is ignored: '{}'", rest);
      return s;
    }
    case ValueType::integer: {
      std::string_view v = raw;
      size_t i = 0;
      if (i < v.size() && v[i] == '-') ++i;
      bool ok = i < v.size() && v[i] >= '0' && v[i] <= '9';
      if (ok && v[i] == '0' && i + 1 < v.size()) ok = false;
      for (size_t j = i; ok && j < v.size(); ++j) ok = v[j] >= '0' && v[j] <= '9';
      if (!ok) {
        if (raw.find_first_of(" \t#") != std::string_view::npos)
          return reject(
              fmt::format("'{}' is not an integer: anything after the number is part of the value", raw));
        return reject(fmt::format("'{}' is not an integer", raw));
      }
      s.accepted = std::string(raw);
      return s;
    }
    case ValueType::hex: {
      std::string_view v = raw;
      if (v.size() >= 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) v.remove_prefix(2);
      bool ok = !v.empty();
      for (char c : v) ok = ok && std::isxdigit(static_cast<unsigned char>(c));
      if (!ok) {
        if (raw.find_first_of(" \t#") != std::string_view::npos)
          return reject(
              fmt::format("'{}' is not a hex number: anything after the number is part of the value", raw));
        return reject(fmt::format("'{}' is not a hex number", raw));
      }
      s.accepted = std::string(raw);
      return s;
    }
  }
  return s;
}

const char* to_string(SanityKind k) {
  switch (k) {
    case SanityKind::duplicate: return "duplicate";
    case SanityKind::unset_malformed: return "unset-malformed";
    case SanityKind::not_set_trailing: return "not-set-trailing";
    case SanityKind::space_around_equals: return "space-around-equals";
    case SanityKind::leading_whitespace: return "leading-whitespace";
    case SanityKind::missing_equals: return "missing-equals";
    case SanityKind::trailing_text: return "trailing-text";
    case SanityKind::unexpected: return "unexpected";
  }
  return "unexpected";
}

std::vector<SanityIssue> check_fragment(const Fragment& f) {
  std::vector<SanityIssue> out;
  std::unordered_map<std::string, int> first;  // symbol -> line of its first assignment
  for (const FragmentLine& l : f.lines) {
    std::string_view t = strip_cr(l.text);
    auto add = [&](SanityKind k, std::string sym, std::string msg, int first_line = 0) {
      out.push_back({k, l.number, first_line, std::move(sym), l.text, std::move(msg)});
    };
    switch (l.kind) {
      case LineKind::blank: break;
      case LineKind::set:
      case LineKind::unset: {
        auto [it, fresh] = first.emplace(l.name, l.number);
        if (!fresh)
          add(SanityKind::duplicate, l.name,
              fmt::format("CONFIG_{} is assigned again (first at line {}); the later line wins", l.name,
                          it->second),
              it->second);
        if (l.kind == LineKind::set) {
          std::string_view raw = strip_cr(l.raw_value);
          if (!raw.empty() && is_blank(raw[0])) {
            add(SanityKind::space_around_equals, l.name,
                fmt::format("blank after '=': the kernel reads the value '{}' and rejects it for a bool, "
                            "tristate or int, and ignores it for a string",
                            raw));
          } else {
            RequestedValue v = split_value(raw);
            if (!v.trailing.empty() && v.trailing[0] != '#')
              add(SanityKind::trailing_text, l.name,
                  fmt::format("text after the value is not a comment: '{}' (only the value '{}' is read by "
                              "symbol_why.py; the kernel reads '{}')",
                              v.trailing, v.value, raw));
          }
        }
        break;
      }
      case LineKind::comment: {
        // "#CONFIG_X is not set", "# CONFIG_X", "# CONFIG_X is not set <more>".
        std::string_view r = t.substr(1);
        size_t spaces = 0;
        while (spaces < r.size() && is_blank(r[spaces])) ++spaces;
        r.remove_prefix(spaces);
        if (!starts_with(r, kPrefix)) break;
        size_t n = name_len(r.substr(kPrefix.size()));
        if (n == 0) break;
        std::string sym(r.substr(kPrefix.size(), n));
        std::string_view after = r.substr(kPrefix.size() + n);
        std::string_view rest = trim(after);
        if (starts_with(rest, "is not set")) {
          if (spaces == 1 && starts_with(after, " is not set"))
            add(SanityKind::not_set_trailing, sym,
                fmt::format(
                    "text after 'is not set': merge_config.sh and the 6.12 kernel do not read this line "
                    "as CONFIG_{}=n (6.1 does)",
                    sym));
          else
            add(SanityKind::unset_malformed, sym,
                fmt::format("not the exact form '# CONFIG_{} is not set' (one blank after '#', one before "
                            "'is'): the line is only a comment",
                            sym));
        } else if (rest.empty() || starts_with(rest, "is not") || starts_with(rest, "not set")) {
          add(SanityKind::unset_malformed, sym,
              fmt::format(
                  "'# CONFIG_{}' without 'is not set' is only a comment; write '# CONFIG_{} is not set' "
                  "to request n",
                  sym, sym));
        }
        break;
      }
      case LineKind::other: {
        if (!t.empty() && is_blank(t[0])) {
          std::string_view s = trim(t);
          add(SanityKind::leading_whitespace, "",
              s.empty()
                  ? std::string("line of blanks: the kernel warns 'unexpected data'")
                  : fmt::format("line starts with a blank: the kernel warns 'unexpected data' and ignores "
                                "it{}",
                                starts_with(s, kPrefix) ? " (the assignment is lost)" : ""));
          break;
        }
        if (starts_with(t, kPrefix)) {
          size_t n = name_len(t.substr(kPrefix.size()));
          std::string sym(t.substr(kPrefix.size(), n));
          std::string_view after = t.substr(kPrefix.size() + n);
          size_t b = 0;
          while (b < after.size() && is_blank(after[b])) ++b;
          if (b > 0 && b < after.size() && after[b] == '=')
            add(SanityKind::space_around_equals, sym,
                fmt::format("blank before '=': the kernel reads a symbol named 'CONFIG_{}{}' and ignores the "
                            "line; merge_config.sh does not see it either",
                            sym, after.substr(0, b)));
          else if (after.find('=') == std::string_view::npos)
            add(SanityKind::missing_equals, sym,
                fmt::format("no '=': the kernel warns 'unexpected data' and ignores the line"));
          else
            add(SanityKind::unexpected, sym,
                fmt::format("'{}' is not a symbol name followed by '=': the kernel ignores the line",
                            t.substr(0, t.find('='))));
          break;
        }
        add(SanityKind::unexpected, "", "not an assignment or a comment: the kernel warns 'unexpected data'");
        break;
      }
    }
  }
  return out;
}

}  // namespace kmeta::config
