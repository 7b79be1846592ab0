// unionhub.common.v1.AuditTrailService over the service's own audit_trail
// table (see Gate::Audit).
#ifndef UNIONHUB_COMMON_RPC_AUDIT_TRAIL_SERVICE_H_
#define UNIONHUB_COMMON_RPC_AUDIT_TRAIL_SERVICE_H_

#include "common/db/pool.h"
#include "common/rpc/gate.h"
#include "unionhub/common/v1/audit_trail.grpc.pb.h"

namespace unionhub::rpc {

class AuditTrailServiceImpl final
    : public common::v1::AuditTrailService::Service {
 public:
  AuditTrailServiceImpl(Gate& gate, db::Pool& pool)
      : gate_(gate), pool_(pool) {}

  grpc::Status ListAuditTrail(
      grpc::ServerContext* context,
      const common::v1::ListAuditTrailRequest* request,
      common::v1::ListAuditTrailResponse* response) override;

 private:
  absl::Status List(const common::v1::ListAuditTrailRequest& request,
                    common::v1::ListAuditTrailResponse* response);

  Gate& gate_;
  db::Pool& pool_;
};

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_AUDIT_TRAIL_SERVICE_H_
