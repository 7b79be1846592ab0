// The one RPC adapter through a real Gate and a real audit_trail table:
// unary, client-stream and server-stream calls all authorise the same way,
// run the handler with the caller set as CurrentCaller(), mask what they
// send and record audited methods (mutating ones and bulk exports), refusals
// included. Issue 12 item 2: before it, WatchEvents ran without a caller
// scope, ImportMembers' response was not masked and ExportLedger was not
// audited.
#include <grpcpp/test/server_context_test_spouse.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/rpc/adapter.h"
#include "tests/support/test_env.h"
#include "unionhub/finance/v1/finance.pb.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::db {
const std::vector<MigrationFile>& MembershipMigrations();
}

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

constexpr char kId[] = "32092419900101008X";
constexpr char kMasked[] = "**************008X";
constexpr char kMembership[] = "unionhub.membership.v1.MembershipService.";
constexpr char kFinance[] = "unionhub.finance.v1.FinanceService.";
constexpr char kAudit[] = "unionhub.finance.v1.AuditService.";

// Org 1 is the root, org 5 lies under it, org 9 is a tree of its own.
class FakeResolver : public rpc::ScopeResolver {
 public:
  absl::StatusOr<std::string> OrgPath(int64_t org_id) override {
    static const auto* paths = new std::map<int64_t, std::string>{
        {1, "/1/"}, {5, "/1/5/"}, {9, "/9/"}};
    auto it = paths->find(org_id);
    if (it == paths->end()) return absl::NotFoundError("org");
    return it->second;
  }
  absl::StatusOr<std::string> MemberOrgPath(int64_t member_id) override {
    return OrgPath(member_id / 100);
  }
};

mv1::Member Person() {
  mv1::Member member;
  member.set_member_id(501);
  member.set_national_id(kId);
  member.set_birth_date("1990-01-01");
  return member;
}

class GateAdapterTest : public ::testing::Test {
 protected:
  GateAdapterTest() {
    InstallTestPii();
    (void)fv1::ExportLedgerRequest::descriptor();  // registers the file
    database_ = std::make_unique<TestDatabase>("gate_adapter");
    database_->Migrate(db::MembershipMigrations());
    gate_ = std::make_unique<rpc::Gate>(TestVerifier(), resolver_,
                                        database_->pool());
  }

  // A server context whose call carries a token for `roles` (the spouse
  // holds the metadata's storage, so it lives as long as the fixture).
  grpc::ServerContext* ContextFor(const std::vector<std::string>& roles,
                                  int64_t org_scope,
                                  const std::string& subject) {
    contexts_.push_back(std::make_unique<grpc::ServerContext>());
    spouses_.push_back(std::make_unique<grpc::testing::ServerContextTestSpouse>(
        contexts_.back().get()));
    spouses_.back()->AddClientMetadata(
        "authorization", "Bearer " + MintTestToken(roles, org_scope, subject));
    return contexts_.back().get();
  }

  int AuditRows(const std::string& actor, const std::string& method,
                const std::string& result, const std::string& request_id) {
    return std::stoi(database_->QueryValue(
        "SELECT COUNT(*) FROM audit_trail WHERE actor = ? AND method = ? AND "
        "result = ? AND request_id = ?",
        actor, method, result, request_id));
  }
  int AllAuditRows() {
    return std::stoi(database_->QueryValue("SELECT COUNT(*) FROM audit_trail"));
  }

  FakeResolver resolver_;
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<rpc::Gate> gate_;
  std::vector<std::unique_ptr<grpc::ServerContext>> contexts_;
  std::vector<std::unique_ptr<grpc::testing::ServerContextTestSpouse>> spouses_;
};

// A unary service whose handler does not take the caller (most of
// membership's), bound by the same template the macro uses.
class FakeMembership {
 public:
  absl::Status DoGetMember(const mv1::GetMemberRequest& request,
                           mv1::GetMemberResponse* response) {
    const rpc::Caller* caller = rpc::CurrentCaller();
    subject = caller == nullptr ? "" : caller->claims.subject;
    *response->mutable_member() = Person();
    response->mutable_member()->set_member_id(request.member_id());
    return absl::OkStatus();
  }
  std::string subject;
};

TEST_F(GateAdapterTest, UnaryRunsAsTheCallerMasksAndDoesNotAuditReads) {
  FakeMembership service;
  auto context = ContextFor({"finance_clerk"}, 0, "clerk-unary");
  mv1::GetMemberRequest request;
  request.set_member_id(501);
  mv1::GetMemberResponse response;
  const int before = AllAuditRows();
  grpc::Status status = rpc::ServeUnary(
      *gate_, *context, std::string(kMembership) + "GetMember", request,
      &response, service, &FakeMembership::DoGetMember);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(service.subject, "clerk-unary");
  EXPECT_EQ(rpc::CurrentCaller(), nullptr);
  EXPECT_EQ(response.member().member_id(), 501);
  EXPECT_EQ(response.member().national_id(), kMasked);
  EXPECT_EQ(response.member().birth_date(), "");
  EXPECT_EQ(AllAuditRows(), before) << "reads are not audited";
}

TEST_F(GateAdapterTest, UnaryChecksTheScopeBeforeTheHandler) {
  FakeMembership service;
  auto context = ContextFor({"registrar"}, 9, "registrar-9");
  mv1::GetMemberRequest request;
  request.set_member_id(501);  // in org 5, outside org 9
  mv1::GetMemberResponse response;
  grpc::Status status = rpc::ServeUnary(
      *gate_, *context, std::string(kMembership) + "GetMember", request,
      &response, service, &FakeMembership::DoGetMember);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(service.subject, "") << "the handler must not run";
}

TEST_F(GateAdapterTest, ClientStreamMasksItsResponseAndAuditsTheRequestId) {
  const std::string method = std::string(kFinance) + "ImportPayrollDeductions";
  auto context = ContextFor({"finance_clerk"}, 0, "clerk-import");
  // Any response message: the mask follows the fields' annotations.
  mv1::GetMemberResponse response;
  std::string subject;
  grpc::Status status = gate_->ClientStream(
      *context, method, &response,
      [&](const rpc::Caller& caller, std::string* request_id) {
        subject = rpc::CurrentCaller() == &caller ? caller.claims.subject : "";
        *request_id = "import-1";
        *response.mutable_member() = Person();
        return absl::OkStatus();
      });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(subject, "clerk-import");
  EXPECT_EQ(response.member().national_id(), kMasked);
  EXPECT_EQ(response.member().birth_date(), "");
  EXPECT_EQ(AuditRows("clerk-import", method, "OK", "import-1"), 1);
}

TEST_F(GateAdapterTest, ClientStreamRefusalIsAuditedAndRunsNothing) {
  const std::string method = std::string(kMembership) + "ImportMembers";
  auto context = ContextFor({"auditor"}, 0, "auditor-import");
  mv1::ImportMembersResponse response;
  bool ran = false;
  grpc::Status status = gate_->ClientStream(
      *context, method, &response, [&](const rpc::Caller&, std::string*) {
        ran = true;
        return absl::OkStatus();
      });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(ran);
  EXPECT_EQ(AuditRows("auditor-import", method, "PERMISSION_DENIED", ""), 1);
}

TEST_F(GateAdapterTest, ServerStreamMasksEveryMessageAndAuditsAnExport) {
  const std::string method = std::string(kAudit) + "ExportLedger";
  auto context = ContextFor({"auditor"}, 0, "auditor-export");
  fv1::ExportLedgerRequest request;
  std::vector<mv1::WatchEventsResponse> sent;
  std::string subject;
  grpc::Status status = gate_->ServerStream(
      *context, method, request,
      [&](const rpc::Caller& caller, absl::Time deadline) {
        subject = rpc::CurrentCaller() == &caller ? caller.claims.subject : "";
        EXPECT_EQ(deadline, absl::InfiniteFuture()) << "no stream limits here";
        rpc::ResponseStream<mv1::WatchEventsResponse> stream(
            caller, deadline, [&](const mv1::WatchEventsResponse& m) {
              sent.push_back(m);
              return true;
            });
        for (int i = 0; i < 3; ++i) {
          mv1::WatchEventsResponse event;
          *event.mutable_event()->mutable_member() = Person();
          stream.Write(event);
        }
        return absl::OkStatus();
      });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(subject, "auditor-export");
  ASSERT_EQ(sent.size(), 3u);
  for (const mv1::WatchEventsResponse& m : sent) {
    EXPECT_EQ(m.event().member().national_id(), kMasked);
    EXPECT_EQ(m.event().member().birth_date(), "");
  }
  EXPECT_EQ(AuditRows("auditor-export", method, "OK", ""), 1);
}

TEST_F(GateAdapterTest, ServerStreamAuditsTheOutcomeAndRefusalsOfAnExport) {
  const std::string method = std::string(kAudit) + "ExportLedger";
  auto auditor = ContextFor({"auditor"}, 0, "auditor-failed");
  grpc::Status failed =
      gate_->ServerStream(*auditor, method, fv1::ExportLedgerRequest(),
                          [](const rpc::Caller&, absl::Time) {
                            return absl::CancelledError("the client went away");
                          });
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(AuditRows("auditor-failed", method, "CANCELLED", ""), 1);

  auto clerk = ContextFor({"finance_clerk"}, 0, "clerk-export");
  bool ran = false;
  grpc::Status refused =
      gate_->ServerStream(*clerk, method, fv1::ExportLedgerRequest(),
                          [&](const rpc::Caller&, absl::Time) {
                            ran = true;
                            return absl::OkStatus();
                          });
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(ran);
  EXPECT_EQ(AuditRows("clerk-export", method, "PERMISSION_DENIED", ""), 1);
}

// WatchEvents declares `global`: a token limited to a subtree is refused
// before the handler runs, so no scoped caller ever reads the feed (whose
// events span every org); an unscoped one runs with its caller set.
TEST_F(GateAdapterTest, WatchEventsRunsAsTheCallerAndNeverForAScopedOne) {
  const std::string method = std::string(kMembership) + "WatchEvents";
  const int before = AllAuditRows();
  auto service = ContextFor({"service"}, 0, "finance-follower");
  std::string subject;
  grpc::Status status = gate_->ServerStream(
      *service, method, mv1::WatchEventsRequest(),
      [&](const rpc::Caller& caller, absl::Time) {
        subject = rpc::CurrentCaller() == &caller ? caller.claims.subject : "";
        return absl::OkStatus();
      });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(subject, "finance-follower");

  for (const std::string role : {"service", "admin"}) {
    auto scoped = ContextFor({role}, 5, "scoped-" + role);
    bool ran = false;
    grpc::Status refused =
        gate_->ServerStream(*scoped, method, mv1::WatchEventsRequest(),
                            [&](const rpc::Caller&, absl::Time) {
                              ran = true;
                              return absl::OkStatus();
                            });
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << role;
    EXPECT_FALSE(ran) << role;
  }
  EXPECT_EQ(AllAuditRows(), before) << "reading the feed is not audited";
}

}  // namespace
}  // namespace unionhub::testing
