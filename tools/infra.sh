#!/usr/bin/env bash
# Local PostgreSQL, RabbitMQ and an SMTP server (smtp4dev, which lists what it received over HTTP) for development
# and CI, without Docker or systemd.
#
#   tools/infra.sh up      install what is missing, start them, create db/user
#   tools/infra.sh down    stop only what `up` started (data stays in .infra/)
#   tools/infra.sh status  exit 0 if both are running and reachable, else 1
#   tools/infra.sh env     print connection strings: export $(tools/infra.sh env)
#   tools/infra.sh browsers  install Debian's Chromium and Firefox ESR for the console's browser tests if missing
#   tools/infra.sh vhost NAME / drop-vhost NAME
#                          a RabbitMQ vhost of its own for a bench run (prints its URL), and its removal
#   tools/infra.sh crash rabbitmq|postgres|connections
#                          what an outage does: kill -9 of the RabbitMQ node, PostgreSQL stopped in immediate
#                          mode (no checkpoint, crash recovery on the next start), or every client connection to
#                          RabbitMQ closed by the broker (which stays up); `up` starts a stopped server again
#
# Settings: tools/infra.env; variables already set in the environment win.
# Data, logs and sockets: <repo>/.infra/. Run as root (installs packages and
# runs each server as its own OS user).
# INFRA_INSTANCE=NAME runs a second, separate pair (data in .infra/instances/NAME), e.g. for tests that crash
# their servers; give it its own PG_PORT, RABBITMQ_PORT, RABBITMQ_DIST_PORT and RABBITMQ_NODENAME. Such an
# instance shares the one SMTP server.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
SETTINGS_FILE=$SCRIPT_DIR/infra.env

# Each server runs as its own OS user, which must reach its data. A checkout under a private
# directory (mktemp -d, /root) can't be reached, so there the data lives under /var/tmp and
# <repo>/.infra is a symlink to it (made by lock_infra).
infra_dir() {
  local link=$REPO_ROOT/.infra dir=$REPO_ROOT
  if [[ -L $link ]]; then readlink "$link"; return; fi
  if [[ -e $link ]]; then echo "$link"; return; fi
  while [[ $dir != / ]]; do
    if [[ $(stat -c %A "$dir") != *[xt] ]]; then
      echo "/var/tmp/personalization-infra-$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)"
      return
    fi
    dir=$(dirname "$dir")
  done
  echo "$link"
}
BASE_INFRA_DIR=$(infra_dir)
[[ -z ${INFRA_INSTANCE:-} || $INFRA_INSTANCE =~ ^[a-z0-9][a-z0-9_-]*$ ]] ||
  { echo "infra: ERROR: INFRA_INSTANCE must be lower-case letters, digits, - and _" >&2; exit 1; }
INFRA_DIR=$BASE_INFRA_DIR${INFRA_INSTANCE:+/instances/$INFRA_INSTANCE}
STARTED_FILE=$INFRA_DIR/started   # what this script started, one name a line

PG_OS_USER=postgres
PG_DATA=$INFRA_DIR/postgres
PG_SOCKET_DIR=$INFRA_DIR/postgres-run
PG_LOG=$INFRA_DIR/postgres.log
PG_START_TIMEOUT=60

RMQ_OS_USER=rabbitmq
RMQ_DIR=$INFRA_DIR/rabbitmq
RMQ_BIN=/usr/lib/rabbitmq/bin     # the real scripts; /usr/sbin ones `su` and reset HOME
RMQ_PID_FILE=$RMQ_DIR/rabbitmq.pid
RMQ_START_TIMEOUT=120

SMTP4DEV_VERSION=3.15.0
SMTP_TOOLS=$BASE_INFRA_DIR/tools
SMTP_DIR=$BASE_INFRA_DIR/smtp4dev
SMTP_START_TIMEOUT=90

SETTING_KEYS=(PG_HOST PG_PORT PG_USER PG_PASSWORD PG_DATABASE
  RABBITMQ_HOST RABBITMQ_PORT RABBITMQ_DIST_PORT RABBITMQ_USER
  RABBITMQ_PASSWORD RABBITMQ_NODENAME SMTP_HOST SMTP_PORT SMTP_WEB_PORT SMTP_USER SMTP_PASSWORD)

log() { printf 'infra: %s\n' "$*" >&2; }
die() { printf 'infra: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- settings

load_settings() {
  [[ -r $SETTINGS_FILE ]] || die "settings file not found: $SETTINGS_FILE"
  local line key value n=0
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
    [[ $line =~ ^([A-Z][A-Z0-9_]*)=([^[:space:]]*)$ ]] ||
      die "$SETTINGS_FILE:$n: expected KEY=VALUE without spaces, got: $line"
    key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
    # Only known keys become variables here (the C# side may read more).
    [[ " ${SETTING_KEYS[*]} " == *" $key "* ]] || continue
    # The caller's environment wins, so CI can move ports without editing the file.
    [[ -n ${!key:-} ]] || printf -v "$key" '%s' "$value"
  done <"$SETTINGS_FILE"
  for key in "${SETTING_KEYS[@]}"; do
    [[ -n ${!key:-} ]] || die "$key is not set (expected in $SETTINGS_FILE)"
    [[ ${!key} != *[[:space:]]* ]] || die "$key must not contain spaces"
  done
}

urlencode() {
  local s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) printf -v c '%%%02X' "'$c"; out+=$c ;;
    esac
  done
  printf '%s' "$out"
}

print_env() {
  echo "ConnectionStrings__Postgres=Host=$PG_HOST;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=$PG_DATABASE"
  echo "ConnectionStrings__RabbitMQ=amqp://$(urlencode "$RABBITMQ_USER"):$(urlencode "$RABBITMQ_PASSWORD")@$RABBITMQ_HOST:$RABBITMQ_PORT/"
  echo "Email__Smtp__Host=$SMTP_HOST"
  echo "Email__Smtp__Port=$SMTP_PORT"
  echo "Email__Smtp__Username=$SMTP_USER"
  echo "Email__Smtp__Password=$SMTP_PASSWORD"
  echo "SMTP_WEB_URL=http://$SMTP_HOST:$SMTP_WEB_PORT"
}

# ---------------------------------------------------------------- helpers

# Run a command as another OS user, from / so an unreadable cwd (e.g. /root) doesn't matter.
# 9>&-: nothing we run (epmd is spawned by the CLI) may inherit the lock below.
as_user() {
  local user=$1; shift
  if [[ $(id -un) == "$user" ]]; then (cd / && "$@") 9>&-
  elif [[ $EUID -eq 0 ]]; then (cd / && runuser -u "$user" -- "$@") 9>&-
  else (cd / && sudo -n -u "$user" -- "$@") 9>&-
  fi
}

# Serialize up/down: test runs call `up` from several processes at once.
LOCK_WAIT=600
lock_infra() {
  install -d -m 755 "$BASE_INFRA_DIR" "$INFRA_DIR"
  [[ -e $REPO_ROOT/.infra ]] || ln -s "$BASE_INFRA_DIR" "$REPO_ROOT/.infra"
  exec 9>>"$INFRA_DIR/.lock"
  flock -w "$LOCK_WAIT" 9 || die "another tools/infra.sh still holds $INFRA_DIR/.lock after ${LOCK_WAIT}s"
}

can_switch_user() { [[ $EUID -eq 0 ]] || sudo -n true 2>/dev/null; }

require_root() {
  [[ $EUID -eq 0 ]] || die "'$1' must run as root (it installs packages and runs servers as their own OS users)"
}

# (Output is captured before matching: with pipefail, `cmd | grep -q` can fail on SIGPIPE.)
port_listening() { local out; out=$(ss -Hltn "sport = :$1" 2>/dev/null) && [[ -n $out ]]; }

was_started() { [[ -f $STARTED_FILE ]] && grep -qxF "$1" "$STARTED_FILE"; }
record_started() { was_started "$1" || echo "$1" >>"$STARTED_FILE"; }
forget_started() {
  [[ -f $STARTED_FILE ]] || return 0
  local rest; rest=$(grep -vxF "$1" "$STARTED_FILE" || true)
  if [[ -n $rest ]]; then printf '%s\n' "$rest" >"$STARTED_FILE"; else rm -f "$STARTED_FILE"; fi
}

APT_UPDATED=0
apt_install() {
  log "installing $* with apt-get (this can take a minute)"
  export DEBIAN_FRONTEND=noninteractive
  # apt-get's progress goes to stdout (dropped); errors go to stderr and stay visible.
  if [[ $APT_UPDATED -eq 0 ]]; then
    timeout 300 apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  timeout 600 apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "$@" >/dev/null
}

# Servers refuse to run as root, and their files must not be root's.
ensure_os_user() {
  id -u "$1" >/dev/null 2>&1 && return 0
  log "creating system user $1"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$1"
}

# Each server user must reach its folder inside the checkout (fails e.g. under /root).
check_reachable_by() {
  as_user "$1" test -w "$2" ||
    die "OS user '$1' cannot write $2: a parent directory of $REPO_ROOT is not searchable by others (chmod o+x it, or move the checkout)"
}

# ---------------------------------------------------------------- postgres

PG_BIN=''
find_pg_bin() {
  local d c
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [[ -x $d/initdb && -x $d/pg_ctl ]] && { PG_BIN=$d; return 0; }
  done
  # e.g. /usr/local/bin/pg_ctl symlinked to a build elsewhere
  c=$(command -v pg_ctl 2>/dev/null) || return 1
  d=$(dirname "$(readlink -f "$c")")
  [[ -x $d/initdb ]] && { PG_BIN=$d; return 0; }
  return 1
}

# Client tools from the same build if present, else from PATH.
pg_tool() { if [[ -x $PG_BIN/$1 ]]; then echo "$PG_BIN/$1"; else command -v "$1"; fi; }

pg_ctl_as_owner() { as_user "$PG_OS_USER" "$PG_BIN/pg_ctl" -D "$PG_DATA" "$@"; }
pg_cluster_running() { [[ -f $PG_DATA/PG_VERSION ]] && pg_ctl_as_owner status >/dev/null 2>&1; }

# psql over TCP with the project's credentials (the same path the app uses).
pg_psql() {
  local db=$1; shift
  PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 "$(pg_tool psql)" -X -q -v ON_ERROR_STOP=1 \
    -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" "$@"
}

pg_install_if_missing() {
  find_pg_bin && return 0
  apt_install postgresql-15 || apt_install postgresql || die "could not install PostgreSQL"
  find_pg_bin || die "PostgreSQL installed but no initdb/pg_ctl found"
}

pg_init_cluster() {
  local pwfile
  log "initializing PostgreSQL cluster in $PG_DATA"
  pwfile=$(mktemp "$INFRA_DIR/.pgpw.XXXXXX")
  printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  chown "$PG_OS_USER" "$pwfile"
  # Superuser = PG_USER, password auth for every connection (also the socket).
  if ! as_user "$PG_OS_USER" "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --pwfile="$pwfile" \
      --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --lc-collate=C >>"$PG_LOG" 2>&1; then
    rm -f "$pwfile"
    die "initdb failed; see $PG_LOG"
  fi
  rm -f "$pwfile"
  # lc-collate C: every btree on a text key (stream ids, message ids) compares bytes instead of calling strcoll.
  # Our settings live in a file rewritten on every start (so port changes apply on restart).
  echo "include_if_exists = 'infra.conf'" >>"$PG_DATA/postgresql.conf"
}

# A quarter of the RAM (at least 128 MB, at most 8 GB), so the event log's indexes and recent pages stay cached
# as it grows (bench/IngestionLoad/RESULTS.md).
pg_shared_buffers_mb() {
  local total_kb
  total_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
  local mb=$((total_kb / 4 / 1024))
  ((mb < 128)) && mb=128
  ((mb > 8192)) && mb=8192
  echo "$mb"
}

pg_conf() {
  cat <<EOF
# Written by tools/infra.sh on every start; change tools/infra.env instead.
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
# Test box: many parallel test connections.
max_connections = 300
shared_buffers = $(pg_shared_buffers_mb)MB
# Durability is a product promise: fsync stays on, even in tests.
fsync = on
# Ingestion writes WAL fast: fewer, smaller checkpoints; lz4 compresses full-page images for less CPU than pglz
# (measured in bench/IngestionLoad/RESULTS.md).
max_wal_size = 8GB
checkpoint_timeout = 15min
wal_compression = lz4
EOF
}

pg_write_conf() {
  pg_conf >"$PG_DATA/infra.conf"
  chown "$PG_OS_USER:" "$PG_DATA/infra.conf"
}

# Does the running cluster's settings file match what we'd write now (comments aside)?
pg_conf_current() {
  [[ -f $PG_DATA/infra.conf ]] &&
    [[ $(grep -v '^#' "$PG_DATA/infra.conf") == "$(pg_conf | grep -v '^#')" ]]
}

pg_up() {
  pg_install_if_missing
  ensure_os_user "$PG_OS_USER"

  # The socket path must fit in sun_path (107 bytes).
  local sock=$PG_SOCKET_DIR/.s.PGSQL.$PG_PORT
  ((${#sock} <= 107)) || die "socket path too long ($sock); use a shorter checkout path"

  install -d -o "$PG_OS_USER" -g "$(id -gn "$PG_OS_USER")" -m 700 "$PG_DATA" "$PG_SOCKET_DIR"
  [[ -e $PG_LOG ]] || install -o "$PG_OS_USER" -m 640 /dev/null "$PG_LOG"
  check_reachable_by "$PG_OS_USER" "$PG_DATA"

  if [[ -f $PG_DATA/PG_VERSION ]]; then
    local have want
    have=$(cat "$PG_DATA/PG_VERSION")
    want=$("$PG_BIN/pg_ctl" --version | awk '{print $3}' | cut -d. -f1)
    [[ $have == "$want" ]] ||
      die "$PG_DATA was made by PostgreSQL $have but $PG_BIN is $want; delete $PG_DATA to start over"
  fi

  if pg_cluster_running; then
    # Settings (e.g. PG_PORT from the environment) only apply on start.
    pg_conf_current ||
      die "this checkout's PostgreSQL runs with other settings than now asked for; run 'tools/infra.sh down' then 'up'"
    log "PostgreSQL already running (port $PG_PORT)"
  elif port_listening "$PG_PORT"; then
    # E.g. another checkout's cluster (CI clones the repo anew): usable if our credentials work.
    pg_psql postgres -tAc 'select 1' >/dev/null 2>&1 ||
      die "port $PG_PORT is taken by something that does not accept $PG_USER/PG_PASSWORD; stop it or set PG_PORT"
    log "PostgreSQL on port $PG_PORT is not this checkout's cluster but accepts our credentials; using it"
  else
    [[ -f $PG_DATA/PG_VERSION ]] || pg_init_cluster
    pg_write_conf
    log "starting PostgreSQL on $PG_HOST:$PG_PORT (log: $PG_LOG)"
    # setsid: the server must outlive this shell's process group.
    # shellcheck disable=SC2094  # pg_ctl and its server both only append to the log
    setsid -w runuser -u "$PG_OS_USER" -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" \
        -w -t "$PG_START_TIMEOUT" -s start </dev/null >>"$PG_LOG" 2>&1 9>&- ||
      die "PostgreSQL did not start within ${PG_START_TIMEOUT}s; see $PG_LOG"
    record_started postgres
  fi

  # Ready for TCP clients (not just the socket) before we go on.
  local deadline=$((SECONDS + PG_START_TIMEOUT))
  until "$(pg_tool pg_isready)" -q -h "$PG_HOST" -p "$PG_PORT" -t 2; do
    ((SECONDS < deadline)) || die "PostgreSQL is not accepting TCP connections on $PG_HOST:$PG_PORT; see $PG_LOG"
    sleep 1
  done

  if [[ -z $(pg_psql postgres -tA -v db="$PG_DATABASE" <<<"select 1 from pg_database where datname = :'db'") ]]; then
    log "creating database $PG_DATABASE"
    pg_psql postgres -v db="$PG_DATABASE" <<<'create database :"db"' ||
      die "could not create database $PG_DATABASE; see $PG_LOG"
  fi
}

pg_down() {
  was_started postgres || return 0
  find_pg_bin || die "PostgreSQL binaries not found"
  if pg_cluster_running; then
    log "stopping PostgreSQL"
    pg_ctl_as_owner stop -m fast -w -t 60 -s || die "PostgreSQL did not stop; see $PG_LOG"
  fi
  forget_started postgres
}

pg_status() {
  local where="$PG_HOST:$PG_PORT" isready
  find_pg_bin || true
  isready=$(pg_tool pg_isready 2>/dev/null) || { echo "postgres: DOWN (PostgreSQL is not installed)"; return 1; }
  if ! "$isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 3; then
    echo "postgres: DOWN (nothing accepting connections on $where; log: $PG_LOG)"
    return 1
  fi
  if ! pg_psql "$PG_DATABASE" -tAc 'select 1' >/dev/null 2>&1; then
    echo "postgres: UP on $where but login as $PG_USER to database $PG_DATABASE fails (run 'tools/infra.sh up')"
    return 1
  fi
  echo "postgres: UP on $where, database $PG_DATABASE reachable$(was_started postgres && echo ' (started by tools/infra.sh)')"
}

# ---------------------------------------------------------------- rabbitmq

RMQ_HOME=''  # the rabbitmq user's home, found after install

# One fixed environment for server and CLI alike; env -i keeps the caller's
# variables (and RABBITMQ_USER etc. from infra.env) away from RabbitMQ's scripts.
# epmd and the distribution port listen on loopback only (they'd default to all).
rmq_env() {
  printf '%s\n' \
    "HOME=$RMQ_HOME" \
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "LANG=C.UTF-8" "LC_ALL=C.UTF-8" \
    "RABBITMQ_NODENAME=$RABBITMQ_NODENAME" \
    "RABBITMQ_NODE_IP_ADDRESS=$RABBITMQ_HOST" \
    "RABBITMQ_NODE_PORT=$RABBITMQ_PORT" \
    "RABBITMQ_DIST_PORT=$RABBITMQ_DIST_PORT" \
    "RABBITMQ_MNESIA_BASE=$RMQ_DIR/mnesia" \
    "RABBITMQ_LOG_BASE=$RMQ_DIR/log" \
    "RABBITMQ_CONFIG_FILE=$RMQ_DIR/rabbitmq.conf" \
    "RABBITMQ_ENABLED_PLUGINS_FILE=$RMQ_DIR/enabled_plugins" \
    "RABBITMQ_PID_FILE=$RMQ_PID_FILE" \
    "ERL_CRASH_DUMP=$RMQ_DIR/erl_crash.dump" \
    "ERL_EPMD_ADDRESS=127.0.0.1" \
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
}

# rmq TOOL ARGS...: a RabbitMQ CLI tool as the rabbitmq user, with a time limit.
rmq() {
  local tool=$1; shift
  local -a envs; mapfile -t envs < <(rmq_env)
  as_user "$RMQ_OS_USER" timeout 90 env -i "${envs[@]}" "$RMQ_BIN/$tool" -n "$RABBITMQ_NODENAME" "$@"
}

rmq_log_hint() { echo "see $RMQ_DIR/log/ and $RMQ_DIR/startup.log"; }

epmd_bin() {
  local e
  for e in "$(command -v epmd 2>/dev/null)" /usr/lib/erlang/erts-*/bin/epmd; do
    [[ -x $e ]] && { echo "$e"; return 0; }
  done
  return 1
}
epmd_running() { local e; e=$(epmd_bin) && [[ -n $e ]] && "$e" -names >/dev/null 2>&1; }

# Cheap check that needs no cookie and starts nothing: is the node registered with epmd?
rmq_node_registered() {
  local e names; e=$(epmd_bin) && [[ -n $e ]] || return 1
  names=$("$e" -names 2>/dev/null) || return 1
  grep -q "^name ${RABBITMQ_NODENAME%@*} at port " <<<"$names"
}

rmq_ping() { rmq rabbitmq-diagnostics -q ping -t 10 >/dev/null 2>&1; }

# A real AMQP 0-9-1 protocol header; the broker answers with a method frame (type 1).
amqp_answers() {
  # shellcheck disable=SC2016  # $0/$1 belong to the inner bash
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "AMQP\x00\x00\x09\x01" >&3 &&
    [[ $(head -c 1 <&3 | od -An -tx1) == *01* ]]' "$RABBITMQ_HOST" "$RABBITMQ_PORT" 2>/dev/null
}

rmq_find_home() {
  RMQ_HOME=$(getent passwd "$RMQ_OS_USER" | cut -d: -f6)
  [[ -n $RMQ_HOME ]] || die "OS user $RMQ_OS_USER has no home directory"
}

# Server and CLI share HOME = the rabbitmq user's home, so one machine-wide Erlang
# cookie lets any checkout's CLI (e.g. CI's fresh clone) talk to a running node.
rmq_ensure_cookie() {
  local cookie=$RMQ_HOME/.erlang.cookie
  install -d -o "$RMQ_OS_USER" -g "$(id -gn "$RMQ_OS_USER")" -m 750 "$RMQ_HOME"
  if [[ ! -s $cookie ]]; then
    log "creating Erlang cookie $cookie"
    (umask 077; head -c 30 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$cookie")
  fi
  chown "$RMQ_OS_USER:" "$cookie"
  chmod 400 "$cookie"   # Erlang rejects a cookie others can read
}

rmq_prepare_dir() {
  local group; group=$(id -gn "$RMQ_OS_USER")
  install -d -o "$RMQ_OS_USER" -g "$group" -m 750 "$RMQ_DIR" "$RMQ_DIR/mnesia" "$RMQ_DIR/log"
  check_reachable_by "$RMQ_OS_USER" "$RMQ_DIR"
  cat >"$RMQ_DIR/rabbitmq.conf" <<'EOF'
# Written by tools/infra.sh on every 'up'. Node name, address and ports come
# from tools/infra.env via RABBITMQ_* environment variables.
log.file.level = info
EOF
  # No plugins (no management UI): faster start, fewer ports.
  [[ -s $RMQ_DIR/enabled_plugins ]] || echo '[].' >"$RMQ_DIR/enabled_plugins"
  chown -R "$RMQ_OS_USER:$group" "$RMQ_DIR"
}

rmq_start() {
  local epmd_before=0 deadline envs
  epmd_running && epmd_before=1
  port_listening "$RABBITMQ_PORT" &&
    die "port $RABBITMQ_PORT is taken but node $RABBITMQ_NODENAME is not running; stop that process or set RABBITMQ_PORT"
  port_listening "$RABBITMQ_DIST_PORT" &&
    die "port $RABBITMQ_DIST_PORT (Erlang distribution) is taken; stop that process or set RABBITMQ_DIST_PORT"

  log "starting RabbitMQ node $RABBITMQ_NODENAME on $RABBITMQ_HOST:$RABBITMQ_PORT (logs: $RMQ_DIR/log/)"
  mapfile -t envs < <(rmq_env)
  rm -f "$RMQ_PID_FILE"
  # -detached forks the Erlang VM away; setsid keeps it out of our process group.
  (cd "$RMQ_DIR" && setsid -w runuser -u "$RMQ_OS_USER" -- env -i "${envs[@]}" \
      "$RMQ_BIN/rabbitmq-server" -detached </dev/null >"$RMQ_DIR/startup.log" 2>&1 9>&-) ||
    die "rabbitmq-server failed to launch; $(rmq_log_hint)"

  # Wait until the node answers at all, then until the broker app is fully up.
  deadline=$((SECONDS + RMQ_START_TIMEOUT))
  until rmq_ping; do
    if [[ -s $RMQ_PID_FILE ]] && ! kill -0 "$(cat "$RMQ_PID_FILE")" 2>/dev/null; then
      die "RabbitMQ exited during startup; $(rmq_log_hint)"
    fi
    ((SECONDS < deadline)) || die "RabbitMQ did not answer within ${RMQ_START_TIMEOUT}s; $(rmq_log_hint)"
    sleep 1
  done
  rmq rabbitmqctl -q await_startup --timeout "$RMQ_START_TIMEOUT" >/dev/null ||
    die "RabbitMQ did not finish starting; $(rmq_log_hint)"

  record_started rabbitmq
  if ((epmd_before == 0)) && epmd_running; then record_started epmd; fi
}

rmq_ensure_user() {
  local u=$RABBITMQ_USER users
  users=$(rmq rabbitmqctl -q list_users --no-table-headers) || die "rabbitmqctl list_users failed; $(rmq_log_hint)"
  if cut -f1 <<<"$users" | grep -qxF "$u"; then
    # Keep the password in step with infra.env.
    rmq rabbitmqctl -q authenticate_user "$u" "$RABBITMQ_PASSWORD" >/dev/null 2>&1 ||
      rmq rabbitmqctl -q change_password "$u" "$RABBITMQ_PASSWORD" >/dev/null
  else
    log "creating RabbitMQ user $u"
    rmq rabbitmqctl -q add_user "$u" "$RABBITMQ_PASSWORD" >/dev/null
  fi
  rmq rabbitmqctl -q set_user_tags "$u" administrator >/dev/null
  rmq rabbitmqctl -q set_permissions -p / "$u" '.*' '.*' '.*' >/dev/null
}

rmq_up() {
  [[ -x $RMQ_BIN/rabbitmq-server ]] || apt_install rabbitmq-server || die "could not install rabbitmq-server"
  [[ -x $RMQ_BIN/rabbitmq-server ]] || die "rabbitmq-server installed but $RMQ_BIN/rabbitmq-server is missing"
  ensure_os_user "$RMQ_OS_USER"
  rmq_find_home
  rmq_ensure_cookie
  rmq_prepare_dir

  if rmq_node_registered; then
    rmq_ping || die "node $RABBITMQ_NODENAME is registered with epmd but does not answer (different Erlang cookie?); $(rmq_log_hint)"
    log "RabbitMQ node $RABBITMQ_NODENAME already running"
  else
    rmq_start
  fi
  amqp_answers || die "RabbitMQ runs but does not answer AMQP on $RABBITMQ_HOST:$RABBITMQ_PORT; $(rmq_log_hint)"
  rmq_ensure_user
}

rmq_down() {
  if was_started rabbitmq; then
    if rmq_node_registered; then
      log "stopping RabbitMQ"
      rmq_find_home
      # Given the pid file, `stop` also waits until the OS process has exited.
      local pidfile=()
      [[ -s $RMQ_PID_FILE ]] && pidfile=("$RMQ_PID_FILE")
      rmq rabbitmqctl -q stop "${pidfile[@]}" >/dev/null || die "RabbitMQ did not stop; $(rmq_log_hint)"
    fi
    forget_started rabbitmq
  fi
  if was_started epmd; then
    if epmd_running; then
      log "stopping epmd"
      "$(epmd_bin)" -kill >/dev/null || log "WARNING: epmd -kill failed (other Erlang nodes still registered?)"
    fi
    forget_started epmd
  fi
}

rmq_status() {
  local where="$RABBITMQ_HOST:$RABBITMQ_PORT" by=''
  was_started rabbitmq && by=' (started by tools/infra.sh)'
  if ! rmq_node_registered; then
    echo "rabbitmq: DOWN (node $RABBITMQ_NODENAME is not running; logs: $RMQ_DIR/log/)"
    return 1
  fi
  if can_switch_user && id -u "$RMQ_OS_USER" >/dev/null 2>&1; then
    rmq_find_home
    rmq_ping || { echo "rabbitmq: node $RABBITMQ_NODENAME registered but does not answer ping; $(rmq_log_hint)"; return 1; }
  fi
  amqp_answers || { echo "rabbitmq: node $RABBITMQ_NODENAME runs but no AMQP answer on $where; $(rmq_log_hint)"; return 1; }
  echo "rabbitmq: UP, node $RABBITMQ_NODENAME answers, AMQP on $where$by"
}

# ---------------------------------------------------------------- commands

# ---------------------------------------------------------------- smtp4dev

smtp_answers() { curl -sf "http://$SMTP_HOST:$SMTP_WEB_PORT/api/messages" >/dev/null 2>&1; }

# A dotnet tool, installed once under the shared infra folder; it keeps messages in memory (--db=).
smtp_up() {
  if [[ ! -x $SMTP_TOOLS/smtp4dev ]]; then
    command -v dotnet >/dev/null || die "dotnet is needed to install smtp4dev"
    log "installing smtp4dev $SMTP4DEV_VERSION"
    dotnet tool install Rnwood.Smtp4dev --version "$SMTP4DEV_VERSION" --tool-path "$SMTP_TOOLS" >"$BASE_INFRA_DIR/smtp4dev-install.log" 2>&1 ||
      die "could not install smtp4dev; see $BASE_INFRA_DIR/smtp4dev-install.log"
  fi
  if smtp_answers; then
    log "smtp4dev already running (web on $SMTP_HOST:$SMTP_WEB_PORT)"
    return
  fi
  port_listening "$SMTP_PORT" && die "port $SMTP_PORT is taken by something that is not smtp4dev"
  mkdir -p "$SMTP_DIR"
  # STARTTLS with a certificate it makes for localhost, and SMTP AUTH required for the one user.
  # Detached from every descriptor of ours (the lock on 9, the caller's pipes), so nothing waits on it.
  setsid nohup "$SMTP_TOOLS/smtp4dev" --urls="http://$SMTP_HOST:$SMTP_WEB_PORT" --smtpport="$SMTP_PORT" \
    --imapport= --pop3port= --db= --messagestokeep=1000000 --sessionstokeep=1000 --tlsmode=StartTls --hostname=localhost --nousersettings --baseappdatapath="$SMTP_DIR" \
    --user="$SMTP_USER=$SMTP_PASSWORD" --authenticationrequired </dev/null >"$SMTP_DIR/smtp4dev.log" 2>&1 9>&- &
  echo $! >"$SMTP_DIR/smtp4dev.pid"
  record_started smtp4dev
  local waited=0
  until smtp_answers; do
    ((waited++ < SMTP_START_TIMEOUT)) || die "smtp4dev did not answer within ${SMTP_START_TIMEOUT}s; see $SMTP_DIR/smtp4dev.log"
    sleep 1
  done
  log "smtp4dev started (SMTP on $SMTP_HOST:$SMTP_PORT, web on $SMTP_HOST:$SMTP_WEB_PORT)"
}
smtp_down() {
  was_started smtp4dev || return 0
  if [[ -s $SMTP_DIR/smtp4dev.pid ]] && kill -0 "$(cat "$SMTP_DIR/smtp4dev.pid")" 2>/dev/null; then
    log "stopping smtp4dev"
    kill "$(cat "$SMTP_DIR/smtp4dev.pid")"
  fi
  forget_started smtp4dev
}
smtp_status() {
  if smtp_answers; then
    echo "smtp4dev: UP, SMTP on $SMTP_HOST:$SMTP_PORT, messages at http://$SMTP_HOST:$SMTP_WEB_PORT/api/messages$(was_started smtp4dev && echo ' (started by tools/infra.sh)')"
  else
    echo "smtp4dev: DOWN (log: $SMTP_DIR/smtp4dev.log)"
    return 1
  fi
}

# The servers listen on fixed ports inside the kernel's ephemeral range (55xxx); reserving the block keeps client
# sockets off it, or a server started later (a test's own instance) could find its port held by some connection.
RESERVED_PORTS=55000-55999
reserve_ports() {
  local file=/proc/sys/net/ipv4/ip_local_reserved_ports current
  current=$(cat "$file" 2>/dev/null) || return 0
  [[ ,$current, == *,$RESERVED_PORTS,* ]] && return 0
  echo "${current:+$current,}$RESERVED_PORTS" >"$file" 2>/dev/null ||
    log "WARNING: could not reserve ports $RESERVED_PORTS for the servers (read-only /proc/sys?)"
}

cmd_up() {
  require_root up
  lock_infra
  reserve_ports
  pg_up
  rmq_up
  # The shared instance's folder holds the one SMTP server; an instance of a test's own uses it as it is.
  if [[ -z ${INFRA_INSTANCE:-} ]]; then smtp_up; fi
  log "ready"
  print_env
}

cmd_down() {
  require_root down
  [[ -d $INFRA_DIR ]] || { log "nothing to stop: $INFRA_DIR does not exist"; return 0; }
  lock_infra
  if [[ -z ${INFRA_INSTANCE:-} ]]; then smtp_down; fi
  rmq_down
  pg_down
  log "stopped what tools/infra.sh had started (data kept in $INFRA_DIR)"
}

# A RabbitMQ virtual host of its own for a bench or tool run, so that what it publishes never reaches the durable
# queues of a platform started with ./run.sh (and a forgotten run leaves nothing behind there). Prints its URL.
cmd_vhost() {
  local name=${1:?usage: $0 vhost NAME}
  rmq_find_home
  amqp_answers || die "RabbitMQ is not running; run: $0 up"
  rmq rabbitmqctl -q add_vhost "$name" >/dev/null 2>&1 || true  # already there: keep it
  rmq rabbitmqctl -q set_permissions -p "$name" "$RABBITMQ_USER" '.*' '.*' '.*' >/dev/null ||
    die "could not grant $RABBITMQ_USER the vhost $name; $(rmq_log_hint)"
  echo "amqp://$(urlencode "$RABBITMQ_USER"):$(urlencode "$RABBITMQ_PASSWORD")@$RABBITMQ_HOST:$RABBITMQ_PORT/$(urlencode "$name")"
}

cmd_drop_vhost() {
  local name=${1:?usage: $0 drop-vhost NAME}
  [[ $name != / ]] || die "the default vhost / is the platform's; it is not dropped"
  rmq_find_home
  rmq rabbitmqctl -q delete_vhost "$name" >/dev/null 2>&1 || true  # gone already: fine
}

cmd_crash() {
  require_root crash
  lock_infra
  case ${1:-} in
    rabbitmq)
      local pid
      pid=$(cat "$RMQ_PID_FILE" 2>/dev/null) && kill -0 "$pid" 2>/dev/null || die "RabbitMQ node $RABBITMQ_NODENAME is not running"
      log "killing RabbitMQ node $RABBITMQ_NODENAME (pid $pid) with SIGKILL"
      kill -9 "$pid"
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      # epmd notices the node's connection drop a moment later; `up` must then see no node.
      while rmq_node_registered; do sleep 0.1; done ;;
    connections)
      rmq_find_home
      log "closing every client connection of RabbitMQ node $RABBITMQ_NODENAME"
      rmq rabbitmqctl -q close_all_connections "closed by tools/infra.sh crash" >/dev/null ||
        die "rabbitmqctl close_all_connections failed; $(rmq_log_hint)" ;;
    postgres)
      find_pg_bin || die "PostgreSQL binaries not found"
      pg_cluster_running || die "this checkout's PostgreSQL cluster is not running"
      log "stopping PostgreSQL in immediate mode"
      pg_ctl_as_owner stop -m immediate -w -t 60 -s || die "PostgreSQL did not stop; see $PG_LOG" ;;
    *) die "usage: $0 crash rabbitmq|postgres|connections" ;;
  esac
}

# The console's browser tests drive Debian's Chromium (Playwright) and Firefox ESR (puppeteer-core over WebDriver
# BiDi); test tools never download a browser of their own.
cmd_browsers() {
  local package binary
  for package in chromium:/usr/bin/chromium firefox-esr:/usr/bin/firefox-esr; do
    binary=${package#*:} package=${package%%:*}
    [[ -x $binary ]] && continue
    require_root browsers
    apt_install "$package" || die "could not install $package"
    [[ -x $binary ]] || die "$package installed but $binary is missing"
  done
}

cmd_status() {
  local rc=0
  pg_status || rc=1
  rmq_status || rc=1
  smtp_status || rc=1
  return $rc
}

main() {
  local cmd=${1:-}
  load_settings
  case $cmd in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) print_env ;;
    vhost) cmd_vhost "${2:-}" ;;
    drop-vhost) cmd_drop_vhost "${2:-}" ;;
    crash) cmd_crash "${2:-}" ;;
    browsers) cmd_browsers ;;
    *) echo "usage: $0 up|down|status|env|browsers|vhost NAME|drop-vhost NAME|crash rabbitmq|postgres|connections" >&2; exit 2 ;;
  esac
}

main "$@"
