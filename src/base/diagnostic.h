// Located diagnostics, collected as data.
//
// Every parser in kmeta reports problems as Diagnostic values into a
// Diagnostics sink instead of printing or exiting. The CLI decides how to
// render them (`file:line: error: message`, plus the include chain) and which
// exit status follows. Nothing in the library prints.
#pragma once

#include <string>
#include <vector>

#include "base/file_name.h"

namespace kmeta {

struct Location {
  FileName file;   // as the user would recognise it (path as opened); shared by copies
  int line = 0;    // 1-based; 0 = whole file / unknown
  int column = 0;  // 1-based; 0 = unknown

  bool valid() const { return !file.empty(); }
  // "file:line" (or "file:line:col" when a column is known, "file" when no line).
  std::string str() const;
  friend bool operator==(const Location&, const Location&) = default;
};

enum class Severity { note, warning, error };

struct Diagnostic {
  Severity severity = Severity::error;
  Location where;
  std::string message;
  // Innermost first: the locations of the statements that included `where.file`
  // (e.g. "included from a.scc:3", "sourced from Kconfig:12").
  std::vector<Location> chain;
  std::string chain_verb = "included from";

  // "file:line: error: message" followed by one "  <verb> file:line" line per
  // chain entry. No trailing newline.
  std::string render() const;
};

class Diagnostics {
 public:
  void report(Diagnostic d) { items_.push_back(std::move(d)); }
  void error(Location where, std::string message, std::vector<Location> chain = {});
  void warning(Location where, std::string message, std::vector<Location> chain = {});
  void note(Location where, std::string message);

  const std::vector<Diagnostic>& items() const { return items_; }
  bool has_errors() const;
  size_t error_count() const;
  size_t warning_count() const;
  void clear() { items_.clear(); }
  // Append every diagnostic of `other`.
  void merge(const Diagnostics& other);
  // All diagnostics rendered, one per line (each ends with '\n').
  std::string render() const;

 private:
  std::vector<Diagnostic> items_;
};

const char* to_string(Severity s);

}  // namespace kmeta
