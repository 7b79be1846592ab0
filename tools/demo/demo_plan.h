// The demo county as data: every organisation, employer, member and later
// change, generated deterministically (fixed seeds, fixed dates) before any
// RPC is made. The same plan every run plus deterministic request_ids is what
// makes loading idempotent.
#ifndef UNIONHUB_TOOLS_DEMO_DEMO_PLAN_H_
#define UNIONHUB_TOOLS_DEMO_DEMO_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::demo {

namespace mv1 = ::unionhub::membership::v1;

inline constexpr char kCountyName[] = "清河县总工会";
inline constexpr char kCountyRegionCode[] = "320924";
// Everything in the plan is dated on or before this day, so the data do not
// depend on when the tool runs.
inline constexpr int kAnchorYear = 2025;

// A federation of the chain above the county, the county, or a township.
struct PlannedOrg {
  std::string request_id;
  mv1::OrgType type = mv1::ORG_TYPE_UNSPECIFIED;
  std::string name;
  std::string region_code;
  std::string established_on;
};

// A grassroots union (基层工会) with its employer record.
struct PlannedUnion {
  std::string request_id;
  int township = 0;  // index into CountyPlan::townships
  std::string name;
  bool preparing = false;      // 筹备组
  std::string established_on;  // empty while preparing
  mv1::Employer employer;
};

// An employer without a union, located in a township.
struct PlannedEmployer {
  std::string request_id;
  int township = 0;
  mv1::Employer employer;  // area_org_id is set when loading
};

struct PlannedMember {
  int union_index = 0;  // index into CountyPlan::unions
  int join_year = 0;
  mv1::Member member;  // org_id is set when loading
};

// One ImportMembers stream: all its rows join on the same day.
struct ImportChunk {
  std::string request_id;
  std::string joined_on;
  std::vector<int> members;  // indices into CountyPlan::members, row order
};

enum class ChangeKind { kTransfer, kRetire, kLeave };

struct PlannedChange {
  std::string request_id;
  ChangeKind kind = ChangeKind::kRetire;
  int member = 0;     // index into CountyPlan::members
  int to_union = -1;  // transfers: index into CountyPlan::unions
  std::string effective_on;
  std::string reason;
};

struct CountyPlan {
  std::vector<PlannedOrg> chain;  // national, provincial, city, county
  std::vector<PlannedOrg> townships;
  std::vector<PlannedUnion> unions;
  std::vector<PlannedEmployer> employers;
  std::vector<PlannedMember> members;
  std::vector<ImportChunk> chunks;
  // Transfers, then retirements, then departures; the last entry is the
  // marker that a load ran to the end.
  std::vector<PlannedChange> changes;
  int64_t total_workers = 0;
};

CountyPlan MakeCountyPlan();

}  // namespace unionhub::demo

#endif  // UNIONHUB_TOOLS_DEMO_DEMO_PLAN_H_
