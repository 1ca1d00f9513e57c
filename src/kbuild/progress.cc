#include "kbuild/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace kmeta::kbuild {

LineKind classify_line(std::string_view line, std::string* what) {
  // kbuild's quiet lines: two spaces, an upper-case tag (padded to 8), the target.
  if (line.size() < 4 || line[0] != ' ' || line[1] != ' ' ||
      !std::isupper(static_cast<unsigned char>(line[2])))
    return LineKind::other;
  size_t end = 2;
  while (end < line.size() && (std::isupper(static_cast<unsigned char>(line[end])) ||
                               std::isdigit(static_cast<unsigned char>(line[end])) || line[end] == '_'))
    ++end;
  std::string_view tag = line.substr(2, end - 2);
  std::string_view rest = line.substr(end);
  bool module = false;
  size_t p = rest.find_first_not_of(' ');
  if (p == std::string_view::npos) return LineKind::other;
  rest = rest.substr(p);
  if (rest.substr(0, 3) == "[M]") {
    module = true;
    rest = rest.substr(3);
    p = rest.find_first_not_of(' ');
    if (p == std::string_view::npos) return LineKind::other;
    rest = rest.substr(p);
  }
  if (rest.find(' ') != std::string_view::npos && tag != "GEN" && tag != "INSTALL") return LineKind::other;
  if (what) *what = fmt::format("{}{} {}", tag, module ? " [M]" : "", rest);
  bool object = (tag == "CC" || tag == "AS") && rest.size() > 2 && rest.substr(rest.size() - 2) == ".o";
  return object ? LineKind::compile : LineKind::step;
}

bool Progress::on_line(std::string_view line) {
  std::string what;
  LineKind k = classify_line(line, &what);
  if (k == LineKind::other) return false;
  current_ = std::move(what);
  if (k != LineKind::compile) return false;
  ++done_;
  if (done_ > total_) total_ = done_;
  return true;
}

int Progress::percent() const {
  if (total_ == 0) return 0;
  return static_cast<int>(done_ * 100 / total_);
}

double eta_seconds(size_t done, size_t total, double elapsed) {
  if (done == 0) return -1;
  if (done >= total) return 0;
  return elapsed * static_cast<double>(total - done) / static_cast<double>(done);
}

std::string format_duration(double seconds) {
  long s = std::lround(std::max(0.0, seconds));
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string render_bar(const Progress& p, double elapsed, size_t width) {
  constexpr size_t kBar = 24;
  size_t filled = p.total() ? std::min(kBar, p.done() * kBar / p.total()) : 0;
  double eta = eta_seconds(p.done(), p.total(), elapsed);
  std::string line = fmt::format("[{}{}] {:3}%  {}/{} objects  {} elapsed  ETA {}", std::string(filled, '#'),
                                 std::string(kBar - filled, '.'), p.percent(), p.done(), p.total(),
                                 format_duration(elapsed), eta < 0 ? std::string("?") : format_duration(eta));
  if (!p.current().empty()) line += "  " + p.current();
  if (line.size() > width) line.resize(width);
  return line;
}

}  // namespace kmeta::kbuild
