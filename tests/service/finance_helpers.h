// Shared by the finance service tests: a call with a deadline for any stub,
// and a small county built through membership and followed by finance.
#ifndef UNIONHUB_TESTS_SERVICE_FINANCE_HELPERS_H_
#define UNIONHUB_TESTS_SERVICE_FINANCE_HELPERS_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/service/membership_helpers.h"
#include "tests/support/finance_fixture.h"

namespace unionhub::testing {

// One unary call with a deadline, on any service's stub.
template <typename AnyStub, typename Req, typename Resp>
grpc::Status Rpc(AnyStub& stub,
                 grpc::Status (AnyStub::*method)(grpc::ClientContext*,
                                                 const Req&, Resp*),
                 const Req& request, Resp* response) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return (stub.*method)(&context, request, response);
}

// Like Rpc, but records a test failure (naming `what`) unless it succeeds.
template <typename AnyStub, typename Req, typename Resp>
Resp MustRpc(AnyStub& stub,
             grpc::Status (AnyStub::*method)(grpc::ClientContext*, const Req&,
                                             Resp*),
             const Req& request, const std::string& what) {
  Resp response;
  grpc::Status status = Rpc(stub, method, request, &response);
  EXPECT_TRUE(status.ok()) << what << ": " << status.error_code() << " "
                           << status.error_message();
  return response;
}

// The first column of the first row of `sql` as text ("" if none), as
// root; `args` bind to its ? placeholders (never splice values into SQL).
template <typename... Args>
std::string Sql(FinanceServer& server, const std::string& sql,
                const Args&... args) {
  return server.database().QueryValue(sql, args...);
}
template <typename... Args>
int64_t SqlInt(FinanceServer& server, const std::string& sql,
               const Args&... args) {
  const std::string value = Sql(server, sql, args...);
  return value.empty() ? 0 : std::stoll(value);
}

// Every entry balances over at least two postings, none of them 0, and the
// whole ledger sums to zero, in SQL.
inline void ExpectLedgerBalanced(FinanceServer& server) {
  EXPECT_EQ(Sql(server,
                "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS CHAR) FROM "
                "ledger_postings"),
            "0");
  EXPECT_EQ(Sql(server,
                "SELECT COUNT(*) FROM (SELECT entry_id FROM ledger_postings "
                "GROUP BY entry_id HAVING SUM(amount_fen) <> 0 OR COUNT(*) < "
                "2) bad"),
            "0");
  EXPECT_EQ(
      Sql(server, "SELECT COUNT(*) FROM ledger_postings WHERE amount_fen = 0"),
      "0");
  EXPECT_EQ(Sql(server,
                "SELECT COUNT(*) FROM ledger_entries e WHERE NOT EXISTS "
                "(SELECT 1 FROM ledger_postings p WHERE p.entry_id = "
                "e.entry_id)"),
            "0");
}

// County federation -> townships A and B -> grassroots unions A1, A2 (under
// A) and B1 (under B), each with an employer; plus an employer without a
// union in township B. Members join on `joined_on` with the given wages
// (fen), spread round-robin over A1, A2, B1.
struct SmallCounty {
  mv1::Org county, township_a, township_b, union_a1, union_a2, union_b1;
  mv1::Employer employer_without_union;  // in township B
  std::vector<mv1::Member> members;
};

inline SmallCounty BuildSmallCounty(
    FinanceServer& server, const std::vector<int64_t>& wages_fen,
    const std::string& joined_on = "2025-01-10") {
  MembershipServer& m = server.membership();
  SmallCounty c;
  c.county =
      MustCreateOrg(m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "示范县总工会");
  c.township_a = MustCreateOrg(m, mv1::ORG_TYPE_TOWNSHIP_UNION,
                               c.county.org_id(), "城关镇总工会");
  c.township_b = MustCreateOrg(m, mv1::ORG_TYPE_TOWNSHIP_UNION,
                               c.county.org_id(), "新桥镇总工会");
  c.union_a1 =
      MustCreateGrassroots(m, c.township_a.org_id(), "机械厂工会", 1, 120);
  c.union_a2 =
      MustCreateGrassroots(m, c.township_a.org_id(), "纺织厂工会", 2, 40);
  c.union_b1 =
      MustCreateGrassroots(m, c.township_b.org_id(), "食品厂工会", 3, 300);
  c.employer_without_union =
      MustCreateEmployer(m, c.township_b.org_id(), "新桥物流有限公司", 4, 25);
  const int64_t orgs[] = {c.union_a1.org_id(), c.union_a2.org_id(),
                          c.union_b1.org_id()};
  for (size_t i = 0; i < wages_fen.size(); ++i) {
    mv1::Member person = Person(orgs[i % 3], static_cast<int>(i));
    person.set_wage_base_fen(wages_fen[i]);
    c.members.push_back(MustJoin(m, person, joined_on));
  }
  server.SyncRoster();
  return c;
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_FINANCE_HELPERS_H_
