#!/usr/bin/env bash
# The web console in a real browser (ctest label browser): starts a stack of
# its own on the test MariaDB that scripts/test runs (membership, finance
# and awards as processes on fresh schemas, and the console with the
# development sign-in), then drives Debian's Chromium with playwright-core
# (every *_test.mjs here, one walkthrough per area; $STACK_SERVICE is
# service.sh, with which a walkthrough may restart a service with other
# flags). Screenshots go to $UNIONHUB_BUILD_DIR/test-artifacts/console.
# Exit 77 (ctest: skipped) when chromium, node or npm is not installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="${UNIONHUB_BUILD_DIR:-$root/build}"
[[ -x /usr/bin/chromium ]] || { echo "skipped: no /usr/bin/chromium (apt-get install chromium)"; exit 77; }
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "skipped: no $tool on PATH"; exit 77; }
done
: "${UNIONHUB_TEST_DB_SOCKET:?run the tests via scripts/test (it starts the test MariaDB)}"
: "${UNIONHUB_TEST_SECRETS_DIR:?run the tests via scripts/test (it makes the test secrets)}"
if [[ ! -d $here/node_modules/playwright-core ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
# shellcheck source=scripts/pki.sh
source "$root/scripts/pki.sh"
secrets=$UNIONHUB_TEST_SECRETS_DIR
artifacts="$build/test-artifacts/console"
rm -rf "$artifacts"  # only this run's screenshots
mkdir -p "$artifacts"
work=$(mktemp -d)
export STACK_DIR=$work
tag="b$$"
pids=()
sql() { mariadb --no-defaults -uroot --socket="$UNIONHUB_TEST_DB_SOCKET" -e "$1"; }

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -f $work/stack.env ]]; then
    for svc in membership finance awards; do "$here/service.sh" stop "$svc" & done
  fi
  wait || true
  for svc in membership finance awards; do
    sql "DROP DATABASE IF EXISTS \`t_browser_${svc}_${tag}\`" || true
  done
  if ((status != 0)); then
    for log in "$work"/*.log; do
      echo "--- last lines of $(basename "$log") ---"
      tail -n 30 "$log"
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A port free now and not among the arguments (ports picked before anything
# listens on them could otherwise be handed out twice).
free_port() {
  local port
  while :; do
    port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
    [[ " $* " == *" $port "* ]] || { echo "$port"; return 0; }
  done
}

export_service_security "$secrets"
"$build/tools/token/unionhub-token" --private_key="$secrets/jwt-signing.pem" \
  --subject=browser-peer --roles=service --ttl=2h >"$work/peer.token"
declare -A port
for svc in membership finance awards console; do port[$svc]=$(free_port "${port[@]}"); done
peers=(
  UNIONHUB_MEMBERSHIP_ADDRESS="127.0.0.1:${port[membership]}"
  UNIONHUB_FINANCE_ADDRESS="127.0.0.1:${port[finance]}"
  UNIONHUB_AWARDS_ADDRESS="127.0.0.1:${port[awards]}"
  UNIONHUB_MEMBERSHIP_CA_FILE="$secrets/ca.pem"
  UNIONHUB_MEMBERSHIP_CERT_FILE="$secrets/client.pem"
  UNIONHUB_MEMBERSHIP_KEY_FILE="$secrets/client.key"
  UNIONHUB_MEMBERSHIP_TOKEN_FILE="$work/peer.token"
)
# The services run through service.sh (which the awards walkthrough also
# uses to restart awards on a later business date): what it needs to know.
declare -p build secrets tag port peers >"$work/stack.env"
for svc in membership finance awards; do
  sql "CREATE DATABASE \`t_browser_${svc}_${tag}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
  "$here/service.sh" start "$svc"
done
env "${peers[@]}" UNIONHUB_CONSOLE_LISTEN="127.0.0.1:${port[console]}" \
  UNIONHUB_WEB_ROOT="$root/services/console/web" \
  UNIONHUB_DEV_SIGNING_KEY_FILE="$secrets/jwt-signing.pem" \
  "$build/services/console/unionhub-console" >"$work/console.log" 2>&1 &
pids+=($!)
for svc in membership finance awards; do "$here/service.sh" wait "$svc"; done

admin=$("$build/tools/token/unionhub-token" --private_key="$secrets/jwt-signing.pem" \
  --subject=browser-admin --roles=admin --ttl=1h)
# Every *_test.mjs here, one after another on the same stack: each area's
# walkthrough is a file of its own.
for walkthrough in "$here"/*_test.mjs; do
  echo "== $(basename "$walkthrough")"
  CONSOLE_URL="https://127.0.0.1:${port[console]}" ADMIN_TOKEN="$admin" \
    STACK_SERVICE="$here/service.sh" \
    NODE_EXTRA_CA_CERTS="$secrets/ca.pem" ARTIFACTS="$artifacts" \
    node "$walkthrough"
done
