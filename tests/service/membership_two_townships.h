// The tree the membership scope tests share, with a registrar scoped to
// township A:
//
//   city ─ county ─┬─ township A ─┬─ ga1 (member ma)
//                  │              └─ ga2
//                  └─ township B ─── gb1 (member mb)
#ifndef UNIONHUB_TESTS_SERVICE_MEMBERSHIP_TWO_TOWNSHIPS_H_
#define UNIONHUB_TESTS_SERVICE_MEMBERSHIP_TWO_TOWNSHIPS_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {

class TwoTownshipsTest : public ::testing::Test {
 protected:
  TwoTownshipsTest(const std::string& tag, const std::string& registrar_subject)
      : server_(tag) {
    city_ =
        MustCreateOrg(server_, mv1::ORG_TYPE_CITY_FEDERATION, 0, "淮安市总工会")
            .org_id();
    county_ = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, city_,
                            "清河县总工会")
                  .org_id();
    a_ = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, county_, "城关镇")
             .org_id();
    b_ = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, county_, "王营镇")
             .org_id();
    ga1_ = MustCreateGrassroots(server_, a_, "城关机械厂工会", 1, 100).org_id();
    ga2_ = MustCreateGrassroots(server_, a_, "城关纺织厂工会", 2, 80).org_id();
    gb1_ = MustCreateGrassroots(server_, b_, "王营砖瓦厂工会", 3, 60).org_id();
    ma_ = MustJoin(server_, Person(ga1_, 1), "2024-01-10");
    mb_ = MustJoin(server_, Person(gb1_, 2), "2024-01-10");
    registrar_ = server_.StubWithToken(
        MintTestToken({"registrar"}, a_, registrar_subject));
  }

  Stub& registrar() { return *registrar_; }

  MembershipServer server_;
  int64_t city_ = 0, county_ = 0, a_ = 0, b_ = 0, ga1_ = 0, ga2_ = 0, gb1_ = 0;
  mv1::Member ma_, mb_;
  std::unique_ptr<Stub> registrar_;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_MEMBERSHIP_TWO_TOWNSHIPS_H_
