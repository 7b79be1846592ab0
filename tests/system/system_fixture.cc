#include "tests/system/system_fixture.h"

#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {

void MembershipSystemTest::SetUp() {
  ASSERT_EQ(access(MembershipProcess::BinaryPath().c_str(), X_OK), 0)
      << MembershipProcess::BinaryPath()
      << " is missing: build the unionhub-membership target and set "
         "UNIONHUB_BUILD_DIR";
  // One connection: OtherSessionsOnSchema() tells the test's own session
  // apart by CONNECTION_ID().
  database_ = std::make_unique<TestDatabase>("sys", /*pool_size=*/1);
  logs_ = std::make_unique<TempDir>();
  admin_token_ = MintTestToken({"admin"}, 0, "system-test");
  ASSERT_FALSE(admin_token_.empty());
}

void MembershipSystemTest::TearDown() {
  // Kill first, so a failed test never leaves a server running.
  for (std::unique_ptr<MembershipProcess>& process : processes_) {
    if (process->Running()) process->process().Kill();
  }
  const char* keep = std::getenv("UNIONHUB_KEEP_SYSTEM_LOGS");
  if (logs_ != nullptr && keep != nullptr && *keep != '\0' && !HasFailure()) {
    logs_->Keep();
    std::fprintf(stderr, "service logs kept in %s\n", logs_->path().c_str());
  }
  if (HasFailure() && logs_ != nullptr) {
    logs_->Keep();
    std::fprintf(stderr, "service logs kept in %s\n", logs_->path().c_str());
    for (std::unique_ptr<MembershipProcess>& process : processes_) {
      if (process->log_path().empty()) continue;
      std::fprintf(stderr, "---- %s (last 40 lines)\n%s\n",
                   process->log_path().c_str(),
                   LastLines(process->ReadLog(), 40).c_str());
    }
  }
  processes_.clear();
}

MembershipProcess& MembershipSystemTest::NewProcess(const std::string& name,
                                                    int shutdown_grace_seconds,
                                                    bool own_db_account) {
  MembershipProcess::Options options;
  options.db = database_->config();
  options.log_dir = logs_->path();
  options.name = name;
  options.shutdown_grace_seconds = shutdown_grace_seconds;
  options.own_db_account = own_db_account;
  // A restart keeps the address, as a Service in front of it would.
  options.keep_port = true;
  processes_.push_back(std::make_unique<MembershipProcess>(options));
  return *processes_.back();
}

std::unique_ptr<mv1::MembershipService::Stub> MembershipSystemTest::StubFor(
    const MembershipProcess& process) const {
  return mv1::MembershipService::NewStub(process.NewChannel(admin_token_));
}

std::vector<std::vector<std::string>> MembershipSystemTest::QueryRows(
    const std::string& sql) {
  return QueryRowsOn(database_->pool(), sql);
}

std::vector<std::vector<std::string>> QueryRowsOn(db::Pool& pool,
                                                  const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  absl::Status status = pool.Run([&](db::Connection& conn) {
    rows.clear();
    std::unique_ptr<sql::Statement> statement(conn.raw().createStatement());
    std::unique_ptr<sql::ResultSet> rs(statement->executeQuery(sql));
    const unsigned columns = rs->getMetaData()->getColumnCount();
    while (rs->next()) {
      std::vector<std::string> row;
      for (unsigned c = 1; c <= columns; ++c) {
        row.push_back(rs->isNull(c) ? "NULL" : rs->getString(c).asStdString());
      }
      rows.push_back(std::move(row));
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << sql << ": " << status;
  return rows;
}

int64_t MembershipSystemTest::OtherSessionsOnSchema() {
  return QueryInt(
      "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND "
      "ID <> CONNECTION_ID()",
      database_->schema());
}

bool MembershipSystemTest::WaitForOtherSessionsToClose(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (OtherSessionsOnSchema() != 0) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return true;
}

mv1::Org MembershipSystemTest::CreateOrg(mv1::MembershipService::Stub& stub,
                                         mv1::OrgType type, int64_t parent_id,
                                         const std::string& name) {
  mv1::CreateOrgRequest request;
  request.set_request_id(NewRequestId());
  request.mutable_org()->set_type(type);
  request.mutable_org()->set_parent_id(parent_id);
  request.mutable_org()->set_name(name);
  mv1::CreateOrgResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  grpc::Status status = stub.CreateOrg(&context, request, &response);
  EXPECT_TRUE(status.ok()) << "CreateOrg " << name << ": "
                           << status.error_code() << " "
                           << status.error_message();
  return response.org();
}

std::vector<mv1::ImportMembersRequest> MakeImportRows(int count) {
  static const char* const kNames[] = {"王芳", "李娜", "张伟", "刘洋",
                                       "陈静", "杨磊", "赵敏", "黄强"};
  std::vector<mv1::ImportMembersRequest> rows;
  rows.reserve(count);
  for (int i = 0; i < count; ++i) {
    mv1::ImportMembersRequest message;
    mv1::ImportRow* row = message.mutable_row();
    row->set_row_number(i + 1);
    mv1::Member* member = row->mutable_member();
    member->set_name(kNames[i % 8]);
    member->set_national_id(
        MakeNationalId(absl::StrFormat("198001%02d", i / 1000 + 1), i % 1000));
    member->set_mobile(absl::StrFormat("139%08d", i));
    member->set_household(i % 3 == 0 ? mv1::HOUSEHOLD_RURAL
                                     : mv1::HOUSEHOLD_URBAN);
    member->set_education(mv1::EDUCATION_SENIOR_SECONDARY);
    member->set_front_line(i % 2 == 0);
    member->set_migrant_worker(i % 3 == 0);
    member->set_wage_base_fen(450000 + i);
    rows.push_back(std::move(message));
  }
  return rows;
}

mv1::ImportMembersRequest MakeImportHeader(const std::string& request_id,
                                           int64_t default_org_id) {
  mv1::ImportMembersRequest message;
  message.mutable_header()->set_request_id(request_id);
  message.mutable_header()->set_default_org_id(default_org_id);
  // A fixed date, so a re-send on another day is still the same request.
  message.mutable_header()->set_joined_on("2024-03-01");
  return message;
}

ImportCall RunImport(mv1::MembershipService::Stub& stub,
                     const mv1::ImportMembersRequest& header,
                     const std::vector<mv1::ImportMembersRequest>& rows,
                     absl::Duration timeout) {
  ImportCall call;
  const absl::Time start = absl::Now();
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(start + timeout));
  std::unique_ptr<grpc::ClientWriter<mv1::ImportMembersRequest>> writer =
      stub.ImportMembers(&context, &call.response);
  bool open = writer->Write(header);
  for (size_t i = 0; open && i < rows.size(); ++i)
    open = writer->Write(rows[i]);
  if (open) writer->WritesDone();
  call.status = writer->Finish();
  call.elapsed = absl::Now() - start;
  return call;
}

}  // namespace unionhub::testing
