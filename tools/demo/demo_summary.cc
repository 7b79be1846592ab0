// --summary: the coverage (入会率, 建会率) of the demo county.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "grpcpp/client_context.h"
#include "tools/demo/demo.h"

namespace unionhub::demo {
namespace {

// Terminal columns of a UTF-8 string: CJK characters (3-byte sequences
// here) take two, ASCII one.
int DisplayWidth(absl::string_view s) {
  int width = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    width += len >= 3 ? 2 : 1;
    i += len;
  }
  return width;
}

std::string PadRight(absl::string_view s, int width) {
  return absl::StrCat(s,
                      std::string(std::max(0, width - DisplayWidth(s)), ' '));
}

std::string PadLeft(absl::string_view s, int width) {
  return absl::StrCat(std::string(std::max(0, width - DisplayWidth(s)), ' '),
                      s);
}

std::string Rate(int32_t bp) {
  return absl::StrFormat("%d.%02d%%", bp / 100, bp % 100);
}

constexpr int kNameWidth = 26;

void PrintRow(absl::string_view name, const mv1::CoverageFigures& f) {
  absl::PrintF("%s %s %s %s %s %s %s\n", PadRight(name, kNameWidth),
               PadLeft(Thousands(f.workers()), 9),
               PadLeft(Thousands(f.members()), 9),
               PadLeft(Rate(f.membership_rate_bp()), 8),
               PadLeft(Thousands(f.employers()), 9),
               PadLeft(Thousands(f.employers_with_union()), 10),
               PadLeft(Rate(f.unionisation_rate_bp()), 8));
}

}  // namespace

absl::Status PrintCoverage(MembershipStub& stub) {
  absl::StatusOr<mv1::Org> county = FindCounty(stub);
  if (!county.ok()) return county.status();
  mv1::GetCoverageRequest request;
  request.set_org_id(county->org_id());
  mv1::GetCoverageResponse response;
  const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
    return stub.GetCoverage(context, request, &response);
  });
  if (!s.ok()) return ToStatus(s, "GetCoverage");

  absl::PrintF("Coverage of %s (org %d) as of %s\n", county->name(),
               county->org_id(), response.as_of());
  absl::PrintF("%s %s %s %s %s %s %s\n", PadRight("organisation", kNameWidth),
               PadLeft("workers", 9), PadLeft("members", 9),
               PadLeft("入会率", 8), PadLeft("employers", 9),
               PadLeft("with union", 10), PadLeft("建会率", 8));
  PrintRow(absl::StrCat(county->name(), " (total)"), response.total());
  for (const mv1::CoverageFigures& child : response.children()) {
    PrintRow(absl::StrCat("  ", child.org_name()), child);
  }
  absl::PrintF(
      "入会率 = ACTIVE members / workers of the employers covered; "
      "建会率 = employers with an established union / employers.\n");
  std::fflush(stdout);
  return absl::OkStatus();
}

}  // namespace unionhub::demo
