#!/usr/bin/env bash
# The profile stage on its own: with Segmentation stopped, posts track events for new people and waits until the
# relay has published them all, then starts Segmentation again and times how fast it applies the backlog (its own
# /admin/profiles/feed count, sampled every 0.5 s, from the first event fed to the last), with each part's CPU per
# event over the drain. So ingestion and the relay do not share the cores with it, unlike measure.sh.
#
#   bench/ProfileUpdates/stage.sh [events=100000] [users=1000] [uniform|zipf]
#
# Needs ./run.sh running (one Segmentation replica) in another terminal; Segmentation is restarted as it ran.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-100000}
users=${2:-1000}
activity=${3:-uniform}
segmentation_url=http://127.0.0.1:5200
admin=(-H 'Authorization: Bearer demo-admin-token')
eval "$(bash tools/infra.sh env | grep '^ConnectionStrings__Postgres=' | sed 's/^/export /;s/=/="/;s/$/"/')"
field() { sed -n "s/.*$1=\([^;]*\).*/\1/p" <<<"$ConnectionStrings__Postgres"; }
sql() { PGPASSWORD=$(field Password) psql -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d "$(field Database)" -Atc "$1"; }

segmentation=$(pgrep -f "Personalization.Segmentation.dll.*5200" | head -1)
[[ -n $segmentation ]] || { echo "start ./run.sh first" >&2; exit 1; }
mapfile -d '' environment < "/proc/$segmentation/environ"
mapfile -d '' command < "/proc/$segmentation/cmdline"
workdir=$(readlink "/proc/$segmentation/cwd")
kill "$segmentation"
while kill -0 "$segmentation" 2>/dev/null; do sleep 0.2; done

run=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "posting $events events for $users people (run $run) with Segmentation stopped..."
python3 - "$events" "$users" "$activity" "$run" <<'EOF' | xargs -0 -P 8 -n 1 sh -c 'printf %s "$0" | curl -sf -o /dev/null -u demo-write-key: -H "Content-Type: application/json" --data-binary @- http://127.0.0.1:5100/v1/batch || echo "a batch failed" >&2'
import bisect, json, random, sys
events, users, activity, run = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
if activity == "zipf":
    cumulative, total = [], 0.0
    for u in range(users):
        total += 1.0 / (u + 1)
        cumulative.append(total)
    draw = random.Random(42)
    people = [min(bisect.bisect_left(cumulative, draw.random() * total), users - 1) for _ in range(events)]
else:
    people = [i % users for i in range(events)]
for start in range(0, events, 100):
    batch = [{"type": "track", "event": "Product Viewed", "userId": f"stage-{run}-{people[i]}", "messageId": f"stage-{run}-{i}",
              "properties": {"product_id": "sku-1"}} for i in range(start, min(start + 100, events))]
    sys.stdout.write(json.dumps({"batch": batch}) + "\0")
EOF

echo "waiting for the relay to publish them..."
until [[ $(sql "select coalesce(max(seq_id), 0) from ingestion.mt_events") == $(sql "select last_seq_id from ingestion.mt_event_progression where name = 'rabbitmq-relay:All'") ]]; do sleep 0.5; done

pid_of() { pgrep -f "$1" | head -1; }
sidecar=$(pid_of Personalization.DaprSidecar.dll)
postgres=$(pgrep -o -x postgres)
rabbitmq=$(pgrep -o -f beam.smp)
source bench/ProfileUpdates/cpu.sh
declare -A before
for part in sidecar postgres rabbitmq; do before[$part]=$(cpu "${!part}"); done

(cd "$workdir" && exec setsid env -i "${environment[@]}" "${command[@]}" >> .infra/logs/segmentation.log 2>&1) &
segmentation=$!
fed() { curl -sf "${admin[@]}" "$segmentation_url/admin/profiles/feed" | sed -n 's/.*"eventsFed":\([0-9]*\).*/\1/p'; }
calls() { curl -sf "${admin[@]}" "$segmentation_url/admin/profiles/feed" | sed -n 's/.*"actorCalls":\([0-9]*\).*/\1/p'; }
until [[ -n $(fed 2>/dev/null) ]]; do sleep 0.2; done
first_at='' first=0 now=0
deadline=$((SECONDS + 900))
while (( SECONDS < deadline )); do
  now=$(fed)
  if [[ -z $first_at && $now -gt 0 ]]; then first_at=$(date +%s.%N); first=$now; fi
  (( now >= events )) && break
  sleep 0.5
done
done_at=$(date +%s.%N)
(( now >= events )) || { echo "only $now of $events events were fed within 15 minutes" >&2; exit 1; }

seconds=$(echo "$done_at - $first_at" | bc)
echo "events=$events users=$users activity=$activity drained-in=${seconds}s profile-updates/s=$(echo "($now - $first) / $seconds" | bc) actor-calls=$(calls) events-per-call=$(echo "scale=1; $now / $(calls)" | bc)"
hz=$(getconf CLK_TCK)
echo -n "CPU ms per event:"
awk -v d="$(cpu "$segmentation")" -v hz="$hz" -v n="$events" 'BEGIN { printf " segmentation=%.3f (with its start)", d * 1000 / hz / n }'
for part in sidecar postgres rabbitmq; do
  awk -v d=$(($(cpu "${!part}") - before[$part])) -v hz="$hz" -v n="$events" -v p="$part" 'BEGIN { printf " %s=%.3f", p, d * 1000 / hz / n }'
done
echo
echo "Segmentation runs again as pid $segmentation (log: .infra/logs/segmentation.log)."
