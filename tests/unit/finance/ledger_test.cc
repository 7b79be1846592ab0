#include "services/finance/domain/ledger.h"

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/core/violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace unionhub::finance::domain {
namespace {

using ::testing::HasSubstr;

constexpr Fen kMax = std::numeric_limits<Fen>::max();
constexpr Fen kMin = std::numeric_limits<Fen>::min();

Entry DuesReceipt(int64_t id, Fen amount) {
  return Entry{id,
               "2024-03-01T10:00:00+08:00",
               "DUES_PAYMENT",
               absl::StrCat("dues receipt ", id),
               0,
               {{"1001.cash", amount}, {"2101.dues_income", -amount}}};
}

// --- CheckBalanced ----------------------------------------------------------

struct BalanceCase {
  std::string name;
  std::vector<Posting> postings;
  std::vector<std::string> bad_fields;  // empty: balanced
};

class CheckBalancedTest : public ::testing::TestWithParam<BalanceCase> {};

TEST_P(CheckBalancedTest, Table) {
  const BalanceCase& c = GetParam();
  Entry e = DuesReceipt(1, 1);
  e.postings = c.postings;
  const absl::Status s = CheckBalanced(e);
  std::vector<std::string> fields;
  for (const FieldViolation& v : ViolationsOf(s)) fields.push_back(v.field);
  EXPECT_EQ(fields, c.bad_fields) << s;
  EXPECT_EQ(s.code(), c.bad_fields.empty()
                          ? absl::StatusCode::kOk
                          : absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CheckBalancedTest,
    ::testing::Values(
        BalanceCase{"TwoPostings", {{"a", 100}, {"b", -100}}, {}},
        BalanceCase{"ThreePostings", {{"a", 100}, {"b", -60}, {"c", -40}}, {}},
        BalanceCase{"SameAccountTwice", {{"a", 5}, {"a", -5}}, {}},
        BalanceCase{"LargestAmounts", {{"a", kMax}, {"b", -kMax}}, {}},
        BalanceCase{"LargeSplit",
                    {{"a", kMax}, {"b", kMax}, {"c", -kMax}, {"d", -kMax}},
                    {}},
        BalanceCase{"NoPostings", {}, {"postings"}},
        BalanceCase{"OnePosting", {{"a", 100}}, {"postings"}},
        BalanceCase{"Unbalanced", {{"a", 100}, {"b", -99}}, {"postings"}},
        // Would wrap to 0 with 64-bit arithmetic: 2 * max + 2 = 2^64.
        BalanceCase{"OverflowWrapsToZero",
                    {{"a", kMax}, {"b", kMax}, {"c", 1}, {"d", 1}},
                    {"postings"}},
        BalanceCase{"ZeroAmount",
                    {{"a", 0}, {"b", 5}, {"c", -5}},
                    {"postings[0].amount"}},
        BalanceCase{
            "EmptyAccount", {{"", 5}, {"b", -5}}, {"postings[0].account"}},
        BalanceCase{"Int64Min",
                    {{"a", kMin}, {"b", kMax}, {"c", 1}},
                    {"postings[0].amount"}},
        BalanceCase{"EverythingWrong",
                    {{"", 0}, {"", 3}},
                    {"postings[0].account", "postings[0].amount",
                     "postings[1].account", "postings"}}),
    [](const auto& info) { return info.param.name; });

TEST(CheckBalancedTest, MessageNamesTheProblem) {
  Entry e = DuesReceipt(1, 100);
  e.postings[1].amount = -99;
  EXPECT_THAT(std::string(CheckBalanced(e).message()),
              HasSubstr("sum to 1 fen"));
  e.postings = {{"a", kMax}, {"b", kMax}};
  EXPECT_THAT(std::string(CheckBalanced(e).message()),
              HasSubstr("beyond the int64 range"));
}

// --- Reversal ---------------------------------------------------------------

TEST(ReversalTest, NegatesAndBalances) {
  Entry original{7,
                 "2024-03-01T10:00:00+08:00",
                 "SPENDING",
                 "hardship aid",
                 0,
                 {{"5101.hardship_aid", 30000000},
                  {"1002.bank", -29999999},
                  {"1001.cash", -1}}};
  ASSERT_TRUE(CheckBalanced(original).ok());
  const Entry r =
      Reversal(original, 8, "2024-03-02T09:00:00+08:00", "wrong account");
  EXPECT_EQ(r.entry_id, 8);
  EXPECT_EQ(r.reverses_entry_id, 7);
  EXPECT_EQ(r.kind, kReversalKind);
  EXPECT_EQ(r.memo, "wrong account");
  EXPECT_EQ(r.occurred_at, "2024-03-02T09:00:00+08:00");
  ASSERT_EQ(r.postings.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r.postings[i].account, original.postings[i].account);
    EXPECT_EQ(r.postings[i].amount, -original.postings[i].amount);
  }
  EXPECT_TRUE(CheckBalanced(r).ok());
  // The original and its reversal net to zero on every account.
  std::map<std::string, Fen> net;
  for (const Entry* e : std::vector<const Entry*>{&original, &r}) {
    for (const Posting& p : e->postings) net[p.account] += p.amount;
  }
  for (const auto& [account, amount] : net) EXPECT_EQ(amount, 0) << account;
}

TEST(ReversalTest, ExtremeAmounts) {
  const Entry r = Reversal(DuesReceipt(1, kMax), 2, "t", "x");
  EXPECT_EQ(r.postings[0].amount, -kMax);
  EXPECT_EQ(r.postings[1].amount, kMax);
  // INT64_MIN is rejected by CheckBalanced; reversing it anyway must not
  // be undefined behaviour, and the result does not pass CheckBalanced.
  Entry bad = DuesReceipt(3, 1);
  bad.postings = {{"a", kMin}, {"b", kMax}, {"c", 1}};
  EXPECT_FALSE(CheckBalanced(Reversal(bad, 4, "t", "x")).ok());
}

// --- CanonicalEncoding ------------------------------------------------------

TEST(CanonicalEncodingTest, DeterministicAndLayoutAsDocumented) {
  const Entry e{1, "T", "K", "", 0, {{"A", 1}, {"B", -1}}};
  std::string want;
  auto put_int = [&](uint64_t v) {
    for (int s = 56; s >= 0; s -= 8) want.push_back(static_cast<char>(v >> s));
  };
  auto put_str = [&](const std::string& s) {
    put_int(s.size());
    want += s;
  };
  put_str("unionhub.ledger.entry.v1");
  put_int(1);
  put_str("T");
  put_str("K");
  put_str("");
  put_int(0);
  put_int(2);
  put_str("A");
  put_int(1);
  put_str("B");
  put_int(static_cast<uint64_t>(int64_t{-1}));
  EXPECT_EQ(CanonicalEncoding(e), want);
  EXPECT_EQ(CanonicalEncoding(e), CanonicalEncoding(Entry(e)));
  EXPECT_EQ(EntryHashHex(e).size(), 64u);
}

TEST(CanonicalEncodingTest, EveryFieldAndBoundaryMatters) {
  const Entry base{10, "2024-03-01T10:00:00+08:00", "DUES", "memo",
                   0,  {{"ab", 5}, {"c", -5}}};
  std::vector<Entry> variants;
  auto vary = [&](auto change) {
    Entry e = base;
    change(e);
    variants.push_back(e);
  };
  // A character moved between kind and memo.
  vary([](Entry& e) {
    e.kind = "DUESm";
    e.memo = "emo";
  });
  vary([](Entry& e) {
    e.kind = "DUE";
    e.memo = "Smemo";
  });
  // Between occurred_at and kind.
  vary([](Entry& e) {
    e.occurred_at = "2024-03-01T10:00:00+08:0";
    e.kind = "0DUES";
  });
  // Between two posting accounts.
  vary([](Entry& e) {
    e.postings[0].account = "a";
    e.postings[1].account = "bc";
  });
  vary([](Entry& e) { e.entry_id = 11; });
  vary([](Entry& e) { e.reverses_entry_id = 3; });
  vary([](Entry& e) {
    e.postings[0].amount = 6;
    e.postings[1].amount = -6;
  });
  vary([](Entry& e) { std::swap(e.postings[0], e.postings[1]); });
  vary([](Entry& e) { e.postings.push_back({"", 0}); });
  vary([](Entry& e) { e.memo = std::string("memo\0", 5); });
  std::map<std::string, size_t> seen;
  seen[CanonicalEncoding(base)] = 0;
  for (size_t i = 0; i < variants.size(); ++i) {
    auto [it, inserted] = seen.emplace(CanonicalEncoding(variants[i]), i + 1);
    EXPECT_TRUE(inserted) << "variant " << i << " encodes like " << it->second;
    EXPECT_NE(EntryHashHex(variants[i]), EntryHashHex(base)) << i;
  }
}

// --- Seals ------------------------------------------------------------------

// A ledger of 12 entries (ids 1..12 with id 5 missing: auto-increment gaps
// are normal) sealed in three ranges, with per-entry hashes stored.
class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int64_t id = 1; id <= 12; ++id) {
      if (id == 5) continue;
      ledger_[id] = DuesReceipt(id, 1000 * id);
    }
    seals_.push_back(MakeSeal(1, 1, 4, std::string(kGenesisSealHex)));
    seals_.push_back(MakeSeal(2, 5, 9, seals_.back().hash_hex));
    seals_.push_back(MakeSeal(3, 10, 12, seals_.back().hash_hex));
  }

  std::vector<Entry> Range(int64_t first, int64_t last) const {
    std::vector<Entry> out;
    for (auto it = ledger_.lower_bound(first);
         it != ledger_.end() && it->first <= last; ++it) {
      out.push_back(it->second);
    }
    return out;
  }

  Seal MakeSeal(int64_t id, int64_t first, int64_t last, std::string prev) {
    Seal s{id, first, last, std::move(prev), "", {}};
    const std::vector<Entry> entries = Range(first, last);
    s.hash_hex = SealHash(s.previous_hex, first, last, entries);
    for (const Entry& e : entries)
      s.entry_hashes_hex.push_back(EntryHashHex(e));
    return s;
  }

  VerifyResult Verify(const std::vector<Seal>& seals) const {
    return VerifyChain(seals, [this](int64_t first, int64_t last) {
      return Range(first, last);
    });
  }

  std::vector<Seal> WithoutEntryHashes() const {
    std::vector<Seal> out = seals_;
    for (Seal& s : out) s.entry_hashes_hex.clear();
    return out;
  }

  std::map<int64_t, Entry> ledger_;
  std::vector<Seal> seals_;
};

TEST_F(ChainTest, IntactChainVerifies) {
  for (const auto& seals : {seals_, WithoutEntryHashes()}) {
    const VerifyResult r = Verify(seals);
    EXPECT_TRUE(r.intact) << r.reason;
    EXPECT_EQ(r.first_bad_entry_id, 0);
    EXPECT_EQ(r.reason, "");
  }
  EXPECT_TRUE(Verify({}).intact);
  EXPECT_TRUE(Verify({seals_[0]}).intact);
}

TEST_F(ChainTest, SealHashFromEntryHashesAgrees) {
  for (const Seal& s : seals_) {
    EXPECT_EQ(SealHashFromEntryHashes(s.previous_hex, s.first_entry_id,
                                      s.last_entry_id, s.entry_hashes_hex),
              s.hash_hex);
  }
  EXPECT_EQ(SealHashFromEntryHashes("", 1, 1, {"zz"}), "");
}

TEST_F(ChainTest, AlteredAmountInTheMiddleIsNamed) {
  ledger_[7].postings[0].amount += 1;
  ledger_[7].postings[1].amount -= 1;  // still balanced: only the seal knows
  VerifyResult r = Verify(seals_);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 7);
  EXPECT_THAT(r.reason, HasSubstr("entry 7"));
  EXPECT_THAT(r.reason, HasSubstr("seal 2"));
  // Without per-entry hashes only the seal's first entry can be named.
  r = Verify(WithoutEntryHashes());
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 5);
  EXPECT_THAT(r.reason, HasSubstr("seal 2 does not match"));
}

TEST_F(ChainTest, AlteredMemoIsNamed) {
  ledger_[11].memo = "changed";
  const VerifyResult r = Verify(seals_);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 11);
}

TEST_F(ChainTest, DeletedEntryIsDetected) {
  ledger_.erase(7);
  VerifyResult r = Verify(seals_);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 8);  // the entry now where 7 was
  ledger_.erase(12);
  ledger_.erase(8);
  ledger_.erase(9);
  // The last entries of seal 2 gone: named from the first missing position.
  r = Verify(seals_);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 7);
  EXPECT_THAT(r.reason, HasSubstr("missing"));
}

TEST_F(ChainTest, InsertedEntryIsNamed) {
  ledger_[5] = DuesReceipt(5, 1);  // fills the gap inside seal 2
  const VerifyResult r = Verify(seals_);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 5);
}

TEST_F(ChainTest, ReorderedSealsAreDetected) {
  std::vector<Seal> seals = {seals_[1], seals_[0], seals_[2]};
  VerifyResult r = Verify(seals);
  EXPECT_FALSE(r.intact);
  EXPECT_THAT(r.reason, HasSubstr("seal 2"));
  // Same ranges swapped in content but not in order: the link breaks.
  seals = seals_;
  std::swap(seals[1].previous_hex, seals[2].previous_hex);
  r = Verify(seals);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 5);
  EXPECT_THAT(r.reason, HasSubstr("not linked to seal 1"));
}

TEST_F(ChainTest, BrokenLinksAndRangesAreDetected) {
  std::vector<Seal> seals = seals_;
  seals[0].previous_hex = std::string(64, 'f');
  EXPECT_THAT(Verify(seals).reason, HasSubstr("genesis"));

  seals = {seals_[0], seals_[2]};  // seal 2 dropped
  VerifyResult r = Verify(seals);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 10);
  EXPECT_THAT(r.reason, HasSubstr("ended at 4"));

  seals = seals_;
  seals[2].first_entry_id = 13;
  seals[2].last_entry_id = 12;
  EXPECT_THAT(Verify(seals).reason, HasSubstr("empty"));
}

TEST_F(ChainTest, RewrittenSealRecordIsDetected) {
  // Someone alters entry 3 and recomputes seal 1's hash, but not the link
  // in seal 2: seal 2 no longer links.
  ledger_[3].memo = "forged";
  std::vector<Seal> seals = seals_;
  seals[0] = MakeSeal(1, 1, 4, std::string(kGenesisSealHex));
  VerifyResult r = Verify(seals);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 5);

  // Stored per-entry hashes that do not reproduce the seal are not
  // trusted to name an entry.
  ledger_[3] = DuesReceipt(3, 3000);
  ledger_[2].memo = "forged again";
  seals = seals_;
  seals[0].entry_hashes_hex[1] = EntryHashHex(ledger_[2]);
  r = Verify(seals);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 1);
  EXPECT_THAT(r.reason, HasSubstr("seal record was altered"));
}

TEST_F(ChainTest, EntriesOutOfRangeOrOrderAreRejected) {
  const VerifyResult r =
      VerifyChain(seals_, [this](int64_t first, int64_t last) {
        std::vector<Entry> v = Range(first, last);
        std::swap(v.front(), v.back());
        return v;
      });
  EXPECT_FALSE(r.intact);
  EXPECT_THAT(r.reason, HasSubstr("out of order"));
}

}  // namespace
}  // namespace unionhub::finance::domain

namespace unionhub::finance::domain {
namespace {

constexpr absl::string_view kKey = "0123456789abcdef0123456789abcdef";

Seal MakeSeal(int64_t seal_id, const std::string& previous,
              const std::vector<Entry>& entries, absl::string_view key,
              int version) {
  Seal seal;
  seal.seal_id = seal_id;
  seal.first_entry_id = entries.front().entry_id;
  seal.last_entry_id = entries.back().entry_id;
  seal.previous_hex = previous;
  seal.hash_version = version;
  seal.hash_hex = SealHash(previous, seal.first_entry_id, seal.last_entry_id,
                           entries, key, version);
  for (const Entry& e : entries) {
    seal.entry_hashes_hex.push_back(EntryHashHex(e, key));
  }
  return seal;
}

Entry Keyed(Entry e) {
  e.hash_version = kHashKeyed;
  return e;
}

// A ledger that existed before the key: an unkeyed seal, then unkeyed
// entries written before the upgrade sealed together with keyed ones by
// the first keyed seal. Everything verifies; any step back does not.
TEST(LedgerKeyedChain, OldEntriesVerifyUnderTheOldRuleNewOnesNeedTheKey) {
  const std::vector<Entry> old_sealed = {DuesReceipt(1, 100),
                                         DuesReceipt(2, 200)};
  const Seal s1 =
      MakeSeal(1, std::string(kGenesisSealHex), old_sealed, "", kHashUnkeyed);
  const std::vector<Entry> mixed = {DuesReceipt(3, 300),
                                    Keyed(DuesReceipt(4, 400))};
  const Seal s2 = MakeSeal(2, s1.hash_hex, mixed, kKey, kHashKeyed);
  std::map<int64_t, std::vector<Entry>> by_first = {{1, old_sealed},
                                                    {3, mixed}};
  auto entries = [&](int64_t first, int64_t) { return by_first[first]; };
  EXPECT_TRUE(VerifyChain({s1, s2}, entries, kKey).intact);
  // Without the key a keyed seal cannot be shown intact.
  EXPECT_FALSE(VerifyChain({s1, s2}, entries, "").intact);
  // A wrong key does not verify.
  EXPECT_FALSE(
      VerifyChain({s1, s2}, entries, "another key of 32 bytes at least")
          .intact);

  // An unkeyed entry after a keyed one inside a keyed seal: downgraded.
  std::vector<Entry> downgraded = {Keyed(DuesReceipt(3, 300)),
                                   DuesReceipt(4, 400)};
  const Seal bad = MakeSeal(2, s1.hash_hex, downgraded, kKey, kHashKeyed);
  by_first[3] = downgraded;
  VerifyResult r = VerifyChain({s1, bad}, entries, kKey);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 4);

  // An unkeyed seal after a keyed one: recomputed without the key.
  by_first[3] = mixed;
  const std::vector<Entry> later = {Keyed(DuesReceipt(5, 500))};
  by_first[5] = later;
  const Seal s3 = MakeSeal(3, s2.hash_hex, later, "", kHashUnkeyed);
  EXPECT_FALSE(VerifyChain({s1, s2, s3}, entries, kKey).intact);
}

TEST(LedgerKeyedChain, UnsealedEntriesMatchTheirWrittenKeyedHash) {
  const Entry e5 = Keyed(DuesReceipt(5, 500));
  const Entry e6 = Keyed(DuesReceipt(6, 600));
  std::map<int64_t, std::string> written = {{5, EntryHashHex(e5, kKey)},
                                            {6, EntryHashHex(e6, kKey)}};
  EXPECT_TRUE(VerifyUnsealed({e5, e6}, written, kKey, true).intact);

  Entry altered = e6;
  altered.memo = "rewritten";
  VerifyResult r = VerifyUnsealed({e5, altered}, written, kKey, true);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 6);

  // Re-hashed with plain SHA-256 and claiming the unkeyed version.
  Entry plain = altered;
  plain.hash_version = kHashUnkeyed;
  written[6] = EntryHashHex(plain);
  r = VerifyUnsealed({e5, plain}, written, kKey, false);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_entry_id, 6);
  // Before any keyed entry or seal (a ledger from before the key), the
  // unkeyed rule still holds.
  EXPECT_TRUE(
      VerifyUnsealed({plain}, {{6, EntryHashHex(plain)}}, kKey, false).intact);
}

}  // namespace
}  // namespace unionhub::finance::domain
