// ImportMembers (集体登记入会) over a real client stream: a result per row,
// valid rows committed while others fail, batches, and idempotent resends.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_format.h"
#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

struct ImportResult {
  grpc::Status status;
  mv1::ImportMembersResponse response;
};

// Sends `messages` as one stream and waits for the answer.
ImportResult SendStream(
    MembershipServer& server,
    const std::vector<mv1::ImportMembersRequest>& messages) {
  ImportResult out;
  grpc::ClientContext context;
  context.set_deadline(Deadline(120));
  std::unique_ptr<grpc::ClientWriter<mv1::ImportMembersRequest>> writer =
      server.stub().ImportMembers(&context, &out.response);
  for (const mv1::ImportMembersRequest& message : messages) {
    if (!writer->Write(message)) break;  // the server has answered already
  }
  writer->WritesDone();
  out.status = writer->Finish();
  return out;
}

mv1::ImportMembersRequest Header(const std::string& request_id,
                                 int64_t default_org,
                                 const std::string& joined_on) {
  mv1::ImportMembersRequest message;
  message.mutable_header()->set_request_id(request_id);
  message.mutable_header()->set_default_org_id(default_org);
  message.mutable_header()->set_joined_on(joined_on);
  return message;
}

mv1::ImportMembersRequest Row(const mv1::Member& member,
                              int64_t row_number = 0) {
  mv1::ImportMembersRequest message;
  message.mutable_row()->set_row_number(row_number);
  *message.mutable_row()->mutable_member() = member;
  return message;
}

// `n` valid people for the default org (org_id 0), all distinct.
std::vector<mv1::ImportMembersRequest> ValidRows(int n) {
  std::vector<mv1::ImportMembersRequest> rows;
  for (int i = 0; i < n; ++i) {
    rows.push_back(
        Row(Person(0, i % 500, absl::StrFormat("198501%02d", 1 + i / 500))));
  }
  return rows;
}

class ImportTest : public ::testing::Test {
 protected:
  ImportTest() : server_("import") {
    county_ = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                            "清河县总工会");
    town_ = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION,
                          county_.org_id(), "城关镇");
    g1_ = MustCreateGrassroots(server_, town_.org_id(), "机械厂工会", 1, 2000);
    g2_ = MustCreateGrassroots(server_, town_.org_id(), "纺织厂工会", 2, 80);
  }

  MembershipServer server_;
  mv1::Org county_, town_, g1_, g2_;
};

TEST_F(ImportTest, EachRowGetsAResultAndValidRowsAreCommitted) {
  mv1::Member active = MustJoin(server_, Person(g1_.org_id(), 1), "2024-01-10");
  mv1::Member left = MustJoin(server_, Person(g1_.org_id(), 3), "2024-01-10");
  ASSERT_TRUE(ChangeStatus(server_, left.member_id(), mv1::MEMBER_STATUS_LEFT,
                           "2024-02-01")
                  .ok());

  std::vector<mv1::ImportMembersRequest> stream;
  stream.push_back(Header(NewRequestId(), g1_.org_id(), "2024-03-01"));
  stream.push_back(Row(Person(0, 11)));  // 1: joins the default org
  mv1::Member bad_id = Person(0, 12);
  bad_id.set_national_id(bad_id.national_id().substr(0, 17) +
                         (bad_id.national_id().back() == '0' ? "1" : "0"));
  stream.push_back(Row(bad_id));  // 2: wrong check character
  mv1::Member bad_mobile = Person(0, 13);
  bad_mobile.set_mobile("123");
  bad_mobile.set_name("");
  stream.push_back(Row(bad_mobile));     // 3: two bad fields
  stream.push_back(Row(Person(0, 15)));  // 4: joins
  stream.push_back(Row(Person(0, 11)));  // 5: same person as row 1
  stream.push_back(Row(Person(0, 1)));   // 6: already ACTIVE
  stream.push_back(Row(Person(county_.org_id(), 17)));  // 7: holds no members
  stream.push_back(Row(Person(g2_.org_id(), 3)));       // 8: LEFT: reactivated
  stream.push_back(Row(Person(g2_.org_id(), 19)));      // 9: joins g2

  ImportResult result = SendStream(server_, stream);
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  const mv1::ImportMembersResponse& resp = result.response;
  EXPECT_EQ(resp.rows_received(), 9);
  EXPECT_EQ(resp.rows_joined(), 3);
  EXPECT_EQ(resp.rows_reactivated(), 1);
  EXPECT_EQ(resp.rows_rejected(), 5);
  ASSERT_EQ(resp.results_size(), 9);
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(resp.results(i).row_number(), i + 1);
  }
  const auto& r = resp.results();
  EXPECT_EQ(r[0].outcome(), mv1::IMPORT_OUTCOME_JOINED);
  EXPECT_GT(r[0].member_id(), 0);
  EXPECT_FALSE(r[0].card_number().empty());
  EXPECT_EQ(r[0].error_code(), "");

  EXPECT_EQ(r[1].outcome(), mv1::IMPORT_OUTCOME_REJECTED);
  EXPECT_EQ(r[1].error_code(), "INVALID_ARGUMENT");
  EXPECT_THAT(r[1].bad_fields(), ElementsAre("member.national_id"));
  EXPECT_EQ(r[1].member_id(), 0);

  EXPECT_EQ(r[2].outcome(), mv1::IMPORT_OUTCOME_REJECTED);
  EXPECT_EQ(r[2].error_code(), "INVALID_ARGUMENT");
  EXPECT_THAT(r[2].bad_fields(),
              UnorderedElementsAre("member.mobile", "member.name"));

  EXPECT_EQ(r[3].outcome(), mv1::IMPORT_OUTCOME_JOINED);

  EXPECT_EQ(r[4].outcome(), mv1::IMPORT_OUTCOME_REJECTED);
  EXPECT_EQ(r[4].error_code(), "ALREADY_EXISTS");
  EXPECT_THAT(r[4].bad_fields(), Contains("member.national_id"));
  EXPECT_FALSE(r[4].error_message().empty());

  EXPECT_EQ(r[5].outcome(), mv1::IMPORT_OUTCOME_REJECTED);
  EXPECT_EQ(r[5].error_code(), "ALREADY_EXISTS");
  EXPECT_THAT(r[5].error_message(), HasSubstr("机械厂工会"));

  EXPECT_EQ(r[6].outcome(), mv1::IMPORT_OUTCOME_REJECTED);
  EXPECT_EQ(r[6].error_code(), "FAILED_PRECONDITION");
  EXPECT_THAT(r[6].bad_fields(), Contains("member.org_id"));

  EXPECT_EQ(r[7].outcome(), mv1::IMPORT_OUTCOME_REACTIVATED);
  EXPECT_EQ(r[7].member_id(), left.member_id());
  EXPECT_EQ(r[7].card_number(), left.card_number());

  EXPECT_EQ(r[8].outcome(), mv1::IMPORT_OUTCOME_JOINED);

  // What was committed.
  EXPECT_EQ(Count(server_, "members"), "5");
  mv1::Member joined = MustGetMember(server_, r[0].member_id());
  EXPECT_EQ(joined.national_id(), MakeNationalId("19900101", 11));
  EXPECT_EQ(joined.org_id(), g1_.org_id());
  EXPECT_EQ(joined.joined_on(), "2024-03-01");
  EXPECT_EQ(joined.card_number(), r[0].card_number());
  EXPECT_EQ(MustGetMember(server_, r[8].member_id()).org_id(), g2_.org_id());
  mv1::Member back = MustGetMember(server_, left.member_id());
  EXPECT_EQ(back.status(), mv1::MEMBER_STATUS_ACTIVE);
  EXPECT_EQ(back.org_id(), g2_.org_id());
  EXPECT_EQ(MustGetMember(server_, active.member_id()).org_id(), g1_.org_id());
  EXPECT_EQ(Count(server_, "events", "type = 1"), "5");  // 2 + 3 joined
  EXPECT_EQ(Count(server_, "events", "type = 2"), "1");  // rejoined
}

TEST_F(ImportTest, AStreamAcrossBatchBoundariesFullySucceeds) {
  const int kRows = 1200;
  std::vector<mv1::ImportMembersRequest> stream = ValidRows(kRows);
  stream.insert(stream.begin(),
                Header(NewRequestId(), g1_.org_id(), "2024-03-01"));
  ImportResult result = SendStream(server_, stream);
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  const mv1::ImportMembersResponse& resp = result.response;
  EXPECT_EQ(resp.rows_received(), kRows);
  EXPECT_EQ(resp.rows_joined(), kRows);
  EXPECT_EQ(resp.rows_rejected(), 0);
  ASSERT_EQ(resp.results_size(), kRows);
  std::set<int64_t> ids;
  std::set<std::string> cards;
  int in_order = 0;
  for (int i = 0; i < kRows; ++i) {
    const mv1::ImportRowResult& r = resp.results(i);
    if (r.row_number() == i + 1) ++in_order;
    EXPECT_EQ(r.outcome(), mv1::IMPORT_OUTCOME_JOINED) << "row " << i + 1;
    ids.insert(r.member_id());
    cards.insert(r.card_number());
  }
  EXPECT_EQ(in_order, kRows);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(cards.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(Count(server_, "members"), "1200");
  EXPECT_EQ(
      Count(server_, "members", "org_id = " + std::to_string(g1_.org_id())),
      "1200");
  EXPECT_EQ(Count(server_, "events", "type = 1"), "1200");
  EXPECT_EQ(Count(server_, "member_history"), "1200");
}

// AIP-158: a page_size above the maximum (1000) is cut to the maximum, not
// refused. Before the shared page helper ListMembers answered
// INVALID_ARGUMENT naming page_size.
TEST_F(ImportTest, AnOverMaxPageSizeReturnsAFullPageOfTheMaximum) {
  std::vector<mv1::ImportMembersRequest> stream = ValidRows(1001);
  stream.insert(stream.begin(),
                Header(NewRequestId(), g1_.org_id(), "2024-03-01"));
  ImportResult result = SendStream(server_, stream);
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  ASSERT_EQ(result.response.rows_joined(), 1001);

  mv1::ListMembersRequest list;
  list.set_org_id(g1_.org_id());
  list.set_page_size(5000);
  mv1::ListMembersResponse page;
  grpc::Status status = Call(server_.stub(), &Stub::ListMembers, list, &page);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(page.members_size(), 1000);
  ASSERT_NE(page.next_page_token(), "");

  list.set_page_token(page.next_page_token());
  mv1::ListMembersResponse rest;
  status = Call(server_.stub(), &Stub::ListMembers, list, &rest);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(rest.members_size(), 1);
  EXPECT_EQ(rest.next_page_token(), "");

  list.set_page_token("");
  list.set_page_size(-1);
  EXPECT_THAT(BadFields(Call(server_.stub(), &Stub::ListMembers, list, &rest)),
              ElementsAre("page_size"));
}

TEST_F(ImportTest, ResendingWithTheSameRequestIdChangesNothing) {
  // Crosses a batch boundary, with rejected rows in both batches.
  std::vector<mv1::ImportMembersRequest> stream = ValidRows(700);
  stream[10].mutable_row()->mutable_member()->set_mobile("999");
  stream[600] = stream[5];  // the same person twice
  stream.insert(stream.begin(),
                Header(NewRequestId(), g1_.org_id(), "2024-03-01"));
  ImportResult first = SendStream(server_, stream);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_EQ(first.response.rows_joined(), 698);
  EXPECT_EQ(first.response.rows_rejected(), 2);
  const std::string members = Count(server_, "members");
  const std::string events = Count(server_, "events");
  const std::string history = Count(server_, "member_history");
  EXPECT_EQ(members, "698");

  ImportResult second = SendStream(server_, stream);
  ASSERT_TRUE(second.status.ok()) << second.status.error_message();
  EXPECT_EQ(second.response.SerializeAsString(),
            first.response.SerializeAsString());
  EXPECT_EQ(Count(server_, "members"), members);
  EXPECT_EQ(Count(server_, "events"), events);
  EXPECT_EQ(Count(server_, "member_history"), history);
}

TEST_F(ImportTest, ReusingARequestIdForAnotherFileNamesTheHeaderField) {
  std::vector<mv1::ImportMembersRequest> stream = ValidRows(3);
  stream.insert(stream.begin(),
                Header(NewRequestId(), g1_.org_id(), "2024-03-01"));
  ASSERT_TRUE(SendStream(server_, stream).status.ok());
  stream[2] = Row(Person(0, 42));  // another file under the same request_id
  ImportResult reused = SendStream(server_, stream);
  EXPECT_EQ(reused.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // The request_id of an import is header.request_id: that is the field to
  // name, as for a missing one.
  EXPECT_THAT(BadFields(reused.status), ElementsAre("header.request_id"));
  EXPECT_EQ(Count(server_, "members"), "3");
}

TEST_F(ImportTest, TheFirstMessageMustBeAValidHeader) {
  std::vector<mv1::ImportMembersRequest> no_header = ValidRows(2);
  ImportResult result = SendStream(server_, no_header);
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(result.status), ElementsAre("header"));

  result = SendStream(server_, {});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(result.status), ElementsAre("header"));

  std::vector<mv1::ImportMembersRequest> bad_header = ValidRows(2);
  bad_header.insert(bad_header.begin(), Header("", -1, "2999-01-01"));
  result = SendStream(server_, bad_header);
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(result.status),
              UnorderedElementsAre("header.request_id", "header.default_org_id",
                                   "header.joined_on"));
  EXPECT_EQ(Count(server_, "members"), "0");
  EXPECT_EQ(Count(server_, "idempotency_keys", "method = 'ImportMembers'"),
            "0");
}

TEST_F(ImportTest, RowNumbersComeFromTheClientAndMustIncrease) {
  std::vector<mv1::ImportMembersRequest> stream;
  stream.push_back(Header(NewRequestId(), g1_.org_id(), ""));
  stream.push_back(Row(Person(0, 1), 10));
  stream.push_back(Row(Person(0, 3), 20));
  stream.push_back(Row(Person(0, 5), 15));                     // out of order
  stream.push_back(Header(NewRequestId(), g1_.org_id(), ""));  // not a row
  stream.push_back(Row(Person(0, 7), 30));
  ImportResult result = SendStream(server_, stream);
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  const mv1::ImportMembersResponse& resp = result.response;
  ASSERT_EQ(resp.results_size(), 5);
  EXPECT_EQ(resp.results(0).row_number(), 10);
  EXPECT_EQ(resp.results(0).outcome(), mv1::IMPORT_OUTCOME_JOINED);
  EXPECT_EQ(resp.results(1).row_number(), 20);
  EXPECT_EQ(resp.results(1).outcome(), mv1::IMPORT_OUTCOME_JOINED);
  EXPECT_EQ(resp.results(2).row_number(), 15);
  EXPECT_EQ(resp.results(2).outcome(), mv1::IMPORT_OUTCOME_REJECTED);
  EXPECT_EQ(resp.results(2).error_code(), "INVALID_ARGUMENT");
  EXPECT_EQ(resp.results(3).outcome(), mv1::IMPORT_OUTCOME_REJECTED);
  EXPECT_EQ(resp.results(3).error_code(), "INVALID_ARGUMENT");
  EXPECT_EQ(resp.results(4).row_number(), 30);
  EXPECT_EQ(resp.results(4).outcome(), mv1::IMPORT_OUTCOME_JOINED);
  EXPECT_EQ(resp.rows_received(), 5);
  EXPECT_EQ(resp.rows_joined(), 3);
  EXPECT_EQ(resp.rows_rejected(), 2);
  EXPECT_EQ(Count(server_, "members"), "3");
  EXPECT_THAT(resp.results(0).bad_fields(), IsEmpty());
}

}  // namespace
}  // namespace unionhub::testing
