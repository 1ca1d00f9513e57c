#include "base/diagnostic.h"

#include <fmt/format.h>

namespace kmeta {

std::string Location::str() const {
  if (line <= 0) return file;
  if (column <= 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

const char* to_string(Severity s) {
  switch (s) {
    case Severity::note: return "note";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

std::string Diagnostic::render() const {
  std::string out;
  if (where.valid()) out = where.str() + ": ";
  out += fmt::format("{}: {}", to_string(severity), message);
  for (const Location& l : chain) out += fmt::format("\n  {} {}", chain_verb, l.str());
  return out;
}

void Diagnostics::error(Location where, std::string message, std::vector<Location> chain) {
  report({Severity::error, std::move(where), std::move(message), std::move(chain)});
}
void Diagnostics::warning(Location where, std::string message, std::vector<Location> chain) {
  report({Severity::warning, std::move(where), std::move(message), std::move(chain)});
}
void Diagnostics::note(Location where, std::string message) {
  report({Severity::note, std::move(where), std::move(message), {}});
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

size_t Diagnostics::error_count() const {
  size_t n = 0;
  for (const auto& d : items_) n += d.severity == Severity::error;
  return n;
}

size_t Diagnostics::warning_count() const {
  size_t n = 0;
  for (const auto& d : items_) n += d.severity == Severity::warning;
  return n;
}

void Diagnostics::merge(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::string Diagnostics::render() const {
  std::string out;
  for (const auto& d : items_) out += d.render() + "\n";
  return out;
}

}  // namespace kmeta
