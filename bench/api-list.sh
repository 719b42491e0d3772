#!/usr/bin/env bash
# Throughput and latency of the customer list (keyset page of 50, scope filter, capped count) on loopback.
# Usage: bench/api-list.sh [seconds] [connections]   (defaults 15 and 8; builds Release, demo data on SQLite)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-15}
CONNECTIONS=${2:-8}
PORT=5098
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
dotnet build src/LeadToCash -c Release -nologo -clp:ErrorsOnly >/dev/null
WORK=$(mktemp -d)
Storage__DataDirectory="$WORK/data" ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production AllowDemoData=true \
  Logging__LogLevel__Default=Warning dotnet src/LeadToCash/bin/Release/net10.0/LeadToCash.dll --demo >"$WORK/app.log" 2>&1 &
APP_PID=$!
trap 'kill $APP_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done

for who in rep@demo.test admin@demo.test; do
  token=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\":\"$who\",\"password\":\"demo-password-2026\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  echo "== GET /api/v1/customers?limit=50 as $who ($CONNECTIONS connections, ${SECONDS_TO_RUN}s)"
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$PORT/api/v1/customers?limit=50" | grep -E "Requests/sec|Latency|50%|99%"
done
