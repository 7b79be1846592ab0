// The console's downloads: the auditors' workbook (tools/audit_report, the
// builder `unionctl audit report` uses) and the arrears list as CSV, read
// from AuditService with the signed-in user's token, so the services' gate
// decides what is in them. No HTTP library here: console_server.cc hands in
// the query and writes out the file or the error.
#ifndef UNIONHUB_SERVICES_CONSOLE_DOWNLOADS_H_
#define UNIONHUB_SERVICES_CONSOLE_DOWNLOADS_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "services/console/gateway.h"

namespace unionhub::console {

// A file to send, or (when `error.http_status` is not 200) a JSON error.
struct Download {
  JsonReply error;
  std::string content_type;
  std::string content_disposition;
  std::string body;
};

// `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>`
// (RFC 6266 / RFC 5987): browsers use the UTF-8 name, the ASCII one is for
// the few that cannot. `ascii_fallback` must be plain ASCII.
std::string ContentDisposition(absl::string_view utf8_name,
                               absl::string_view ascii_fallback);

using Query = std::map<std::string, std::string>;

// GET /api/download/audit-workbook?org_id=&from_month=&to_month=[&lang=en]
Download AuditWorkbook(const Gateway& gateway, const Query& query,
                       const std::string& bearer);

// GET /api/download/arrears.csv?org_id=[&min_months=][&lang=en]: every
// page of the arrears list.
Download ArrearsCsv(const Gateway& gateway, const Query& query,
                    const std::string& bearer);

// GET /api/download/publicity-notice.pdf?program_id=: the 公示 notice of a
// programme in publicity (AwardsService.GetPublicityNotice, IDs masked by
// the service) as a PDF.
Download PublicityNoticePdf(const Gateway& gateway, const Query& query,
                            const std::string& bearer);

}  // namespace unionhub::console

#endif  // UNIONHUB_SERVICES_CONSOLE_DOWNLOADS_H_
