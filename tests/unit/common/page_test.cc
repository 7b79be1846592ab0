// The one pagination helper (common/rpc/page_token.h): page_size as
// AIP-158 has it and the page a List request asks for.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/core/violations.h"
#include "common/rpc/page_token.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::rpc {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Fields(const Violations& v) {
  std::vector<std::string> out;
  for (const FieldViolation& f : v.list()) out.push_back(f.field);
  return out;
}

TEST(CheckPageSize, ZeroIsTheDefaultAndOverTheMaximumIsClamped) {
  Violations v;
  EXPECT_EQ(CheckPageSize(0, v), kDefaultPageSize);
  EXPECT_EQ(CheckPageSize(1, v), 1);
  EXPECT_EQ(CheckPageSize(kMaxPageSize, v), kMaxPageSize);
  EXPECT_EQ(CheckPageSize(kMaxPageSize + 1, v), kMaxPageSize);
  EXPECT_EQ(CheckPageSize(2147483647, v), kMaxPageSize);
  EXPECT_EQ(CheckPageSize(50, v, 10, 20), 20);
  EXPECT_EQ(CheckPageSize(0, v, 10, 20), 10);
  EXPECT_TRUE(v.empty());
}

TEST(CheckPageSize, NegativeIsAViolationNamingPageSize) {
  Violations v;
  EXPECT_EQ(CheckPageSize(-1, v), kDefaultPageSize);
  EXPECT_EQ(CheckPageSize(-2147483647 - 1, v), kDefaultPageSize);
  EXPECT_THAT(Fields(v), ElementsAre("page_size", "page_size"));
}

TEST(ReadPage, FirstPageAndItsNextToken) {
  membership::v1::ListMembersRequest request;
  request.set_org_id(7);
  request.set_page_size(5000);
  Violations v;
  const Page page = ReadPage(request, v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(page.size, kMaxPageSize);
  EXPECT_EQ(page.fetch(), kMaxPageSize + 1);
  EXPECT_EQ(page.after, 0);
  EXPECT_EQ(page.fingerprint, FilterFingerprint(request));

  // The next request carries the token (and any page size): it starts
  // after the last key of the page before.
  request.set_page_token(page.NextToken(4242));
  request.set_page_size(0);
  const Page next = ReadPage(request, v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(next.after, 4242);
  EXPECT_EQ(next.size, kDefaultPageSize);
}

TEST(ReadPage, NamesABadSizeAndATokenOfAnotherFilter) {
  membership::v1::ListMembersRequest first;
  first.set_org_id(7);
  Violations ok;
  const std::string token = ReadPage(first, ok).NextToken(9);

  membership::v1::ListMembersRequest other;
  other.set_org_id(8);
  other.set_page_size(-1);
  other.set_page_token(token);
  Violations v;
  const Page page = ReadPage(other, v);
  EXPECT_THAT(Fields(v), ElementsAre("page_size", "page_token"));
  EXPECT_EQ(page.after, 0);

  other.set_page_size(1);
  other.set_page_token("garbage!");
  Violations garbage;
  ReadPage(other, garbage);
  EXPECT_THAT(Fields(garbage), ElementsAre("page_token"));
}

TEST(PageTrim, CutsToThePageAndSaysWhetherMoreFollow) {
  Page page;
  page.size = 3;
  std::vector<int> rows = {1, 2, 3, 4};
  EXPECT_TRUE(page.Trim(rows));
  EXPECT_THAT(rows, ElementsAre(1, 2, 3));
  EXPECT_FALSE(page.Trim(rows));
  std::vector<int> few = {1};
  EXPECT_FALSE(page.Trim(few));
  EXPECT_THAT(few, ElementsAre(1));
}

}  // namespace
}  // namespace unionhub::rpc
