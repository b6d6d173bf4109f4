#!/usr/bin/env bash
# Runs bench/ProfileUpdates against ./run.sh's platform and reports what each part spent on it: CPU per event of
# the ingestion API, the relay, Segmentation, the sidecar, Triggers, Recommendation, PostgreSQL and RabbitMQ (from /proc, before and after), and
# the peak resident memory of the relay, Segmentation and the sidecar during the run (sampled every 0.5 s).
#
#   bench/ProfileUpdates/measure.sh [events=20000] [users=1000] [uniform|zipf]
#
# Needs ./run.sh running in another terminal. The bench itself prints Segmentation's events per actor call.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-20000}
users=${2:-1000}
activity=${3:-uniform}

pid_of() { pgrep -f "$1" | head -1; }
ingestion=$(pid_of "Personalization.Ingestion.dll.*:5100")
relay=$(pid_of "Personalization.Ingestion.dll.*:5101")
segmentation=$(pid_of Personalization.Segmentation.dll)
sidecar=$(pid_of Personalization.DaprSidecar.dll)
# The same events feed journeys and attribution, which compete for the same cores.
triggers=$(pid_of Personalization.Triggers.dll)
recommendation=$(pid_of Personalization.Recommendation.dll)
[[ -n $ingestion && -n $relay && -n $segmentation && -n $sidecar && -n $triggers && -n $recommendation ]] || { echo "start ./run.sh first" >&2; exit 1; }
# PostgreSQL's backends come and go; the postmaster's own count includes those that have exited.
postgres=$(pgrep -o -x postgres)
rabbitmq=$(pgrep -o -f beam.smp)

source bench/ProfileUpdates/cpu.sh
hz=$(getconf CLK_TCK)
parts="ingestion relay segmentation sidecar triggers recommendation postgres rabbitmq"
declare -A before
for part in $parts; do before[$part]=$(cpu "${!part}"); done

peaks=$(mktemp)
(
  declare -A peak=([relay]=0 [segmentation]=0 [sidecar]=0)
  while true; do
    for part in relay segmentation sidecar; do
      rss=$(awk '/^VmRSS/ { print $2 }' "/proc/${!part}/status" 2>/dev/null || echo 0)
      (( rss > peak[$part] )) && peak[$part]=$rss
    done
    echo "relay=$((peak[relay] / 1024))MiB segmentation=$((peak[segmentation] / 1024))MiB sidecar=$((peak[sidecar] / 1024))MiB" > "$peaks"
    sleep 0.5
  done
) &
sampler=$!
sleep 2

dotnet run -c Release --project bench/ProfileUpdates -- http://127.0.0.1:5100 http://127.0.0.1:5200 "$events" "$users" 0 false \
  demo-read-token demo-admin-token "$activity"
sleep 2
kill "$sampler" 2>/dev/null || true

echo -n "CPU ms per event:"
for part in $parts; do
  after=$(cpu "${!part}")
  awk -v d=$((after - before[$part])) -v hz="$hz" -v n="$events" -v p="$part" 'BEGIN { printf " %s=%.3f", p, d * 1000 / hz / n }'
done
echo
echo "peak memory (RSS): $(cat "$peaks")"
rm -f "$peaks"
