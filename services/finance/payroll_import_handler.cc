// SCAFFOLD: replaced by the real handlers.
#include "services/finance/finance_service.h"

namespace unionhub::finance {

absl::Status FinanceServiceImpl::DoImportPayrollDeductions(
    const rpc::Caller&, grpc::ServerContext&,
    grpc::ServerReader<v1::ImportPayrollDeductionsRequest>&,
    v1::ImportPayrollDeductionsResponse*, std::string*) {
  return absl::UnimplementedError("ImportPayrollDeductions is not built yet");
}

}  // namespace unionhub::finance
