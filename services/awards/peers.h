// Awards' synchronous calls to membership and finance (rpc::CallPeer): each
// attempt has a deadline and is retried with jittered backoff while the
// peer is UNAVAILABLE, all within the deadline of the call being served;
// when the peer stays away the caller gets UNAVAILABLE naming it, or
// DEADLINE_EXCEEDED naming it when the caller's deadline ran out first.
#ifndef UNIONHUB_SERVICES_AWARDS_PEERS_H_
#define UNIONHUB_SERVICES_AWARDS_PEERS_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::awards {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

struct PeerConfig {
  std::string membership_target;  // host:port
  std::shared_ptr<grpc::ChannelCredentials> membership_credentials;
  std::string finance_target;
  std::shared_ptr<grpc::ChannelCredentials> finance_credentials;
  // The bearer token (role "service"), attached by both channels and asked
  // for on every call so a rotated token file is picked up.
  std::function<std::string()> token;
  absl::Duration deadline = absl::Seconds(5);  // per attempt
  int attempts = 3;
  // Doubled per attempt, jittered.
  absl::Duration backoff = absl::Milliseconds(200);
};

class Peers {
 public:
  explicit Peers(PeerConfig config);

  absl::StatusOr<mv1::Member> GetMember(int64_t member_id);
  absl::StatusOr<mv1::Org> GetOrg(int64_t org_id);
  absl::StatusOr<fv1::GetDuesStandingResponse> GetDuesStanding(
      int64_t member_id);

 private:
  template <typename Call>
  absl::Status WithRetry(absl::string_view peer, absl::string_view what,
                         Call&& call);

  PeerConfig config_;
  std::unique_ptr<mv1::MembershipService::Stub> membership_;
  std::unique_ptr<fv1::FinanceService::Stub> finance_;
};

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_PEERS_H_
