#include "services/console/downloads.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/console/notice_pdf.h"
#include "tools/audit_report/audit_report.h"
#include "unionhub/awards/v1/awards.grpc.pb.h"

namespace unionhub::console {
namespace {

namespace ar = ::unionhub::audit_report;
using Violations = std::vector<std::pair<std::string, std::string>>;

constexpr int kPageSize = 1000;

std::string Param(const Query& query, const std::string& name) {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

// The parameters every download shares; each bad one named.
struct Common {
  int64_t org_id = 0;
  ar::Lang lang = ar::Lang::kZh;
};

Common ParseCommon(const Query& query, Violations* violations) {
  Common c;
  if (!absl::SimpleAtoi(Param(query, "org_id"), &c.org_id) || c.org_id <= 0) {
    violations->emplace_back("org_id", "an organisation id");
  }
  absl::StatusOr<ar::Lang> lang = ar::ParseLang(Param(query, "lang"));
  if (lang.ok()) {
    c.lang = *lang;
  } else {
    violations->emplace_back("lang", "zh or en");
  }
  return c;
}

Download Failed(JsonReply error) {
  Download d;
  d.error = std::move(error);
  return d;
}

Download Refused(const Violations& violations) {
  return Failed(ErrorReply(grpc::StatusCode::INVALID_ARGUMENT,
                           "the download's parameters have errors",
                           violations));
}

// The channel to `backend`, or null and `error` set.
std::shared_ptr<grpc::Channel> ChannelTo(const Gateway& gateway,
                                         const std::string& backend,
                                         JsonReply* error) {
  std::shared_ptr<grpc::Channel> channel = gateway.ChannelOf(backend);
  if (channel == nullptr) {
    *error =
        ErrorReply(grpc::StatusCode::UNAVAILABLE,
                   absl::StrCat("the ", backend, " service is not configured"));
  }
  return channel;
}

std::unique_ptr<ar::fv1::AuditService::Stub> AuditStub(const Gateway& gateway,
                                                       JsonReply* error) {
  std::shared_ptr<grpc::Channel> channel = ChannelTo(gateway, "finance", error);
  return channel == nullptr ? nullptr : ar::fv1::AuditService::NewStub(channel);
}

}  // namespace

std::string ContentDisposition(absl::string_view utf8_name,
                               absl::string_view ascii_fallback) {
  // attr-char of RFC 5987 stays as it is; every other byte is %XX.
  std::string encoded;
  for (unsigned char ch : utf8_name) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
        (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
        ch == '~') {
      encoded += static_cast<char>(ch);
    } else {
      static const char kHex[] = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[ch >> 4];
      encoded += kHex[ch & 15];
    }
  }
  std::string fallback;
  for (char ch : ascii_fallback) {
    fallback += (ch == '"' || ch == '\\' || ch < 0x20) ? '_' : ch;
  }
  return absl::StrCat("attachment; filename=\"", fallback,
                      "\"; filename*=UTF-8''", encoded);
}

Download AuditWorkbook(const Gateway& gateway, const Query& query,
                       const std::string& bearer) {
  Violations violations;
  const Common common = ParseCommon(query, &violations);
  ar::Options options;
  options.org_id = common.org_id;
  options.lang = common.lang;
  options.page_size = kPageSize;
  options.from_month = Param(query, "from_month");
  options.to_month = Param(query, "to_month");
  // The month format is the service's rule; only absence is ours.
  if (options.from_month.empty()) {
    violations.emplace_back("from_month", "the first month, YYYY-MM");
  }
  if (options.to_month.empty()) {
    violations.emplace_back("to_month", "the last month, YYYY-MM");
  }
  if (!violations.empty()) return Refused(violations);
  JsonReply error;
  auto stub = AuditStub(gateway, &error);
  if (stub == nullptr) return Failed(error);
  ar::Fetched fetched;
  grpc::Status status = ar::Fetch(
      *stub, [&] { return gateway.NewContext(bearer, false); }, options,
      [](const std::string&, bool) {}, &fetched);
  if (!status.ok()) return Failed(CallErrorReply(status, "finance"));
  absl::StatusOr<std::string> bytes =
      ar::WorkbookBytes(ar::Tables(options, fetched));
  if (!bytes.ok()) {
    return Failed(
        ErrorReply(grpc::StatusCode::INTERNAL, "cannot write the workbook"));
  }
  const std::string range = absl::StrCat(
      options.org_id, "-", options.from_month, "-", options.to_month);
  Download d;
  d.content_type =
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  d.content_disposition = ContentDisposition(
      absl::StrCat(common.lang == ar::Lang::kZh ? "经审报告-" : "audit-report-",
                   range, ".xlsx"),
      absl::StrCat("audit-report-", range, ".xlsx"));
  d.body = std::move(*bytes);
  return d;
}

Download ArrearsCsv(const Gateway& gateway, const Query& query,
                    const std::string& bearer) {
  Violations violations;
  const Common common = ParseCommon(query, &violations);
  int min_months = 0;
  const std::string min = Param(query, "min_months");
  if (!min.empty() && (!absl::SimpleAtoi(min, &min_months) || min_months < 0)) {
    violations.emplace_back("min_months", "a number of months");
  }
  if (!violations.empty()) return Refused(violations);
  JsonReply error;
  auto stub = AuditStub(gateway, &error);
  if (stub == nullptr) return Failed(error);
  ar::fv1::ListArrearsRequest request;
  request.set_org_id(common.org_id);
  request.set_min_months(min_months);
  request.set_page_size(kPageSize);
  std::vector<ar::fv1::ArrearsEntry> entries;
  std::string as_of;
  do {
    ar::fv1::ListArrearsResponse page;
    grpc::Status status = stub->ListArrears(
        gateway.NewContext(bearer, false).get(), request, &page);
    if (!status.ok()) return Failed(CallErrorReply(status, "finance"));
    entries.insert(entries.end(), page.entries().begin(), page.entries().end());
    as_of = page.as_of_month();
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  const std::string suffix = absl::StrCat(common.org_id, "-", as_of, ".csv");
  Download d;
  d.content_type = "text/csv; charset=utf-8";
  d.content_disposition = ContentDisposition(
      absl::StrCat(common.lang == ar::Lang::kZh ? "欠缴名单-" : "arrears-",
                   suffix),
      absl::StrCat("arrears-", suffix));
  d.body = ar::CsvDocument(ar::ArrearsTable(common.lang, entries));
  return d;
}

Download PublicityNoticePdf(const Gateway& gateway, const Query& query,
                            const std::string& bearer) {
  int64_t program_id = 0;
  if (!absl::SimpleAtoi(Param(query, "program_id"), &program_id) ||
      program_id <= 0) {
    return Refused({{"program_id", "a programme id"}});
  }
  JsonReply error;
  std::shared_ptr<grpc::Channel> channel = ChannelTo(gateway, "awards", &error);
  if (channel == nullptr) return Failed(error);
  namespace av1 = ::unionhub::awards::v1;
  av1::GetPublicityNoticeRequest request;
  request.set_program_id(program_id);
  av1::GetPublicityNoticeResponse notice;
  grpc::Status status =
      av1::AwardsService::NewStub(channel)->GetPublicityNotice(
          gateway.NewContext(bearer, false).get(), request, &notice);
  if (!status.ok()) return Failed(CallErrorReply(status, "awards"));
  absl::StatusOr<std::string> pdf = NoticePdf(notice);
  if (!pdf.ok()) {
    return Failed(
        ErrorReply(grpc::StatusCode::INTERNAL, "cannot write the notice PDF"));
  }
  Download d;
  d.content_type = "application/pdf";
  d.content_disposition = ContentDisposition(
      absl::StrCat(notice.title(), "公示-", program_id, ".pdf"),
      absl::StrCat("publicity-notice-", program_id, ".pdf"));
  d.body = std::move(*pdf);
  return d;
}

}  // namespace unionhub::console
