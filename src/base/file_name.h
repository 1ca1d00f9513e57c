// FileName: the file part of a Location, shared by every copy.
//
// A parsed Kconfig tree holds ~60k locations in ~1600 files; a Location that
// owned its path as a std::string cost one heap string per property and menu
// node (3 MB of a 6.12 x86_64 model). A FileName is an immutable,
// reference-counted path: producers (lexers, decoders) make one per file and
// every Location copies the handle, never the characters. It reads like a
// const std::string (conversion, ==, +, fmt), so code that only looks at a
// location's file is unchanged.
//
// Two FileNames compare by content, not identity: the same path made twice is
// equal, just not shared.
#pragma once

#include <fmt/format.h>

#include <compare>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace kmeta {

class FileName {
 public:
  FileName() = default;
  FileName(std::string_view s) : p_(s.empty() ? nullptr : std::make_shared<const std::string>(s)) {}
  FileName(const std::string& s) : FileName(std::string_view(s)) {}
  FileName(std::string&& s) : p_(s.empty() ? nullptr : std::make_shared<const std::string>(std::move(s))) {}
  FileName(const char* s) : FileName(std::string_view(s)) {}

  const std::string& str() const { return p_ ? *p_ : empty_string(); }
  operator const std::string&() const { return str(); }
  bool empty() const { return !p_; }
  size_t size() const { return str().size(); }
  const char* c_str() const { return str().c_str(); }
  const char* data() const { return str().data(); }
  // True when both handles share one buffer (a cheap "same file" test).
  bool shares(const FileName& o) const { return p_ == o.p_; }

  friend bool operator==(const FileName& a, const FileName& b) { return a.p_ == b.p_ || a.str() == b.str(); }
  friend bool operator==(const FileName& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const FileName& a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const FileName& a, const char* b) { return a.str() == b; }
  friend std::strong_ordering operator<=>(const FileName& a, const FileName& b) {
    return a.str() <=> b.str();
  }

  friend std::string operator+(const FileName& a, std::string_view b) {
    return std::string(a.str()).append(b);
  }
  friend std::string operator+(const FileName& a, const char* b) { return std::string(a.str()).append(b); }
  friend std::string operator+(const FileName& a, char b) { return std::string(a.str()) + b; }
  friend std::string operator+(std::string_view a, const FileName& b) {
    return std::string(a).append(b.str());
  }
  friend std::string operator+(const char* a, const FileName& b) { return std::string(a).append(b.str()); }
  friend std::string operator+(std::string&& a, const FileName& b) { return std::move(a.append(b.str())); }
  friend std::string operator+(const std::string& a, const FileName& b) { return a + b.str(); }
  friend std::string operator+(const FileName& a, const std::string& b) { return a.str() + b; }
  friend std::string operator+(const FileName& a, const FileName& b) { return a.str() + b.str(); }

  friend std::ostream& operator<<(std::ostream& os, const FileName& f);

 private:
  static const std::string& empty_string();
  std::shared_ptr<const std::string> p_;
};

}  // namespace kmeta

template <>
struct std::hash<kmeta::FileName> {
  size_t operator()(const kmeta::FileName& f) const noexcept { return std::hash<std::string>()(f.str()); }
};

template <>
struct fmt::formatter<kmeta::FileName> : fmt::formatter<std::string_view> {
  template <typename Ctx>
  auto format(const kmeta::FileName& f, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format(std::string_view(f.str()), ctx);
  }
};
