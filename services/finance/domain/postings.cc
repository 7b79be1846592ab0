#include "services/finance/domain/postings.h"

namespace unionhub::finance::domain {

std::vector<Posting> PostingSet::Postings() const {
  std::vector<Posting> postings;
  for (const auto& [account, amount] : totals_) {
    if (amount > 0) postings.push_back({account, amount});
  }
  for (const auto& [account, amount] : totals_) {
    if (amount < 0) postings.push_back({account, amount});
  }
  return postings;
}

bool PostingSet::empty() const {
  for (const auto& [account, amount] : totals_) {
    if (amount != 0) return false;
  }
  return true;
}

}  // namespace unionhub::finance::domain
