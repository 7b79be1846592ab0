// The console's browser-facing rules, free of any HTTP library: where a
// caller's token comes from, the CSRF check, cookies and response headers.
//
// A caller is one of:
//  - an integrator (curl, another system): "Authorization: Bearer <jwt>".
//    A browser never attaches that header to a cross-site request, so no
//    CSRF token is asked for;
//  - a browser behind the organisation's identity proxy: the proxy puts
//    the user's token in the header named by --identity_header (not in
//    Authorization: that would make a forged cross-site request look like
//    an integrator's);
//  - a browser signed in on the development sign-in page: the token in the
//    uh_session cookie (HttpOnly; Secure; SameSite=Strict).
// The last two are ambient credentials: every POST must then carry the
// X-CSRF-Token header equal to the uh_csrf cookie (double submit).
#ifndef UNIONHUB_SERVICES_CONSOLE_SECURITY_H_
#define UNIONHUB_SERVICES_CONSOLE_SECURITY_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace unionhub::console {

inline constexpr char kSessionCookie[] = "uh_session";
inline constexpr char kCsrfCookie[] = "uh_csrf";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

// name -> value of a Cookie header ("a=1; b=2"); later duplicates ignored.
std::map<std::string, std::string> ParseCookies(absl::string_view header);

struct CallerToken {
  std::string token;       // empty: anonymous
  bool ambient = false;    // from a cookie or the identity proxy: CSRF applies
  bool malformed = false;  // present but not a JWT's characters
};

// The token of a request from its Authorization header, the identity
// proxy's header value ("" when not configured or absent) and the Cookie
// header, in that order of preference.
CallerToken TokenOf(absl::string_view authorization,
                    absl::string_view identity_value,
                    absl::string_view cookie_header);

// True when `csrf_header` is non-empty and equals the uh_csrf cookie
// (compared in constant time).
bool CsrfOk(absl::string_view cookie_header, absl::string_view csrf_header);

// 32 random bytes, hex.
std::string NewCsrfToken();

// Set-Cookie values. The session cookie is HttpOnly (scripts never see the
// token); the CSRF cookie is readable by the page's script, which echoes it
// in X-CSRF-Token. Both Secure, SameSite=Strict, Path=/.
std::string SessionCookieValue(absl::string_view token, int max_age_seconds);
std::string CsrfCookieValue(absl::string_view csrf);
std::vector<std::string> ClearedCookies();

// The headers every response carries: a Content-Security-Policy allowing
// only the console's own scripts, styles and images (no inline script or
// style, no framing), nosniff, no referrer, HSTS.
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

}  // namespace unionhub::console

#endif  // UNIONHUB_SERVICES_CONSOLE_SECURITY_H_
