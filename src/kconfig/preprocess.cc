#include "kconfig/preprocess.h"

#include <algorithm>
#include <climits>

#include "kconfig/internal.h"

namespace kmeta::kconfig {
namespace {

// The character at `i`, or NUL past the end (lkc's strings are NUL-terminated).
inline char at(std::string_view s, size_t i) { return i < s.size() ? s[i] : '\0'; }

bool is_end_of_token(char c) { return !(c_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'); }

// strtoul(s, &end, 10) with "consumed everything" check: the positional
// argument number, or 0 when `s` is not one.
unsigned long positional(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && c_isspace(static_cast<unsigned char>(s[i]))) ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  size_t digits = i;
  unsigned long v = 0;
  bool overflow = false;
  while (i < s.size() && c_isdigit(static_cast<unsigned char>(s[i]))) {
    unsigned d = static_cast<unsigned>(s[i] - '0');
    if (v > (ULONG_MAX - d) / 10) overflow = true;
    v = v * 10 + d;
    ++i;
  }
  if (i == digits || i != s.size()) return 0;
  if (overflow) v = ULONG_MAX;
  return neg ? 0 - v : v;
}

}  // namespace

void Preprocessor::error(const std::string& text) {
  msgs_.err(host_.pp_filename() + ":" + std::to_string(host_.pp_lineno()) + ": " + text + "\n",
            Severity::error, {host_.pp_filename(), host_.pp_lineno(), 0});
  throw FatalError{};
}

std::string Preprocessor::expand(std::string_view in, bool token_end, const Args& args, size_t* consumed) {
  std::string out;
  size_t start = 0, p = 0;
  for (;;) {
    char c = at(in, p);
    if (c == '$') {
      out.append(in.substr(start, p - start));
      ++p;
      size_t used = 0;
      out += dollar(in.substr(p), args, &used);
      p += used;
      start = p;
      continue;
    }
    if (token_end ? is_end_of_token(c) : c == '\0') break;
    ++p;
  }
  out.append(in.substr(start, p - start));
  if (consumed) *consumed = p;
  return out;
}

std::string Preprocessor::dollar(std::string_view in, const Args& args, size_t* consumed) {
  if (at(in, 0) != '(') {
    *consumed = 0;
    return "$";
  }
  size_t q = 1;
  int nest = 0;
  for (;; ++q) {
    char c = at(in, q);
    if (c == '\0') break;
    if (c == '(') {
      ++nest;
    } else if (c == ')') {
      if (nest-- == 0) break;
    }
  }
  if (at(in, q) == '\0')
    error("unterminated reference to '" + std::string(c_str_view(in.substr(1))) + "': missing ')'");
  *consumed = q + 1;
  return eval_clause(in.substr(1, q - 1), args);
}

std::string Preprocessor::eval_clause(std::string_view clause, const Args& args) {
  unsigned long n = positional(clause);
  if (n > 0 && n <= args.size()) return args[n - 1];

  // Split on top-level commas: name, then up to 15 arguments.
  constexpr size_t kMaxParts = 16;
  std::vector<std::string_view> parts;
  int nest = 0;
  size_t prev = 0;
  for (size_t p = 0; p < clause.size(); ++p) {
    char c = clause[p];
    if (nest == 0 && c == ',') {
      if (parts.size() >= kMaxParts) error("too many function arguments");
      parts.push_back(clause.substr(prev, p - prev));
      prev = p + 1;
    } else if (c == '(') {
      ++nest;
    } else if (c == ')') {
      --nest;
    }
  }
  if (parts.size() >= kMaxParts) error("too many function arguments");
  parts.push_back(clause.substr(prev));

  if (++depth_ > kMaxExpansionDepth || stack_.exceeded()) error("Too deep recursive expansion");
  std::string name = expand(parts[0], false, args, nullptr);
  Args new_args;
  new_args.reserve(parts.size() - 1);
  for (size_t i = 1; i < parts.size(); ++i) new_args.push_back(expand(parts[i], false, args, nullptr));

  std::string res;
  if (!variable_expand(name, new_args, &res) && !function_expand(name, new_args, &res) &&
      !(new_args.empty() && env_expand(name, &res)))
    res.clear();
  --depth_;
  return res;
}

bool Preprocessor::variable_expand(const std::string& name, const Args& args, std::string* out) {
  auto it = vars_.find(name);
  if (it == vars_.end()) return false;
  Variable& v = it->second;
  if (args.empty() && v.exp_count) error("Recursive variable '" + name + "' references itself (eventually)");
  if (v.exp_count > 1000) error("Too deep recursive expansion");
  ++v.exp_count;
  if (v.flavor == Flavor::recursive) {
    std::string body = v.value;  // the map may rehash while expanding
    *out = expand(body, false, args, nullptr);
  } else {
    *out = v.value;
  }
  --vars_.at(name).exp_count;
  return true;
}

bool Preprocessor::function_expand(const std::string& name, const Args& args, std::string* out) {
  struct Fn {
    const char* name;
    size_t min, max;
  };
  static constexpr Fn kFns[] = {
      {"error-if", 2, 2}, {"filename", 0, 0}, {"info", 1, 1},
      {"lineno", 0, 0},   {"shell", 1, 1},    {"warning-if", 2, 2},
  };
  const Fn* f = nullptr;
  for (const Fn& x : kFns)
    if (name == x.name) f = &x;
  if (!f) return false;
  if (args.size() < f->min) error("too few function arguments passed to '" + name + "'");
  if (args.size() > f->max) error("too many function arguments passed to '" + name + "'");

  out->clear();
  const std::string& fn = name;
  if (fn == "error-if") {
    if (args[0] == "y") error(args[1]);
  } else if (fn == "filename") {
    *out = host_.pp_filename();
  } else if (fn == "info") {
    msgs_.out(args[0] + "\n");
  } else if (fn == "lineno") {
    *out = std::to_string(host_.pp_lineno());
  } else if (fn == "warning-if") {
    if (args[0] == "y")
      msgs_.err(host_.pp_filename() + ":" + std::to_string(host_.pp_lineno()) + ": " + args[1] + "\n",
                Severity::warning, {host_.pp_filename(), host_.pp_lineno(), 0});
  } else if (fn == "shell") {
    if (!shell_) error("$(shell," + args[0] + ") cannot run: no shell runner configured");
    std::string raw, err;
    if (!shell_->run(args[0], &raw, &err)) error(err.empty() ? "$(shell," + args[0] + ") failed" : err);
    // lkc: one fread of 4096 bytes, the last byte dropped if full, trailing
    // newlines removed, inner newlines turned into spaces, NUL ends it.
    size_t n = std::min<size_t>(raw.size(), 4096);
    if (n == 4096) --n;
    while (n > 0 && raw[n - 1] == '\n') --n;
    raw.resize(n);
    for (char& c : raw)
      if (c == '\n') c = ' ';
    *out = c_str(std::move(raw));
  }
  return true;
}

bool Preprocessor::env_expand(const std::string& name, std::string* out) {
  if (name.empty()) return false;
  for (const auto& [n, v] : env_used_) {
    if (n == name) {
      *out = v;
      return true;
    }
  }
  auto it = env_.find(name);
  if (it == env_.end()) {
    if (std::find(env_unset_.begin(), env_unset_.end(), name) == env_unset_.end()) env_unset_.push_back(name);
    return false;
  }
  env_used_.emplace_back(name, it->second);
  *out = it->second;
  return true;
}

std::string Preprocessor::expand_string(std::string_view in) { return expand(in, false, {}, nullptr); }

std::string Preprocessor::expand_one_token(std::string_view in, size_t* consumed) {
  return expand(in, true, {}, consumed);
}

std::string Preprocessor::expand_dollar(std::string_view in, size_t* consumed) {
  return dollar(in, {}, consumed);
}

void Preprocessor::add_variable(const std::string& name, const std::string& raw_value, Flavor flavor) {
  std::string value = c_str(raw_value);
  auto it = vars_.find(name);
  bool append = false;
  if (it != vars_.end()) {
    if (flavor == Flavor::append) {
      flavor = it->second.flavor;
      append = true;
    }
  } else {
    if (flavor == Flavor::append) flavor = Flavor::recursive;
    it = vars_.emplace(name, Variable{}).first;
  }
  it->second.flavor = flavor;  // lkc sets the flavour before expanding
  // (A `:=` that references the variable being redefined reads freed memory in
  // lkc; here it sees the previous value.)
  std::string new_value = flavor == Flavor::simple ? expand_string(value) : value;
  Variable& v = vars_.at(name);  // expansion may have rehashed the map
  if (append)
    v.value += " " + new_value;
  else
    v.value = std::move(new_value);
}

}  // namespace kmeta::kconfig
