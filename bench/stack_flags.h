// The flags that point a bench program (unionhub-bench, unionhub-bench-soak)
// at bench/run's stack: the services, their TLS material, the signing key
// that mints the callers' tokens, the MariaDB as root and the loader's facts.
#ifndef UNIONHUB_BENCH_STACK_FLAGS_H_
#define UNIONHUB_BENCH_STACK_FLAGS_H_

#include <string>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, membership);
ABSL_DECLARE_FLAG(std::string, finance);
ABSL_DECLARE_FLAG(std::string, tls_ca_file);
ABSL_DECLARE_FLAG(std::string, tls_client_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_client_key_file);
ABSL_DECLARE_FLAG(std::string, jwt_signing_key_file);
ABSL_DECLARE_FLAG(std::string, db_uri);
ABSL_DECLARE_FLAG(std::string, db_user);
ABSL_DECLARE_FLAG(std::string, db_password);
ABSL_DECLARE_FLAG(std::string, membership_schema);
ABSL_DECLARE_FLAG(std::string, finance_schema);
ABSL_DECLARE_FLAG(std::string, facts);

#endif  // UNIONHUB_BENCH_STACK_FLAGS_H_
