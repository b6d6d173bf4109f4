#!/usr/bin/env bash
# The platform in one command: starts the local PostgreSQL and RabbitMQ, builds and starts
# ingestion (API and relay), the Dapr sidecar emulator, segmentation (which hosts the profile
# actors), recommendation, triggers and the admin console, posts generated demo events, trains a first model on them, and prints where to look.
# Ctrl+C stops the services; `tools/infra.sh down` stops the infrastructure. The Dapr tokens (DAPR_API_TOKEN for the
# sidecar's API, APP_API_TOKEN for its calls to Segmentation) come from tools/infra.env like the ports.
# SEGMENTATION_REPLICAS=2 ./run.sh runs more Segmentation replicas, each with its own sidecar (ports 5201, 3501, ...),
# the sidecars placing the profile actors over them (tools/DaprSidecar/README.md, "Several replicas").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

bash tools/infra.sh up >/dev/null
export $(bash tools/infra.sh env)
set -a
# shellcheck source=tools/infra.env
source tools/infra.env
set +a

echo "Building..."
dotnet build Personalization.sln -c Release -nologo -v quiet -clp:ErrorsOnly

logs=.infra/logs
mkdir -p "$logs"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT

start() { # name project-dir port [KEY=VALUE ...]
  local name=$1 project=$2 port=$3 out="$PWD/$2/bin/Release/net10.0"
  shift 3
  env ASPNETCORE_ENVIRONMENT=Development "$@" \
    dotnet "$out/Personalization.${project##*/}.dll" --contentRoot "$out" --urls "http://127.0.0.1:$port" \
    >"$logs/$name.log" 2>&1 &
  pids+=($!)
  echo "  $name on http://127.0.0.1:$port (log: $logs/$name.log)"
}

wait_ready() { # name port pid [readiness-path]
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$2${4:-/health/ready}" >/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "$1 exited; last lines of its log:" >&2; tail -n 30 "$logs/$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$1 was not ready after 90 s; see $logs/$1.log" >&2
  exit 1
}

echo "Starting services..."
export DAPR_HTTP_PORT=$DAPR_SIDECAR_PORT
start ingestion services/Ingestion "$INGESTION_PORT"
start ingestion-relay services/Ingestion "$INGESTION_RELAY_PORT" Ingestion__Role=Relay
replicas=${SEGMENTATION_REPLICAS:-1}
placement() { [ "$replicas" -gt 1 ] && echo "Sidecar__Placement__Address=http://127.0.0.1:$1" || echo "Sidecar__Placement__Address="; }
start dapr-sidecar tools/DaprSidecar "$DAPR_SIDECAR_PORT" "Sidecar__Apps__0=http://127.0.0.1:$SEGMENTATION_PORT" "Sidecar__Apps__1=http://127.0.0.1:$TRIGGERS_PORT" \
  "$(placement "$DAPR_SIDECAR_PORT")"
start segmentation services/Segmentation "$SEGMENTATION_PORT"
start recommendation services/Recommendation "$RECOMMENDATION_PORT"
start triggers services/Triggers "$TRIGGERS_PORT" Recommendation__Url="http://127.0.0.1:$RECOMMENDATION_PORT" Recommendation__Tokens__demo=demo-read-token \
  Email__PublicUrl="http://127.0.0.1:$TRIGGERS_PORT" Email__From="Demo Shop <shop@demo.example>" \
  Feedback__IngestionUrl="http://127.0.0.1:$INGESTION_PORT" Feedback__WriteKeys__demo=demo-write-key \
  Segmentation__Url="http://127.0.0.1:$SEGMENTATION_PORT" Segmentation__Tokens__demo=demo-read-token
start console services/AdminConsole "$CONSOLE_PORT" Console__DefaultTenant=demo \
  Console__Services__Ingestion="http://127.0.0.1:$INGESTION_PORT" Console__Services__Segmentation="http://127.0.0.1:$SEGMENTATION_PORT" \
  Console__Services__Recommendation="http://127.0.0.1:$RECOMMENDATION_PORT" Console__Services__Triggers="http://127.0.0.1:$TRIGGERS_PORT"
wait_ready ingestion "$INGESTION_PORT" "${pids[0]}"
wait_ready ingestion-relay "$INGESTION_RELAY_PORT" "${pids[1]}"
wait_ready dapr-sidecar "$DAPR_SIDECAR_PORT" "${pids[2]}" /v1.0/healthz
wait_ready segmentation "$SEGMENTATION_PORT" "${pids[3]}"
wait_ready recommendation "$RECOMMENDATION_PORT" "${pids[4]}"
wait_ready triggers "$TRIGGERS_PORT" "${pids[5]}"
wait_ready console "$CONSOLE_PORT" "${pids[6]}"
for i in $(seq 2 "$replicas"); do
  sidecar=$((DAPR_SIDECAR_PORT + i - 1)) app=$((SEGMENTATION_PORT + i - 1))
  start "dapr-sidecar-$i" tools/DaprSidecar "$sidecar" "Sidecar__Apps__0=http://127.0.0.1:$app" "$(placement "$sidecar")"
  start "segmentation-$i" services/Segmentation "$app" DAPR_HTTP_PORT="$sidecar"
  wait_ready "dapr-sidecar-$i" "$sidecar" "${pids[-2]}" /v1.0/healthz
  wait_ready "segmentation-$i" "$app" "${pids[-1]}"
done

echo "Posting demo events..."
dotnet tools/DemoData/bin/Release/net10.0/Personalization.DemoData.dll "http://127.0.0.1:$INGESTION_PORT" demo-write-key 50 42 demo demo-admin-token

profile="http://127.0.0.1:$SEGMENTATION_PORT/api/profiles/demo-user-000"
for _ in $(seq 1 60); do
  curl -sf -H 'Authorization: Bearer demo-read-token' "$profile" >/dev/null && break
  sleep 0.5
done

# Defined after the demo events on purpose: a new segment is judged on everyone's history in the background.
segments="http://127.0.0.1:$SEGMENTATION_PORT/admin/tenants/demo/segments"
echo "Defining demo segments..."
define_segment() {
  curl -sf -X PUT -H 'Authorization: Bearer demo-admin-token' -H 'Content-Type: application/json' -d "$2" "$segments/$1" >/dev/null \
    || echo "  could not define segment $1 (see $logs/segmentation.log)" >&2
}
define_segment cart-abandoners '{"name":"Cart abandoners (demo window: 2 minutes)","condition":{"performed":"Product Added","notFollowedBy":"Order Completed","within":"2m"}}'
define_segment high-intent-mobile '{"name":"High-intent mobile shoppers","condition":{"and":[{"profile":"lastDevice","in":["ios","android"]},{"or":[{"profile":"cartItems","gte":1},{"performed":"Product Viewed","atLeast":2}]}]}}'

# The relay takes a moment to pass the events on; the log is what training reads, so it can start at once.
models="http://127.0.0.1:$RECOMMENDATION_PORT/admin/tenants/demo/models"
echo "Training a first model on the demo events..."
job=$(curl -sf -X POST -H 'Authorization: Bearer demo-admin-token' "$models/train" | sed -n 's/.*"location":"\([^"]*\)".*/\1/p')
for _ in $(seq 1 120); do
  state=$(curl -sf -H 'Authorization: Bearer demo-admin-token' "http://127.0.0.1:$RECOMMENDATION_PORT$job" | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
  [ "$state" = succeeded ] || [ "$state" = failed ] && break
  sleep 0.5
done
echo "  training job: ${state:-unknown} (curl -H 'Authorization: Bearer demo-admin-token' http://127.0.0.1:$RECOMMENDATION_PORT$job)"
recommendations="http://127.0.0.1:$RECOMMENDATION_PORT/v1/recommendations"
# Until an answer has read the person's profile: the first reads of a just-started machine can outlast the read's
# timeout, and an answer from the model alone would be a poor first sight of real time.
for _ in $(seq 1 20); do
  curl -sf -H 'Authorization: Bearer demo-read-token' "$recommendations/users/demo-user-000?count=3" | grep -q '"profileRead":true' && break
  sleep 0.5
done

cat <<TXT

Personalization is running (tenant "demo", write key "demo-write-key", read token "demo-read-token",
admin token "demo-admin-token").
  The console:    http://127.0.0.1:$CONSOLE_PORT (sign in with the admin token)
  A profile:      curl -H 'Authorization: Bearer demo-read-token' $profile
  Send an event:  curl -u demo-write-key: -H 'Content-Type: application/json' \\
                    -d '{"event":"Product Viewed","userId":"demo-user-000","properties":{"productId":"sku-100"}}' \\
                    http://127.0.0.1:$INGESTION_PORT/v1/track
  A new source:   curl -H 'Authorization: Bearer demo-admin-token' -H 'Content-Type: application/json' \\
                    -d '{"sourceId":"ios-app"}' http://127.0.0.1:$INGESTION_PORT/admin/tenants/demo/sources
  For a person:   curl -H 'Authorization: Bearer demo-read-token' '$recommendations/users/demo-user-000?count=3'
  With rules:     curl -G -H 'Authorization: Bearer demo-read-token' $recommendations/users/demo-user-000 \\
                    --data-urlencode 'filter=price <= 10 && category under "Kitchen"' --data-urlencode 'boost=tags contains "gift-under-10" by 2' \\
                    -d diversity=0.3
  Product page:   curl -H 'Authorization: Bearer demo-read-token' $recommendations/items/sku-100/related
  A cart:         curl -H 'Authorization: Bearer demo-read-token' -H 'Content-Type: application/json' \\
                    -d '{"items":["sku-100","sku-200"]}' $recommendations/cart
  Segments:       curl -H 'Authorization: Bearer demo-read-token' http://127.0.0.1:$SEGMENTATION_PORT/api/segments/cart-abandoners
  Their members:  curl -H 'Authorization: Bearer demo-read-token' http://127.0.0.1:$SEGMENTATION_PORT/api/segments/high-intent-mobile/members
  A definition:   curl -H 'Authorization: Bearer demo-admin-token' $segments/cart-abandoners
  Preview one:    curl -H 'Authorization: Bearer demo-admin-token' -H 'Content-Type: application/json' \\
                    -d '{"name":"Viewers","condition":{"performed":"Product Viewed","atLeast":2}}' $segments/preview
  Discover:       curl -X POST -H 'Authorization: Bearer demo-admin-token' http://127.0.0.1:$SEGMENTATION_PORT/admin/tenants/demo/discovery
                  (RFM grid, clusters and predictions; then GET the same URL for the reports)
  Journeys:       curl -H 'Authorization: Bearer demo-admin-token' http://127.0.0.1:$TRIGGERS_PORT/admin/tenants/demo/journeys
                  (templates at .../templates; the grammar is in services/Triggers/README.md)
  Models:         curl -H 'Authorization: Bearer demo-admin-token' $models
  Train again:    curl -X POST -H 'Authorization: Bearer demo-admin-token' $models/train
  Health:         curl http://127.0.0.1:$INGESTION_PORT/health/ready
  Rebuild:        ConnectionStrings__Postgres='$ConnectionStrings__Postgres' DAPR_HTTP_PORT=$DAPR_SIDECAR_PORT DAPR_API_TOKEN=$DAPR_API_TOKEN \\
                    dotnet services/Segmentation/bin/Release/net10.0/Personalization.Segmentation.dll rebuild-profiles
  Event store:    psql "postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DATABASE" -c 'select count(*) from ingestion.mt_events'
  Logs:           $logs/
Press Ctrl+C to stop the services.
TXT
curl -s -H 'Authorization: Bearer demo-read-token' "$profile"; echo
echo "Recommendations for demo-user-000, with their reasons:"
curl -s -H 'Authorization: Bearer demo-read-token' "$recommendations/users/demo-user-000?count=3"; echo
for _ in $(seq 1 60); do
  curl -sf -H 'Authorization: Bearer demo-admin-token' "$segments/cart-abandoners" | grep -q '"state":"done"' && break
  sleep 0.5
done
echo "Demo segments (the cart abandoners' 2-minute window has long passed for the demo's carts):"
for segment in cart-abandoners high-intent-mobile; do
  curl -s -H 'Authorization: Bearer demo-read-token' "http://127.0.0.1:$SEGMENTATION_PORT/api/segments/$segment"; echo
done

# The brief's first story, with a 30-second wait instead of 24 hours: a cart left alone gets an email listing it
# and three recommendations; a purchase of the same cart first ends the journey.
triggers="http://127.0.0.1:$TRIGGERS_PORT/admin/tenants/demo"
admin_put() { # path json
  curl -sf -X "${3:-PUT}" -H 'Authorization: Bearer demo-admin-token' -H 'Content-Type: application/json' ${2:+-d "$2"} "$triggers/$1" >/dev/null \
    || echo "  could not set $1 (see $logs/triggers.log)" >&2
}
echo "Publishing the demo cart-abandonment journey..."
admin_put contact-policy '{"timeZone":"Europe/London","channels":{"email":{"caps":[{"max":3,"per":"7d"}]}},"subscriptionGroups":[{"id":"marketing","name":"Offers and reminders"}]}'
admin_put templates/cart-reminder '{"name":"Cart reminder","channel":"email",
  "subject":"{{ profile.traits.firstName | default: \"Hello\" }}, your cart is waiting",
  "html":"<h1>Still thinking it over?</h1><ul>{% for line in cart %}<li>{{ line.quantity }} × {{ line.name }} ({{ line.price }})</li>{% endfor %}</ul><p>You might also like:</p><ul>{% for item in recommendations %}<li><a href=\"https://shop.demo.example/items/{{ item.itemId }}?rid={{ recommendation_id }}\">{{ item.title }}</a> {{ item.price }} {{ item.currency }}</li>{% endfor %}</ul><p><a href=\"https://shop.demo.example/cart\">Back to your cart</a></p>",
  "text":"Your cart: {% for line in cart %}{{ line.quantity }} x {{ line.name }}; {% endfor %}You might also like: {% for item in recommendations %}{{ item.title }}; {% endfor %}",
  "fallback":{"subject":"Your cart is waiting","text":"Your cart is waiting: https://shop.demo.example/cart"}}'
admin_put journeys/cart-abandonment '{"name":"Cart abandonment (demo wait: 30 s)","entry":{"event":"Product Added"},"key":"cart_id","reentry":{"oncePer":"1d"},
  "exitWhen":[{"event":"Order Completed","matchKey":"cart_id"}],
  "steps":[{"id":"wait","wait":"PT30S"},{"id":"email","send":{"channel":"email","template":"cart-reminder","group":"marketing"}}]}'
admin_put journeys/cart-abandonment/publish "" POST
track() { curl -sf -u demo-write-key: -H 'Content-Type: application/json' -d "$1" "http://127.0.0.1:$INGESTION_PORT/v1/$2" >/dev/null; }
track '{"userId":"demo-user-000","traits":{"email":"ada@demo.example","firstName":"Ada"}}' identify
track '{"userId":"demo-user-000","event":"Product Added","properties":{"cart_id":"demo-cart-1","product_id":"sku-100","name":"Demo product 100","price":12.5,"quantity":2}}' track
track '{"userId":"demo-user-001","traits":{"email":"bo@demo.example","firstName":"Bo"}}' identify
track '{"userId":"demo-user-001","event":"Product Added","properties":{"cart_id":"demo-cart-2","product_id":"sku-200","name":"Demo product 200","price":20,"quantity":1}}' track
track '{"userId":"demo-user-001","event":"Order Completed","properties":{"cart_id":"demo-cart-2","order_id":"demo-order-2","total":20}}' track
cat <<TXT

Cart abandonment: Ada (demo-user-000) left cart demo-cart-1; Bo (demo-user-001) bought cart demo-cart-2.
In about 30 s Ada's email, with her cart and three recommendations, is at http://$SMTP_HOST:$SMTP_WEB_PORT
(API: curl http://$SMTP_HOST:$SMTP_WEB_PORT/api/messages); Bo gets none. The journey's numbers:
  curl -H 'Authorization: Bearer demo-admin-token' $triggers/journeys/cart-abandonment/stats
TXT
wait
