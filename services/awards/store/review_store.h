// SQL for the review committee, votes, objections and honours.
#ifndef UNIONHUB_SERVICES_AWARDS_STORE_REVIEW_STORE_H_
#define UNIONHUB_SERVICES_AWARDS_STORE_REVIEW_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "unionhub/awards/v1/awards.pb.h"

namespace unionhub::awards::store {

namespace v1 = ::unionhub::awards::v1;

// ---------------------------------------------------------------- reviewers

// Adds the reviewer unless already there (then nothing changes).
void AddReviewer(db::Connection& conn, int64_t program_id,
                 const v1::Reviewer& reviewer);
std::vector<v1::Reviewer> ListReviewers(db::Connection& conn,
                                        int64_t program_id);
std::optional<v1::Reviewer> FindReviewer(db::Connection& conn,
                                         int64_t program_id,
                                         const std::string& subject);

// ------------------------------------------------------------------- votes

// Records (or replaces) the reviewer's vote.
void PutVote(db::Connection& conn, int64_t nomination_id,
             const std::string& subject, v1::VoteChoice choice);
void AddComment(db::Connection& conn, int64_t nomination_id,
                const std::string& subject, const std::string& comment);
v1::VoteTally LoadTally(db::Connection& conn, int64_t nomination_id);

// -------------------------------------------------------------- objections

int64_t InsertObjection(db::Connection& conn, const v1::Objection& objection);
absl::StatusOr<v1::Objection> LoadObjection(db::Connection& conn,
                                            int64_t objection_id,
                                            bool for_update = false);
void ResolveObjection(db::Connection& conn, const v1::Objection& objection);
std::vector<v1::Objection> ListObjections(db::Connection& conn,
                                          int64_t program_id,
                                          v1::ObjectionStatus status);
// Objections of the programme still OPEN (locked when `for_update`).
int64_t CountOpenObjections(db::Connection& conn, int64_t program_id);

// ----------------------------------------------------------------- honours

int64_t InsertHonour(db::Connection& conn, const v1::Honour& honour);
absl::StatusOr<v1::Honour> LoadHonour(db::Connection& conn, int64_t honour_id,
                                      bool for_update = false);
void RevokeHonour(db::Connection& conn, int64_t honour_id,
                  const std::string& reason, const std::string& revoked_on);

struct HonourFilter {
  int64_t member_id = 0;
  int64_t org_id = 0;
  int64_t program_id = 0;
  int64_t after_id = 0;
  int limit = 100;
};
std::vector<v1::Honour> ListHonours(db::Connection& conn,
                                    const HonourFilter& filter);

// ACTIVE honours of `member_id` (or of `org_id` when member_id is 0) with
// this title and level awarded in a year >= `since_year`.
std::vector<int64_t> RecentSameHonours(db::Connection& conn, int64_t member_id,
                                       int64_t org_id, const std::string& title,
                                       v1::AwardLevel level,
                                       int32_t since_year);

}  // namespace unionhub::awards::store

#endif  // UNIONHUB_SERVICES_AWARDS_STORE_REVIEW_STORE_H_
