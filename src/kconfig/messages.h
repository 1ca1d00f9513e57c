// The ordered log of what lkc would print, as data.
//
// conf's stdout/stderr bytes are part of its observable behaviour (the
// conformance cases compare them), and their texts do not follow one format
// ("FILE:LINE:warning: x", "\nWARNING: unmet direct dependencies ...",
// "#\n# configuration written to .config\n#\n"). The library therefore records
// each message with its exact bytes and stream, in order; the CLI prints them
// verbatim. Structured consumers (the audit) read the location and kind.
#pragma once

#include <string>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::kconfig {

enum class Stream { out, err };

struct Message {
  Stream stream = Stream::err;
  Severity severity = Severity::note;
  Location where;    // may be empty
  std::string text;  // exact bytes as lkc prints them, trailing newline included
};

class Messages {
 public:
  void out(std::string text) { items_.push_back({Stream::out, Severity::note, {}, std::move(text)}); }
  void err(std::string text, Severity sev = Severity::warning, Location where = {}) {
    items_.push_back({Stream::err, sev, std::move(where), std::move(text)});
  }
  const std::vector<Message>& items() const { return items_; }
  bool has_errors() const {
    for (const auto& m : items_)
      if (m.severity == Severity::error) return true;
    return false;
  }
  std::string text(Stream s) const {
    std::string r;
    for (const auto& m : items_)
      if (m.stream == s) r += m.text;
    return r;
  }
  void clear() { items_.clear(); }

 private:
  std::vector<Message> items_;
};

}  // namespace kmeta::kconfig
