// Build progress from make's quiet output: each "  CC      mm/filemap.o" /
// "  AS      ..." / "  CC [M]  ..." line is one object done. The total is an
// estimate (the previous build's count, else tree_objects.h's count from the
// Makefiles), corrected upwards when the build passes it. Rendering is a
// pure function of the counts and the elapsed time, so it is tested as text.
#pragma once

#include <string>
#include <string_view>

namespace kmeta::kbuild {

enum class LineKind {
  compile,  // CC / AS / CC [M]: one object
  step,     // another kbuild step (LD, AR, HOSTCC, GEN, ...)
  other,    // compiler messages, make's lines, ...
};

// What a line of `make` output (V=0) is. `*what` gets "CC mm/filemap.o"
// (the step and its target, one space) for compile and step lines.
LineKind classify_line(std::string_view line, std::string* what = nullptr);

class Progress {
 public:
  explicit Progress(size_t estimate) : total_(estimate) {}
  // Feeds one output line; true when it counted an object.
  bool on_line(std::string_view line);
  size_t done() const { return done_; }
  size_t total() const { return total_; }
  const std::string& current() const { return current_; }
  // done * 100 / total (0 while the total is 0).
  int percent() const;

 private:
  size_t done_ = 0, total_ = 0;
  std::string current_;
};

// Seconds left at the current rate; -1 while unknown (nothing done yet).
double eta_seconds(size_t done, size_t total, double elapsed);

// "m:ss" (or "h:mm:ss").
std::string format_duration(double seconds);

// One terminal line: "[#####.....]  40%  812/2030 objects  2:31 elapsed  ETA 3:46  CC mm/filemap.o",
// cut to `width` columns.
std::string render_bar(const Progress& p, double elapsed, size_t width);

}  // namespace kmeta::kbuild
