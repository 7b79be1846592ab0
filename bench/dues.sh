#!/usr/bin/env bash
# Measures the dues bulk paths on a county-sized roster (40,000 members):
# AssessDues (required: under 5 s) and ImportPayrollDeductions (required:
# at least 20,000 rows/s). Builds, starts a throwaway MariaDB like
# scripts/test does, and runs the disabled benchmark test
# (tests/service/finance_dues_perf_test.cc) RUNS times (default 3).
#   bench/dues.sh [RUNS]
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$UNIONHUB_ROOT"
runs=${1:-3}

phase "build ($UNIONHUB_BUILD_DIR)" build_all

db_dir=$(mktemp -d "${TMPDIR:-/tmp}/unionhub-bench-db.XXXXXX")
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  local status=$?
  stop_mariadb "$db_dir" || true
  rm -rf "$db_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db_port=$(free_port)
phase "bench MariaDB on 127.0.0.1:$db_port" \
  start_mariadb "$db_dir" "$db_port" test
# shellcheck source=scripts/pki.sh
source "$UNIONHUB_ROOT/scripts/pki.sh"
phase "certificates and keys" make_dev_secrets "$db_dir/secrets"
export UNIONHUB_TEST_SECRETS_DIR="$db_dir/secrets"
export UNIONHUB_TEST_DB_SOCKET="$db_dir/mysqld.sock"
export UNIONHUB_TEST_DB_PORT="$db_port"
export UNIONHUB_TEST_DB_USER=root
export UNIONHUB_TEST_DB_PASSWORD=
export UNIONHUB_BUILD_DIR

say "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for ((i = 1; i <= runs; i++)); do
  "$UNIONHUB_BUILD_DIR/tests/service/finance_dues_perf_test" \
    --gtest_also_run_disabled_tests 2>/dev/null |
    grep -E '^(AssessDues|ImportPayrollDeductions)'
done
