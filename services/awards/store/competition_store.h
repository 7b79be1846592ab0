// SQL for competitions: the competition with its events and judges,
// entrants, judges' scores, and the link from a nomination to the result
// it came from.
#ifndef UNIONHUB_SERVICES_AWARDS_STORE_COMPETITION_STORE_H_
#define UNIONHUB_SERVICES_AWARDS_STORE_COMPETITION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "unionhub/awards/v1/competition.pb.h"

namespace unionhub::awards::store {

namespace v1 = ::unionhub::awards::v1;

// ------------------------------------------------------------ competitions

// Inserts the competition, its events (in the given order) and its judges.
int64_t InsertCompetition(db::Connection& conn, const v1::Competition& c);
// With events, judges and entrant_count. With `for_update` the competition
// row stays locked until the transaction ends, so registrations, scores and
// finishing serialise per competition.
absl::StatusOr<v1::Competition> LoadCompetition(db::Connection& conn,
                                                int64_t competition_id,
                                                bool for_update = false);
void MarkFinished(db::Connection& conn, int64_t competition_id,
                  const std::string& finished_on);

struct CompetitionFilter {
  int64_t organizer_org_id = 0;
  v1::CompetitionKind kind = v1::COMPETITION_KIND_UNSPECIFIED;
  int64_t after_id = 0;
  int limit = 100;
};
std::vector<v1::Competition> ListCompetitions(db::Connection& conn,
                                              const CompetitionFilter& filter);

// ---------------------------------------------------------------- entrants

int64_t InsertEntrant(db::Connection& conn, const v1::Entrant& entrant);
absl::StatusOr<v1::Entrant> LoadEntrant(db::Connection& conn,
                                        int64_t entrant_id);
// The entrant already registered as this member (member_id != 0) or as
// this team of this employer, or 0.
int64_t FindEntrant(db::Connection& conn, int64_t competition_id,
                    int64_t member_id, const std::string& team_name,
                    int64_t employer_org_id);
// In registration order; `limit` 0: all.
std::vector<v1::Entrant> ListEntrants(db::Connection& conn,
                                      int64_t competition_id,
                                      int64_t after_id = 0, int limit = 0);

// ------------------------------------------------------------------ scores

// Records the judge's score, replacing an earlier one for the same entrant
// and event; returns the revision (1 for the first).
int32_t PutScore(db::Connection& conn, const v1::Score& score);
std::vector<v1::Score> ListScores(db::Connection& conn, int64_t competition_id);

// ------------------------------------------------------------- nominations

// Remembers which result a nomination (made with store::InsertNomination of
// program_store.h) came from.
void LinkNomination(db::Connection& conn, int64_t nomination_id,
                    int64_t competition_id, int64_t entrant_id, int32_t rank,
                    int64_t points_centi);

}  // namespace unionhub::awards::store

#endif  // UNIONHUB_SERVICES_AWARDS_STORE_COMPETITION_STORE_H_
