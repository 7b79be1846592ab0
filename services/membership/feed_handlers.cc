// GetCoverage and the WatchEvents change feed.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/money.h"
#include "services/membership/membership_service.h"

namespace unionhub::membership {
namespace {

using db::Connection;

constexpr int kEventsPerRead = 500;
// A stream is woken by this replica's writes and by the EventPoller (every
// replica's writes); it looks for itself only this rarely, as a safety net.
constexpr absl::Duration kRecheckInterval = absl::Seconds(5);

void Fill(const store::CoverageCounts& counts, v1::CoverageFigures* out) {
  out->set_workers(counts.workers);
  out->set_members(counts.members);
  out->set_employers(counts.employers);
  out->set_employers_with_union(counts.employers_with_union);
  out->set_membership_rate_bp(static_cast<int32_t>(
      money::RatioBasisPoints(counts.members, counts.workers)));
  out->set_unionisation_rate_bp(static_cast<int32_t>(
      money::RatioBasisPoints(counts.employers_with_union, counts.employers)));
}

}  // namespace

absl::Status MembershipServiceImpl::DoGetCoverage(
    const v1::GetCoverageRequest& req, v1::GetCoverageResponse* resp) {
  Violations violations;
  fields::CheckId(req.org_id(), "org_id", violations);
  absl::CivilDay as_of = clock_.Today();
  if (std::optional<absl::CivilDay> day = fields::CheckDate(
          req.as_of(), "as_of", violations, fields::Presence::kOptional)) {
    as_of = *day;
  }
  if (!violations.empty()) return violations.ToStatus();
  const std::string day = dates::FormatDate(as_of);
  return pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<store::OrgRow> root = store::GetOrg(conn, req.org_id());
    if (!root.ok()) return root.status();
    std::map<int64_t, store::CoverageCounts> by_child =
        store::CoverageByChild(conn, root->path, day);
    store::CoverageCounts total;
    for (const auto& [child, counts] : by_child) {
      total.workers += counts.workers;
      total.members += counts.members;
      total.employers += counts.employers;
      total.employers_with_union += counts.employers_with_union;
    }
    resp->set_as_of(day);
    v1::CoverageFigures* figures = resp->mutable_total();
    figures->set_org_id(root->org.org_id());
    figures->set_org_name(root->org.name());
    Fill(total, figures);
    store::OrgFilter filter;
    filter.parent_id = root->org.org_id();
    int64_t after = 0;
    while (true) {
      std::vector<v1::Org> children =
          store::ListOrgs(conn, filter, after, 1000);
      for (const v1::Org& child : children) {
        v1::CoverageFigures* row = resp->add_children();
        row->set_org_id(child.org_id());
        row->set_org_name(child.name());
        auto it = by_child.find(child.org_id());
        Fill(it == by_child.end() ? store::CoverageCounts{} : it->second, row);
      }
      if (children.size() < 1000) break;
      after = children.back().org_id();
    }
    return absl::OkStatus();
  });
}

absl::Status MembershipServiceImpl::DoWatchEvents(
    const rpc::Caller&, grpc::ServerContext& context,
    const v1::WatchEventsRequest& request,
    rpc::ResponseStream<v1::WatchEventsResponse>& stream) {
  if (request.after_sequence() < 0) {
    Violations v;
    v.Add("after_sequence", "must be >= 0");
    return v.ToStatus();
  }
  int64_t cursor = request.after_sequence();
  while (!context.IsCancelled() && !notifier_.shutting_down() &&
         absl::Now() < stream.deadline()) {
    const int64_t version = notifier_.Version();
    std::vector<v1::Event> events;
    int64_t head = 0;
    absl::Status read = pool_.Run([&](Connection& conn) {
      events = store::ReadEvents(conn, cursor, kEventsPerRead);
      // A short read reached the head; only a full one needs asking.
      head = static_cast<int>(events.size()) == kEventsPerRead
                 ? store::LastEventSequence(conn)
                 : 0;
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    if (!events.empty()) head = std::max(head, events.back().sequence());
    for (v1::Event& event : events) {
      v1::WatchEventsResponse response;
      const int64_t sequence = event.sequence();
      *response.mutable_event() = std::move(event);
      response.set_head_sequence(head);
      if (!stream.Write(std::move(response))) {
        return absl::OkStatus();  // client left
      }
      cursor = sequence;
    }
    if (static_cast<int>(events.size()) == kEventsPerRead) continue;
    notifier_.WaitAfter(
        version, std::min(kRecheckInterval, stream.deadline() - absl::Now()));
  }
  if (context.IsCancelled()) return absl::CancelledError("watch cancelled");
  if (absl::Now() >= stream.deadline()) {
    // The stream limits end every stream after a while so no caller holds
    // a thread for good; followers reconnect from their cursor.
    return absl::UnavailableError(
        "watch reached its maximum duration; resume from the last sequence");
  }
  return absl::UnavailableError(
      "server shutting down; resume from the last sequence");
}

}  // namespace unionhub::membership
