#include "services/finance/domain/postings.h"

#include "gtest/gtest.h"

namespace unionhub::finance::domain {
namespace {

TEST(PostingSetTest, NetsPerAccountAndDropsZeros) {
  PostingSet set;
  set.Debit("dues_receivable:org/7", 2835);
  set.Credit("dues_income:org/7", 2835);
  set.Debit("dues_receivable:org/7", 4440);
  set.Credit("dues_income:org/7", 4440);
  set.Debit("cash:org/9", 100);
  set.Credit("cash:org/9", 100);  // nets to zero: no posting
  std::vector<Posting> postings = set.Postings();
  ASSERT_EQ(postings.size(), 2u);
  EXPECT_EQ(postings[0].account, "dues_receivable:org/7");
  EXPECT_EQ(postings[0].amount, 7275);
  EXPECT_EQ(postings[1].account, "dues_income:org/7");
  EXPECT_EQ(postings[1].amount, -7275);
  Entry entry;
  entry.kind = "TEST";
  entry.postings = postings;
  EXPECT_TRUE(CheckBalanced(entry).ok());
}

TEST(PostingSetTest, DebitsBeforeCreditsEachInAccountOrder) {
  PostingSet set;
  set.Credit("b", 5);
  set.Debit("z", 3);
  set.Credit("a", 1);
  set.Debit("c", 3);
  std::vector<Posting> postings = set.Postings();
  ASSERT_EQ(postings.size(), 4u);
  EXPECT_EQ(postings[0].account, "c");
  EXPECT_EQ(postings[1].account, "z");
  EXPECT_EQ(postings[2].account, "a");
  EXPECT_EQ(postings[3].account, "b");
}

TEST(PostingSetTest, EmptyWhenEverythingNetsToZero) {
  PostingSet set;
  EXPECT_TRUE(set.empty());
  set.Debit("a", 0);
  EXPECT_TRUE(set.empty());
  EXPECT_TRUE(set.Postings().empty());
  set.Debit("a", 10);
  set.Credit("a", 10);
  EXPECT_TRUE(set.empty());
  set.Debit("a", 1);
  EXPECT_FALSE(set.empty());
}

}  // namespace
}  // namespace unionhub::finance::domain
