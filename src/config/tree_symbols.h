// Kconfig symbols defined anywhere in a kernel tree, for every architecture.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "config/classify.h"

namespace kmeta::config {

// Kconfig symbols defined anywhere in a kernel tree, for every architecture:
// every `config X` / `menuconfig X` line at the start of a line of every
// Kconfig* file (symbol_why.py's scan). Scanned on first use only, since it
// walks the whole tree.
class TreeSymbols {
 public:
  TreeSymbols(std::string ksrc, FileReader read) : ksrc_(std::move(ksrc)), read_(std::move(read)) {}
  // Where `name` is defined (first definition in path order), or nullptr.
  const Location* find(const std::string& name);
  // Every definition of `name` (file:line), path order.
  std::vector<Location> all(const std::string& name);
  bool scanned() const { return scanned_; }

 private:
  void scan();
  std::string ksrc_;
  FileReader read_;
  bool scanned_ = false;
  std::unordered_map<std::string, std::vector<Location>> defs_;
};

}  // namespace kmeta::config
