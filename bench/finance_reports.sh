#!/usr/bin/env bash
# Measures the auditors' reports on a province-sized data set through the
# real service: generates 1,000,000 members x 12 months with
# unionhub-gen-finance into a MariaDB of its own, starts the real
# unionhub-finance binary on that schema (TLS and token verification as
# scripts/up runs it; its membership peer points at a closed port, so the
# roster consumer just keeps retrying), then times GetCollectionReport for
# the province over the 12 months RUNS times, and one page of ListArrears
# at province scope, over gRPC with an auditor token.
#
#   bench/finance_reports.sh [--members=N] [--runs=N]
#                            [--data_dir=DIR] [--generate=false]
#
# Without --data_dir the database lives in a throwaway directory removed at
# exit. With --data_dir=DIR it is kept there, and a later run with
# --generate=false reuses the schema instead of generating it again.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$UNIONHUB_ROOT"

members=1000000
runs=20
data_dir=
generate=true
for arg in "$@"; do
  case $arg in
    --members=*) members=${arg#*=} ;;
    --runs=*) runs=${arg#*=} ;;
    --data_dir=*) data_dir=${arg#*=} ;;
    --generate=true | --generate=false) generate=${arg#*=} ;;
    *) die "unknown argument '$arg' (see the comment at the top of $0)" ;;
  esac
done
[[ $members =~ ^[0-9]+$ && $runs =~ ^[0-9]+$ ]] ||
  die "--members and --runs take whole numbers"
schema=finance_bench

phase "build ($UNIONHUB_BUILD_DIR)" build_all

keep_data=true
if [[ -z $data_dir ]]; then
  data_dir=$(mktemp -d "${TMPDIR:-/tmp}/unionhub-bench-fin.XXXXXX")
  keep_data=false
fi
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)
finance_pid=
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  local status=$?
  if [[ -n $finance_pid ]]; then
    kill -TERM "$finance_pid" 2>/dev/null || true
    wait "$finance_pid" 2>/dev/null || true
  fi
  stop_mariadb "$data_dir" || true
  [[ $keep_data == true ]] || rm -rf "$data_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db_port=$(free_port)
phase "bench MariaDB on 127.0.0.1:$db_port ($data_dir)" \
  start_mariadb "$data_dir" "$db_port" test
db_uri="unix://$data_dir/mysqld.sock"

exists=$(mariadb_sql "$data_dir" -N -e \
  "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '$schema'")
gen=("$UNIONHUB_BUILD_DIR/tools/gen_finance/unionhub-gen-finance"
  --db_uri="$db_uri" --db_user=root --db_schema="$schema"
  --bench_runs=5 --arrears_runs=1)
say "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
if [[ $generate == true ]]; then
  if [[ $exists != 0 ]]; then
    mariadb_sql "$data_dir" -e "DROP DATABASE \`$schema\`"
  fi
  start=$SECONDS
  phase "generate $members members x 12 months" \
    "${gen[@]}" --members="$members" --months=12 --first_month=2025-01
  say "generation took $((SECONDS - start)) s"
else
  [[ $exists != 0 ]] ||
    die "no schema $schema in $data_dir: run once with --generate=true"
  "${gen[@]}" --generate=false
fi

# shellcheck source=scripts/pki.sh
source "$UNIONHUB_ROOT/scripts/pki.sh"
secrets="$data_dir/secrets"
phase "certificates and keys" make_dev_secrets "$secrets"
export_service_security "$secrets"

finance_port=$(free_port)
dead_port=$(free_port) # nothing listens there: no membership peer
say "unionhub-finance on 127.0.0.1:$finance_port (log $data_dir/finance.log)"
UNIONHUB_DB_PASSWORD='' \
  "$UNIONHUB_BUILD_DIR/services/finance/unionhub-finance" \
  --listen="127.0.0.1:$finance_port" --db_uri="$db_uri" --db_user=root \
  --db_schema="$schema" --membership_address="127.0.0.1:$dead_port" \
  --ledger_seal_interval_ms=600000 >"$data_dir/finance.log" 2>&1 &
finance_pid=$!

"$UNIONHUB_BUILD_DIR/bench/unionhub-bench-finance-reports" \
  --target="127.0.0.1:$finance_port" --tls_ca_file="$secrets/ca.pem" \
  --tls_client_cert_file="$secrets/client.pem" \
  --tls_client_key_file="$secrets/client.key" \
  --jwt_signing_key_file="$secrets/jwt-signing.pem" \
  --org_id=1 --from_month=2025-01 --to_month=2025-12 --runs="$runs" ||
  { tail -n 20 "$data_dir/finance.log" >&2; exit 1; }
