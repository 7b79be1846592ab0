// SCAFFOLD: replaced by the real handlers.
#include "services/finance/finance_service.h"

namespace unionhub::finance {

absl::Status FinanceServiceImpl::DoRecordExpense(
    const rpc::Caller&, const v1::RecordExpenseRequest&,
    v1::RecordExpenseResponse*) {
  return absl::UnimplementedError("RecordExpense is not built yet");
}

absl::Status FinanceServiceImpl::DoSetBudget(const rpc::Caller&,
                                             const v1::SetBudgetRequest&,
                                             v1::SetBudgetResponse*) {
  return absl::UnimplementedError("SetBudget is not built yet");
}

absl::Status FinanceServiceImpl::DoGetBudgetExecution(
    const rpc::Caller&, const v1::GetBudgetExecutionRequest&,
    v1::GetBudgetExecutionResponse*) {
  return absl::UnimplementedError("GetBudgetExecution is not built yet");
}

}  // namespace unionhub::finance
