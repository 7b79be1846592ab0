#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/core/config.h"
#include "common/core/field_checks.h"
#include "common/core/log.h"
#include "common/core/money.h"
#include "common/core/text.h"
#include "common/core/violations.h"
#include "common/db/migrations.h"
#include "common/rpc/page_token.h"
#include "common/rpc/status.h"
#include "common/rpc/violations.h"
#include "unionhub/common/v1/errors.pb.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub {
namespace {

using ::testing::ElementsAre;

TEST(SplitStatements, SplitsAtLineEndSemicolonsAndDropsComments) {
  EXPECT_THAT(
      db::SplitStatements("-- header\nCREATE TABLE a (x INT);\n\n"
                          "INSERT INTO a VALUES (1),\n (2);\n"
                          "SELECT 'a;b' FROM a"),
      ElementsAre("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1),\n (2)",
                  "SELECT 'a;b' FROM a"));
}

TEST(Sha256Hex, MatchesKnownDigest) {
  EXPECT_EQ(db::Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Violations, StatusNamesEveryFieldAndRoundTripsThroughGrpc) {
  Violations v;
  v.Add("member.mobile", "must be 11 digits");
  v.Add("request_id", "required", reasons::kRequired);
  absl::Status status = v.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              ::testing::HasSubstr("member.mobile"));
  EXPECT_THAT(std::string(status.message()),
              ::testing::HasSubstr("request_id"));

  grpc::Status wire = rpc::ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  common::v1::ErrorStatus details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  common::v1::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "member.mobile");
  EXPECT_EQ(bad.field_violations(1).field(), "request_id");
  // The reason travels in google.rpc.BadRequest's field 3; none is "".
  EXPECT_EQ(bad.field_violations(0).reason(), "");
  EXPECT_EQ(bad.field_violations(1).reason(), "REQUIRED");

  std::vector<FieldViolation> back = ViolationsOf(rpc::FromGrpcStatus(wire));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].description, "required");
  EXPECT_EQ(back[1].reason, "REQUIRED");
  EXPECT_EQ(back[0].reason, "");
}

TEST(Violations, SharedValidatorsGiveStableReasons) {
  Violations v;
  fields::CheckId(0, "a", v);
  fields::CheckId(-1, "b", v);
  fields::CheckMonth("2025-13", "c", v);
  fields::CheckPastDateOrToday("2999-01-01", "d", absl::CivilDay(2025, 1, 1),
                               v);
  text::Check("王1", "e",
              {.min_chars = 1, .max_chars = 5, .allow_digits = false}, v);
  text::Check("abcdef", "f", {.min_chars = 0, .max_chars = 5}, v);
  money::CheckAmount(-1, 0, 100, "g", v);
  rpc::CheckRequestId("", v);
  Violations merged;
  merged.Merge("member", v);
  std::vector<std::string> got;
  for (const FieldViolation& f : ViolationsOf(merged.ToStatus())) {
    got.push_back(absl::StrCat(f.field, "=", f.reason));
  }
  EXPECT_THAT(got,
              ::testing::ElementsAre(
                  "member.a=REQUIRED", "member.b=BAD_ID", "member.c=BAD_MONTH",
                  "member.d=FUTURE_DATE", "member.e=TEXT_DIGITS",
                  "member.f=TEXT_TOO_LONG", "member.g=AMOUNT_OUT_OF_RANGE",
                  "member.request_id=REQUIRED"));
}

TEST(ToGrpcStatus, CodesMapOneToOne) {
  EXPECT_EQ(rpc::ToGrpcStatus(absl::NotFoundError("x")).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(rpc::ToGrpcStatus(absl::FailedPreconditionError("x")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(rpc::ToGrpcStatus(absl::AlreadyExistsError("x")).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(rpc::ToGrpcStatus(absl::UnavailableError("x")).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(rpc::ToGrpcStatus(absl::OkStatus()).ok());
}

// Thousands of violations once made error details far over gRPC's 8 KiB
// metadata limit, so the caller got RESOURCE_EXHAUSTED instead of
// INVALID_ARGUMENT. The mapper keeps the first few and says how many more.
TEST(ToGrpcStatus, CapsViolationsAndMessageWellUnderTheMetadataLimit) {
  Violations v;
  for (int i = 0; i < 5000; ++i) {
    v.Add(absl::StrCat("program.allocations[", i, "].org_id"),
          "必填：提名单位（required: a nominating organisation）");
  }
  grpc::Status wire = rpc::ToGrpcStatus(v.ToStatus());
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Headroom for base64 and percent-encoding under 8 KiB.
  EXPECT_LT(wire.error_details().size(), 4096u);
  EXPECT_LE(wire.error_message().size(), 800u);
  common::v1::ErrorStatus details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  common::v1::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  ASSERT_GE(bad.field_violations_size(), 2);
  ASSERT_LE(bad.field_violations_size(),
            static_cast<int>(rpc::kMaxDetailViolations) + 1);
  EXPECT_EQ(bad.field_violations(0).field(), "program.allocations[0].org_id");
  const auto& last = bad.field_violations(bad.field_violations_size() - 1);
  EXPECT_EQ(last.field(), "...");
  EXPECT_EQ(last.description(),
            absl::StrCat("and ", 5000 - (bad.field_violations_size() - 1),
                         " more violations not shown"));
  // The message is cut on a character boundary: still valid UTF-8 text.
  EXPECT_THAT(wire.error_message(), ::testing::EndsWith(" ..."));
  EXPECT_THAT(wire.error_message(),
              ::testing::HasSubstr("program.allocations[0].org_id"));
}

TEST(ToGrpcStatus, FewViolationsAreKeptWhole) {
  Violations v;
  for (int i = 0; i < 10; ++i) v.Add(absl::StrCat("f", i), "required");
  const std::vector<FieldViolation> kept = rpc::CapViolations(v.list());
  ASSERT_EQ(kept.size(), 10u);
  EXPECT_EQ(kept[9].field, "f9");
}

TEST(CapText, CutsOnUtf8Boundaries) {
  EXPECT_EQ(rpc::CapText("abc", 10), "abc");
  // "工会" is 6 bytes; 8 leaves 4 for text, which would split 会.
  EXPECT_EQ(rpc::CapText("工会工会", 8), "工 ...");
}

TEST(ToGrpcStatus, HidesInternalDetails) {
  grpc::Status wire = rpc::ToGrpcStatus(
      absl::InternalError("database error 1146: table secret.x doesn't exist"));
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(wire.error_message().find("secret"), std::string::npos);
}

TEST(RequestId, Rules) {
  auto bad = [](const std::string& id) {
    Violations v;
    rpc::CheckRequestId(id, v);
    return !v.empty();
  };
  EXPECT_FALSE(bad("import:2026-11-23.a_b-1"));
  EXPECT_TRUE(bad(""));
  EXPECT_TRUE(bad(std::string(65, 'a')));
  EXPECT_FALSE(bad(std::string(64, 'a')));
  EXPECT_TRUE(bad("has space"));
  EXPECT_TRUE(bad("semi;colon"));
}

TEST(PageSize, DefaultsAndBounds) {
  Violations v;
  EXPECT_EQ(rpc::CheckPageSize(0, v), 100);
  EXPECT_EQ(rpc::CheckPageSize(1000, v), 1000);
  EXPECT_TRUE(v.empty());
  // Above the maximum is clamped (AIP-158), no longer refused.
  EXPECT_EQ(rpc::CheckPageSize(1001, v), 1000);
  rpc::CheckPageSize(-1, v);
  EXPECT_EQ(v.list().size(), 1u);
}

TEST(PageToken, RoundTripsAndRejectsOtherFiltersAndGarbage) {
  membership::v1::ListMembersRequest request;
  request.set_org_id(7);
  const std::string fingerprint = rpc::FilterFingerprint(request);
  request.set_page_size(5);
  request.set_page_token("ignored");
  EXPECT_EQ(rpc::FilterFingerprint(request), fingerprint)
      << "page fields must not change the fingerprint";

  const std::string token = rpc::EncodePageToken(12345, fingerprint);
  absl::StatusOr<int64_t> last = rpc::DecodePageToken(token, fingerprint);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 12345);
  EXPECT_EQ(*rpc::DecodePageToken("", fingerprint), 0);

  membership::v1::ListMembersRequest other;
  other.set_org_id(8);
  absl::StatusOr<int64_t> mismatch =
      rpc::DecodePageToken(token, rpc::FilterFingerprint(other));
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(mismatch.status())[0].field, "page_token");
  EXPECT_FALSE(rpc::DecodePageToken("!!notbase64", fingerprint).ok());
  EXPECT_FALSE(rpc::DecodePageToken("MTpYOnk", fingerprint).ok());
}

TEST(Config, EnvNames) {
  EXPECT_EQ(config::EnvNameForFlag("db_uri"), "UNIONHUB_DB_URI");
}

TEST(Log, JsonEscape) {
  EXPECT_EQ(log::JsonEscape("a\"b\\c\n\x01"), "a\\\"b\\\\c\\n\\u0001");
  EXPECT_EQ(log::JsonEscape("工会"), "工会");
}

}  // namespace
}  // namespace unionhub
