// `token mint` signs a development token like scripts/token; `token show`
// prints a token's claims without verifying it (the services verify).
#include <iostream>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/roles.h"
#include "tools/unionctl/app.h"
#include "tools/unionctl/errors.h"
#include "tools/unionctl/output.h"
#include "tools/unionctl/text.h"

namespace unionhub::unionctl {

int RunTokenMint(const TokenOptions& options) {
  std::string key_file = options.key_file;
  if (key_file.empty()) key_file = FindLocalSecret("jwt-signing.pem");
  if (key_file.empty()) {
    return ReportLocalError(
        "no --signing_key and no .local/secrets/jwt-signing.pem here or above "
        "(scripts/up makes one)");
  }
  absl::StatusOr<std::string> pem = auth::ReadFile(key_file);
  if (!pem.ok()) return ReportLocalError(std::string(pem.status().message()));
  auth::Claims claims;
  claims.subject = options.subject;
  absl::StatusOr<std::vector<std::string>> roles =
      auth::ParseRoles(options.roles);
  if (!roles.ok()) {
    std::cerr << "error: --roles: " << roles.status().message() << "\n";
    return kExitUsage;
  }
  claims.roles = *std::move(roles);
  claims.org_scope = options.org;
  claims.issuer = options.issuer;
  claims.audience = options.audience;
  absl::Duration ttl;
  if (!absl::ParseDuration(options.ttl, &ttl) || ttl <= absl::ZeroDuration()) {
    std::cerr << "error: --ttl \"" << options.ttl
              << "\" is not a positive duration (e.g. 8h, 15m)\n";
    return kExitUsage;
  }
  claims.issued_at = absl::Now();
  claims.expires_at = claims.issued_at + ttl;
  absl::StatusOr<std::string> token = auth::MintToken(claims, *pem);
  if (!token.ok()) {
    return ReportLocalError(std::string(token.status().message()));
  }
  std::cout << *token << "\n";
  return kExitOk;
}

int RunTokenShow(Globals& globals, const TokenOptions& options) {
  const std::string token =
      options.token.empty() ? globals.client.token : options.token;
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  std::string payload;
  if (parts.size() != 3 || !absl::WebSafeBase64Unescape(parts[1], &payload)) {
    return ReportLocalError("not a JWT (give one, or set UNIONHUB_TOKEN)");
  }
  nlohmann::json claims = nlohmann::json::parse(payload, nullptr, false);
  if (!claims.is_object())
    return ReportLocalError("the token's claims are not JSON");
  if (globals.output == "json") {
    std::cout << claims.dump(2) << "\n";
    return kExitOk;
  }
  std::vector<std::string> header, values;
  for (auto it = claims.begin(); it != claims.end(); ++it) {
    std::string value;
    if (it->is_string()) {
      value = it->get<std::string>();
    } else if (it->is_array()) {
      for (const auto& item : *it) {
        if (!value.empty()) value += ",";
        value += item.is_string() ? item.get<std::string>() : item.dump();
      }
    } else {
      value = it->dump();
    }
    if ((it.key() == "exp" || it.key() == "iat") && it->is_number_integer()) {
      value = absl::FormatTime(absl::RFC3339_sec,
                               absl::FromUnixSeconds(it->get<int64_t>()),
                               absl::UTCTimeZone());
    }
    header.push_back(it.key());
    values.push_back(value);
  }
  if (globals.output == "csv") {
    std::cout << CsvLine(header) << CsvLine(values);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < header.size(); ++i)
    rows.push_back({header[i], values[i]});
  std::cout << RenderTable({"claim", "value"}, rows);
  return kExitOk;
}

}  // namespace unionhub::unionctl
