// Reading a written `.config` as values (what the audit compares against).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace kmeta::config {

// The values of a `.config`: `CONFIG_X=v` gives v (strings keep their quotes),
// `# CONFIG_X is not set` gives "n". Symbols not written are absent.
class DotConfig {
 public:
  static DotConfig parse(std::string_view text);
  // parse(text).value(name), reading only the lines that mention the symbol.
  static std::string value_in(std::string_view text, std::string_view name);

  // The written value, or nullptr when the symbol is not in the file.
  const std::string* get(std::string_view name) const;
  // The value compared by meaning: absent and "is not set" are "n".
  std::string value(std::string_view name) const;
  size_t size() const { return values_.size(); }
  // 1-based line of the symbol in the file (0 = absent).
  int line(std::string_view name) const;
  // The symbol is written as "# CONFIG_X is not set".
  bool is_unset_line(std::string_view name) const;

 private:
  struct Entry {
    std::string value;
    int line = 0;
    bool unset = false;
  };
  std::unordered_map<std::string, Entry> values_;
};

}  // namespace kmeta::config
