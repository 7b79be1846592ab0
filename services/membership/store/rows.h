// Mapping between result-set rows and API messages.
#ifndef UNIONHUB_SERVICES_MEMBERSHIP_STORE_ROWS_H_
#define UNIONHUB_SERVICES_MEMBERSHIP_STORE_ROWS_H_

#include <cppconn/resultset.h>
#include <google/protobuf/timestamp.pb.h>

#include <string>
#include <vector>

#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::membership::store {

// The select lists the readers below expect, with the table aliases used.
extern const char* const kOrgColumns;       // orgs o LEFT JOIN employers e
extern const char* const kEmployerColumns;  // employers e
// members m, in the order MemberFromRow reads them by position
const std::string& MemberColumns();

v1::Org OrgFromRow(sql::ResultSet& rs);
v1::Employer EmployerFromRow(sql::ResultSet& rs, const char* prefix);
v1::Member MemberFromRow(sql::ResultSet& rs);

// "/1/5/23/" -> {1, 5, 23}.
std::vector<int64_t> PathIds(const std::string& path);

}  // namespace unionhub::membership::store

#endif  // UNIONHUB_SERVICES_MEMBERSHIP_STORE_ROWS_H_
