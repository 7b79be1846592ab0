// gRPC handlers of unionhub.membership.v1.MembershipService: validate the
// request, apply the domain rules, compose store calls into one
// transaction, and map the outcome to a grpc::Status in one place.
#ifndef UNIONHUB_SERVICES_MEMBERSHIP_MEMBERSHIP_SERVICE_H_
#define UNIONHUB_SERVICES_MEMBERSHIP_MEMBERSHIP_SERVICE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/core/clock.h"
#include "common/core/violations.h"
#include "common/db/pool.h"
#include "common/rpc/adapter.h"
#include "common/rpc/batched_import.h"
#include "common/rpc/gate.h"
#include "common/rpc/metrics.h"
#include "services/membership/event_notifier.h"
#include "services/membership/store/store.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::membership {

namespace v1 = ::unionhub::membership::v1;

class MembershipServiceImpl final : public v1::MembershipService::Service {
 public:
  // `clock` says what "today" is for every rule that needs one.
  // `import_rows` counts ImportMembers' rows for the metrics.
  MembershipServiceImpl(db::Pool& pool, EventNotifier& notifier,
                        rpc::Gate& gate, const Clock& clock,
                        rpc::ImportRowCounters import_rows = {})
      : pool_(pool),
        notifier_(notifier),
        gate_(gate),
        clock_(clock),
        import_rows_(import_rows),
        import_batches_(pool.config().pool_size) {}

  grpc::Status CreateOrg(grpc::ServerContext*, const v1::CreateOrgRequest*,
                         v1::CreateOrgResponse*) override;
  grpc::Status GetOrg(grpc::ServerContext*, const v1::GetOrgRequest*,
                      v1::GetOrgResponse*) override;
  grpc::Status UpdateOrg(grpc::ServerContext*, const v1::UpdateOrgRequest*,
                         v1::UpdateOrgResponse*) override;
  grpc::Status ListOrgs(grpc::ServerContext*, const v1::ListOrgsRequest*,
                        v1::ListOrgsResponse*) override;
  grpc::Status EstablishOrg(grpc::ServerContext*,
                            const v1::EstablishOrgRequest*,
                            v1::EstablishOrgResponse*) override;
  grpc::Status DissolveOrg(grpc::ServerContext*, const v1::DissolveOrgRequest*,
                           v1::DissolveOrgResponse*) override;
  grpc::Status CreateEmployer(grpc::ServerContext*,
                              const v1::CreateEmployerRequest*,
                              v1::CreateEmployerResponse*) override;
  grpc::Status ListEmployers(grpc::ServerContext*,
                             const v1::ListEmployersRequest*,
                             v1::ListEmployersResponse*) override;

  grpc::Status JoinMember(grpc::ServerContext*, const v1::JoinMemberRequest*,
                          v1::JoinMemberResponse*) override;
  grpc::Status GetMember(grpc::ServerContext*, const v1::GetMemberRequest*,
                         v1::GetMemberResponse*) override;
  grpc::Status LookupMember(grpc::ServerContext*,
                            const v1::LookupMemberRequest*,
                            v1::LookupMemberResponse*) override;
  grpc::Status ListMembers(grpc::ServerContext*, const v1::ListMembersRequest*,
                           v1::ListMembersResponse*) override;
  grpc::Status UpdateMember(grpc::ServerContext*,
                            const v1::UpdateMemberRequest*,
                            v1::UpdateMemberResponse*) override;
  grpc::Status TransferMember(grpc::ServerContext*,
                              const v1::TransferMemberRequest*,
                              v1::TransferMemberResponse*) override;
  grpc::Status ChangeMemberStatus(grpc::ServerContext*,
                                  const v1::ChangeMemberStatusRequest*,
                                  v1::ChangeMemberStatusResponse*) override;
  grpc::Status GetMemberHistory(grpc::ServerContext*,
                                const v1::GetMemberHistoryRequest*,
                                v1::GetMemberHistoryResponse*) override;
  grpc::Status ImportMembers(grpc::ServerContext*,
                             grpc::ServerReader<v1::ImportMembersRequest>*,
                             v1::ImportMembersResponse*) override;

  grpc::Status GetCoverage(grpc::ServerContext*, const v1::GetCoverageRequest*,
                           v1::GetCoverageResponse*) override;
  grpc::Status WatchEvents(
      grpc::ServerContext*, const v1::WatchEventsRequest*,
      grpc::ServerWriter<v1::WatchEventsResponse>*) override;

 private:
  // A request's date field: today when empty, else a valid date not after
  // today. Adds a violation on `field` and returns today when invalid.
  absl::CivilDay DateOrToday(const std::string& text, absl::string_view field,
                             Violations& violations) const;

  absl::Status DoCreateOrg(const v1::CreateOrgRequest&, v1::CreateOrgResponse*);
  absl::Status DoGetOrg(const v1::GetOrgRequest&, v1::GetOrgResponse*);
  absl::Status DoUpdateOrg(const v1::UpdateOrgRequest&, v1::UpdateOrgResponse*);
  absl::Status DoListOrgs(const v1::ListOrgsRequest&, v1::ListOrgsResponse*);
  absl::Status DoEstablishOrg(const v1::EstablishOrgRequest&,
                              v1::EstablishOrgResponse*);
  absl::Status DoDissolveOrg(const v1::DissolveOrgRequest&,
                             v1::DissolveOrgResponse*);
  absl::Status DoCreateEmployer(const v1::CreateEmployerRequest&,
                                v1::CreateEmployerResponse*);
  absl::Status DoListEmployers(const v1::ListEmployersRequest&,
                               v1::ListEmployersResponse*);
  absl::Status DoJoinMember(const v1::JoinMemberRequest&,
                            v1::JoinMemberResponse*);
  absl::Status DoGetMember(const v1::GetMemberRequest&, v1::GetMemberResponse*);
  absl::Status DoLookupMember(const rpc::Caller& caller,
                              const v1::LookupMemberRequest&,
                              v1::LookupMemberResponse*);
  absl::Status DoListMembers(const v1::ListMembersRequest&,
                             v1::ListMembersResponse*);
  absl::Status DoUpdateMember(const v1::UpdateMemberRequest&,
                              v1::UpdateMemberResponse*);
  absl::Status DoTransferMember(const v1::TransferMemberRequest&,
                                v1::TransferMemberResponse*);
  absl::Status DoChangeMemberStatus(const v1::ChangeMemberStatusRequest&,
                                    v1::ChangeMemberStatusResponse*);
  absl::Status DoGetMemberHistory(const v1::GetMemberHistoryRequest&,
                                  v1::GetMemberHistoryResponse*);
  absl::Status DoImportMembers(const rpc::Caller& caller,
                               grpc::ServerContext& context,
                               grpc::ServerReader<v1::ImportMembersRequest>&,
                               v1::ImportMembersResponse*,
                               std::string* request_id);
  absl::Status DoGetCoverage(const v1::GetCoverageRequest&,
                             v1::GetCoverageResponse*);
  absl::Status DoWatchEvents(const rpc::Caller& caller,
                             grpc::ServerContext& context,
                             const v1::WatchEventsRequest&,
                             rpc::ResponseStream<v1::WatchEventsResponse>&);

  db::Pool& pool_;
  EventNotifier& notifier_;
  rpc::Gate& gate_;
  const Clock& clock_;
  const rpc::ImportRowCounters import_rows_;
  // One batch per database connection: more would only wait for one.
  rpc::ImportBatchSlots import_batches_;
};

// Shared by the handler files.
namespace internal {

// Checks that `org` may take new members.
absl::Status CheckCanHoldMembers(const v1::Org& org);

// Joins a validated candidate (national ID normalised, sex and birth date
// filled) to `org`: new people are appended to `new_members` for a batch
// insert by InsertJoined; a LEFT or LAPSED person is reactivated here.
// Returns the member for a reactivation, nullopt for a new person.
absl::StatusOr<std::optional<v1::Member>> Join(
    db::Connection& conn, const v1::Member& candidate, const store::OrgRow& org,
    const std::optional<v1::Member>& existing, absl::CivilDay join_date,
    const std::string& request_id, store::EventBatch& events,
    std::vector<v1::Member>& new_members);

// Assigns ids and cards to `new_members`, inserts them and their events.
void InsertJoined(db::Connection& conn, std::vector<v1::Member>& new_members,
                  const std::string& request_id, store::EventBatch& events);

// Normalises the national ID and fills sex and birth date from it.
void FillDerivedFields(v1::Member& member, absl::CivilDay today);

// domain::CheckMayMoveMemberFrom for the current caller and `member`'s
// current org, read in the caller's transaction (so under its locks):
// every path that takes a member out of its org asks this.
absl::Status CheckMayMoveMember(db::Connection& conn, const v1::Member& member);

}  // namespace internal

}  // namespace unionhub::membership

#endif  // UNIONHUB_SERVICES_MEMBERSHIP_MEMBERSHIP_SERVICE_H_
