#include "bench/stack_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, membership, "127.0.0.1:50051", "membership service");
ABSL_FLAG(std::string, finance, "127.0.0.1:50052", "finance service");
ABSL_FLAG(std::string, tls_ca_file, "", "CA of the services' certificate");
ABSL_FLAG(std::string, tls_client_cert_file, "", "client certificate (PEM)");
ABSL_FLAG(std::string, tls_client_key_file, "", "its private key (PEM)");
ABSL_FLAG(std::string, jwt_signing_key_file, "",
          "development signing key: mints the admin token each caller sends");
ABSL_FLAG(std::string, db_uri, "",
          "the same MariaDB, as root (baselines, open charges, profiles)");
ABSL_FLAG(std::string, db_user, "root", "");
ABSL_FLAG(std::string, db_password, "", "");
ABSL_FLAG(std::string, membership_schema, "unionhub_membership", "");
ABSL_FLAG(std::string, finance_schema, "unionhub_finance", "");
ABSL_FLAG(std::string, facts, "",
          "the line unionhub-bench-load printed (province=... members=...)");
