#include "services/awards/store/program_store.h"

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/text.h"
#include "common/crypto/pii_global.h"
#include "common/db/sql.h"

namespace unionhub::awards::store {
namespace {

std::optional<std::string> DateOrNull(const std::string& date) {
  if (date.empty()) return std::nullopt;
  return date;
}

void SetTime(google::protobuf::Timestamp* out, int64_t seconds) {
  out->set_seconds(seconds);
}

constexpr char kProgramColumns[] =
    "id, spec, UNIX_TIMESTAMP(created_at) AS created_s, "
    "UNIX_TIMESTAMP(updated_at) AS updated_s";

absl::StatusOr<v1::Program> ReadProgram(sql::ResultSet& rs) {
  v1::Program program;
  if (!program.ParseFromString(db::GetBytes(rs, "spec"))) {
    return absl::InternalError("stored programme does not parse");
  }
  program.set_program_id(db::GetInt64(rs, "id"));
  SetTime(program.mutable_create_time(), db::GetInt64(rs, "created_s"));
  SetTime(program.mutable_update_time(), db::GetInt64(rs, "updated_s"));
  return program;
}

constexpr char kNominationColumns[] =
    "id, program_id, nominating_org_id, member_id, subject_org_id, "
    "subject_name, citation, status, status_reason, status_reason_code, "
    "evidence, national_id_sealed, UNIX_TIMESTAMP(created_at) AS created_s, "
    "UNIX_TIMESTAMP(updated_at) AS updated_s";

absl::StatusOr<v1::Nomination> ReadNomination(sql::ResultSet& rs) {
  v1::Nomination n;
  n.set_nomination_id(db::GetInt64(rs, "id"));
  n.set_program_id(db::GetInt64(rs, "program_id"));
  n.set_nominating_org_id(db::GetInt64(rs, "nominating_org_id"));
  n.set_member_id(db::GetInt64(rs, "member_id"));
  n.set_subject_org_id(db::GetInt64(rs, "subject_org_id"));
  n.set_subject_type(n.member_id() != 0 ? v1::SUBJECT_TYPE_INDIVIDUAL
                                        : v1::SUBJECT_TYPE_UNSPECIFIED);
  n.set_subject_name(db::GetString(rs, "subject_name"));
  n.set_citation(db::GetString(rs, "citation"));
  n.set_status(static_cast<v1::NominationStatus>(db::GetInt64(rs, "status")));
  n.set_status_reason(db::GetString(rs, "status_reason"));
  const std::string code = db::GetBytes(rs, "status_reason_code");
  if (!code.empty() && !n.mutable_status_reason_code()->ParseFromString(code)) {
    return absl::InternalError("stored status reason code does not parse");
  }
  const std::string evidence = db::GetBytes(rs, "evidence");
  if (!evidence.empty() && !n.mutable_evidence()->ParseFromString(evidence)) {
    return absl::InternalError("stored evidence does not parse");
  }
  const std::string sealed = db::GetBytes(rs, "national_id_sealed");
  if (!sealed.empty()) {
    absl::StatusOr<std::string> id =
        crypto::Pii().Open(sealed, crypto::kNationalIdContext);
    if (!id.ok()) return id.status();
    n.set_national_id(*id);
  }
  SetTime(n.mutable_create_time(), db::GetInt64(rs, "created_s"));
  SetTime(n.mutable_update_time(), db::GetInt64(rs, "updated_s"));
  return n;
}

// The serialized status_reason_code ("" when unset); bound as
// db::Bytes{...} in the statement's own expression, which the view needs.
std::string ReasonCode(const v1::Nomination& n) {
  return n.has_status_reason_code() ? n.status_reason_code().SerializeAsString()
                                    : std::string();
}

std::string SealId(const std::string& national_id) {
  if (national_id.empty()) return "";
  return crypto::Pii().Seal(national_id, crypto::kNationalIdContext);
}

}  // namespace

int64_t InsertProgram(db::Connection& conn, const v1::Program& program) {
  db::Execute(conn,
              "INSERT INTO programs (organizer_org_id, title, level, year, "
              "status, spec) VALUES (?, ?, ?, ?, ?, ?)",
              program.organizer_org_id(), program.title(), program.level(),
              program.year(), program.status(),
              db::Bytes{program.SerializeAsString()});
  return db::LastInsertId(conn);
}

absl::StatusOr<v1::Program> LoadProgram(db::Connection& conn,
                                        int64_t program_id, bool for_update) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kProgramColumns, " FROM programs WHERE id = ?",
                   for_update ? " FOR UPDATE" : ""),
      program_id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("programme ", program_id));
  }
  return ReadProgram(*rs);
}

void UpdateProgram(db::Connection& conn, const v1::Program& program) {
  v1::Program spec = program;
  spec.clear_create_time();
  spec.clear_update_time();
  db::Execute(conn,
              "UPDATE programs SET status = ?, spec = ?, publicity_starts_on "
              "= ?, publicity_ends_on = ?, finalized_on = ?, updated_at = "
              "CURRENT_TIMESTAMP(6) WHERE id = ?",
              program.status(), db::Bytes{spec.SerializeAsString()},
              DateOrNull(program.publicity_starts_on()),
              DateOrNull(program.publicity_ends_on()),
              DateOrNull(program.finalized_on()), program.program_id());
}

std::vector<v1::Program> ListPrograms(db::Connection& conn,
                                      const ProgramFilter& filter) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kProgramColumns,
                   " FROM programs WHERE id > ? AND (? = 0 OR "
                   "organizer_org_id = ?) AND (? = 0 OR year = ?) AND (? = 0 "
                   "OR status = ?) ORDER BY id LIMIT ?"),
      filter.after_id, filter.organizer_org_id, filter.organizer_org_id,
      filter.year, filter.year, filter.status, filter.status, filter.limit);
  std::vector<v1::Program> out;
  while (rs->next()) {
    absl::StatusOr<v1::Program> program = ReadProgram(*rs);
    if (program.ok()) out.push_back(*std::move(program));
  }
  return out;
}

int64_t InsertNomination(db::Connection& conn, const v1::Nomination& n) {
  db::Execute(conn,
              "INSERT INTO nominations (program_id, nominating_org_id, "
              "member_id, subject_org_id, subject_name, citation, status, "
              "status_reason, status_reason_code, evidence, "
              "national_id_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              n.program_id(), n.nominating_org_id(), n.member_id(),
              n.subject_org_id(), n.subject_name(), n.citation(), n.status(),
              n.status_reason(), db::Bytes{ReasonCode(n)},
              db::Bytes{n.has_evidence() ? n.evidence().SerializeAsString()
                                         : std::string()},
              db::Bytes{SealId(n.national_id())});
  return db::LastInsertId(conn);
}

absl::StatusOr<v1::Nomination> LoadNomination(db::Connection& conn,
                                              int64_t nomination_id,
                                              bool for_update) {
  auto rs = db::Query(conn,
                      absl::StrCat("SELECT ", kNominationColumns,
                                   " FROM nominations WHERE id = ?",
                                   for_update ? " FOR UPDATE" : ""),
                      nomination_id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("nomination ", nomination_id));
  }
  return ReadNomination(*rs);
}

void UpdateNomination(db::Connection& conn, const v1::Nomination& n) {
  db::Execute(conn,
              "UPDATE nominations SET status = ?, status_reason = ?, "
              "status_reason_code = ?, subject_name = ?, evidence = ?, "
              "national_id_sealed = ?, updated_at = CURRENT_TIMESTAMP(6) "
              "WHERE id = ?",
              n.status(), text::Prefix(n.status_reason(), 512),
              db::Bytes{ReasonCode(n)}, n.subject_name(),
              db::Bytes{n.has_evidence() ? n.evidence().SerializeAsString()
                                         : std::string()},
              db::Bytes{SealId(n.national_id())}, n.nomination_id());
}

std::vector<v1::Nomination> ListNominations(db::Connection& conn,
                                            const NominationFilter& filter) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kNominationColumns,
                   " FROM nominations WHERE program_id = ? AND id > ? AND (? "
                   "= 0 OR nominating_org_id = ?) AND (? = 0 OR status = ?) "
                   "ORDER BY id LIMIT ?"),
      filter.program_id, filter.after_id, filter.nominating_org_id,
      filter.nominating_org_id, filter.status, filter.status,
      filter.limit > 0 ? filter.limit : int64_t{1} << 40);
  std::vector<v1::Nomination> out;
  while (rs->next()) {
    absl::StatusOr<v1::Nomination> n = ReadNomination(*rs);
    if (n.ok()) out.push_back(*std::move(n));
  }
  return out;
}

int64_t CountNominationsByOrg(db::Connection& conn, int64_t program_id,
                              int64_t org_id) {
  auto rs = db::Query(conn,
                      "SELECT COUNT(*) AS n FROM nominations WHERE program_id "
                      "= ? AND nominating_org_id = ? AND status <> ?",
                      program_id, org_id, v1::NOMINATION_STATUS_WITHDRAWN);
  rs->next();
  return db::GetInt64(*rs, "n");
}

int64_t LiveNominationOfSubject(db::Connection& conn, int64_t program_id,
                                int64_t member_id, int64_t subject_org_id,
                                int64_t except_id) {
  auto rs = db::Query(
      conn,
      "SELECT id FROM nominations WHERE program_id = ? AND member_id = ? AND "
      "subject_org_id = ? AND status NOT IN (?, ?, ?) AND id <> ? LIMIT 1",
      program_id, member_id, subject_org_id, v1::NOMINATION_STATUS_WITHDRAWN,
      v1::NOMINATION_STATUS_REJECTED, v1::NOMINATION_STATUS_INELIGIBLE,
      except_id);
  return rs->next() ? db::GetInt64(*rs, "id") : 0;
}

std::vector<int64_t> MoveNominations(db::Connection& conn, int64_t program_id,
                                     v1::NominationStatus from,
                                     v1::NominationStatus to,
                                     const StatusReason& reason) {
  std::vector<int64_t> ids;
  auto rs = db::Query(conn,
                      "SELECT id FROM nominations WHERE program_id = ? AND "
                      "status = ? ORDER BY id FOR UPDATE",
                      program_id, from);
  while (rs->next()) ids.push_back(db::GetInt64(*rs, "id"));
  db::Execute(conn,
              "UPDATE nominations SET status = ?, status_reason = ?, "
              "status_reason_code = ?, updated_at = CURRENT_TIMESTAMP(6) "
              "WHERE program_id = ? AND status = ?",
              to, text::Prefix(reason.text, 512),
              db::Bytes{reason.code.SerializeAsString()}, program_id, from);
  return ids;
}

}  // namespace unionhub::awards::store
