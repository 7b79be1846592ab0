#!/usr/bin/env bash
# shellcheck shell=bash
# A three-node MariaDB Galera cluster on loopback with HAProxy in front, for
# `scripts/up --cluster` and `scripts/test --cluster`. Sourced after lib.sh.
#
# Layout under a cluster directory DIR (ports derived from one BASE port):
#   DIR/node1..3/        datadir, mysqld.sock, my.cnf, error.log
#   DIR/haproxy.cfg      HAProxy: BASE is the one address the services use
#   DIR/check-node       HAProxy's health check (node Synced and Primary)
#   SQL ports BASE+1..3, group communication BASE+11..13, IST BASE+21..23,
#   SST BASE+31..33.
#
# Single writer: HAProxy sends every connection to node 1 while it is
# Synced, to node 2 (then 3) otherwise. The services' idempotency rows,
# ledger hash chain and rollups are read-modify-write on a few hot rows; with
# several writers Galera would let both sides run and fail one at COMMIT
# (1213), turning every hot-row contention into a retry. One writer keeps
# InnoDB's blocking semantics and Galera still gives synchronous copies on
# the other two nodes, so a failover loses nothing that was acknowledged.

GALERA_NODES=3
GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so
# Only the clustered runs need these, so they are not in UNIONHUB_PACKAGES.
GALERA_PACKAGES=(galera-4 haproxy rsync)

ensure_cluster_packages() {
  local UNIONHUB_PACKAGES=("${GALERA_PACKAGES[@]}")
  ensure_packages
}

galera_node_dir() { printf '%s/node%s' "$1" "$2"; }
galera_sql_port() { echo $(($1 + $2)); }

# The account the services' tests and tools use through HAProxy: root over
# TCP does not exist (root is socket-only), so the cluster gets a TCP admin.
GALERA_ADMIN_USER=unionhub_admin

# galera_write_config DIR BASE I: the node's own defaults file. The SST
# scripts read /etc/mysql unless given one (--no-defaults does not reach
# them), so every setting lives here.
galera_write_config() {
  local dir=$1 base=$2 i=$3 node user j peers=()
  node=$(galera_node_dir "$dir" "$i")
  for ((j = 1; j <= GALERA_NODES; j++)); do
    peers+=("127.0.0.1:$((base + 10 + j))")
  done
  user=$(galera_run_user)
  local IFS=,
  cat >"$node/my.cnf" <<EOF
[mysqld]
datadir=$node
socket=$node/mysqld.sock
port=$(galera_sql_port "$base" "$i")
bind-address=127.0.0.1
user=$user
pid-file=$node/mysqld.pid
log-error=$node/error.log
character-set-server=utf8mb4
collation-server=utf8mb4_bin
skip-name-resolve
max-connections=500
innodb_buffer_pool_size=256M
# Durable as the single server is: an acknowledged commit is on disk.
innodb_flush_log_at_trx_commit=1
# Galera replicates row events and needs a primary key on every table.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_force_primary_key=1
wsrep_on=ON
wsrep_provider=$GALERA_PROVIDER
wsrep_cluster_name=unionhub
wsrep_cluster_address=gcomm://${peers[*]}
wsrep_node_name=node$i
wsrep_node_address=127.0.0.1:$((base + 10 + i))
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$((base + 10 + i));ist.recv_addr=127.0.0.1:$((base + 20 + i));evs.keepalive_period=PT0.5S;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((base + 30 + i))
# After a failover the new writer must not answer from writesets it has
# certified but not applied yet: reads wait for them.
wsrep_sync_wait=1
EOF
}

# The SST joiner's rsync drops to "nobody" when the server runs as root and
# then cannot write the datadir: as root, run the nodes as mysql.
galera_run_user() {
  if [[ $(id -u) == 0 ]] && id mysql >/dev/null 2>&1; then
    echo mysql
  else
    id -un
  fi
}

galera_node_running() { mariadb_running "$(galera_node_dir "$1" "$2")"; }

# The node's wsrep_local_state (4 = Synced), or nothing.
galera_node_state() {
  mariadb_sql "$(galera_node_dir "$1" "$2")" --connect-timeout=2 -N \
    -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state'" 2>/dev/null | cut -f2
}

galera_wait_synced() {
  local dir=$1 i=$2 timeout=${3:-180} start=$SECONDS node
  node=$(galera_node_dir "$dir" "$i")
  until [[ $(galera_node_state "$dir" "$i") == 4 ]]; do
    if ((SECONDS - start >= timeout)) ||
      ! kill -0 "$(cat "$node/launcher.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
      printf -- '--- %s/error.log ---\n' "$node" >&2
      tail -n 40 "$node/error.log" >&2 2>/dev/null || true
      die "Galera node $i did not reach Synced within $((SECONDS - start)) s"
    fi
    sleep 0.5
  done
}

# galera_recovered_position DIR I: the node's last committed position
# (uuid:seqno) read with --wsrep-recover, so a restart joins by IST.
galera_recovered_position() {
  local node
  node=$(galera_node_dir "$1" "$2")
  mariadbd --defaults-file="$node/my.cnf" --wsrep-recover \
    --log-error="$node/recover.log" >/dev/null 2>&1 || true
  sed -n 's/.*WSREP: Recovered position: *\([^ ]*\).*/\1/p' "$node/recover.log" | tail -n 1
}

# galera_start_node DIR BASE I [new]: starts one node in the background;
# "new" bootstraps a new cluster (or the first node after a full stop).
galera_start_node() {
  local dir=$1 base=$2 i=$3 mode=${4:-join} node extra=() position
  node=$(galera_node_dir "$dir" "$i")
  galera_node_running "$dir" "$i" && return 0
  mkdir -p "$node"
  galera_write_config "$dir" "$base" "$i"
  chown -R "$(galera_run_user)" "$node"
  if [[ $mode == new && ! -d $node/mysql ]]; then
    mariadb-install-db --defaults-file="$node/my.cnf" --wsrep-on=OFF \
      --auth-root-authentication-method=normal --skip-test-db \
      >"$node/install.log" 2>&1 || {
      cat "$node/install.log" >&2
      die "mariadb-install-db failed for $node"
    }
  fi
  chown -R "$(galera_run_user)" "$node"
  if [[ -f $node/grastate.dat ]]; then
    position=$(galera_recovered_position "$dir" "$i")
    [[ -n $position ]] && extra+=(--wsrep-start-position="$position")
  fi
  if [[ $mode == new ]]; then
    extra+=(--wsrep-new-cluster)
    sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$node/grastate.dat" 2>/dev/null || true
  fi
  rm -f "$node/mysqld.sock" "$node/mysqld.pid"
  setsid nohup mariadbd --defaults-file="$node/my.cnf" "${extra[@]}" \
    >>"$node/mariadbd.out" 2>&1 </dev/null &
  # The pid file appears only after the state transfer; until then this is
  # how galera_wait_synced sees a node that gave up.
  echo $! >"$node/launcher.pid"
}

galera_write_haproxy() {
  local dir=$1 base=$2 i role
  cat >"$dir/check-node" <<EOF
#!/bin/sh
# HAProxy external check: \$3 \$4 are the server's address and port. A node
# is usable when it is Synced (wsrep_local_state 4) and in the Primary
# component; a plain TCP check would keep a node that lost quorum "up".
node=\$((\$4 - $base))
state=\$(mariadb --no-defaults --socket="$dir/node\$node/mysqld.sock" -uroot \\
  --connect-timeout=3 -N -e "SELECT MAX(IF(VARIABLE_NAME='WSREP_LOCAL_STATE',VARIABLE_VALUE,NULL)), MAX(IF(VARIABLE_NAME='WSREP_CLUSTER_STATUS',VARIABLE_VALUE,NULL)) FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('WSREP_LOCAL_STATE','WSREP_CLUSTER_STATUS')" 2>/dev/null)
[ "\$state" = "4	Primary" ]
EOF
  chmod 755 "$dir/check-node"
  {
    cat <<EOF
global
  maxconn 4000
  pidfile $dir/haproxy.pid
  external-check
  insecure-fork-wanted
  daemon

defaults
  mode tcp
  timeout connect 2s
  timeout client 2h
  timeout server 2h
  timeout check 5s

listen mariadb
  bind 127.0.0.1:$base
  option external-check
  external-check path "/usr/bin:/bin"
  external-check command $dir/check-node
  # Checks are spaced for a busy machine (three failures, ~3 s, mark a
  # node down). A node that fails its check loses its connections at once, so no
  # client keeps writing to a node outside the Primary component.
  default-server inter 1s fall 3 rise 2 on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions
EOF
    for ((i = 1; i <= GALERA_NODES; i++)); do
      role=""
      ((i > 1)) && role=" backup"
      printf '  server node%s 127.0.0.1:%s check%s\n' "$i" "$(galera_sql_port "$base" "$i")" "$role"
    done
  } >"$dir/haproxy.cfg"
}

galera_haproxy_pid() {
  local pid
  [[ -f $1/haproxy.pid ]] || return 1
  pid=$(head -n 1 "$1/haproxy.pid")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# start_galera_cluster DIR BASE: starts (or reuses) the three nodes and
# HAProxy on 127.0.0.1:BASE. After a full stop, node 1 (stopped last by
# stop_galera_cluster) bootstraps and the others rejoin by IST.
start_galera_cluster() {
  local dir=$1 base=$2 i
  ensure_cluster_packages
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  ((${#dir} < 80)) || die "cluster directory path too long for sockets: $dir"
  chmod 755 "$dir"
  if ! galera_node_running "$dir" 1; then
    if galera_node_running "$dir" 2 || galera_node_running "$dir" 3; then
      galera_start_node "$dir" "$base" 1 join
    else
      galera_start_node "$dir" "$base" 1 new
    fi
  fi
  galera_wait_synced "$dir" 1
  for ((i = 2; i <= GALERA_NODES; i++)); do
    galera_start_node "$dir" "$base" "$i" join
    galera_wait_synced "$dir" "$i"
  done
  printf "CREATE USER IF NOT EXISTS '%s'@'127.0.0.1' IDENTIFIED BY '%s';
GRANT ALL ON *.* TO '%s'@'127.0.0.1' WITH GRANT OPTION;\n" \
    "$GALERA_ADMIN_USER" "$(galera_admin_password "$dir")" "$GALERA_ADMIN_USER" |
    mariadb_sql "$(galera_node_dir "$dir" 1)"
  galera_write_haproxy "$dir" "$base"
  if ! galera_haproxy_pid "$dir" >/dev/null; then
    haproxy -f "$dir/haproxy.cfg" >>"$dir/haproxy.log" 2>&1 ||
      die "HAProxy did not start (see $dir/haproxy.log)"
  fi
  local deadline=$((SECONDS + 30))
  until mariadb --no-defaults -h127.0.0.1 -P"$base" -u"$GALERA_ADMIN_USER" \
    -p"$(galera_admin_password "$dir")" --connect-timeout=2 -N \
    -e 'SELECT 1' >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "HAProxy on 127.0.0.1:$base does not reach a node"
    sleep 0.5
  done
}

galera_admin_password() {
  local file=$1/admin-password
  [[ -s $file ]] || (umask 077 && openssl rand -hex 16 >"$file")
  cat "$file"
}

# stop_galera_cluster DIR: HAProxy, then nodes 3, 2, 1, so node 1 holds the
# last state and may bootstrap the next start.
stop_galera_cluster() {
  local dir=$1 i pid
  if pid=$(galera_haproxy_pid "$dir"); then
    kill -TERM "$pid" 2>/dev/null || true
  fi
  for ((i = GALERA_NODES; i >= 1; i--)); do
    stop_mariadb "$(galera_node_dir "$dir" "$i")"
  done
}

# kill_galera_node DIR I: kill -9, as a crash would.
kill_galera_node() {
  local pid
  pid=$(mariadb_pid "$(galera_node_dir "$1" "$2")") || return 0
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

# galera_status DIR: one line per node.
galera_status() {
  local dir=$1 i node pid state
  for ((i = 1; i <= GALERA_NODES; i++)); do
    node=$(galera_node_dir "$dir" "$i")
    if pid=$(mariadb_pid "$node"); then
      state=$(galera_node_state "$dir" "$i")
      printf '  node%s running (pid %s), wsrep_local_state %s\n' "$i" "$pid" "${state:-?}"
    else
      printf '  node%s stopped\n' "$i"
    fi
  done
}

# galera_restart_nodes DIR BASE I...: starts stopped nodes together (each
# rejoins by IST from its recovered position) and waits until all are
# Synced. Nodes killed together come back together: after two of three were
# killed, the survivor regains a Primary component only once both are back
# (Galera's pc.recovery), not with one of them.
galera_restart_nodes() {
  local dir=$1 base=$2 i
  shift 2
  for i in "$@"; do galera_start_node "$dir" "$base" "$i" join; done
  for i in "$@"; do galera_wait_synced "$dir" "$i" 180; done
}

# galera_bootstrap_survivor DIR I: after quorum was lost, makes the running
# node I the Primary component again (pc.bootstrap), as an operator does
# once the lost nodes are known to be down; the others then rejoin by IST.
galera_bootstrap_survivor() {
  mariadb_sql "$(galera_node_dir "$1" "$2")" \
    -e "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'"
}

# galera_checksums DIR I SCHEMA: "table checksum" lines of every table of
# SCHEMA on node I, read on the node's own socket (not through HAProxy).
galera_checksums() {
  local node tables
  node=$(galera_node_dir "$1" "$2")
  tables=$(mariadb_sql "$node" -N -e "SELECT GROUP_CONCAT(CONCAT('\`', \
table_schema, '\`.\`', table_name, '\`') ORDER BY table_name) FROM \
information_schema.tables WHERE table_schema = '$3' AND table_type = 'BASE TABLE'")
  [[ -n $tables && $tables != NULL ]] || return 0
  mariadb_sql "$node" -N -e "CHECKSUM TABLE $tables"
}

# Run as a program (the cluster tests do), one of the functions above:
#   scripts/cluster.sh kill DIR I | restart DIR BASE I... | state DIR I |
#     bootstrap DIR I | checksums DIR I SCHEMA | status DIR
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  # shellcheck source=scripts/lib.sh
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
  command=${1:-}
  shift || true
  case $command in
    kill) kill_galera_node "$@" ;;
    restart) galera_restart_nodes "$@" ;;
    state) galera_node_state "$@" ;;
    bootstrap) galera_bootstrap_survivor "$@" ;;
    checksums) galera_checksums "$@" ;;
    status) galera_status "$@" ;;
    *) die "usage: $0 kill|restart|state|bootstrap|checksums|status ..." ;;
  esac
fi
