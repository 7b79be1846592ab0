// The flags that point a bench program (unionhub-bench, unionhub-bench-soak)
// at bench/run's stack: the services, their TLS material, the signing key
// that mints the callers' tokens, the MariaDB as root and the loader's facts;
// and the start-up both programs make from them.
#ifndef UNIONHUB_BENCH_STACK_FLAGS_H_
#define UNIONHUB_BENCH_STACK_FLAGS_H_

#include <memory>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "bench/paths.h"
#include "common/db/pool.h"

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

namespace unionhub::bench {

// A pool of `size` root connections to `schema` on --db_uri.
std::unique_ptr<db::Pool> RootPool(const std::string& schema, int size);

// Fills `env` from the flags: the loader's facts, the PII keys from the
// environment, one admin token per caller (subjects "<subject>-<n>", valid
// for `token_life`) and one channel per caller to each service, each with a
// TLS connection of its own, as separate clients would have.
absl::Status ConnectToStack(Env& env, const std::string& subject, int callers,
                            absl::Duration token_life);

}  // namespace unionhub::bench

#endif  // UNIONHUB_BENCH_STACK_FLAGS_H_
