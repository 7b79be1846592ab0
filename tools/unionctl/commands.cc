#include "tools/unionctl/commands.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/rpc/generic_call.h"

namespace unionhub::unionctl {
namespace {

constexpr char kM[] = "unionhub.membership.v1.MembershipService/";
constexpr char kF[] = "unionhub.finance.v1.FinanceService/";
constexpr char kA[] = "unionhub.finance.v1.AuditService/";
constexpr char kW[] = "unionhub.awards.v1.AwardsService/";
constexpr char kC[] = "unionhub.awards.v1.CompetitionService/";

std::vector<Command> Build() {
  auto m = [](const char* method) { return absl::StrCat(kM, method); };
  auto f = [](const char* method) { return absl::StrCat(kF, method); };
  auto a = [](const char* method) { return absl::StrCat(kA, method); };
  auto w = [](const char* method) { return absl::StrCat(kW, method); };
  auto k = [](const char* method) { return absl::StrCat(kC, method); };
  return {
      {"org", "create", m("CreateOrg"), "create an organisation"},
      {"org", "get", m("GetOrg"), "show an organisation"},
      {"org", "update", m("UpdateOrg"),
       "change an organisation (--update_mask names the fields)"},
      {"org", "list", m("ListOrgs"), "list child organisations"},
      {"org", "establish", m("EstablishOrg"),
       "establish a preparing union (筹备组)"},
      {"org", "dissolve", m("DissolveOrg"), "dissolve an organisation"},
      {"org", "create-employer", m("CreateEmployer"),
       "record an employer without a union"},
      {"org", "employers", m("ListEmployers"), "list employers"},
      {"org", "coverage", m("GetCoverage"),
       "membership and unionisation rates of a subtree", "children"},
      {"org", "events", m("WatchEvents"),
       "the change feed (follows live events; stop with --limit)"},
      {"member", "join", m("JoinMember"), "a person joins"},
      {"member", "get", m("GetMember"), "show a member"},
      {"member", "lookup", m("LookupMember"),
       "find a member by national ID or card number"},
      {"member", "list", m("ListMembers"), "list members of a subtree"},
      {"member", "update", m("UpdateMember"),
       "change a member (--update_mask names the fields)"},
      {"member", "transfer", m("TransferMember"),
       "move a member to another organisation"},
      {"member", "status", m("ChangeMemberStatus"),
       "retain, lapse, leave, expel, ..."},
      {"member", "history", m("GetMemberHistory"), "a member's history"},
      {"dues", "set-policy", f("SetDuesPolicy"),
       "a dues rate for a subtree from a month on"},
      {"dues", "policies", f("ListDuesPolicies"), "list dues policies"},
      {"dues", "assess", f("AssessDues"),
       "charge a month's dues over a subtree"},
      {"dues", "pay", f("RecordDuesPayment"), "record a dues payment"},
      {"dues", "suspense", f("ListSuspense"),
       "list payroll rows parked in suspense"},
      {"dues", "resolve", f("ResolveSuspense"),
       "apply a suspense item to a member, or discard it"},
      {"dues", "statement", f("GetMemberDuesStatement"),
       "a member's charges and payments", "charges"},
      {"dues", "standing", f("GetDuesStanding"), "a member's arrears"},
      {"dues", "roster", f("GetRosterStatus"),
       "how far finance follows membership"},
      {"funds", "declare", f("DeclarePayroll"),
       "an employer's monthly payroll (the 2% appropriation)"},
      {"funds", "collect", f("RecordFundsCollection"),
       "money received for a declaration"},
      {"funds", "set-allocation", f("SetAllocationTable"),
       "a province's upward allocation table (--json for the shares)"},
      {"funds", "allocations", f("ListAllocationTables"),
       "list allocation tables"},
      {"funds", "set-refund-policy", f("SetRefundPolicy"),
       "a refund policy for small and micro enterprises"},
      {"funds", "refund-policies", f("ListRefundPolicies"),
       "list refund policies"},
      {"funds", "expense", f("RecordExpense"), "record an expense"},
      {"funds", "set-budget", f("SetBudget"),
       "an organisation's budget for a category and year"},
      {"funds", "budget", f("GetBudgetExecution"), "budget against spending",
       "lines"},
      {"funds", "transaction", f("GetTransaction"), "show a ledger entry",
       "entry.postings"},
      {"funds", "reverse", f("ReverseTransaction"),
       "post the reversal of a ledger entry"},
      {"audit", "collection", a("GetCollectionReport"),
       "dues collection by month and by child organisation", "by_month"},
      {"audit", "arrears", a("ListArrears"), "members in arrears"},
      {"audit", "lapse", a("ListLapseCandidates"),
       "members unpaid six months or more"},
      {"audit", "reconciliation", a("GetFundsReconciliation"),
       "union funds: declared, collected, split", "by_month"},
      {"audit", "spending", a("GetSpendingReport"), "spending by category"},
      {"audit", "verify-ledger", a("VerifyLedger"),
       "recompute the ledger's seal chain"},
      {"audit", "export-ledger", a("ExportLedger"),
       "every ledger entry (stream)"},
      {"audit", "open", a("OpenEngagement"), "open an engagement"},
      {"audit", "advance", a("AdvanceEngagement"),
       "move an engagement to its next status"},
      {"audit", "get", a("GetEngagement"), "show an engagement",
       "engagement.findings"},
      {"audit", "list", a("ListEngagements"), "list engagements"},
      {"audit", "finding", a("AddFinding"), "add a finding"},
      {"audit", "rectification", a("AddRectification"),
       "add a rectification to a finding"},
      {"audit", "update-rectification", a("UpdateRectification"),
       "change a rectification's status"},
      {"audit", "overdue", a("ListOverdueRectifications"),
       "rectifications past their deadline"},
      {"audit", "close", a("CloseEngagement"), "close an engagement"},
      {"awards", "create", w("CreateProgram"), "create an award programme"},
      {"awards", "get", w("GetProgram"), "show a programme"},
      {"awards", "list", w("ListPrograms"), "list programmes"},
      {"awards", "open", w("OpenNominations"), "open nominations"},
      {"awards", "close-nominations", w("CloseNominations"),
       "close nominations"},
      {"awards", "nominate", w("CreateNomination"), "draft a nomination"},
      {"awards", "submit", w("SubmitNomination"), "submit a nomination"},
      {"awards", "withdraw", w("WithdrawNomination"), "withdraw a nomination"},
      {"awards", "nomination", w("GetNomination"), "show a nomination"},
      {"awards", "nominations", w("ListNominations"), "list nominations"},
      {"awards", "assign-reviewers", w("AssignReviewers"),
       "assign the review panel"},
      {"awards", "reviewers", w("ListReviewers"), "list the review panel"},
      {"awards", "vote", w("CastVote"), "cast a reviewer's vote"},
      {"awards", "close-review", w("CloseReview"), "close the review"},
      {"awards", "publicity", w("StartPublicity"),
       "start the publicity period (公示)"},
      {"awards", "notice", w("GetPublicityNotice"), "the publicity notice"},
      {"awards", "object", w("FileObjection"), "file an objection"},
      {"awards", "resolve-objection", w("ResolveObjection"),
       "resolve an objection"},
      {"awards", "objections", w("ListObjections"), "list objections"},
      {"awards", "finalize", w("FinalizeProgram"),
       "finalize a programme and confer honours"},
      {"awards", "honours", w("ListHonours"), "list honours"},
      {"awards", "revoke", w("RevokeHonour"), "revoke an honour"},
      {"contest", "create", k("CreateCompetition"), "create a competition"},
      {"contest", "get", k("GetCompetition"), "show a competition"},
      {"contest", "list", k("ListCompetitions"), "list competitions"},
      {"contest", "register", k("RegisterEntrant"), "register an entrant"},
      {"contest", "entrants", k("ListEntrants"),
       "list a competition's entrants"},
      {"contest", "score", k("SubmitScore"), "submit a judge's score"},
      {"contest", "leaderboard", k("GetLeaderboard"), "the leaderboard"},
      {"contest", "finish", k("FinishCompetition"),
       "close scoring once every judge has scored"},
      {"contest", "nominate", k("NominateFromCompetition"),
       "nominate winners into an award programme"},
  };
}

}  // namespace

const std::vector<Command>& Commands() {
  static const std::vector<Command>* commands =
      new std::vector<Command>(Build());
  return *commands;
}

const std::vector<Group>& Groups() {
  static const std::vector<Group>* groups = new std::vector<Group>{
      {"org", "organisations and employers (membership)"},
      {"member", "members (membership)"},
      {"dues", "member dues (finance)"},
      {"funds", "union funds, spending, budgets, the ledger (finance)"},
      {"audit", "auditors' reports and engagements (finance)"},
      {"awards", "award programmes: nominations, review, publicity, honours"},
      {"contest", "competitions: entrants, scores, leaderboards"},
      {"token", "development bearer tokens"},
  };
  return *groups;
}

std::vector<const google::protobuf::ServiceDescriptor*> Services() {
  return rpc::UnionhubServices();
}

const google::protobuf::MethodDescriptor* FindMethod(absl::string_view name) {
  return rpc::FindUnionhubMethod(name);
}

bool TargetOf(const google::protobuf::MethodDescriptor* method, Target* out) {
  const std::string& package = method->service()->file()->package();
  if (absl::StartsWith(package, "unionhub.membership.")) {
    *out = Target::kMembership;
  } else if (absl::StartsWith(package, "unionhub.finance.")) {
    *out = Target::kFinance;
  } else if (absl::StartsWith(package, "unionhub.awards.")) {
    *out = Target::kAwards;
  } else {
    return false;
  }
  return true;
}

}  // namespace unionhub::unionctl
