# shellcheck shell=bash
# Shared functions for scripts/test and scripts/up. Source it; do not run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

UNIONHUB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UNIONHUB_BUILD_DIR="${UNIONHUB_BUILD_DIR:-$UNIONHUB_ROOT/build}"

# The services of the suite as "name:port". Adding one is one line here; the
# binary is expected at build/services/<name>/unionhub-<name>.
# shellcheck disable=SC2034  # used by the scripts that source this file
UNIONHUB_SERVICES=(
  membership:50051
  finance:50052
  awards:50053
)

UNIONHUB_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libmysqlcppconn-dev libssl-dev libgtest-dev libgmock-dev
  mariadb-server mariadb-client openssl libcli11-dev nlohmann-json3-dev
  libxlsxwriter-dev clang-format python3-grpcio python3-grpc-tools
  clang libclang-rt-14-dev
  sysbench # bench/run: the raw point-select and insert baselines
  prometheus-cpp-dev # Prometheus metrics: pull exposer on civetweb (common/rpc/metrics.cc)
  # web console: HTTPS server (cpp-httplib 0.11, built with OpenSSL)
  libcpp-httplib-dev
  # scripts/up: waits for the console over HTTPS
  curl
  # web console browser tests (Playwright drives it headless; CJK glyphs)
  chromium fonts-noto-cjk
  # web console: the 公示 notice PDF (libharu, built-in Chinese fonts)
  libhpdf-dev
  # console tests read the notice PDF back (pdftotext; Chinese CID maps)
  poppler-utils poppler-data
)

# ------------------------------------------------------------------ output

say() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# phase NAME COMMAND...: runs COMMAND and reports how long it took.
phase() {
  local name=$1
  shift
  local start=$SECONDS
  say "$name"
  "$@"
  say "$name: done in $((SECONDS - start)) s"
}

# ------------------------------------------------------------------ packages

# Runs a command as root (directly, or through sudo when we are not root).
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $* (install the packages by hand or use sudo)"
  fi
}

# Installs whichever of UNIONHUB_PACKAGES are missing; silent and fast when
# all of them are present.
ensure_packages() {
  local missing=() pkg status
  for pkg in "${UNIONHUB_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    [[ $status == ii* ]] || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  say "installing missing packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ------------------------------------------------------------------ build

# ccache's settings for every build of this checkout.
use_ccache() {
  export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
  # Paths relative to the checkout, so every clone shares the cache.
  export CCACHE_BASEDIR="$UNIONHUB_ROOT" CCACHE_NOHASHDIR=true
  mkdir -p "$CCACHE_DIR"
}

# Configures (once) and builds everything into $UNIONHUB_BUILD_DIR, or
# only the given targets (build_all unionhub-demo unionhub-token).
build_all() {
  use_ccache
  if [[ ! -f $UNIONHUB_BUILD_DIR/build.ninja ]]; then
    cmake -S "$UNIONHUB_ROOT" -B "$UNIONHUB_BUILD_DIR" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo
  fi
  cmake --build "$UNIONHUB_BUILD_DIR" -j"${UNIONHUB_JOBS:-$(nproc)}" \
    ${1:+--target "$@"}
}

# Configures (once) $UNIONHUB_BUILD_DIR with ASan and UBSan and builds the
# unit and service tests only (scripts/test --sanitize).
build_sanitized() {
  use_ccache
  if [[ ! -f $UNIONHUB_BUILD_DIR/build.ninja ]]; then
    cmake -S "$UNIONHUB_ROOT" -B "$UNIONHUB_BUILD_DIR" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUNIONHUB_SANITIZE=ON
  fi
  cmake --build "$UNIONHUB_BUILD_DIR" -j"${UNIONHUB_JOBS:-$(nproc)}" \
    --target tests_unit tests_service
}

# ------------------------------------------------------------------ ports

# Prints a TCP port on 127.0.0.1 that is free right now and is none of the
# ports given as arguments: ports picked before anything listens on them
# must be passed on, or the kernel can hand the same one out twice (a
# benchmark's finance service once got its MariaDB's port).
free_port() {
  local port i
  for ((i = 0; i < 100; i++)); do
    port=$(any_free_port)
    [[ " $* " == *" $port "* ]] || { echo "$port"; return 0; }
  done
  die "no free TCP port found"
}

any_free_port() {
  local py
  for py in /usr/bin/python3 python3; do
    if command -v "$py" >/dev/null 2>&1; then
      "$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' && return 0
    fi
  done
  # No python: try random high ports until one is not listening.
  local port i
  for ((i = 0; i < 100; i++)); do
    port=$((20000 + RANDOM % 40000))
    if ! ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
      echo "$port"
      return 0
    fi
  done
  die "no free TCP port found"
}

# ------------------------------------------------------------------ mariadb

# The client programs, never reading any my.cnf (so a system server's
# configuration cannot leak in).
mariadb_admin() {
  local datadir=$1
  shift
  mariadb-admin --no-defaults --socket="$datadir/mysqld.sock" -uroot "$@"
}

# mariadb_sql DATADIR: runs the SQL on stdin as root over the socket.
mariadb_sql() {
  local datadir=$1
  shift
  mariadb --no-defaults --socket="$datadir/mysqld.sock" -uroot --batch "$@"
}

# The pid of the server of DATADIR if it runs (pid file and a live mariadbd),
# else nothing and status 1.
mariadb_pid() {
  local datadir=$1 pid
  [[ -f $datadir/mysqld.pid ]] || return 1
  pid=$(<"$datadir/mysqld.pid")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  grep -q mariadbd "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

# True when the server of DATADIR runs and answers.
mariadb_running() {
  local datadir=$1
  mariadb_pid "$datadir" >/dev/null &&
    mariadb_admin "$datadir" --connect-timeout=2 ping >/dev/null 2>&1
}

# start_mariadb DATADIR PORT [durable|test]
# Initialises DATADIR once, then starts a private server on 127.0.0.1:PORT and
# DATADIR/mysqld.sock in the background and waits until it answers. "test"
# trades durability for speed (a throwaway instance); "durable" (default)
# keeps MariaDB's safe defaults. Reuses a server that already runs there.
start_mariadb() {
  local datadir=$1 port=$2 profile=${3:-durable}
  local sock="$datadir/mysqld.sock"
  if ((${#sock} > 100)); then
    die "socket path too long for a unix socket (${#sock} chars): $sock"
  fi
  mkdir -p "$datadir"
  datadir=$(cd "$datadir" && pwd)
  sock="$datadir/mysqld.sock"
  if mariadb_running "$datadir"; then
    return 0
  fi
  local user
  user=$(id -un)
  if [[ ! -d $datadir/mysql ]]; then
    if ! mariadb-install-db --no-defaults --datadir="$datadir" --user="$user" \
      --auth-root-authentication-method=normal --skip-test-db \
      >"$datadir/install.log" 2>&1; then
      cat "$datadir/install.log" >&2
      die "mariadb-install-db failed for $datadir"
    fi
  fi
  local opts=(
    --no-defaults
    --datadir="$datadir"
    --socket="$sock"
    --port="$port"
    --bind-address=127.0.0.1
    --user="$user"
    --pid-file="$datadir/mysqld.pid"
    --log-error="$datadir/error.log"
    --character-set-server=utf8mb4
    --collation-server=utf8mb4_bin
    --skip-name-resolve
    --max-connections=500
  )
  case $profile in
    durable) ;;
    test)
      opts+=(
        --innodb-buffer-pool-size=512M
        --innodb-flush-log-at-trx-commit=2
        --innodb-doublewrite=0
        --sync-binlog=0
        --skip-log-bin
      )
      ;;
    *) die "start_mariadb: unknown profile '$profile' (durable or test)" ;;
  esac
  rm -f "$sock" "$datadir/mysqld.pid"
  # Own session: a Ctrl-C in the terminal does not reach the server; the
  # scripts shut it down themselves.
  setsid nohup mariadbd "${opts[@]}" >>"$datadir/mariadbd.out" 2>&1 </dev/null &
  local launcher=$! deadline=$((SECONDS + 60))
  while ! mariadb_admin "$datadir" --connect-timeout=1 ping >/dev/null 2>&1; do
    if ((SECONDS >= deadline)) ||
      { ! kill -0 "$launcher" 2>/dev/null && ! mariadb_pid "$datadir" >/dev/null; }; then
      printf -- '--- %s/error.log ---\n' "$datadir" >&2
      tail -n 50 "$datadir/error.log" >&2 2>/dev/null || true
      cat "$datadir/mariadbd.out" >&2 2>/dev/null || true
      die "MariaDB in $datadir did not come up on port $port within 60 s"
    fi
    sleep 0.2
  done
}

# stop_mariadb DATADIR: shuts the server of DATADIR down and waits for it.
stop_mariadb() {
  local datadir=$1 pid
  pid=$(mariadb_pid "$datadir") || return 0
  mariadb_admin "$datadir" --connect-timeout=5 shutdown >/dev/null 2>&1 ||
    kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      warn "MariaDB (pid $pid) did not stop within 60 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
}
