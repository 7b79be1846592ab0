// SQL for programmes and nominations. A programme is kept whole as its
// serialized proto (`spec`) with the columns it is searched by; a
// nomination's evidence snapshot likewise, and its nominee's national ID
// sealed with the personal-data key.
#ifndef UNIONHUB_SERVICES_AWARDS_STORE_PROGRAM_STORE_H_
#define UNIONHUB_SERVICES_AWARDS_STORE_PROGRAM_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "services/awards/domain/reasons.h"
#include "unionhub/awards/v1/awards.pb.h"

namespace unionhub::awards::store {

namespace v1 = ::unionhub::awards::v1;

// -------------------------------------------------------------- programmes

int64_t InsertProgram(db::Connection& conn, const v1::Program& program);
// With `for_update` the row stays locked until the transaction ends, so
// state changes on one programme serialise.
absl::StatusOr<v1::Program> LoadProgram(db::Connection& conn,
                                        int64_t program_id,
                                        bool for_update = false);
void UpdateProgram(db::Connection& conn, const v1::Program& program);

struct ProgramFilter {
  int64_t organizer_org_id = 0;
  int32_t year = 0;
  v1::ProgramStatus status = v1::PROGRAM_STATUS_UNSPECIFIED;
  int64_t after_id = 0;
  int limit = 100;
};
std::vector<v1::Program> ListPrograms(db::Connection& conn,
                                      const ProgramFilter& filter);

// ------------------------------------------------------------- nominations

int64_t InsertNomination(db::Connection& conn, const v1::Nomination& n);
absl::StatusOr<v1::Nomination> LoadNomination(db::Connection& conn,
                                              int64_t nomination_id,
                                              bool for_update = false);
// Writes status, reason, subject name, evidence and national ID.
void UpdateNomination(db::Connection& conn, const v1::Nomination& n);

struct NominationFilter {
  int64_t program_id = 0;
  int64_t nominating_org_id = 0;
  v1::NominationStatus status = v1::NOMINATION_STATUS_UNSPECIFIED;
  int64_t after_id = 0;
  int limit = 100;  // 0: no limit
};
std::vector<v1::Nomination> ListNominations(db::Connection& conn,
                                            const NominationFilter& filter);

// Nominations of `org_id` in the programme that are not withdrawn (they
// count against its allocation).
int64_t CountNominationsByOrg(db::Connection& conn, int64_t program_id,
                              int64_t org_id);
// A nomination of the same subject in the programme that is still alive
// (not withdrawn, rejected or ineligible), other than `except_id`, or 0.
int64_t LiveNominationOfSubject(db::Connection& conn, int64_t program_id,
                                int64_t member_id, int64_t subject_org_id,
                                int64_t except_id = 0);
// Moves every nomination of the programme in `from` to `to` with `reason`;
// returns their ids.
std::vector<int64_t> MoveNominations(db::Connection& conn, int64_t program_id,
                                     v1::NominationStatus from,
                                     v1::NominationStatus to,
                                     const StatusReason& reason);

}  // namespace unionhub::awards::store

#endif  // UNIONHUB_SERVICES_AWARDS_STORE_PROGRAM_STORE_H_
