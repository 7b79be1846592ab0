#!/usr/bin/env bash
# shellcheck disable=SC2154  # build, secrets, tag, port, peers: from stack.env
# One service (membership, finance or awards) of the stack run.sh starts
# for the browser tests, described by $STACK_DIR/stack.env (run.sh writes
# it; its pid goes to $STACK_DIR/SVC.pid, its log is appended to SVC.log):
#   service.sh start SVC [FLAG...]    starts it in the background
#   service.sh wait SVC               until it answers its health check
#   service.sh stop SVC               SIGTERM, then until it has exited
#   service.sh restart SVC [FLAG...]  stop, start with FLAGs, wait
# The awards walkthrough restarts awards with a later --today to get past
# the end of publicity: awards keeps nothing outside its database (a
# stopping replica releases its feed lease; the feed cursor is stored),
# so this is what a deployment does, and no RPC moves the business date.
set -euo pipefail
: "${STACK_DIR:?run by run.sh (STACK_DIR)}"
# shellcheck source=/dev/null
source "$STACK_DIR/stack.env"  # build, secrets, tag, port, peers

pid_file() { echo "$STACK_DIR/$1.pid"; }

# Exited: gone, or a zombie its parent has not reaped yet (its socket is
# closed). gRPC listens with SO_REUSEPORT, so a new one must not start
# while the old one still listens.
running() { [[ -e /proc/$1 ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

start() {
  local svc=$1
  shift
  # Root migrates its own fresh schema at start-up (as the system tests do).
  env "${peers[@]}" UNIONHUB_LISTEN="127.0.0.1:${port[$svc]}" \
    UNIONHUB_DB_URI="unix://$UNIONHUB_TEST_DB_SOCKET" UNIONHUB_DB_USER=root \
    UNIONHUB_DB_PASSWORD= UNIONHUB_DB_SCHEMA="t_browser_${svc}_${tag}" \
    UNIONHUB_DB_POOL_SIZE=4 "$build/services/$svc/unionhub-$svc" "$@" \
    </dev/null >>"$STACK_DIR/$svc.log" 2>&1 &
  echo $! >"$(pid_file "$svc")"
}

wait_healthy() {
  "$build/tools/demo/unionhub-demo" --tls_ca_file="$secrets/ca.pem" \
    --jwt_signing_key_file="$secrets/jwt-signing.pem" \
    --health_target="127.0.0.1:${port[$1]}" --wait_healthy_seconds=180 \
    >/dev/null || { echo "FAIL: $1 did not become healthy"; exit 1; }
}

stop() {
  local file pid
  file=$(pid_file "$1")
  [[ -f $file ]] || return 0
  pid=$(<"$file")
  kill "$pid" 2>/dev/null || true
  # Its shutdown drains calls for a few seconds; then it is killed.
  for _ in $(seq 1 60); do
    running "$pid" || break
    sleep 1
  done
  if running "$pid"; then kill -9 "$pid" 2>/dev/null || true; sleep 1; fi
  rm -f "$file"
}

command=${1:?start, wait, stop or restart}
svc=${2:?a service}
shift 2
case $command in
  start) start "$svc" "$@" ;;
  wait) wait_healthy "$svc" ;;
  stop) stop "$svc" ;;
  restart)
    stop "$svc"
    echo "--- restarted with: $*" >>"$STACK_DIR/$svc.log"
    start "$svc" "$@"
    wait_healthy "$svc"
    ;;
  *) echo "unknown command $command" >&2; exit 2 ;;
esac
