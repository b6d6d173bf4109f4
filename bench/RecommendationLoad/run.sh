#!/usr/bin/env bash
# Starts a Recommendation service of its own on 127.0.0.1:5390 and runs the load driver against it.
# Needs tools/infra.sh up (PostgreSQL); with ./run.sh running too, profile reads go through its Dapr sidecar, as in
# production. Usage: bench/RecommendationLoad/run.sh [driver options, e.g. --duration 30 --rates 500,1000,2000]
set -euo pipefail
cd "$(dirname "$0")/../.."
eval "$(sed -n 's/^\([A-Z_]*=[^ ]*\)$/export \1/p' tools/infra.env)"
export $(tools/infra.sh env)
# A database of its own, so services of ./run.sh sharing the PostgreSQL server neither load nor train the bench's models.
psql "postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/postgres" -qtc "create database ${PG_DATABASE}_bench" 2>/dev/null || true
export ConnectionStrings__Postgres="${ConnectionStrings__Postgres/Database=$PG_DATABASE/Database=${PG_DATABASE}_bench}"
dotnet build -c Release -v q --nologo bench/RecommendationLoad >/dev/null # builds the service too
port=5390
# env, because token names with '-' are not shell variable names.
env ASPNETCORE_URLS="http://127.0.0.1:$port" DAPR_HTTP_PORT="${DAPR_SIDECAR_PORT:-3500}" \
  Recommendation__AccessTokens__bench-retail-token=bench-retail Recommendation__AccessTokens__bench-synthetic-token=bench-synthetic \
  Recommendation__Training__Schedule=00:00:00 Recommendation__Training__NewItemsDelay=00:00:00 \
  Logging__LogLevel__Default=Warning Logging__LogLevel__Personalization=Information \
  dotnet services/Recommendation/bin/Release/net10.0/Personalization.Recommendation.dll > /tmp/recommendation-bench.log 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 1; done
dotnet bench/RecommendationLoad/bin/Release/net10.0/Personalization.RecommendationLoad.dll --url "http://127.0.0.1:$port" --pid "$service" "$@"
