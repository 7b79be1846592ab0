#include "tests/fault/dues_load.h"

#include <gtest/gtest.h>

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/fault/fault_fixture.h"
#include "tests/fault/finance_checks.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

constexpr char kMonth[] = "2024-06";

}  // namespace

DuesLoad::DuesLoad(DuesLoadEnv env)
    : env_(std::move(env)), people_(MakeImportRows(2000)) {}

DuesLoad::~DuesLoad() { Stop(); }

int64_t DuesLoad::Int(bool finance, const std::string& sql) {
  const std::vector<std::vector<std::string>> rows = env_.rows(finance, sql);
  int64_t value = -1;
  if (rows.empty() || rows[0].empty() ||
      !absl::SimpleAtoi(rows[0][0], &value)) {
    return -1;
  }
  return value;
}

mv1::JoinMemberRequest DuesLoad::JoinRequest(int i) const {
  mv1::JoinMemberRequest request;
  request.set_request_id(absl::StrCat(env_.tag, "-join-", i));
  *request.mutable_member() = people_[i].row().member();
  request.mutable_member()->set_org_id(org_id_);
  request.set_joined_on("2024-03-01");
  return request;
}

bool DuesLoad::Prepare(int base) {
  auto county = Call(*env_.members, &mv1::MembershipService::Stub::CreateOrg,
                     OrgRequest(env_.tag + "-county", "示范县总工会"));
  if (!county.ok()) {
    ADD_FAILURE() << county.status.error_message();
    return false;
  }
  auto township = Call(
      *env_.members, &mv1::MembershipService::Stub::CreateOrg,
      OrgRequest(env_.tag + "-township", "城关镇总工会",
                 county.response.org().org_id(), mv1::ORG_TYPE_TOWNSHIP_UNION));
  if (!township.ok()) {
    ADD_FAILURE() << township.status.error_message();
    return false;
  }
  org_id_ = township.response.org().org_id();
  for (int i = 0; i < base; ++i) {
    auto joined = Call(*env_.members, &mv1::MembershipService::Stub::JoinMember,
                       JoinRequest(i));
    if (!joined.ok()) {
      ADD_FAILURE() << joined.status.error_message();
      return false;
    }
    base_.push_back(joined.response.member().member_id());
  }
  next_person_ = base;
  if (!WaitFor(
          [&] {
            return Int(true, "SELECT COUNT(*) FROM roster_members") == base;
          },
          absl::Seconds(60))) {
    ADD_FAILURE() << "finance's roster did not reach the base members";
    return false;
  }
  fv1::SetDuesPolicyRequest policy;
  policy.set_request_id(env_.tag + "-policy");
  policy.mutable_policy()->set_effective_from("2024-01");
  policy.mutable_policy()->set_rate_bp(50);
  auto set =
      Call(*env_.dues, &fv1::FinanceService::Stub::SetDuesPolicy, policy);
  if (!set.ok()) {
    ADD_FAILURE() << set.status.error_message();
    return false;
  }
  fv1::AssessDuesRequest assess;
  assess.set_request_id(env_.tag + "-assess");
  assess.set_org_id(county.response.org().org_id());
  assess.set_month(kMonth);
  auto assessed = Call(*env_.dues, &fv1::FinanceService::Stub::AssessDues,
                       assess, absl::Seconds(60));
  if (!assessed.ok() || assessed.response.members_charged() != base) {
    ADD_FAILURE() << "AssessDues: " << assessed.status.error_message() << " "
                  << assessed.response.members_charged();
    return false;
  }
  return true;
}

// Sends `once` until it is acknowledged: the client's side of exactly-once.
// Failures whose fate is unknown are retried with the same request_id; a
// refusal (bad input, state) is final.
bool DuesLoad::UntilAcknowledged(const std::function<grpc::Status()>& once) {
  const absl::Time deadline = absl::Now() + env_.give_up_after;
  while (absl::Now() < deadline) {
    grpc::Status status = once();
    if (status.ok()) return true;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++retried_[status.error_code()];
    }
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
        status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
        status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      ADD_FAILURE() << "refused: " << status.error_message();
      break;
    }
    absl::SleepFor(absl::Milliseconds(150));
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++gave_up_;
  return false;
}

void DuesLoad::Start() {
  for (int t = 0; t < 2; ++t) {
    clients_.emplace_back([this] {
      while (!stop_) {
        const int i = next_person_++;
        if (i >= static_cast<int>(people_.size())) break;
        const mv1::JoinMemberRequest request = JoinRequest(i);
        int64_t member_id = 0;
        if (UntilAcknowledged([&] {
              auto a =
                  Call(*env_.members, &mv1::MembershipService::Stub::JoinMember,
                       request, absl::Seconds(10));
              member_id = a.response.member().member_id();
              return a.status;
            })) {
          std::lock_guard<std::mutex> lock(mu_);
          joins_[request.request_id()] = member_id;
        }
      }
    });
    clients_.emplace_back([this, t] {
      for (int i = 0; !stop_; ++i) {
        fv1::RecordDuesPaymentRequest request;
        request.set_request_id(absl::StrCat(env_.tag, "-pay-", t, "-", i));
        request.set_member_id(base_[(i * 2 + t) % base_.size()]);
        request.set_amount_fen(100 + (i * 7 + t) % 900);
        request.set_method(fv1::PAYMENT_METHOD_CASH);
        request.set_paid_on("2024-06-15");
        int64_t payment_id = 0;
        if (UntilAcknowledged([&] {
              auto a = Call(*env_.dues,
                            &fv1::FinanceService::Stub::RecordDuesPayment,
                            request, absl::Seconds(10));
              payment_id = a.response.payment().payment_id();
              return a.status;
            })) {
          std::lock_guard<std::mutex> lock(mu_);
          payments_[request.request_id()] = {payment_id, request.amount_fen()};
        }
      }
    });
  }
}

int64_t DuesLoad::Acknowledged() {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int64_t>(joins_.size() + payments_.size());
}

int64_t DuesLoad::Retried() {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t total = 0;
  for (const auto& [code, n] : retried_) total += n;
  return total;
}

absl::Duration DuesLoad::UntilNextAcknowledgement(absl::Duration timeout) {
  const absl::Time start = absl::Now();
  const int64_t now = Acknowledged();
  WaitFor([&] { return Acknowledged() > now; }, timeout);
  return absl::Now() - start;
}

void DuesLoad::Stop() {
  stop_ = true;
  for (std::thread& client : clients_) client.join();
  clients_.clear();
}

DuesOutcome DuesLoad::Check() {
  DuesOutcome out;
  out.joins = static_cast<int64_t>(joins_.size());
  out.payments = static_cast<int64_t>(payments_.size());
  out.acknowledged = out.joins + out.payments;
  out.gave_up = gave_up_;
  EXPECT_EQ(gave_up_, 0);
  const int64_t base = static_cast<int64_t>(base_.size());
  std::vector<std::string> lost_ids;

  // Membership: every acknowledged join once, and nothing else.
  std::set<int64_t> joined_ids;
  for (const auto& [id, member_id] : joins_) joined_ids.insert(member_id);
  EXPECT_EQ(joined_ids.size(), joins_.size()) << "two joins, one member";
  const int64_t member_rows = Int(false, "SELECT COUNT(*) FROM members");
  const int64_t expected_members = base + out.joins;
  EXPECT_EQ(member_rows, expected_members);
  EXPECT_EQ(Int(false, "SELECT COUNT(*) FROM events WHERE type = 1"),
            expected_members);
  for (const auto& [id, member_id] : joins_) {
    if (Int(false, absl::StrCat("SELECT COUNT(*) FROM members WHERE id = ",
                                member_id)) != 1 ||
        Int(false, absl::StrCat("SELECT COUNT(*) FROM idempotency_keys "
                                "WHERE request_id = '",
                                id, "'")) != 1) {
      ++out.lost;
      lost_ids.push_back(id);
    }
  }

  // Finance: every acknowledged payment once, with its amount.
  int64_t acked_sum = 0;
  for (const auto& [id, payment] : payments_) acked_sum += payment.second;
  const int64_t payment_rows = Int(true, "SELECT COUNT(*) FROM dues_payments");
  const int64_t duplicated =
      Int(true,
          "SELECT COUNT(*) FROM (SELECT request_id FROM dues_payments GROUP BY "
          "request_id HAVING COUNT(*) > 1) d");
  for (const auto& [id, payment] : payments_) {
    const std::vector<std::vector<std::string>> row = env_.rows(
        true,
        absl::StrCat("SELECT payment_id, amount_fen FROM dues_payments WHERE "
                     "request_id = '",
                     id, "'"));
    if (row.size() != 1 || row[0][0] != absl::StrCat(payment.first) ||
        row[0][1] != absl::StrCat(payment.second)) {
      ++out.lost;
      lost_ids.push_back(id);
    }
  }
  EXPECT_EQ(out.lost, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_EQ(payment_rows, out.payments);
  EXPECT_EQ(Int(true, "SELECT COALESCE(SUM(amount_fen), 0) FROM dues_payments"),
            acked_sum);
  out.duplicated = duplicated + (payment_rows - out.payments) +
                   (member_rows - expected_members);
  // Charges against their allocations, rollups against the charges.
  EXPECT_EQ(Int(true, kChargesOffTheirAllocations), 0);
  EXPECT_EQ(
      Int(true,
          "SELECT COUNT(*) FROM (SELECT org_id, month, SUM(paid_fen) AS "
          "paid_fen, SUM(due_fen) AS due_fen, SUM(members_charged) AS "
          "members_charged, SUM(members_paid) AS members_paid FROM "
          "collection_rollup GROUP BY org_id, month) r JOIN roster_orgs o ON "
          "o.org_id = r.org_id WHERE (r.paid_fen, r.due_fen, "
          "r.members_charged, r.members_paid) <> (SELECT "
          "COALESCE(SUM(c.paid_fen), 0), COALESCE(SUM(c.due_fen), 0), "
          "COUNT(*), COALESCE(SUM(c.settled), 0) FROM dues_charges c "
          "WHERE c.month = r.month AND c.org_path LIKE CONCAT(o.path, "
          "'%'))"),
      0);
  EXPECT_EQ(Int(true,
                "SELECT COUNT(*) FROM (SELECT org_id, month, "
                "SUM(own_paid_fen) AS own_paid_fen, SUM(own_due_fen) AS "
                "own_due_fen FROM collection_rollup GROUP BY org_id, month) r "
                "WHERE (r.own_paid_fen, r.own_due_fen) <> (SELECT "
                "COALESCE(SUM(c.paid_fen), 0), COALESCE(SUM(c.due_fen), "
                "0) FROM dues_charges c WHERE c.month = r.month AND "
                "c.org_id = r.org_id)"),
            0);
  EXPECT_GT(
      Int(true, "SELECT COUNT(*) FROM collection_rollup WHERE paid_fen > 0"),
      0);
  // The roster follows every join, once.
  EXPECT_TRUE(WaitFor(
      [&] {
        return Int(true, "SELECT COUNT(*) FROM roster_members") ==
               expected_members;
      },
      absl::Seconds(60)));
  EXPECT_EQ(Int(true, "SELECT COUNT(*) FROM roster_member_states"),
            expected_members);
  // The ledger's hash chain and balance.
  fv1::VerifyLedgerResponse verified;
  EXPECT_TRUE(LedgerVerifies(*env_.audit, &verified)) << verified.reason();
  out.ledger_entries = verified.entries_checked();

  std::vector<std::string> retried;
  for (const auto& [code, n] : retried_) {
    retried.push_back(absl::StrCat(code, "x", n));
  }
  out.retried = absl::StrJoin(retried, " ");
  out.retried_codes = retried_;
  out.lost_ids = absl::StrJoin(lost_ids, " ");
  return out;
}

}  // namespace unionhub::testing
