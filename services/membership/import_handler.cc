// ImportMembers: collective registration (集体登记入会) as a client stream,
// read and committed in batches of kBatchRows by the common import helper
// (common/rpc/batched_import.h): a stream cut off half-way and sent again
// with the same request_id re-applies nothing.
#include <set>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/ids.h"
#include "common/rpc/batched_import.h"
#include "common/rpc/violations.h"
#include "services/membership/domain/member_rules.h"
#include "services/membership/membership_service.h"

namespace unionhub::membership {
namespace {

using db::Connection;

constexpr size_t kBatchRows = 500;

struct PendingRow {
  int64_t row_number = 0;
  v1::Member member;      // validated and normalised
  bool rejected = false;  // decided before the database is asked
  v1::ImportRowResult result;
};

v1::ImportRowResult Rejection(int64_t row, absl::string_view code,
                              const absl::Status& status) {
  v1::ImportRowResult r;
  r.set_row_number(row);
  r.set_outcome(v1::IMPORT_OUTCOME_REJECTED);
  r.set_error_code(std::string(code));
  r.set_error_message(std::string(status.message()));
  for (const FieldViolation& v : ViolationsOf(status))
    r.add_bad_fields(v.field);
  return r;
}

const char* CodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case absl::StatusCode::kNotFound:
      return "NOT_FOUND";
    case absl::StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case absl::StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case absl::StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    default:
      return "INTERNAL";
  }
}

// Decides every row of one batch inside one transaction and writes the
// accepted ones with multi-row statements.
absl::Status ApplyBatch(Connection& conn, std::vector<PendingRow>& rows,
                        absl::CivilDay join_date, const std::string& request_id,
                        v1::ImportMembersResponse* out) {
  std::vector<std::string> national_ids;
  for (const PendingRow& row : rows) {
    if (!row.rejected) national_ids.push_back(row.member.national_id());
  }
  std::map<std::string, v1::Member> existing =
      store::FindMembersByNationalIds(conn, national_ids);
  std::unordered_map<int64_t, absl::StatusOr<store::OrgRow>> orgs;
  store::EventBatch events;
  std::vector<v1::Member> new_members;
  std::vector<size_t> new_member_rows;
  for (size_t i = 0; i < rows.size(); ++i) {
    PendingRow& row = rows[i];
    if (row.rejected) continue;
    auto org_it = orgs.find(row.member.org_id());
    if (org_it == orgs.end()) {
      org_it = orgs.emplace(row.member.org_id(),
                            store::GetOrg(conn, row.member.org_id(), true))
                   .first;
    }
    absl::Status usable = org_it->second.status();
    if (usable.ok())
      usable = internal::CheckCanHoldMembers(org_it->second->org);
    if (!usable.ok()) {
      row.result = Rejection(row.row_number, CodeName(usable.code()), usable);
      row.result.add_bad_fields("member.org_id");
      continue;
    }
    auto found = existing.find(row.member.national_id());
    std::optional<v1::Member> current;
    if (found != existing.end()) current = found->second;
    const size_t before = new_members.size();
    absl::StatusOr<std::optional<v1::Member>> joined =
        internal::Join(conn, row.member, *org_it->second, current, join_date,
                       request_id, events, new_members);
    if (!joined.ok()) {
      row.result = Rejection(row.row_number, CodeName(joined.status().code()),
                             joined.status());
      continue;
    }
    row.result.set_row_number(row.row_number);
    if (joined->has_value()) {
      row.result.set_outcome(v1::IMPORT_OUTCOME_REACTIVATED);
      row.result.set_member_id((*joined)->member_id());
      row.result.set_card_number((*joined)->card_number());
      existing[row.member.national_id()] = **joined;
    } else if (new_members.size() > before) {
      new_member_rows.push_back(i);
    }
  }
  internal::InsertJoined(conn, new_members, request_id, events);
  for (size_t k = 0; k < new_member_rows.size(); ++k) {
    v1::ImportRowResult& r = rows[new_member_rows[k]].result;
    r.set_outcome(v1::IMPORT_OUTCOME_JOINED);
    r.set_member_id(new_members[k].member_id());
    r.set_card_number(new_members[k].card_number());
  }
  for (PendingRow& row : rows) *out->add_results() = row.result;
  events.Flush(conn, request_id);
  return absl::OkStatus();
}

}  // namespace

absl::Status MembershipServiceImpl::DoImportMembers(
    const rpc::Caller& caller, grpc::ServerContext& context,
    grpc::ServerReader<v1::ImportMembersRequest>& reader,
    v1::ImportMembersResponse* resp, std::string* request_id) {
  v1::ImportMembersRequest message;
  if (absl::Status first = rpc::ReadImportHeader(reader, &message);
      !first.ok()) {
    return first;
  }
  const v1::ImportHeader header = message.header();
  Violations violations;
  rpc::CheckRequestId(header.request_id(), violations, "header.request_id");
  fields::CheckOptionalId(header.default_org_id(), "header.default_org_id",
                          violations);
  const absl::CivilDay join_date =
      DateOrToday(header.joined_on(), "header.joined_on", violations);
  if (!violations.empty()) return violations.ToStatus();
  *request_id = header.request_id();
  // Scope of each org the rows name, checked once per org.
  std::map<int64_t, absl::Status> scope_of;
  auto in_scope = [&](int64_t org_id) -> absl::Status {
    auto it = scope_of.find(org_id);
    if (it == scope_of.end()) {
      it = scope_of.emplace(org_id, gate_.CheckOrg(caller, org_id)).first;
    }
    return it->second;
  };
  if (header.default_org_id() != 0) {
    absl::Status allowed = in_scope(header.default_org_id());
    if (!allowed.ok()) return allowed;
  }
  const absl::CivilDay today = clock_.Today();

  std::map<std::string, int64_t> first_row_of;  // a person twice in a file
  int64_t last_row_number = 0;

  // The slot is held until this batch is written: the function's end.
  auto flush = [&](std::vector<PendingRow> batch, int batch_index,
                   rpc::ImportBatchSlots::Slot) -> absl::Status {
    rpc::ImportBatchDigest rows;
    for (const PendingRow& row : batch) rows.Add(row.row_number, row.member);
    v1::ImportMembersResponse batch_response;
    absl::Status status = rpc::RunImportBatch<v1::ImportMembersRequest>(
        pool_, "ImportMembers", header, rows, batch_index, &batch_response,
        [&](Connection& conn, v1::ImportMembersResponse* out) {
          std::vector<PendingRow> attempt = batch;  // retries start afresh
          return ApplyBatch(conn, attempt, join_date, header.request_id(), out);
        });
    if (!status.ok()) return status;
    for (const v1::ImportRowResult& r : batch_response.results()) {
      switch (r.outcome()) {
        case v1::IMPORT_OUTCOME_JOINED:
          resp->set_rows_joined(resp->rows_joined() + 1);
          break;
        case v1::IMPORT_OUTCOME_REACTIVATED:
          resp->set_rows_reactivated(resp->rows_reactivated() + 1);
          break;
        default:
          resp->set_rows_rejected(resp->rows_rejected() + 1);
      }
      *resp->add_results() = r;
    }
    notifier_.Notify();
    return absl::OkStatus();
  };

  auto examine = [&](const v1::ImportMembersRequest& message,
                     int64_t arrival) -> absl::StatusOr<PendingRow> {
    PendingRow row;
    if (!message.has_row()) {
      Violations v;
      v.Add("row", "only the first message may be a header");
      row.row_number = arrival;
      row.rejected = true;
      row.result = Rejection(arrival, "INVALID_ARGUMENT", v.ToStatus());
      return row;
    }
    const v1::ImportRow& in = message.row();
    row.row_number = in.row_number() != 0 ? in.row_number() : arrival;
    row.member = in.member();
    if (row.member.org_id() == 0)
      row.member.set_org_id(header.default_org_id());
    Violations v;
    if (row.row_number <= last_row_number) {
      v.Add("row_number", "rows must arrive in increasing row order");
    }
    v.Merge("member", domain::ValidateNewMember(row.member, join_date, today));
    absl::Status allowed = row.member.org_id() > 0
                               ? in_scope(row.member.org_id())
                               : absl::OkStatus();
    if (!allowed.ok()) {
      row.rejected = true;
      row.result = Rejection(row.row_number, "PERMISSION_DENIED", allowed);
      row.result.add_bad_fields("member.org_id");
    } else if (!v.empty()) {
      row.rejected = true;
      row.result = Rejection(row.row_number, "INVALID_ARGUMENT", v.ToStatus());
    } else {
      internal::FillDerivedFields(row.member, today);
      auto [it, inserted] =
          first_row_of.emplace(row.member.national_id(), row.row_number);
      if (!inserted) {
        row.rejected = true;
        row.result =
            Rejection(row.row_number, "ALREADY_EXISTS",
                      absl::AlreadyExistsError(absl::StrCat(
                          "the same person is already in row ", it->second)));
        row.result.add_bad_fields("member.national_id");
      }
    }
    last_row_number = std::max(last_row_number, row.row_number);
    return row;
  };

  int64_t received = 0;
  absl::Status status =
      rpc::ReadImportRows<v1::ImportMembersRequest, PendingRow>(
          context, reader, kBatchRows, import_batches_, examine, flush,
          &received);
  if (!status.ok()) return status;
  resp->set_rows_received(received);
  import_rows_.Add(resp->rows_joined() + resp->rows_reactivated(),
                   resp->rows_rejected(), 0);
  return absl::OkStatus();
}

}  // namespace unionhub::membership
