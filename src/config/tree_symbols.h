// Kconfig symbols defined anywhere in a kernel tree, for every architecture.
#pragma once

#include <memory>
#include <mutex>
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
//
// The scan itself is an Index that several TreeSymbols may share (`kmeta
// matrix`: one scan per kernel tree for all BSPs, from any thread); each
// TreeSymbols keeps its own scanned() flag, "this run has asked", so what a
// run prints never depends on what another run sharing the index did.
class TreeSymbols {
 public:
  class Index {
   public:
    Index(std::string ksrc, FileReader read) : ksrc_(std::move(ksrc)), read_(std::move(read)) {}
    // Thread-safe; the first call scans the tree.
    const std::unordered_map<std::string, std::vector<Location>>& defs();

   private:
    void scan();
    std::string ksrc_;
    FileReader read_;
    std::once_flag once_;
    std::unordered_map<std::string, std::vector<Location>> defs_;
  };

  TreeSymbols(std::string ksrc, FileReader read)
      : index_(std::make_shared<Index>(std::move(ksrc), std::move(read))) {}
  explicit TreeSymbols(std::shared_ptr<Index> index) : index_(std::move(index)) {}
  // Where `name` is defined (first definition in path order), or nullptr.
  const Location* find(const std::string& name);
  // Every definition of `name` (file:line), path order.
  std::vector<Location> all(const std::string& name);
  // Whether this TreeSymbols has been asked anything yet.
  bool scanned() const { return scanned_; }

 private:
  std::shared_ptr<Index> index_;
  bool scanned_ = false;
};

}  // namespace kmeta::config
