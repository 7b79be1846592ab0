// kill -9 of MariaDB under concurrent JoinMember (membership) and
// RecordDuesPayment (finance), the clients retrying each request with its
// request_id until it is acknowledged: after the restart every acknowledged
// write is present exactly once, the rollups agree with the raw rows and
// the ledger verifies (tests/fault/dues_load.h).
#include <gtest/gtest.h>

#include "absl/strings/str_format.h"
#include "tests/fault/dues_load.h"
#include "tests/fault/fault_fixture.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

using FaultDuesTest = FaultTest;

TEST_F(FaultDuesTest, DatabaseKilledUnderJoinsAndPaymentsLosesNothing) {
  DuesLoadEnv env = StartDuesServices();
  ASSERT_FALSE(HasFailure());
  DuesLoad load(env);
  ASSERT_TRUE(load.Prepare());

  // The load for ~8 s, the database killed at ~2 s and back at ~4 s.
  load.Start();
  absl::SleepFor(absl::Seconds(2));
  const int64_t acked_at_kill = load.Acknowledged();
  database().Kill();
  const absl::Time killed = absl::Now();
  absl::SleepFor(absl::Seconds(2));
  ASSERT_TRUE(database().Start().ok());
  const absl::Time back = absl::Now();
  // Recovery: the first acknowledgement after the database is back.
  const absl::Duration recovery =
      load.UntilNextAcknowledgement(absl::Seconds(30));
  absl::SleepFor(absl::Seconds(3));
  load.Stop();
  const DuesOutcome out = load.Check();
  Report(absl::StrFormat(
      "acknowledged %d (joins %d, payments %d, %d before the kill), lost %d, "
      "duplicated %d; retried failures by code [%s]; database down %.1f s; "
      "first acknowledgement %.2f s after it answered again; ledger %d "
      "entries intact; lost request_ids [%s]",
      out.acknowledged, out.joins, out.payments, acked_at_kill, out.lost,
      out.duplicated, out.retried, absl::ToDoubleSeconds(back - killed),
      absl::ToDoubleSeconds(recovery), out.ledger_entries, out.lost_ids));
}

}  // namespace
}  // namespace unionhub::testing
