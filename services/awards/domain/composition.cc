#include "services/awards/domain/composition.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace unionhub::awards {

int64_t MinCountForShare(int64_t total, int32_t share_bp) {
  const int64_t scaled = total * share_bp;
  return (scaled + 9999) / 10000;
}

int64_t MaxCountForShare(int64_t total, int32_t share_bp) {
  return total * share_bp / 10000;
}

bool Counts(const v1::CompositionRule& rule, const NomineeProfile& nominee) {
  switch (rule.category()) {
    case v1::COMPOSITION_CATEGORY_FRONT_LINE:
      return nominee.front_line;
    case v1::COMPOSITION_CATEGORY_MIGRANT_WORKER:
      return nominee.migrant_worker;
    case v1::COMPOSITION_CATEGORY_ENTERPRISE_LEADER:
      return nominee.enterprise_leader;
    case v1::COMPOSITION_CATEGORY_WOMEN:
      return nominee.female;
    case v1::COMPOSITION_CATEGORY_MODEL_WORKER:
      return nominee.model_worker_level > 0 &&
             nominee.model_worker_level >=
                 std::max(1, static_cast<int>(rule.model_worker_level()));
    default:
      return false;
  }
}

std::string CategoryName(const v1::CompositionRule& rule) {
  switch (rule.category()) {
    case v1::COMPOSITION_CATEGORY_FRONT_LINE:
      return "front-line workers";
    case v1::COMPOSITION_CATEGORY_MIGRANT_WORKER:
      return "migrant workers";
    case v1::COMPOSITION_CATEGORY_ENTERPRISE_LEADER:
      return "enterprise leaders";
    case v1::COMPOSITION_CATEGORY_WOMEN:
      return "women";
    case v1::COMPOSITION_CATEGORY_MODEL_WORKER:
      return absl::StrCat(
          "model workers (level ",
          std::max(1, static_cast<int>(rule.model_worker_level())), "+)");
    default:
      return "unknown category";
  }
}

namespace {

std::string Percent(int32_t share_bp) {
  return absl::StrFormat("%d.%02d %%", share_bp / 100, share_bp % 100);
}

}  // namespace

std::vector<BrokenRule> CheckComposition(
    const std::vector<v1::CompositionRule>& rules, int32_t total_quota,
    const std::vector<NomineeProfile>& approved) {
  std::vector<BrokenRule> broken;
  const int64_t total = static_cast<int64_t>(approved.size());
  if (total > total_quota) {
    broken.push_back(
        {"total_quota",
         absl::StrCat("total quota: ", total, " to approve, at most ",
                      total_quota, " allowed"),
         total, total_quota});
  }
  for (size_t i = 0; i < rules.size(); ++i) {
    const v1::CompositionRule& rule = rules[i];
    int64_t count = 0;
    for (const NomineeProfile& nominee : approved) {
      if (Counts(rule, nominee)) ++count;
    }
    const std::string name = absl::StrCat("composition_rules[", i, "]");
    const std::string category = CategoryName(rule);
    switch (rule.bound()) {
      case v1::COMPOSITION_BOUND_MIN_SHARE: {
        const int64_t need = MinCountForShare(total, rule.share_bp());
        if (count < need) {
          broken.push_back(
              {name,
               absl::StrCat(category, " >= ", Percent(rule.share_bp()), ": ",
                            count, " of ", total, " approved, at least ", need,
                            " required"),
               count, need});
        }
        break;
      }
      case v1::COMPOSITION_BOUND_MAX_SHARE: {
        const int64_t cap = MaxCountForShare(total, rule.share_bp());
        if (count > cap) {
          broken.push_back(
              {name,
               absl::StrCat(category, " <= ", Percent(rule.share_bp()), ": ",
                            count, " of ", total, " approved, at most ", cap,
                            " allowed"),
               count, cap});
        }
        break;
      }
      case v1::COMPOSITION_BOUND_MIN_COUNT:
        if (count < rule.count()) {
          broken.push_back(
              {name,
               absl::StrCat(category, " >= ", rule.count(), ": ", count, " of ",
                            total, " approved, at least ", rule.count(),
                            " required"),
               count, rule.count()});
        }
        break;
      case v1::COMPOSITION_BOUND_MAX_COUNT:
        if (count > rule.count()) {
          broken.push_back(
              {name,
               absl::StrCat(category, " <= ", rule.count(), ": ", count, " of ",
                            total, " approved, at most ", rule.count(),
                            " allowed"),
               count, rule.count()});
        }
        break;
      default:
        break;
    }
  }
  return broken;
}

void ValidateRule(const v1::CompositionRule& rule, const std::string& prefix,
                  std::vector<std::pair<std::string, std::string>>* bad) {
  if (!v1::CompositionCategory_IsValid(rule.category()) ||
      rule.category() == v1::COMPOSITION_CATEGORY_UNSPECIFIED) {
    bad->push_back({prefix + ".category", "required"});
  }
  switch (rule.bound()) {
    case v1::COMPOSITION_BOUND_MIN_SHARE:
    case v1::COMPOSITION_BOUND_MAX_SHARE:
      if (rule.share_bp() < 1 || rule.share_bp() > 10000) {
        bad->push_back({prefix + ".share_bp", "must be 1..10000 basis points"});
      }
      break;
    case v1::COMPOSITION_BOUND_MIN_COUNT:
    case v1::COMPOSITION_BOUND_MAX_COUNT:
      if (rule.count() < 0) {
        bad->push_back({prefix + ".count", "must not be negative"});
      }
      break;
    default:
      bad->push_back({prefix + ".bound", "required"});
  }
  if (rule.model_worker_level() < 0 || rule.model_worker_level() > 4) {
    bad->push_back({prefix + ".model_worker_level", "unknown level"});
  }
}

bool FemaleFromNationalId(const std::string& national_id, bool* female) {
  if (national_id.size() != 18) return false;
  const char digit = national_id[16];
  if (digit < '0' || digit > '9') return false;
  *female = (digit - '0') % 2 == 0;
  return true;
}

}  // namespace unionhub::awards
