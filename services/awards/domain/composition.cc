#include "services/awards/domain/composition.h"

#include <algorithm>

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

namespace {

// One row per category a composition rule may count: its name in messages
// and whether a nominee counts. A new category is one row here (plus the
// fact on NomineeProfile and where evidence.cc records it).
struct Category {
  v1::CompositionCategory category;
  const char* name;
  // Model workers count at the rule's level or above; the name says which.
  bool by_level;
  bool (*counts)(const NomineeProfile& nominee, int min_level);
};

const Category kCategories[] = {
    {v1::COMPOSITION_CATEGORY_FRONT_LINE, "front-line workers", false,
     [](const NomineeProfile& n, int) { return n.front_line; }},
    {v1::COMPOSITION_CATEGORY_MIGRANT_WORKER, "migrant workers", false,
     [](const NomineeProfile& n, int) { return n.migrant_worker; }},
    {v1::COMPOSITION_CATEGORY_ENTERPRISE_LEADER, "enterprise leaders", false,
     [](const NomineeProfile& n, int) { return n.enterprise_leader; }},
    {v1::COMPOSITION_CATEGORY_WOMEN, "women", false,
     [](const NomineeProfile& n, int) { return n.female; }},
    {v1::COMPOSITION_CATEGORY_MODEL_WORKER, "model workers", true,
     [](const NomineeProfile& n, int min_level) {
       return n.model_worker_level > 0 && n.model_worker_level >= min_level;
     }},
};

const Category* CategoryOf(const v1::CompositionRule& rule) {
  for (const Category& c : kCategories) {
    if (c.category == rule.category()) return &c;
  }
  return nullptr;
}

// The lowest model worker level a rule counts (unset: any level).
int MinLevel(const v1::CompositionRule& rule) {
  return std::max(1, static_cast<int>(rule.model_worker_level()));
}

}  // namespace

bool Counts(const v1::CompositionRule& rule, const NomineeProfile& nominee) {
  const Category* c = CategoryOf(rule);
  return c != nullptr && c->counts(nominee, MinLevel(rule));
}

std::string CategoryName(const v1::CompositionRule& rule) {
  const Category* c = CategoryOf(rule);
  if (c == nullptr) return "unknown category";
  if (!c->by_level) return c->name;
  return absl::StrCat(c->name, " (level ", MinLevel(rule), "+)");
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
  // A category without a row counts nobody, so it is refused as unset.
  if (CategoryOf(rule) == nullptr) {
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

}  // namespace unionhub::awards
