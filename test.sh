#!/usr/bin/env bash
# The whole test suite in one command: installs and starts the local PostgreSQL and RabbitMQ (tools/infra.sh)
# and the browsers of the console's tests, builds, runs every NUnit project, and ends with "N passed, N failed".
# Two phases: first everything else, then the outage tests (category Outage), which kill a PostgreSQL and a
# RabbitMQ of their own under load and so must not share the machine's time with the rest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

bash tools/infra.sh up >/dev/null
# The console's end-to-end tests drive Debian's Chromium and Firefox ESR.
bash tools/infra.sh browsers
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium} FIREFOX_PATH=${FIREFOX_PATH:-/usr/bin/firefox-esr}

results=TestResults
rm -rf "$results"
set +e
dotnet test Personalization.sln -c Release --logger trx --results-directory "$results" --filter "TestCategory!=Outage" "$@"
status=$?
dotnet test tests/EndToEnd.Tests -c Release --no-build --logger trx --results-directory "$results" --filter "TestCategory=Outage" "$@"
outage_status=$?
set -e
((status == 0)) && status=$outage_status

# Count from the trx files, so the line reflects what really ran.
count() { grep -ho '<Counters [^>]*' "$results"/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(count passed)
failed=$(count failed)
if [[ $passed -eq 0 && $failed -eq 0 ]]; then
  echo "no test results found in $results" >&2
  status=1
fi
echo "$passed passed, $failed failed"
exit "$status"
