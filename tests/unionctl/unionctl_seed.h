// The county every unionctl test runs against: three grassroots unions
// under two townships, three members (wages 6000, 8000 and 5000 yuan), a
// 0.5 % dues policy, January and February 2025 assessed, and payments
// that leave known figures:
//   2025-01: due 95.00, paid 70.00 (73.68 %), 3 charged, 2 paid
//   2025-02: due 95.00, paid 40.00 (42.11 %), 3 charged, 1 paid
//   城关镇总工会: due 140.00 paid 110.00; 新桥镇总工会: due 50.00 paid 0.00
#ifndef UNIONHUB_TESTS_UNIONCTL_UNIONCTL_SEED_H_
#define UNIONHUB_TESTS_UNIONCTL_UNIONCTL_SEED_H_

#include "tests/service/finance_dues_helpers.h"

namespace unionhub::testing {

inline SmallCounty SeedCounty(FinanceServer& server) {
  SmallCounty c = BuildSmallCounty(server, {600000, 800000, 500000});
  MustSetPolicy(server, Policy(c.county.org_id(), "2025-01", 50));
  Assess(server, c.county.org_id(), "2025-01");
  Assess(server, c.county.org_id(), "2025-02");
  MustPay(server, c.members[0].member_id(), 3000);  // January only
  MustPay(server, c.members[1].member_id(), 8000);  // both months
  return c;
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_UNIONCTL_UNIONCTL_SEED_H_
