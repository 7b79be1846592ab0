// unionhub-demo: the local stack's helper.
//
//   unionhub-demo --wait_healthy_seconds=60     wait until SERVING
//   unionhub-demo --load                        load the demo county
//   unionhub-demo --summary                     print its coverage
//
// Modes combine and run in that order.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tools/demo/demo.h"
#include "tools/demo/demo_plan.h"

ABSL_FLAG(std::string, membership, "127.0.0.1:50051",
          "address of the membership service");
ABSL_FLAG(std::string, health_target, "",
          "address to health-check with --wait_healthy_seconds (any "
          "service; default: --membership)");
ABSL_FLAG(int, wait_healthy_seconds, 0,
          "wait up to this long until grpc.health.v1.Health/Check says "
          "SERVING; exit non-zero if it does not");
ABSL_FLAG(bool, load, false,
          "load the demo county (idempotent: a repeat sends nothing new)");
ABSL_FLAG(bool, resend, false,
          "with --load: send every step even when the data are already "
          "there (checks that the server's idempotency holds)");
ABSL_FLAG(bool, summary, false, "print the coverage of the demo county");

namespace {

int Fail(const absl::Status& s) {
  absl::FPrintF(stderr, "unionhub-demo: %s\n", s.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "unionhub-demo [--membership=HOST:PORT] [--wait_healthy_seconds=N] "
      "[--load] [--summary]");
  const std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() > 1) {
    absl::FPrintF(stderr, "unionhub-demo: unexpected argument '%s'\n", rest[1]);
    return 2;
  }
  const int wait_seconds = absl::GetFlag(FLAGS_wait_healthy_seconds);
  const bool load = absl::GetFlag(FLAGS_load);
  const bool summary = absl::GetFlag(FLAGS_summary);
  if (wait_seconds <= 0 && !load && !summary) {
    absl::FPrintF(stderr, "%s\n(see --help)\n", absl::ProgramUsageMessage());
    return 2;
  }
  const std::string membership = absl::GetFlag(FLAGS_membership);

  if (wait_seconds > 0) {
    std::string target = absl::GetFlag(FLAGS_health_target);
    if (target.empty()) target = membership;
    if (absl::Status s =
            unionhub::demo::WaitHealthy(target, absl::Seconds(wait_seconds));
        !s.ok()) {
      return Fail(s);
    }
  }
  if (!load && !summary) return 0;

  const std::unique_ptr<unionhub::demo::MembershipStub> stub =
      unionhub::membership::v1::MembershipService::NewStub(
          unionhub::demo::MakeChannel(membership));
  if (load) {
    const absl::Time start = absl::Now();
    const unionhub::demo::CountyPlan plan = unionhub::demo::MakeCountyPlan();
    absl::PrintF(
        "plan: %d grassroots unions, %d employers without a union, %s "
        "workers, %s members (made in %.1f s)\n",
        plan.unions.size(), plan.employers.size(),
        unionhub::demo::Thousands(plan.total_workers),
        unionhub::demo::Thousands(static_cast<int64_t>(plan.members.size())),
        absl::ToDoubleSeconds(absl::Now() - start));
    std::fflush(stdout);
    if (absl::Status s = unionhub::demo::LoadCounty(
            *stub, plan, absl::GetFlag(FLAGS_resend));
        !s.ok()) {
      return Fail(s);
    }
  }
  if (load || summary) {
    if (absl::Status s = unionhub::demo::PrintCoverage(*stub); !s.ok()) {
      return Fail(s);
    }
  }
  return 0;
}
