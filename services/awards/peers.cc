#include "services/awards/peers.h"

#include "common/rpc/peer_call.h"
#include "common/rpc/peer_channel.h"

namespace unionhub::awards {

namespace {

// A peer that comes back is used again within a second: gRPC's default
// reconnect backoff grows to two minutes, far longer than our deadlines.
std::shared_ptr<grpc::Channel> PeerChannel(
    const std::string& target,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    rpc::TokenSource token) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return rpc::BearerChannel(target, credentials, token, args);
}

}  // namespace

Peers::Peers(PeerConfig config) : config_(std::move(config)) {
  membership_ = mv1::MembershipService::NewStub(
      PeerChannel(config_.membership_target, config_.membership_credentials,
                  config_.token));
  finance_ = fv1::FinanceService::NewStub(PeerChannel(
      config_.finance_target, config_.finance_credentials, config_.token));
}

template <typename Call>
absl::Status Peers::WithRetry(absl::string_view peer, absl::string_view what,
                              Call&& call) {
  rpc::PeerRetry retry;
  retry.per_attempt = config_.deadline;
  retry.attempts = config_.attempts;
  retry.backoff = config_.backoff;
  return rpc::CallPeer(peer, what, retry, call);
}

absl::StatusOr<mv1::Member> Peers::GetMember(int64_t member_id) {
  mv1::GetMemberRequest request;
  request.set_member_id(member_id);
  mv1::GetMemberResponse response;
  absl::Status status =
      WithRetry("membership", "GetMember", [&](grpc::ClientContext* context) {
        return membership_->GetMember(context, request, &response);
      });
  if (!status.ok()) return status;
  return response.member();
}

absl::StatusOr<mv1::Org> Peers::GetOrg(int64_t org_id) {
  mv1::GetOrgRequest request;
  request.set_org_id(org_id);
  mv1::GetOrgResponse response;
  absl::Status status =
      WithRetry("membership", "GetOrg", [&](grpc::ClientContext* context) {
        return membership_->GetOrg(context, request, &response);
      });
  if (!status.ok()) return status;
  return response.org();
}

absl::StatusOr<fv1::GetDuesStandingResponse> Peers::GetDuesStanding(
    int64_t member_id) {
  fv1::GetDuesStandingRequest request;
  request.set_member_id(member_id);
  fv1::GetDuesStandingResponse response;
  absl::Status status = WithRetry(
      "finance", "GetDuesStanding", [&](grpc::ClientContext* context) {
        return finance_->GetDuesStanding(context, request, &response);
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace unionhub::awards
