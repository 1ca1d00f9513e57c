// Strong id types for the model's flat tables.
//
// Every table of a Model (symbols, expressions, properties, menu nodes) is
// indexed by a 32-bit position. Id<Tag> wraps that position in a type of its
// own per table, so a symbol id can no longer be passed where an expression id
// is expected: it is built from an index only explicitly, gives it back with
// index(), compares and hashes like the number, and compiles down to a
// uint32_t (same size, trivially copyable).
//
// `kNone` (UINT32_MAX, as lkc's NULL pointer) is the absent value of every id
// type: each type names it as Id::kNone, and the untyped `kNone` converts to
// any of them, so `sym = kNone` and `e != kNone` read as before.
//
// IdVec<Id, T> is a vector indexed by one id type (`values[sid]`).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <vector>

namespace kmeta::kconfig {

// The untyped "no id" value; converts to every Id<Tag>.
struct NoneId {
  explicit constexpr NoneId() = default;
};
inline constexpr NoneId kNone{};

template <class Tag>
class Id {
 public:
  static constexpr uint32_t kNoneIndex = UINT32_MAX;
  static const Id kNone;  // this type's absent value (== the untyped kNone)

  constexpr Id() = default;  // kNone
  template <class I, class = std::enable_if_t<std::is_integral_v<I>>>
  constexpr explicit Id(I index) : v_(static_cast<uint32_t>(index)) {}
  constexpr Id(NoneId) {}  // NOLINT(google-explicit-constructor): `id = kNone`

  constexpr uint32_t index() const { return v_; }
  constexpr bool valid() const { return v_ != kNoneIndex; }

  friend constexpr bool operator==(Id, Id) = default;
  friend constexpr auto operator<=>(Id, Id) = default;
  friend constexpr bool operator==(Id a, NoneId) { return a.v_ == kNoneIndex; }

 private:
  uint32_t v_ = kNoneIndex;
};

template <class Tag>
inline constexpr Id<Tag> Id<Tag>::kNone{};

// The ids first, first + 1, ..., end - 1, for range-for.
template <class IdT>
class IdRange {
 public:
  class iterator {
   public:
    using value_type = IdT;
    using difference_type = std::ptrdiff_t;
    constexpr iterator() = default;
    constexpr explicit iterator(uint32_t i) : i_(i) {}
    constexpr IdT operator*() const { return IdT(i_); }
    constexpr iterator& operator++() {
      ++i_;
      return *this;
    }
    constexpr iterator operator++(int) {
      iterator t = *this;
      ++i_;
      return t;
    }
    friend constexpr bool operator==(iterator, iterator) = default;

   private:
    uint32_t i_ = 0;
  };
  constexpr IdRange(uint32_t first, uint32_t end) : first_(first), end_(end < first ? first : end) {}
  constexpr iterator begin() const { return iterator(first_); }
  constexpr iterator end() const { return iterator(end_); }

 private:
  uint32_t first_, end_;
};

// Ids [0, count) or [first, count) of a table with `count` entries.
template <class IdT>
constexpr IdRange<IdT> id_range(size_t count) {
  return IdRange<IdT>(0, static_cast<uint32_t>(count));
}
template <class IdT>
constexpr IdRange<IdT> id_range(IdT first, size_t count) {
  return IdRange<IdT>(first.index(), static_cast<uint32_t>(count));
}

// A std::vector indexed by one id type. The few operations the model's tables
// use are forwarded; vec() is the plain vector (sizes, algorithms, storage).
template <class IdT, class T>
class IdVec {
  using V = std::vector<T>;

 public:
  using value_type = T;
  using reference = typename V::reference;
  using const_reference = typename V::const_reference;
  using iterator = typename V::iterator;
  using const_iterator = typename V::const_iterator;

  IdVec() = default;
  explicit IdVec(size_t n) : v_(n) {}
  IdVec(size_t n, const T& value) : v_(n, value) {}

  reference operator[](IdT id) { return v_[id.index()]; }
  const_reference operator[](IdT id) const { return v_[id.index()]; }

  size_t size() const { return v_.size(); }
  bool empty() const { return v_.empty(); }
  // The id the next push_back gets.
  IdT next_id() const { return IdT(v_.size()); }
  void push_back(const T& x) { v_.push_back(x); }
  void push_back(T&& x) { v_.push_back(std::move(x)); }
  template <class... A>
  reference emplace_back(A&&... a) {
    return v_.emplace_back(std::forward<A>(a)...);
  }
  void assign(size_t n, const T& value) { v_.assign(n, value); }
  void resize(size_t n) { v_.resize(n); }
  void resize(size_t n, const T& value) { v_.resize(n, value); }
  void reserve(size_t n) { v_.reserve(n); }
  void clear() { v_.clear(); }
  void shrink_to_fit() { v_.shrink_to_fit(); }
  reference back() { return v_.back(); }
  const_reference back() const { return v_.back(); }
  iterator begin() { return v_.begin(); }
  iterator end() { return v_.end(); }
  const_iterator begin() const { return v_.begin(); }
  const_iterator end() const { return v_.end(); }
  IdRange<IdT> ids() const { return id_range<IdT>(v_.size()); }

  V& vec() { return v_; }
  const V& vec() const { return v_; }

  friend bool operator==(const IdVec&, const IdVec&) = default;

 private:
  V v_;
};

}  // namespace kmeta::kconfig

template <class Tag>
struct std::hash<kmeta::kconfig::Id<Tag>> {
  size_t operator()(kmeta::kconfig::Id<Tag> id) const noexcept { return std::hash<uint32_t>{}(id.index()); }
};
