#include "kbuild/log_errors.h"

#include <fmt/format.h>

#include <charconv>

#include "base/strings.h"

namespace kmeta::kbuild {

namespace {

bool parse_int(std::string_view s, int* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

// "file:line[:col]: error: message" / "fatal error:" (gcc, as, cc1).
bool compiler_error(std::string_view line, Diagnostic* d) {
  size_t tag = line.find(": error: ");
  size_t tag_len = 9;
  size_t fatal = line.find(": fatal error: ");
  if (fatal != std::string_view::npos && (tag == std::string_view::npos || fatal < tag)) {
    tag = fatal;
    tag_len = 15;
  }
  if (tag == std::string_view::npos) return false;
  std::string_view where = line.substr(0, tag);
  d->message = std::string(line.substr(tag + tag_len));
  d->severity = Severity::error;
  // Peel ":col" and ":line" off the end.
  int nums[2] = {0, 0};
  int count = 0;
  while (count < 2) {
    size_t colon = where.rfind(':');
    int n = 0;
    if (colon == std::string_view::npos || !parse_int(where.substr(colon + 1), &n)) break;
    nums[count++] = n;
    where = where.substr(0, colon);
  }
  if (count == 0 || where.empty() || where.find(' ') != std::string_view::npos) {
    // "ld: error: ..." or "cc1: error: ..." without a file:line: keep the whole line.
    d->where = Location{};
    d->message = std::string(line);
    return true;
  }
  d->where.file = FileName(std::string(where));
  if (count == 2) {
    d->where.line = nums[1];
    d->where.column = nums[0];
  } else if (count == 1) {
    d->where.line = nums[0];
  }
  return true;
}

// "ld: mm/foo.o: in function `f': ... undefined reference to `g'"
bool linker_error(std::string_view line, Diagnostic* d) {
  if (line.find("undefined reference to") == std::string_view::npos &&
      line.find("multiple definition of") == std::string_view::npos)
    return false;
  d->severity = Severity::error;
  d->message = std::string(line);
  return true;
}

// make[2]: *** [scripts/Makefile.build:243: mm/foo.o] Error 1
bool make_failure(std::string_view line, std::string* rule, std::string* target) {
  size_t star = line.find(": *** [");
  if (star == std::string_view::npos || !starts_with(line, "make")) return false;
  std::string_view rest = line.substr(star + 7);
  size_t close = rest.rfind("] Error");
  if (close == std::string_view::npos) return false;
  std::string_view inner = rest.substr(0, close);
  // "Makefile:243: target": the rule is "file:line", the rest the target.
  size_t c1 = inner.find(':');
  size_t c2 = c1 == std::string_view::npos ? c1 : inner.find(": ", c1 + 1);
  if (c2 == std::string_view::npos) {
    *rule = "";
    *target = std::string(inner);
  } else {
    *rule = std::string(inner.substr(0, c2));
    *target = std::string(inner.substr(c2 + 2));
  }
  return true;
}

}  // namespace

LogErrors extract_errors(std::string_view log, size_t tail_lines) {
  LogErrors e;
  auto lines = split_lines(log);
  bool have_target = false;
  for (std::string_view raw : lines) {
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Diagnostic d;
    std::string rule, target;
    if (compiler_error(line, &d) || linker_error(line, &d)) {
      e.errors.report(std::move(d));
    } else if (make_failure(line, &rule, &target)) {
      if (!have_target) {  // the first one printed is the innermost
        e.failing_rule = rule;
        e.failing_target = target;
        have_target = true;
      }
    } else if (starts_with(trim(line), "***")) {
      std::string_view t = trim(line);
      if (t.size() > 3) e.kbuild_messages.emplace_back(trim(t.substr(3)));
    }
    if (line.find("No space left on device") != std::string_view::npos) e.disk_full = true;
  }
  size_t from = lines.size() > tail_lines ? lines.size() - tail_lines : 0;
  for (size_t i = from; i < lines.size(); ++i) e.tail.emplace_back(lines[i]);
  return e;
}

std::string render_errors(const LogErrors& e, const std::string& log_path) {
  std::string out;
  for (const Diagnostic& d : e.errors.items()) out += d.render() + "\n";
  if (e.disk_full)
    out += "error: the disk is full (No space left on device): free space and run again to resume\n";
  if (!e.failing_target.empty())
    out += fmt::format("failing target: {}{}\n", e.failing_target,
                       e.failing_rule.empty() ? "" : " (rule at " + e.failing_rule + ")");
  for (const auto& m : e.kbuild_messages) out += "kbuild: " + m + "\n";
  if (!e.tail.empty()) {
    out += fmt::format("last {} lines of {}:\n", e.tail.size(), log_path);
    for (const auto& l : e.tail) out += "  | " + l + "\n";
  }
  return out;
}

}  // namespace kmeta::kbuild
