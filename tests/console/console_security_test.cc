// The console's browser-facing rules without a server: where the token
// comes from, when CSRF applies, the cookies' attributes.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/console/security.h"

namespace unionhub::console {
namespace {

constexpr char kJwt[] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

TEST(ConsoleSecurityTest, ParsesCookies) {
  auto cookies = ParseCookies(" a=1; uh_session = tok ;b=; broken; a=2");
  EXPECT_EQ(cookies["a"], "1");  // the first wins
  EXPECT_EQ(cookies["uh_session"], "tok");
  EXPECT_EQ(cookies["b"], "");
  EXPECT_EQ(cookies.count("broken"), 0u);
}

TEST(ConsoleSecurityTest, AuthorizationHeaderIsAnIntegratorWithoutCsrf) {
  CallerToken caller =
      TokenOf(std::string("Bearer ") + kJwt, "", "uh_session=other.x.y");
  EXPECT_EQ(caller.token, kJwt);
  EXPECT_FALSE(caller.ambient);
  EXPECT_FALSE(caller.malformed);
  EXPECT_TRUE(TokenOf("Basic dXNlcjpwdw==", "", "").malformed);
  EXPECT_TRUE(TokenOf("Bearer a b", "", "").malformed);
  EXPECT_TRUE(TokenOf("Bearer a\r\nx: y", "", "").malformed);
}

TEST(ConsoleSecurityTest, CookiesAndTheIdentityProxyAreAmbient) {
  CallerToken proxy = TokenOf("", kJwt, "uh_session=other.x.y");
  EXPECT_EQ(proxy.token, kJwt);
  EXPECT_TRUE(proxy.ambient);
  CallerToken cookie = TokenOf("", "", std::string("uh_session=") + kJwt);
  EXPECT_EQ(cookie.token, kJwt);
  EXPECT_TRUE(cookie.ambient);
  // No credential: nothing a forged request could borrow.
  CallerToken none = TokenOf("", "", "uh_csrf=abc");
  EXPECT_TRUE(none.token.empty());
  EXPECT_FALSE(none.ambient);
  EXPECT_FALSE(none.malformed);
}

TEST(ConsoleSecurityTest, CsrfTokenMustEqualTheCookie) {
  const std::string csrf = NewCsrfToken();
  ASSERT_EQ(csrf.size(), 64u);
  EXPECT_NE(csrf, NewCsrfToken());
  const std::string cookies = "uh_session=x; uh_csrf=" + csrf;
  EXPECT_TRUE(CsrfOk(cookies, csrf));
  EXPECT_FALSE(CsrfOk(cookies, ""));
  EXPECT_FALSE(CsrfOk(cookies, NewCsrfToken()));
  EXPECT_FALSE(CsrfOk("uh_session=x", csrf));
  EXPECT_FALSE(CsrfOk("uh_csrf=short", "short"));  // too short to be ours
}

TEST(ConsoleSecurityTest, CookieAttributes) {
  const std::string session = SessionCookieValue(kJwt, 3600);
  for (const char* attribute :
       {"HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=3600"}) {
    EXPECT_TRUE(absl::StrContains(session, attribute)) << attribute;
  }
  const std::string csrf = CsrfCookieValue("abc");
  EXPECT_TRUE(absl::StrContains(csrf, "Secure"));
  EXPECT_TRUE(absl::StrContains(csrf, "SameSite=Strict"));
  // The page's script reads this one.
  EXPECT_FALSE(absl::StrContains(csrf, "HttpOnly"));
  EXPECT_TRUE(absl::StrContains(ClearedCookies()[0], "Max-Age=0"));
}

TEST(ConsoleSecurityTest, HeadersForbidInlineScriptAndFraming) {
  std::string csp;
  for (const auto& [name, value] : SecurityHeaders()) {
    if (name == "Content-Security-Policy") csp = value;
  }
  EXPECT_TRUE(absl::StrContains(csp, "default-src 'self'"));
  EXPECT_TRUE(absl::StrContains(csp, "frame-ancestors 'none'"));
  EXPECT_FALSE(absl::StrContains(csp, "unsafe"));
}

}  // namespace
}  // namespace unionhub::console
