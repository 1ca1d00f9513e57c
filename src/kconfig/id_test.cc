#include "kconfig/id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <vector>

namespace kmeta::kconfig {
namespace {

using AId = Id<struct ATag>;
using BId = Id<struct BTag>;

// The point of the types: ids of different tables do not mix, and no integer
// becomes an id implicitly.
static_assert(!std::is_convertible_v<AId, BId>);
static_assert(!std::is_constructible_v<BId, AId>);
static_assert(!std::is_convertible_v<uint32_t, AId>);
static_assert(!std::is_convertible_v<AId, uint32_t>);
static_assert(std::is_constructible_v<AId, uint32_t>);
static_assert(std::is_convertible_v<NoneId, AId>);
// ... and they cost what a uint32_t costs.
static_assert(sizeof(AId) == sizeof(uint32_t));
static_assert(std::is_trivially_copyable_v<AId>);
static_assert(std::is_standard_layout_v<AId>);

template <class V, class I>
concept IndexableBy = requires(V v, I i) {
  v[i];
};

TEST(Id, IndexRoundTrips) {
  EXPECT_EQ(AId(7u).index(), 7u);
  EXPECT_EQ(AId(size_t{123456}).index(), 123456u);
  EXPECT_EQ(AId(0).index(), 0u);
}

TEST(Id, NoneIsTheMaximumIndexAndTheDefault) {
  AId d;
  EXPECT_EQ(d, kNone);
  EXPECT_EQ(d, AId::kNone);
  EXPECT_EQ(d.index(), UINT32_MAX);
  EXPECT_FALSE(d.valid());
  EXPECT_TRUE(AId(0).valid());
  EXPECT_NE(AId(0), kNone);
  AId x(5u);
  x = kNone;
  EXPECT_TRUE(x == kNone);
  EXPECT_TRUE(kNone == x);
  EXPECT_EQ(AId(UINT32_MAX), kNone);
}

TEST(Id, OrdersAsTheIndex) {
  EXPECT_LT(AId(1u), AId(2u));
  EXPECT_GT(AId(3u), AId(2u));
  EXPECT_LE(AId(2u), AId(2u));
  EXPECT_LT(AId(2u), AId::kNone);  // none sorts last, as UINT32_MAX did
  std::vector<AId> v{AId(3u), AId(1u), AId(2u)};
  std::sort(v.begin(), v.end());
  EXPECT_EQ(v, (std::vector<AId>{AId(1u), AId(2u), AId(3u)}));
}

TEST(Id, HashesAsTheIndex) {
  EXPECT_EQ(std::hash<AId>{}(AId(42u)), std::hash<uint32_t>{}(42u));
  std::unordered_set<AId> s{AId(1u), AId(2u), AId(1u)};
  EXPECT_EQ(s.size(), 2u);
  EXPECT_TRUE(s.count(AId(2u)));
  EXPECT_FALSE(s.count(AId(3u)));
}

TEST(IdRange, ListsTheIdsInOrder) {
  std::vector<uint32_t> got;
  for (AId a : id_range<AId>(4)) got.push_back(a.index());
  EXPECT_EQ(got, (std::vector<uint32_t>{0, 1, 2, 3}));
  got.clear();
  for (AId a : id_range(AId(2u), 5)) got.push_back(a.index());
  EXPECT_EQ(got, (std::vector<uint32_t>{2, 3, 4}));
  got.clear();
  for (AId a : id_range(AId(6u), 5)) got.push_back(a.index());  // empty, not wrapping
  EXPECT_TRUE(got.empty());
}

TEST(IdVec, IndexedByItsIdType) {
  IdVec<AId, std::string> v;
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.next_id(), AId(0u));
  v.push_back("zero");
  v.emplace_back("one");
  EXPECT_EQ(v.next_id(), AId(2u));
  EXPECT_EQ(v[AId(1u)], "one");
  v[AId(0u)] = "nought";
  EXPECT_EQ(v.vec(), (std::vector<std::string>{"nought", "one"}));
  std::vector<uint32_t> ids;
  for (AId a : v.ids()) ids.push_back(a.index());
  EXPECT_EQ(ids, (std::vector<uint32_t>{0, 1}));
  static_assert(IndexableBy<IdVec<AId, int>, AId>);
  static_assert(!IndexableBy<IdVec<AId, int>, BId>);
  static_assert(!IndexableBy<IdVec<AId, int>, uint32_t>);

  IdVec<AId, BId> links(3, kNone);
  links[AId(2u)] = BId(0u);
  EXPECT_EQ(links[AId(0u)], kNone);
  EXPECT_EQ(links[AId(2u)], BId(0u));
  links.resize(4, BId(9u));
  EXPECT_EQ(links.back(), BId(9u));
  EXPECT_EQ(links.size(), 4u);
}

}  // namespace
}  // namespace kmeta::kconfig
