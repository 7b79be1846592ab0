// A fixed RSA-2048 key pair for the JWT fuzzer and its seeds only: it signs
// nothing outside tests/fuzz and is public on purpose (the seeds are
// tokens signed with it, so a mutated seed reaches the claims parser).
#ifndef UNIONHUB_TESTS_FUZZ_JWT_TEST_KEY_H_
#define UNIONHUB_TESTS_FUZZ_JWT_TEST_KEY_H_

namespace unionhub::fuzz {

inline constexpr char kJwtTestPrivateKeyPem[] = R"pem(
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDmZbTbK4C4/4S6
dFRcNPnVPs7bXLcGCVVOvXCwqb48RbPHD7xyQlG/J385fEbIwm7I16ZEvlxwXjK1
kDZglv9YMa5Go9LBn1TtJm/jSoI6atLYthuqPtNZ7ZJ0IBOhBrnJqYUAWv2R6vRk
C7OJpbQPTU2vRhYTvddvnvi4Oy0r9fGSunXR891rmyCgsQbf81tv2pwB6k3VM/Yf
EXwesrdzr2tWEyT4wMyN1H8IUWwUpK+QAotQ2tm7/udaAuX1lBKQw9C7zSwryIQd
go3SrUkg4rkZkS4tXFtQLOTd81M0AQ6mG7QJCQGsbZgmi1oPtFq+UaI6dLG784Is
LbBSpMQnAgMBAAECggEADQR1wE+ywVZtMoxhuydNGaonotztWbHLovFw0rJ3KqL0
4jbhOq1vk/bQfo18ga779my6GraMtNaa/oeBja81Cc/Ix89NbZ4p0g+yu6tZNKFr
fKNmvcA4oyND++asupONigzXab/lBXUPzi/xEBe6LDEocKeWQL2gVKYClITXa7J+
ur9Og8yozI5IiN4yS7/Z96R/Y65k92uzvdFMtBqtZA29EVuYnPrRuFWdEw26Wgnp
+QxKBLBvwzDKzydMh8ym9C++2u4FpfU+uzJgqo1BN9D4CygrfascoOnl1Z7N+GtT
xoN42WUw8CosFo+SdlaCD48QllEIHFz9e6Xw5M24lQKBgQD37AntKvM4p9MNsUnm
XKxj6OouIzvdGV9XC20mqA8rNp3brZZPUgHFQQtGC8RUpRXgsiTbttkyjyNCbZf9
zmiEOmIaouoe8xzr/NqgM1Prayiig0N4bwonCAn1dOs1uT+ANNdhpuY94wxOblMh
VC7ofrafUyxt42qa+E6sOxooPQKBgQDt532klmu6ld6PXrUumOgbxyhbspxIKdxa
ew4uEu35K3boELL+SWTWhnUIUIfg2IXaqDK4DJpYAWP7HfsW2/jK4JsXbc5lxlZ8
aG9WkIxBNZTbRWNLE9AACTtwOKw9A2Ifl+52zeS0F1XFVKQMrQcbVu4pHvabzlGU
68F6+lXAMwKBgGzIMQLTmaz+VmjnpZliiHG+PSLJavb0rxSuetI/Y4h+in1diVp8
jTJT+/JcL2VEmnjhMbMGY/7/N2VqWQqQiuOaCnnNihTSb5pMdFFetC/T8Rx9pBkv
/7BoopYFGz+TbP2AMhEy/kuhWEEBv5AcNAjnsJHwGMqOwrQEx+BifnOxAoGAECZz
6BVyEMOVzUPPpu8oaqJVggwZAekdlWLfLo+Iai7iLpTbodmXp9yO21akMsZgJ9zd
PJNWcvz9LZH2drHOLO+cd7WzmkMhoeZxEH5VlyOtDEmkmPcqWqZFy7N9NdMh+SUW
QihuCy++WdwKGvYwElIPbuk0MpWKAkMS6mdOJPMCgYEAu6jI73jdqt5YG5tkC2/q
V3ly09a4vWHSwrqL9R/qOlGsy2qc+vIIvPbp+XqrN+KSHkGIDk06uG4SMZ+qkMPb
QQeEV+VHY+BUbFVGlyvgII6EX48aXgl6rGs+ieVLqR7zsgQE6PugNCUWBhCPbWvs
Nbc9Rybv6YQdL1o/CiexXRs=
-----END PRIVATE KEY-----
)pem";

inline constexpr char kJwtTestPublicKeyPem[] = R"pem(
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA5mW02yuAuP+EunRUXDT5
1T7O21y3BglVTr1wsKm+PEWzxw+8ckJRvyd/OXxGyMJuyNemRL5ccF4ytZA2YJb/
WDGuRqPSwZ9U7SZv40qCOmrS2LYbqj7TWe2SdCAToQa5yamFAFr9ker0ZAuziaW0
D01Nr0YWE73Xb574uDstK/Xxkrp10fPda5sgoLEG3/Nbb9qcAepN1TP2HxF8HrK3
c69rVhMk+MDMjdR/CFFsFKSvkAKLUNrZu/7nWgLl9ZQSkMPQu80sK8iEHYKN0q1J
IOK5GZEuLVxbUCzk3fNTNAEOphu0CQkBrG2YJotaD7RavlGiOnSxu/OCLC2wUqTE
JwIDAQAB
-----END PUBLIC KEY-----
)pem";

}  // namespace unionhub::fuzz

#endif  // UNIONHUB_TESTS_FUZZ_JWT_TEST_KEY_H_
