// Writes the binary seeds of tests/fuzz/corpus (the import streams, tokens
// signed with the fixed test key, a list request): small valid and
// near-valid inputs the fuzzers mutate. Deterministic, so regenerating
// changes nothing unless this file does:
//   build-fuzz/tests/fuzz/make_seeds tests/fuzz/corpus
#include <fstream>
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/core/ids.h"
#include "tests/fuzz/jwt_test_key.h"
#include "tests/fuzz/stream_input.h"
#include "unionhub/finance/v1/finance.pb.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

std::string root;

void Write(const std::string& target, const std::string& name,
           const std::string& bytes) {
  const std::string path = absl::StrCat(root, "/", target, "/", name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) {
    std::cerr << "cannot write " << path << "\n";
    std::exit(1);
  }
}

std::string NationalId(const std::string& first17) {
  return first17 + unionhub::ids::NationalIdCheckChar(first17);
}

void Tokens() {
  unionhub::auth::Claims claims;
  claims.subject = "registrar-t1";
  claims.roles = {"registrar"};
  claims.issuer = "unionhub-fuzz";
  claims.audience = "unionhub";
  claims.issued_at = absl::FromUnixSeconds(1799990000);
  claims.expires_at = absl::FromUnixSeconds(1800003600);
  claims.token_id = "seed-1";
  auto token =
      unionhub::auth::MintToken(claims, unionhub::fuzz::kJwtTestPrivateKeyPem);
  if (!token.ok()) std::exit(1);
  Write("jwt", "valid_token", *token);
  claims.org_scope = 390;
  claims.roles = {"finance_clerk", "auditor"};
  token =
      unionhub::auth::MintToken(claims, unionhub::fuzz::kJwtTestPrivateKeyPem);
  if (!token.ok()) std::exit(1);
  Write("jwt", "valid_token_scoped", *token);
  claims.expires_at = absl::FromUnixSeconds(1799999000);  // before "now"
  token =
      unionhub::auth::MintToken(claims, unionhub::fuzz::kJwtTestPrivateKeyPem);
  if (!token.ok()) std::exit(1);
  Write("jwt", "expired_token", *token);
}

void PageToken() {
  mv1::ListMembersRequest request;
  request.set_org_id(390);
  request.set_status(mv1::MEMBER_STATUS_ACTIVE);
  request.set_front_line_only(true);
  request.set_page_size(50);
  request.set_page_token("MTo0MjowMTIzNDU2Nzg5YWJjZGVm");
  Write("page_token", "list_members_request",
        "1" + request.SerializeAsString());
}

void MemberImport() {
  mv1::ImportMembersRequest header;
  header.mutable_header()->set_request_id("import-2026-11-30");
  header.mutable_header()->set_default_org_id(12);
  header.mutable_header()->set_joined_on("2026-11-30");
  std::string stream;
  unionhub::fuzz::AppendMessage(header, &stream);
  auto add = [&](int64_t row_number, const std::string& id,
                 const std::string& name, int64_t wage) {
    mv1::ImportMembersRequest m;
    mv1::ImportRow* row = m.mutable_row();
    row->set_row_number(row_number);
    mv1::Member* member = row->mutable_member();
    member->set_name(name);
    member->set_national_id(id);
    member->set_mobile("13800138000");
    member->set_household(mv1::HOUSEHOLD_URBAN);
    member->set_wage_base_fen(wage);
    unionhub::fuzz::AppendMessage(m, &stream);
  };
  add(1, NationalId("11010119900307451"), "张三", 500000);
  add(2, NationalId("44030119851231002"), "李四", 0);
  Write("member_import", "two_rows", stream);
  // Near-valid: a repeated person, a wrong check character, rows out of
  // order, a minor, a header without request_id.
  add(3, NationalId("11010119900307451"), "张三", 500000);
  add(2, "11010119900307451X", "王五", -1);
  add(4, NationalId("11010120150101001"), "赵六", 100);
  Write("member_import", "bad_rows", stream);
  mv1::ImportMembersRequest bad_header;
  bad_header.mutable_header()->set_joined_on("2026-02-30");
  std::string bad;
  unionhub::fuzz::AppendMessage(bad_header, &bad);
  Write("member_import", "bad_header", bad);
}

void PayrollImport() {
  fv1::ImportPayrollDeductionsRequest header;
  header.mutable_header()->set_request_id("payroll-2026-11");
  header.mutable_header()->set_employer_id(7);
  header.mutable_header()->set_paid_on("2026-11-28");
  header.mutable_header()->set_reference("工资代扣 11月");
  std::string stream;
  unionhub::fuzz::AppendMessage(header, &stream);
  auto add = [&](const std::string& id, const std::string& card,
                 const std::string& month, int64_t amount) {
    fv1::ImportPayrollDeductionsRequest m;
    fv1::PayrollRow* row = m.mutable_row();
    row->set_national_id(id);
    row->set_card_number(card);
    row->set_month(month);
    row->set_amount_fen(amount);
    row->set_name("张三");
    unionhub::fuzz::AppendMessage(m, &stream);
  };
  add(NationalId("11010119900307451"), "", "2026-11", 2500);
  add("", "c0000123", " 2026-10 ", 2500);
  Write("payroll_import", "two_rows", stream);
  add("11010119900307451x ", "", "2026-13", 0);
  add("", "", "", 20000000000);
  Write("payroll_import", "bad_rows", stream);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_seeds CORPUS_DIR\n";
    return 2;
  }
  root = argv[1];
  Tokens();
  PageToken();
  MemberImport();
  PayrollImport();
  return 0;
}
