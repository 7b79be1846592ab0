// A FAILED_PRECONDITION's broken rules: carried as a status payload, packed
// by the rpc layer into PreconditionFailure details (bounded like field
// violations) and read back by the gateway's parser with their figures.
#include "common/core/preconditions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/rpc/generic_call.h"
#include "common/rpc/status.h"
#include "common/rpc/violations.h"
#include "unionhub/common/v1/errors.pb.h"

namespace unionhub {
namespace {

TEST(Preconditions, RoundTripThroughTheStatusAndTheWire) {
  absl::Status status = FailedPreconditionWith(
      "programme 7 cannot be finalised: ...",
      {{"composition", "composition_rules[0]",
        "women >= 2: 1 of 2 approved,\tat least 2 required", 1, 2},
       {"publicity", "publicity_ends_on", "runs until 2026-12-14"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "programme 7 cannot be finalised: ...");
  std::vector<PreconditionViolation> local = PreconditionViolationsOf(status);
  ASSERT_EQ(local.size(), 2u);
  // A stray separator in a description cannot split a record.
  EXPECT_EQ(local[0].description,
            "women >= 2: 1 of 2 approved, at least 2 required");

  grpc::Status wire = rpc::ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  common::v1::ErrorStatus details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_THAT(details.details(0).type_url(),
              ::testing::EndsWith("unionhub.common.v1.PreconditionFailure"));
  std::vector<PreconditionViolation> back =
      rpc::PreconditionViolations(wire.error_details());
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].type, "composition");
  EXPECT_EQ(back[0].subject, "composition_rules[0]");
  EXPECT_EQ(back[0].actual, 1);
  EXPECT_EQ(back[0].required, 2);
  EXPECT_EQ(back[1].type, "publicity");
  EXPECT_EQ(back[1].actual, 0);
  // Field violations are not invented from them.
  EXPECT_TRUE(rpc::FieldViolations(wire.error_details()).empty());
}

TEST(Preconditions, PlainRefusalsCarryNone) {
  grpc::Status wire =
      rpc::ToGrpcStatus(absl::FailedPreconditionError("not now"));
  EXPECT_TRUE(rpc::PreconditionViolations(wire.error_details()).empty());
  EXPECT_TRUE(PreconditionViolationsOf(absl::OkStatus()).empty());
}

TEST(Preconditions, DetailsStayBoundedUnderTheMetadataLimit) {
  std::vector<PreconditionViolation> many;
  for (int i = 0; i < 500; ++i) {
    many.push_back({"composition",
                    "composition_rules[" + std::to_string(i) + "]",
                    std::string(1000, 'x'), i, i + 1});
  }
  grpc::Status wire = rpc::ToGrpcStatus(FailedPreconditionWith("x", many));
  EXPECT_LE(wire.error_details().size(), rpc::kMaxDetailViolationBytes + 200);
  std::vector<PreconditionViolation> back =
      rpc::PreconditionViolations(wire.error_details());
  EXPECT_FALSE(back.empty());
  EXPECT_LE(back.size(), rpc::kMaxDetailViolations);
  EXPECT_LE(back[0].description.size(), rpc::kMaxViolationTextBytes + 4);
}

}  // namespace
}  // namespace unionhub
