// Members over real gRPC against a real MariaDB: joining (with its
// validation, one-person-one-membership and reactivation), idempotent
// retries, reading, looking up and updating.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// The first sequence number (from `from`) whose national ID ends in 'X'.
int SeqWithCheckX(const std::string& birth, int from = 0) {
  for (int seq = from; seq < 1000; ++seq) {
    if (MakeNationalId(birth, seq).back() == 'X') return seq;
  }
  ADD_FAILURE() << "no national ID ending in X";
  return 0;
}

class MemberServiceTest : public ::testing::Test {
 protected:
  MemberServiceTest() : server_("member") {
    county_ = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                            "清河县总工会");
    town_ = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION,
                          county_.org_id(), "城关镇");
    g1_ = MustCreateGrassroots(server_, town_.org_id(), "城关镇机械厂工会", 1,
                               100);
    g2_ = MustCreateGrassroots(server_, town_.org_id(), "城关镇纺织厂工会", 2,
                               80);
  }

  grpc::Status Join(const mv1::JoinMemberRequest& req,
                    mv1::JoinMemberResponse* resp) {
    return Call(server_.stub(), &Stub::JoinMember, req, resp);
  }

  grpc::Status Update(const mv1::UpdateMemberRequest& req,
                      mv1::UpdateMemberResponse* resp) {
    return Call(server_.stub(), &Stub::UpdateMember, req, resp);
  }

  MembershipServer server_;
  mv1::Org county_, town_, g1_, g2_;
};

TEST_F(MemberServiceTest, JoinIssuesACardAndDerivesSexAndBirthDate) {
  const int seq = SeqWithCheckX("19900101");
  mv1::Member person = Person(g1_.org_id(), seq);
  const std::string upper = person.national_id();
  person.set_national_id(absl::AsciiStrToLower(upper));
  ASSERT_NE(person.national_id(), upper);

  mv1::JoinMemberResponse resp;
  grpc::Status status = Join(JoinRequest(person, "2024-01-10"), &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const mv1::Member& m = resp.member();
  EXPECT_FALSE(resp.reactivated());
  EXPECT_GT(m.member_id(), 0);
  EXPECT_FALSE(m.card_number().empty());
  EXPECT_EQ(m.national_id(), upper);
  EXPECT_EQ(m.sex(), seq % 2 == 1 ? mv1::SEX_MALE : mv1::SEX_FEMALE);
  EXPECT_EQ(m.birth_date(), "1990-01-01");
  EXPECT_EQ(m.name(), "王建国");
  EXPECT_EQ(m.org_id(), g1_.org_id());
  EXPECT_EQ(m.status(), mv1::MEMBER_STATUS_ACTIVE);
  EXPECT_EQ(m.joined_on(), "2024-01-10");
  EXPECT_EQ(m.status_since(), "2024-01-10");
  EXPECT_EQ(m.wage_base_fen(), 567890);
  // At rest the number is sealed: no plaintext in the row, and it is found
  // through the keyed hash of the normalised (upper-case X) form.
  EXPECT_EQ(server_.database().QueryValue(
                "SELECT COUNT(*) FROM members WHERE id = " +
                std::to_string(m.member_id()) + " AND LOCATE('" +
                upper.substr(0, 17) + "', national_id_sealed) = 0"),
            "1");
  EXPECT_THAT(HistoryKinds(server_, m.member_id()),
              ElementsAre(mv1::HISTORY_KIND_JOINED));
  // The same person with an upper-case X is the same person.
  mv1::JoinMemberResponse dup;
  grpc::Status again = Join(JoinRequest(Person(g2_.org_id(), seq)), &dup);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(again.error_message(), HasSubstr("城关镇机械厂工会"));

  // A second person gets a different card.
  mv1::Member other = MustJoin(server_, Person(g1_.org_id(), seq + 1));
  EXPECT_NE(other.card_number(), m.card_number());
  EXPECT_NE(other.member_id(), m.member_id());
  EXPECT_EQ(other.sex(), (seq + 1) % 2 == 1 ? mv1::SEX_MALE : mv1::SEX_FEMALE);
  EXPECT_EQ(Count(server_, "members"), "2");
}

TEST_F(MemberServiceTest, BadInputNamesEveryFieldAndWritesNothing) {
  const std::string events_before = Count(server_, "events");
  mv1::Member bad = Person(0, 1);  // org_id missing
  std::string id = bad.national_id();
  id.back() = id.back() == '0' ? '1' : '0';  // wrong check character
  bad.set_national_id(id);
  bad.set_name("");
  bad.set_mobile("12345");
  bad.set_wage_base_fen(-1);
  mv1::JoinMemberRequest req = JoinRequest(bad, "2024-02-30");
  req.set_request_id("");
  mv1::JoinMemberResponse resp;
  grpc::Status status = Join(req, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              UnorderedElementsAre("request_id", "joined_on", "member.name",
                                   "member.national_id", "member.mobile",
                                   "member.wage_base_fen", "member.org_id"));
  // The national ID is personal data: never echoed.
  EXPECT_THAT(status.error_message(), Not(HasSubstr(id.substr(0, 17))));

  // Sex and birth date, when given, must agree with the ID.
  mv1::Member mismatch = Person(g1_.org_id(), 3);  // odd: male
  mismatch.set_sex(mv1::SEX_FEMALE);
  mismatch.set_birth_date("1990-01-02");
  status = Join(JoinRequest(mismatch), &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              UnorderedElementsAre("member.sex", "member.birth_date"));

  EXPECT_EQ(Count(server_, "members"), "0");
  EXPECT_EQ(Count(server_, "member_history"), "0");
  EXPECT_EQ(Count(server_, "member_periods"), "0");
  EXPECT_EQ(Count(server_, "events"), events_before);
}

// Under 16 on the join date: the request's own fields are named (the join
// date, or the national ID that gives the birth date), not the output-only
// member.joined_on.
TEST_F(MemberServiceTest, AnUnderageJoinNamesARequestField) {
  mv1::JoinMemberResponse resp;
  grpc::Status status = Join(
      JoinRequest(Person(g1_.org_id(), 1, "20150601"), "2024-01-10"), &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = BadFields(status);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_THAT(fields[0], AnyOf("joined_on", "member.national_id"));
  EXPECT_EQ(Count(server_, "members"), "0");
}

TEST_F(MemberServiceTest, JoiningAnOrgThatCannotHoldMembersIsRefused) {
  mv1::JoinMemberResponse resp;
  EXPECT_EQ(Join(JoinRequest(Person(county_.org_id(), 1)), &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Join(JoinRequest(Person(999, 1)), &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Count(server_, "members"), "0");
  // A township union holds the workers of firms without a union.
  mv1::Member m = MustJoin(server_, Person(town_.org_id(), 1));
  EXPECT_EQ(m.org_id(), town_.org_id());
}

TEST_F(MemberServiceTest, AnActiveOrRetainedPersonIsAlreadyExists) {
  mv1::Member m = MustJoin(server_, Person(g1_.org_id(), 1), "2024-01-10");
  mv1::JoinMemberResponse resp;
  grpc::Status again = Join(JoinRequest(Person(g2_.org_id(), 1)), &resp);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(again.error_message(), HasSubstr("城关镇机械厂工会"));

  ASSERT_TRUE(ChangeStatus(server_, m.member_id(), mv1::MEMBER_STATUS_RETAINED,
                           "2024-02-01", mv1::RETAINED_REASON_RETIRED)
                  .ok());
  grpc::Status retained = Join(JoinRequest(Person(g2_.org_id(), 1)), &resp);
  EXPECT_EQ(retained.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(retained.error_message(), HasSubstr("城关镇机械厂工会"));
  EXPECT_EQ(Count(server_, "members"), "1");
  EXPECT_EQ(MustGetMember(server_, m.member_id()).org_id(), g1_.org_id());
}

TEST_F(MemberServiceTest, ALeftPersonRejoinsWithTheSameIdCardAndHistory) {
  mv1::Member m = MustJoin(server_, Person(g1_.org_id(), 1), "2024-01-10");
  ASSERT_TRUE(ChangeStatus(server_, m.member_id(), mv1::MEMBER_STATUS_LEFT,
                           "2024-02-01")
                  .ok());
  mv1::Member person = Person(g2_.org_id(), 1);
  person.set_mobile("13912345678");
  mv1::JoinMemberResponse resp;
  grpc::Status status = Join(JoinRequest(person, "2024-03-01"), &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(resp.reactivated());
  EXPECT_EQ(resp.member().member_id(), m.member_id());
  EXPECT_EQ(resp.member().card_number(), m.card_number());
  EXPECT_EQ(resp.member().status(), mv1::MEMBER_STATUS_ACTIVE);
  EXPECT_EQ(resp.member().org_id(), g2_.org_id());
  EXPECT_EQ(resp.member().joined_on(), "2024-03-01");
  EXPECT_EQ(resp.member().mobile(), "13912345678");
  EXPECT_EQ(Count(server_, "members"), "1");
  EXPECT_THAT(
      HistoryKinds(server_, m.member_id()),
      ElementsAre(mv1::HISTORY_KIND_JOINED, mv1::HISTORY_KIND_STATUS_CHANGED,
                  mv1::HISTORY_KIND_REJOINED));

  // A LAPSED person comes back the same way.
  mv1::Member l = MustJoin(server_, Person(g1_.org_id(), 3), "2024-01-10");
  ASSERT_TRUE(ChangeStatus(server_, l.member_id(), mv1::MEMBER_STATUS_LAPSED,
                           "2024-07-31")
                  .ok());
  status = Join(JoinRequest(Person(g1_.org_id(), 3), "2024-09-01"), &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(resp.reactivated());
  EXPECT_EQ(resp.member().member_id(), l.member_id());
  EXPECT_EQ(resp.member().card_number(), l.card_number());
  EXPECT_EQ(resp.member().status(), mv1::MEMBER_STATUS_ACTIVE);

  // An EXPELLED person cannot come back through registration.
  mv1::Member x = MustJoin(server_, Person(g1_.org_id(), 5), "2024-01-10");
  ASSERT_TRUE(
      ChangeStatus(server_, x.member_id(), mv1::MEMBER_STATUS_EXPELLED).ok());
  EXPECT_EQ(Join(JoinRequest(Person(g1_.org_id(), 5)), &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Count(server_, "members"), "3");
}

TEST_F(MemberServiceTest, JoinIsIdempotentByRequestId) {
  mv1::JoinMemberRequest req = JoinRequest(Person(g1_.org_id(), 1));
  mv1::JoinMemberResponse first;
  mv1::JoinMemberResponse second;
  ASSERT_TRUE(Join(req, &first).ok());
  const std::string events = Count(server_, "events");
  grpc::Status status = Join(req, &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_FALSE(second.reactivated());
  EXPECT_EQ(Count(server_, "members"), "1");
  EXPECT_EQ(Count(server_, "member_history"), "1");
  EXPECT_EQ(Count(server_, "events"), events);

  // The same request_id with another body is refused, naming request_id.
  mv1::JoinMemberRequest other = req;
  *other.mutable_member() = Person(g1_.org_id(), 3);
  mv1::JoinMemberResponse resp;
  status = Join(other, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ElementsAre("request_id"));
  EXPECT_EQ(Count(server_, "members"), "1");
}

// One person, one membership, even when registrations race.
TEST_F(MemberServiceTest, ConcurrentJoinsOfOnePersonGiveOneMembership) {
  constexpr int kThreads = 4;
  std::vector<grpc::StatusCode> codes(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      std::unique_ptr<Stub> stub = server_.NewStub();
      mv1::JoinMemberResponse resp;
      codes[i] =
          Call(*stub, &Stub::JoinMember,
               JoinRequest(Person(i % 2 == 0 ? g1_.org_id() : g2_.org_id(), 1)),
               &resp)
              .error_code();
    });
  }
  for (std::thread& t : threads) t.join();
  int ok = 0;
  int exists = 0;
  for (grpc::StatusCode code : codes) {
    if (code == grpc::StatusCode::OK) ++ok;
    if (code == grpc::StatusCode::ALREADY_EXISTS) ++exists;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(exists, kThreads - 1);
  EXPECT_EQ(Count(server_, "members"), "1");
  EXPECT_EQ(Count(server_, "events", "type = 1"), "1");
}

// A client that retries while its first attempt is still running gets the
// one answer, and one member is written.
TEST_F(MemberServiceTest, ConcurrentRetriesOfOneRequestGetOneAnswer) {
  constexpr int kThreads = 4;
  const mv1::JoinMemberRequest req = JoinRequest(Person(g1_.org_id(), 1));
  std::vector<grpc::Status> statuses(kThreads);
  std::vector<mv1::JoinMemberResponse> answers(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      std::unique_ptr<Stub> stub = server_.NewStub();
      statuses[i] = Call(*stub, &Stub::JoinMember, req, &answers[i]);
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_TRUE(statuses[i].ok()) << i << ": " << statuses[i].error_message();
    EXPECT_EQ(answers[i].SerializeAsString(), answers[0].SerializeAsString());
  }
  EXPECT_GT(answers[0].member().member_id(), 0);
  EXPECT_EQ(Count(server_, "members"), "1");
  EXPECT_EQ(Count(server_, "events", "type = 1"), "1");
}

TEST_F(MemberServiceTest, GetAndLookup) {
  const int seq = SeqWithCheckX("19850315");
  mv1::Member m = MustJoin(server_, Person(g1_.org_id(), seq, "19850315"));
  mv1::Member got = MustGetMember(server_, m.member_id());
  EXPECT_EQ(got.national_id(), m.national_id());
  EXPECT_EQ(got.card_number(), m.card_number());
  EXPECT_EQ(got.birth_date(), "1985-03-15");

  mv1::GetMemberRequest get;
  get.set_member_id(999);
  mv1::GetMemberResponse none;
  EXPECT_EQ(Call(server_.stub(), &Stub::GetMember, get, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  get.set_member_id(0);
  EXPECT_THAT(BadFields(Call(server_.stub(), &Stub::GetMember, get, &none)),
              ElementsAre("member_id"));

  auto lookup = [&](const mv1::LookupMemberRequest& req,
                    mv1::LookupMemberResponse* resp) {
    return Call(server_.stub(), &Stub::LookupMember, req, resp);
  };
  mv1::LookupMemberRequest by_id;
  by_id.set_national_id(absl::AsciiStrToLower(m.national_id()));
  mv1::LookupMemberResponse found;
  ASSERT_TRUE(lookup(by_id, &found).ok());
  EXPECT_EQ(found.member().member_id(), m.member_id());

  mv1::LookupMemberRequest by_card;
  by_card.set_card_number(m.card_number());
  ASSERT_TRUE(lookup(by_card, &found).ok());
  EXPECT_EQ(found.member().member_id(), m.member_id());
  EXPECT_EQ(found.member().national_id(), m.national_id());

  by_card.set_card_number("GH9999999999");
  EXPECT_EQ(lookup(by_card, &found).error_code(), grpc::StatusCode::NOT_FOUND);
  by_id.set_national_id(MakeNationalId("19700101", 7));
  EXPECT_EQ(lookup(by_id, &found).error_code(), grpc::StatusCode::NOT_FOUND);
  by_id.set_national_id("12345");
  EXPECT_THAT(BadFields(lookup(by_id, &found)), ElementsAre("national_id"));
  mv1::LookupMemberRequest empty;
  EXPECT_EQ(lookup(empty, &found).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Every stored column comes back in its own field, by GetMember and by
// LookupMember: the reader takes the columns by position (store/rows.cc),
// so a shifted or swapped position shows here as a field holding another
// column's value. The expected text is the row itself, read by name.
TEST_F(MemberServiceTest, GetAndLookupReturnEveryStoredColumn) {
  mv1::Member person = Person(g2_.org_id(), 41, "19770809");
  person.set_mobile("13955501234");
  person.set_household(mv1::HOUSEHOLD_RURAL);
  person.set_ethnicity("回族");
  person.set_education(mv1::EDUCATION_COLLEGE);
  person.set_front_line(true);
  person.set_enterprise_leader(true);
  person.set_model_worker_level(mv1::MODEL_WORKER_LEVEL_PROVINCIAL);
  person.set_wage_base_fen(765432);
  const mv1::Member joined = MustJoin(server_, person);
  const std::string row = server_.database().QueryValue(
      "SELECT CONCAT_WS('|', id, name, sex, birth_date, mobile, household, "
      "ethnicity, education, front_line, migrant_worker, model_worker_level, "
      "enterprise_leader, wage_base_fen, org_id, card_number, status, "
      "retained_reason, status_reason, joined_on, status_since, "
      "FLOOR(UNIX_TIMESTAMP(created_at)), FLOOR(UNIX_TIMESTAMP(updated_at))) "
      "FROM members "
      "WHERE id = " +
      std::to_string(joined.member_id()));
  auto as_row = [](const mv1::Member& m) {
    return absl::StrCat(
        m.member_id(), "|", m.name(), "|", m.sex(), "|", m.birth_date(), "|",
        m.mobile(), "|", m.household(), "|", m.ethnicity(), "|", m.education(),
        "|", m.front_line() ? 1 : 0, "|", m.migrant_worker() ? 1 : 0, "|",
        m.model_worker_level(), "|", m.enterprise_leader() ? 1 : 0, "|",
        m.wage_base_fen(), "|", m.org_id(), "|", m.card_number(), "|",
        m.status(), "|", m.retained_reason(), "|", m.status_reason(), "|",
        m.joined_on(), "|", m.status_since(), "|", m.create_time().seconds(),
        "|", m.update_time().seconds());
  };
  const mv1::Member got = MustGetMember(server_, joined.member_id());
  EXPECT_EQ(as_row(got), row);
  EXPECT_EQ(got.national_id(), person.national_id());
  mv1::LookupMemberRequest by_id;
  by_id.set_national_id(person.national_id());
  mv1::LookupMemberResponse found;
  ASSERT_TRUE(Call(server_.stub(), &Stub::LookupMember, by_id, &found).ok());
  EXPECT_EQ(as_row(found.member()), row);
  EXPECT_EQ(found.member().national_id(), person.national_id());
}

TEST_F(MemberServiceTest, UpdateChangesOnlyMaskedFieldsAndRecordsWages) {
  mv1::Member m = MustJoin(server_, Person(g1_.org_id(), 1), "2024-01-10");
  mv1::UpdateMemberRequest req;
  req.set_request_id(NewRequestId());
  req.mutable_member()->set_member_id(m.member_id());
  req.mutable_member()->set_name("王建军");
  req.mutable_member()->set_mobile("13700000000");  // not in the mask
  req.mutable_member()->set_front_line(true);
  req.mutable_update_mask()->add_paths("name");
  req.mutable_update_mask()->add_paths("front_line");
  mv1::UpdateMemberResponse resp;
  grpc::Status status = Update(req, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.member().name(), "王建军");
  EXPECT_TRUE(resp.member().front_line());
  EXPECT_EQ(resp.member().mobile(), m.mobile());
  EXPECT_EQ(resp.member().national_id(), m.national_id());
  EXPECT_EQ(MustGetMember(server_, m.member_id()).name(), "王建军");

  // A wage change is recorded with its effective date.
  mv1::UpdateMemberRequest wage;
  wage.set_request_id(NewRequestId());
  wage.mutable_member()->set_member_id(m.member_id());
  wage.mutable_member()->set_wage_base_fen(888800);
  wage.mutable_update_mask()->add_paths("wage_base_fen");
  wage.set_effective_on("2024-04-01");
  status = Update(wage, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.member().wage_base_fen(), 888800);
  mv1::GetMemberHistoryRequest hreq;
  hreq.set_member_id(m.member_id());
  mv1::GetMemberHistoryResponse history;
  ASSERT_TRUE(
      Call(server_.stub(), &Stub::GetMemberHistory, hreq, &history).ok());
  ASSERT_EQ(history.entries_size(), 3);
  EXPECT_EQ(history.entries(1).kind(), mv1::HISTORY_KIND_UPDATED);
  EXPECT_THAT(history.entries(1).changed_fields(),
              UnorderedElementsAre("name", "front_line"));
  const mv1::HistoryEntry& last = history.entries(2);
  EXPECT_EQ(last.kind(), mv1::HISTORY_KIND_UPDATED);
  EXPECT_EQ(last.effective_on(), "2024-04-01");
  EXPECT_THAT(last.changed_fields(), ElementsAre("wage_base_fen"));
  EXPECT_EQ(last.request_id(), wage.request_id());
  EXPECT_EQ(Count(server_, "events", "type = 6"), "1");  // WAGE_CHANGED
}

TEST_F(MemberServiceTest, UpdateRefusesImmutableAndUnknownPaths) {
  mv1::Member m = MustJoin(server_, Person(g1_.org_id(), 1));
  const std::string history = Count(server_, "member_history");
  for (const char* path :
       {"national_id", "org_id", "status", "card_number", "sex", "shoe_size"}) {
    mv1::UpdateMemberRequest req;
    req.set_request_id(NewRequestId());
    req.mutable_member()->set_member_id(m.member_id());
    req.mutable_member()->set_name("李四");
    req.mutable_member()->set_national_id(MakeNationalId("19800101", 9));
    req.mutable_update_mask()->add_paths("name");
    req.mutable_update_mask()->add_paths(path);
    mv1::UpdateMemberResponse resp;
    grpc::Status status = Update(req, &resp);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << path;
    EXPECT_THAT(BadFields(status), ElementsAre("update_mask")) << path;
  }
  // Bad values of masked fields are named, all at once.
  mv1::UpdateMemberRequest req;
  req.set_request_id(NewRequestId());
  req.mutable_member()->set_member_id(m.member_id());
  req.mutable_member()->set_name("");
  req.mutable_member()->set_mobile("1234");
  req.mutable_update_mask()->add_paths("name");
  req.mutable_update_mask()->add_paths("mobile");
  mv1::UpdateMemberResponse resp;
  EXPECT_THAT(BadFields(Update(req, &resp)),
              UnorderedElementsAre("member.name", "member.mobile"));
  mv1::Member after = MustGetMember(server_, m.member_id());
  EXPECT_EQ(after.name(), "王建国");
  EXPECT_EQ(after.national_id(), m.national_id());
  EXPECT_EQ(after.mobile(), m.mobile());
  EXPECT_EQ(Count(server_, "member_history"), history);

  req.mutable_member()->set_member_id(999);
  req.mutable_member()->set_name("李四");
  req.mutable_member()->set_mobile("13700000000");
  EXPECT_EQ(Update(req, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(HistoryKinds(server_, m.member_id()),
              Not(Contains(mv1::HISTORY_KIND_UPDATED)));
  EXPECT_THAT(BadFields(Update(mv1::UpdateMemberRequest(), &resp)),
              Not(IsEmpty()));
}

}  // namespace
}  // namespace unionhub::testing
