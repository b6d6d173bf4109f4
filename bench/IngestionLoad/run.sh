#!/usr/bin/env bash
# Ingestion load benchmark in one command: builds Release, starts PostgreSQL (tools/infra.sh), creates a throw-away
# database, starts one Ingestion API on loopback, waits for a quiet machine, runs bench/IngestionLoad against it,
# then stops the API and drops the database. Run as root (tools/infra.sh needs it), from anywhere.
#
#   bench/IngestionLoad/run.sh [IngestionLoad options, e.g. --connections 16 --duration 60 --fsync-probe 60]
#
# Service settings pass through the environment, e.g.  Ingestion__CommitLoops=1 bench/IngestionLoad/run.sh
# BENCH_PORT (default 5180) picks the API port; BENCH_KEEP_DB=1 keeps the database for inspection.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

port=${BENCH_PORT:-5180}
bash tools/infra.sh up >/dev/null
export $(bash tools/infra.sh env)
set -a; source tools/infra.env; set +a

database=ingestion_bench_$$
admin="postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DATABASE"
bench_db="Host=$PG_HOST;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=$database"

echo "Building (Release)..."
dotnet build bench/IngestionLoad -c Release -nologo -v quiet -clp:ErrorsOnly

api_pid=''
cleanup() {
  if [[ -n $api_pid ]]; then kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; fi
  if [[ ${BENCH_KEEP_DB:-0} != 1 ]]; then
    psql -q "$admin" -c "drop database if exists \"$database\" with (force)" >/dev/null 2>&1 || true
  else
    echo "kept database $database"
  fi
}
trap cleanup EXIT

psql -q "$admin" -c "create database \"$database\""
out=$PWD/services/Ingestion/bin/Release/net10.0
log=$(mktemp -t ingestion-bench-api.XXXXXX.log)
env ASPNETCORE_ENVIRONMENT=Development \
    ConnectionStrings__Postgres="$bench_db" \
    Ingestion__WriteKeys__bench-key=bench \
    Ingestion__RateLimit__RequestsPerSecond=1000000 Ingestion__RateLimit__Burst=1000000 \
    Logging__LogLevel__Default=Warning \
    dotnet "$out/Personalization.Ingestion.dll" --contentRoot "$out" --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
api_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
  kill -0 "$api_pid" 2>/dev/null || { echo "the API exited; its log:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.5
done
echo "Ingestion API pid $api_pid on http://127.0.0.1:$port (log: $log)"

# Figures are only worth something on a quiet box: wait (up to 10 minutes) until the other processes use < 20% of it.
busy_percent() {
  local a b
  read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ < /proc/stat; sleep 3
  read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ < /proc/stat
  a=$((a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8)); b=$((b1 + b2 + b3 + b4 + b5 + b6 + b7 + b8))
  echo $(( 100 - 100 * ((b4 + b5) - (a4 + a5)) / (b - a) ))
}
for _ in $(seq 1 200); do
  busy=$(busy_percent)
  ((busy < 20)) && break
  echo "machine ${busy}% busy before the run; waiting for it to quieten (uptime: $(uptime))"
done
echo "machine ${busy}% busy before the run; $(uptime)"
# How the kernel writes back dirty pages decides whether WAL flushes stall (RESULTS.md, "Flush stalls"), so every run says.
echo "kernel writeback: $(sysctl -n vm.dirty_background_bytes vm.dirty_background_ratio vm.dirty_expire_centisecs 2>/dev/null \
  | paste -sd' ' | awk '{print "dirty_background_bytes=" $1 ", dirty_background_ratio=" $2 ", dirty_expire_centisecs=" $3}')"
echo "tree: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- services shared 2>/dev/null || echo ' + uncommitted changes'); settings: $(env | grep -E '^(Ingestion__|DOTNET_)' | tr '\n' ' ')"

dotnet bench/IngestionLoad/bin/Release/net10.0/Personalization.IngestionLoad.dll \
  --url "http://127.0.0.1:$port" --write-key bench-key --tenant bench --pid "$api_pid" --postgres "$bench_db" \
  --probe-dir "$(readlink -f .infra)" "$@"
grep -E "fail|error|crit" -i "$log" | head -20 || true
