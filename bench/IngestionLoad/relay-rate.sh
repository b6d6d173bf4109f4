#!/usr/bin/env bash
# How fast the relay publishes a stored event log to RabbitMQ. Keep a bench database first
# (BENCH_KEEP_DB=1 bench/IngestionLoad/run.sh ...), then:
#
#   bench/IngestionLoad/relay-rate.sh <kept database> [seconds, default 20]
#
# It resets the relay's checkpoint in that database, runs the Release build's relay against it, and reports how far
# the checkpoint moved. Nothing consumes the messages: this measures the relay alone. It publishes into a RabbitMQ
# vhost of its own, dropped afterwards, so the messages never pile up in the queues of a platform run with ./run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=${1:?usage: relay-rate.sh <kept database> [seconds]}
secs=${2:-20}
bash tools/infra.sh up >/dev/null
export $(bash tools/infra.sh env)
set -a; source tools/infra.env; set +a
cs="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=$db"
q() { PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$db" -tAc "$1"; }
checkpoint() { q "select coalesce(max(last_seq_id), 0) from ingestion.mt_event_progression where name like 'rabbitmq-relay%'"; }

vhost=relay-rate-$$
rabbitmq=$(bash tools/infra.sh vhost "$vhost")
q "delete from ingestion.mt_event_progression where name like 'rabbitmq-relay%'" >/dev/null
ConnectionStrings__Postgres="$cs" ConnectionStrings__RabbitMQ="$rabbitmq" Ingestion__Role=Relay ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
  dotnet services/Ingestion/bin/Release/net10.0/Personalization.Ingestion.dll --urls http://127.0.0.1:5199 >/tmp/relay-rate.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; bash tools/infra.sh drop-vhost "$vhost"' EXIT
sleep 8 # start-up and the daemon's first pages
from=$(checkpoint)
sleep "$secs"
to=$(checkpoint)
echo "relay published $((to - from)) events in $secs s: $(((to - from) / secs)) events/s (log of $(q 'select count(*) from ingestion.mt_events') events)"
