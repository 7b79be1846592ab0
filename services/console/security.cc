#include "services/console/security.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace unionhub::console {
namespace {

// A JWT is three base64url parts joined by dots; anything else (spaces, a
// CR/LF that would split a gRPC header) is refused before it is forwarded.
bool LooksLikeJwt(absl::string_view token) {
  if (token.empty() || token.size() > 8192) return false;
  for (char c : token) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

CallerToken Checked(absl::string_view token, bool ambient) {
  CallerToken out;
  out.ambient = ambient;
  if (LooksLikeJwt(token)) {
    out.token = std::string(token);
  } else {
    out.malformed = true;
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> ParseCookies(absl::string_view header) {
  std::map<std::string, std::string> out;
  for (absl::string_view part : absl::StrSplit(header, ';')) {
    part = absl::StripAsciiWhitespace(part);
    const size_t eq = part.find('=');
    if (eq == absl::string_view::npos) continue;
    out.emplace(std::string(absl::StripAsciiWhitespace(part.substr(0, eq))),
                std::string(absl::StripAsciiWhitespace(part.substr(eq + 1))));
  }
  return out;
}

CallerToken TokenOf(absl::string_view authorization,
                    absl::string_view identity_value,
                    absl::string_view cookie_header) {
  if (!authorization.empty()) {
    absl::string_view token = authorization;
    if (!absl::ConsumePrefix(&token, "Bearer ")) {
      CallerToken bad;
      bad.malformed = true;
      return bad;
    }
    return Checked(absl::StripAsciiWhitespace(token), /*ambient=*/false);
  }
  if (!identity_value.empty()) {
    absl::string_view token = identity_value;
    absl::ConsumePrefix(&token, "Bearer ");
    return Checked(absl::StripAsciiWhitespace(token), /*ambient=*/true);
  }
  const auto cookies = ParseCookies(cookie_header);
  auto session = cookies.find(kSessionCookie);
  if (session == cookies.end() || session->second.empty()) {
    return CallerToken();  // no credential, nothing a forgery could borrow
  }
  return Checked(session->second, /*ambient=*/true);
}

bool CsrfOk(absl::string_view cookie_header, absl::string_view csrf_header) {
  if (csrf_header.size() < 32) return false;
  const auto cookies = ParseCookies(cookie_header);
  auto csrf = cookies.find(kCsrfCookie);
  if (csrf == cookies.end() || csrf->second.size() != csrf_header.size()) {
    return false;
  }
  return CRYPTO_memcmp(csrf->second.data(), csrf_header.data(),
                       csrf_header.size()) == 0;
}

std::string NewCsrfToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) abort();  // no entropy: no CSRF
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string SessionCookieValue(absl::string_view token, int max_age_seconds) {
  return absl::StrCat(kSessionCookie, "=", token, "; Max-Age=", max_age_seconds,
                      "; Path=/; HttpOnly; Secure; SameSite=Strict");
}

std::string CsrfCookieValue(absl::string_view csrf) {
  return absl::StrCat(kCsrfCookie, "=", csrf,
                      "; Path=/; Secure; SameSite=Strict");
}

std::vector<std::string> ClearedCookies() {
  return {absl::StrCat(kSessionCookie,
                       "=; Max-Age=0; Path=/; HttpOnly; Secure; "
                       "SameSite=Strict")};
}

const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const auto* const headers =
      new std::vector<std::pair<std::string, std::string>>{
          {"Content-Security-Policy",
           "default-src 'self'; script-src 'self'; style-src 'self'; "
           "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
          {"X-Content-Type-Options", "nosniff"},
          {"X-Frame-Options", "DENY"},
          {"Referrer-Policy", "no-referrer"},
          {"Cross-Origin-Opener-Policy", "same-origin"},
          {"Strict-Transport-Security", "max-age=31536000"},
      };
  return *headers;
}

}  // namespace unionhub::console
