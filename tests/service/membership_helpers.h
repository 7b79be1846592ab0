// Small helpers shared by the membership service tests: calls with a
// deadline, request builders and "must succeed" shortcuts that record a
// test failure (never abort) when the service says no.
#ifndef UNIONHUB_TESTS_SERVICE_MEMBERSHIP_HELPERS_H_
#define UNIONHUB_TESTS_SERVICE_MEMBERSHIP_HELPERS_H_

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {

using Stub = mv1::MembershipService::Stub;

// Generous: the tests run on a slow, shared machine.
inline std::chrono::system_clock::time_point Deadline(int seconds = 30) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

// One unary call with a deadline.
template <typename Req, typename Resp>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                               Resp*),
                  const Req& request, Resp* response) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return (stub.*method)(&context, request, response);
}

inline std::string Count(MembershipServer& server, const std::string& table,
                         const std::string& where = "") {
  return server.database().QueryValue(absl::StrCat(
      "SELECT COUNT(*) FROM ", table, where.empty() ? "" : " WHERE ", where));
}

// ------------------------------------------------------------------ orgs

inline mv1::CreateOrgRequest OrgRequest(mv1::OrgType type, int64_t parent,
                                        const std::string& name) {
  mv1::CreateOrgRequest req;
  req.set_request_id(NewRequestId());
  req.mutable_org()->set_type(type);
  req.mutable_org()->set_parent_id(parent);
  req.mutable_org()->set_name(name);
  return req;
}

inline mv1::Employer EmployerRecord(const std::string& name, int code,
                                    int headcount, int64_t area_org_id = 0) {
  mv1::Employer e;
  e.set_name(name);
  e.set_credit_code(MakeCreditCode(code));
  e.set_ownership(mv1::OWNERSHIP_NON_PUBLIC);
  e.set_headcount(headcount);
  e.set_address("城关镇人民路1号");
  e.set_area_org_id(area_org_id);
  return e;
}

inline mv1::CreateOrgRequest GrassrootsRequest(int64_t parent,
                                               const std::string& name,
                                               int code, int headcount) {
  mv1::CreateOrgRequest req =
      OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION, parent, name);
  *req.mutable_org()->mutable_employer() =
      EmployerRecord(absl::StrCat(name, "单位"), code, headcount);
  return req;
}

inline mv1::Org MustCreate(MembershipServer& server,
                           const mv1::CreateOrgRequest& req) {
  mv1::CreateOrgResponse resp;
  grpc::Status status = Call(server.stub(), &Stub::CreateOrg, req, &resp);
  EXPECT_TRUE(status.ok()) << "CreateOrg " << req.org().name() << ": "
                           << status.error_message();
  return resp.org();
}

inline mv1::Org MustCreateOrg(MembershipServer& server, mv1::OrgType type,
                              int64_t parent, const std::string& name) {
  return MustCreate(server, OrgRequest(type, parent, name));
}

inline mv1::Org MustCreateGrassroots(MembershipServer& server, int64_t parent,
                                     const std::string& name, int code,
                                     int headcount) {
  return MustCreate(server, GrassrootsRequest(parent, name, code, headcount));
}

inline mv1::Employer MustCreateEmployer(MembershipServer& server, int64_t area,
                                        const std::string& name, int code,
                                        int headcount) {
  mv1::CreateEmployerRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_employer() = EmployerRecord(name, code, headcount, area);
  mv1::CreateEmployerResponse resp;
  grpc::Status status = Call(server.stub(), &Stub::CreateEmployer, req, &resp);
  EXPECT_TRUE(status.ok()) << "CreateEmployer " << name << ": "
                           << status.error_message();
  return resp.employer();
}

inline mv1::Org MustGetOrg(MembershipServer& server, int64_t org_id) {
  mv1::GetOrgRequest req;
  req.set_org_id(org_id);
  mv1::GetOrgResponse resp;
  grpc::Status status = Call(server.stub(), &Stub::GetOrg, req, &resp);
  EXPECT_TRUE(status.ok()) << "GetOrg " << org_id << ": "
                           << status.error_message();
  return resp.org();
}

inline std::vector<int64_t> OrgIds(const mv1::ListOrgsResponse& resp) {
  std::vector<int64_t> ids;
  for (const mv1::Org& org : resp.orgs()) ids.push_back(org.org_id());
  return ids;
}

inline std::vector<int64_t> Ancestors(const mv1::Org& org) {
  return std::vector<int64_t>(org.ancestor_ids().begin(),
                              org.ancestor_ids().end());
}

// --------------------------------------------------------------- members

// A valid new member of `org_id`, born on `birth` ("YYYYMMDD"); `seq`
// (0..999) makes the national ID distinct, odd = male.
inline mv1::Member Person(int64_t org_id, int seq,
                          const std::string& birth = "19900101") {
  mv1::Member m;
  m.set_name("王建国");
  m.set_national_id(MakeNationalId(birth, seq));
  m.set_mobile(absl::StrFormat("138%08d", seq));
  m.set_household(mv1::HOUSEHOLD_URBAN);
  m.set_ethnicity("汉族");
  m.set_education(mv1::EDUCATION_VOCATIONAL);
  m.set_wage_base_fen(567890);
  m.set_org_id(org_id);
  return m;
}

inline mv1::JoinMemberRequest JoinRequest(const mv1::Member& member,
                                          const std::string& joined_on = "") {
  mv1::JoinMemberRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_member() = member;
  req.set_joined_on(joined_on);
  return req;
}

inline mv1::Member MustJoin(MembershipServer& server, const mv1::Member& member,
                            const std::string& joined_on = "") {
  mv1::JoinMemberResponse resp;
  grpc::Status status = Call(server.stub(), &Stub::JoinMember,
                             JoinRequest(member, joined_on), &resp);
  EXPECT_TRUE(status.ok()) << "JoinMember: " << status.error_message();
  return resp.member();
}

inline mv1::ChangeMemberStatusRequest StatusRequest(
    int64_t member_id, mv1::MemberStatus status,
    const std::string& effective_on = "",
    mv1::RetainedReason reason = mv1::RETAINED_REASON_UNSPECIFIED) {
  mv1::ChangeMemberStatusRequest req;
  req.set_request_id(NewRequestId());
  req.set_member_id(member_id);
  req.set_status(status);
  req.set_retained_reason(reason);
  req.set_effective_on(effective_on);
  return req;
}

inline grpc::Status ChangeStatus(
    MembershipServer& server, int64_t member_id, mv1::MemberStatus status,
    const std::string& effective_on = "",
    mv1::RetainedReason reason = mv1::RETAINED_REASON_UNSPECIFIED,
    mv1::ChangeMemberStatusResponse* out = nullptr) {
  mv1::ChangeMemberStatusResponse resp;
  return Call(server.stub(), &Stub::ChangeMemberStatus,
              StatusRequest(member_id, status, effective_on, reason),
              out != nullptr ? out : &resp);
}

inline mv1::Member MustGetMember(MembershipServer& server, int64_t member_id) {
  mv1::GetMemberRequest req;
  req.set_member_id(member_id);
  mv1::GetMemberResponse resp;
  grpc::Status status = Call(server.stub(), &Stub::GetMember, req, &resp);
  EXPECT_TRUE(status.ok()) << "GetMember " << member_id << ": "
                           << status.error_message();
  return resp.member();
}

inline std::vector<mv1::HistoryKind> HistoryKinds(MembershipServer& server,
                                                  int64_t member_id) {
  mv1::GetMemberHistoryRequest req;
  req.set_member_id(member_id);
  mv1::GetMemberHistoryResponse resp;
  grpc::Status status =
      Call(server.stub(), &Stub::GetMemberHistory, req, &resp);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<mv1::HistoryKind> kinds;
  for (const mv1::HistoryEntry& e : resp.entries()) kinds.push_back(e.kind());
  return kinds;
}

// Streams a header and one row per member to ImportMembers.
inline grpc::Status Import(Stub& stub, const mv1::ImportHeader& header,
                           const std::vector<mv1::Member>& rows,
                           mv1::ImportMembersResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  std::unique_ptr<grpc::ClientWriter<mv1::ImportMembersRequest>> writer =
      stub.ImportMembers(&context, response);
  mv1::ImportMembersRequest message;
  *message.mutable_header() = header;
  if (writer->Write(message)) {
    for (const mv1::Member& member : rows) {
      mv1::ImportMembersRequest row;
      *row.mutable_row()->mutable_member() = member;
      if (!writer->Write(row)) break;  // the server already answered
    }
  }
  writer->WritesDone();
  return writer->Finish();
}

inline std::vector<int64_t> MemberIds(const mv1::ListMembersResponse& resp) {
  std::vector<int64_t> ids;
  for (const mv1::Member& m : resp.members()) ids.push_back(m.member_id());
  return ids;
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_MEMBERSHIP_HELPERS_H_
