// Kconfig symbols defined anywhere in a kernel tree, for every architecture.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_system.h"
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
    // The tree is walked and read through `fs`, which the Index lets go of
    // once it has scanned (so a disk's listing caches do not outlive the scan).
    Index(std::string ksrc, std::shared_ptr<FileSystem> fs) : ksrc_(std::move(ksrc)), fs_(std::move(fs)) {}
    // Thread-safe; the first call scans the tree.
    const std::unordered_map<std::string, std::vector<Location>>& defs();

   private:
    void scan();
    std::string ksrc_;
    std::shared_ptr<FileSystem> fs_;
    std::once_flag once_;
    std::unordered_map<std::string, std::vector<Location>> defs_;
  };

  TreeSymbols(std::string ksrc, std::shared_ptr<FileSystem> fs)
      : index_(std::make_shared<Index>(std::move(ksrc), std::move(fs))) {}
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
