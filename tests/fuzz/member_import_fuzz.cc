// ImportMembers' per-message validation, without a database: the header
// checks (request_id, default_org_id, joined_on) and for every row the
// pure rules the handler runs before any SQL (domain::ValidateNewMember,
// then the fields derived from the national ID, as FillDerivedFields does).
// The input is the client stream (stream_input.h).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/ids.h"
#include "common/core/violations.h"
#include "common/rpc/violations.h"
#include "services/membership/domain/member_rules.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/stream_input.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace v1 = ::unionhub::membership::v1;
namespace domain = ::unionhub::membership::domain;
using unionhub::FieldViolation;
using unionhub::Violations;

namespace {

struct Stream {
  bool header_seen = false;
  bool refused = false;
  int64_t default_org_id = 0;
  absl::CivilDay join_date = unionhub::fuzz::kToday;
  int64_t arrival = 0;
  int64_t last_row_number = 0;
  std::map<std::string, int64_t> first_row_of;
};

// As the handler's DateOrToday, against the fixed day.
absl::CivilDay DateOrToday(const std::string& text, absl::string_view field,
                           Violations& violations) {
  if (text.empty()) return unionhub::fuzz::kToday;
  absl::StatusOr<absl::CivilDay> day = unionhub::dates::ParseDate(text);
  if (!day.ok()) {
    violations.Add(field, day.status().message());
    return unionhub::fuzz::kToday;
  }
  FUZZ_CHECK(unionhub::dates::FormatDate(*day) == text);
  if (*day > unionhub::fuzz::kToday) {
    violations.Add(field, "must not be after today");
    return unionhub::fuzz::kToday;
  }
  return *day;
}

void Header(const v1::ImportHeader& header, Stream& s) {
  Violations violations;
  unionhub::rpc::CheckRequestId(header.request_id(), violations,
                                "header.request_id");
  if (header.default_org_id() < 0) {
    violations.Add("header.default_org_id", "must be >= 0");
  }
  s.join_date = DateOrToday(header.joined_on(), "header.joined_on", violations);
  s.default_org_id = header.default_org_id();
  absl::Status status = violations.ToStatus();
  FUZZ_CHECK(status.ok() == violations.empty());
  if (!status.ok()) {
    FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(unionhub::ViolationsOf(status).size() ==
               violations.list().size());
    s.refused = true;
  }
}

void Row(const v1::ImportRow& in, Stream& s) {
  const int64_t row_number = in.row_number() != 0 ? in.row_number() : s.arrival;
  v1::Member member = in.member();
  if (member.org_id() == 0) member.set_org_id(s.default_org_id);
  Violations v;
  if (row_number <= s.last_row_number) {
    v.Add("row_number", "rows must arrive in increasing row order");
  }
  const Violations member_problems =
      domain::ValidateNewMember(member, s.join_date, unionhub::fuzz::kToday);
  v.Merge("member", member_problems);
  s.last_row_number = std::max(s.last_row_number, row_number);

  // No description about the identity ever contains the national ID
  // (personal data). Only IDs with 8+ digits are looked for: a short or
  // wordy "ID" can be a piece of any fixed message.
  const std::string& id = member.national_id();
  const bool id_like =
      std::count_if(id.begin(), id.end(), absl::ascii_isdigit) >= 8;
  for (const FieldViolation& f : v.list()) {
    FUZZ_CHECK(absl::StartsWith(f.field, "member.") || f.field == "row_number");
    if (id_like &&
        (f.field == "member.national_id" || f.field == "member.sex" ||
         f.field == "member.birth_date")) {
      FUZZ_CHECK(!absl::StrContains(f.description, id));
    }
  }
  absl::Status status = v.ToStatus();
  if (!status.ok()) {
    FUZZ_CHECK(unionhub::ViolationsOf(status).size() == v.list().size());
    return;
  }
  if (!member_problems.empty()) return;
  // Accepted: the national ID parses, and what is derived from it agrees
  // with whatever the row said.
  absl::StatusOr<unionhub::ids::NationalIdInfo> info =
      unionhub::ids::ParseNationalId(id, unionhub::fuzz::kToday);
  FUZZ_CHECK(info.ok());
  FUZZ_CHECK(info->birth_date <= s.join_date);
  const v1::Sex sex =
      info->sex == unionhub::ids::Sex::kMale ? v1::SEX_MALE : v1::SEX_FEMALE;
  FUZZ_CHECK(member.sex() == v1::SEX_UNSPECIFIED || member.sex() == sex);
  const std::string birth = unionhub::dates::FormatDate(info->birth_date);
  FUZZ_CHECK(member.birth_date().empty() || member.birth_date() == birth);
  FUZZ_CHECK(member.org_id() > 0);
  FUZZ_CHECK(member.wage_base_fen() >= 0 &&
             member.wage_base_fen() <= domain::kMaxWageBaseFen);
  s.first_row_of.emplace(info->normalized, row_number);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Stream s;
  unionhub::fuzz::ForEachMessage<v1::ImportMembersRequest>(
      data, size, [&](const v1::ImportMembersRequest& message) {
        if (s.refused) return;
        if (!s.header_seen) {
          s.header_seen = true;
          // The first message must be the header.
          if (!message.has_header()) {
            s.refused = true;
            return;
          }
          Header(message.header(), s);
          return;
        }
        ++s.arrival;
        if (message.has_row()) Row(message.row(), s);
      });
  return 0;
}
