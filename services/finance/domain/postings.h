// Building the postings of one ledger entry from many small money
// movements (a whole assessment run, a batch of payroll rows): amounts on
// the same account are netted, and accounts that net to zero are left out,
// because a ledger posting may never be 0 (domain::CheckBalanced).
#ifndef UNIONHUB_SERVICES_FINANCE_DOMAIN_POSTINGS_H_
#define UNIONHUB_SERVICES_FINANCE_DOMAIN_POSTINGS_H_

#include <map>
#include <string>
#include <vector>

#include "common/core/money.h"
#include "services/finance/domain/ledger.h"

namespace unionhub::finance::domain {

class PostingSet {
 public:
  // Debits are positive, credits negative (as in Posting).
  void Debit(const std::string& account, Fen amount) {
    totals_[account] += amount;
  }
  void Credit(const std::string& account, Fen amount) {
    totals_[account] -= amount;
  }

  // Non-zero net amounts, debits first, then credits, each group in
  // account-name order, so the same movements always give the same entry.
  std::vector<Posting> Postings() const;

  // Whether any account has a non-zero net amount.
  bool empty() const;

 private:
  std::map<std::string, Fen> totals_;
};

}  // namespace unionhub::finance::domain

#endif  // UNIONHUB_SERVICES_FINANCE_DOMAIN_POSTINGS_H_
