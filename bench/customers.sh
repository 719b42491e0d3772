#!/usr/bin/env bash
# Customer list (page 1 filtered and sorted, and a page 50,000 rows deep), global search and the customer 360° page
# at scale: seed-scale fills a database, the app serves it on loopback (Release), bench/latency.py measures p50/p95/p99
# at concurrency 1 (and req/s at 25) with parameters drawn from the data.
# Usage: bench/customers.sh [sqlite|postgres|both] [small|medium|large]   (defaults: both large)
# BENCH_PORT (default 5099) and BENCH_PG_PORT (default 55497); BENCH_REQUESTS per scenario (default 300).
# To measure again without seeding: BENCH_SQLITE_DATA=<a data directory seed-scale filled> and/or
# BENCH_PG_CONNECTION=<a connection string to a database seed-scale filled>.
# Results: printed, and appended as JSON lines to bench/results/customers-<provider>-<size>.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
WHICH=${1:-both}
SIZE=${2:-large}
PORT=${BENCH_PORT:-5099}
PG_PORT=${BENCH_PG_PORT:-55497}
REQUESTS=${BENCH_REQUESTS:-300}
WORK=$(mktemp -d /tmp/customers-bench.XXXXXX)
chmod 755 "$WORK"
APP_PID= PG_STARTED=0
PGBIN=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n1)
AS_PG=(); [[ $EUID -eq 0 ]] && AS_PG=(runuser -u postgres --)
mkdir -p bench/results
cleanup() {
  [[ -n $APP_PID ]] && kill "$APP_PID" 2>/dev/null || true
  ((PG_STARTED)) && "${AS_PG[@]}" "$PGBIN/pg_ctl" stop -s -m fast -D "$WORK/pg/data" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

dotnet build src/LeadToCash -c Release -nologo -clp:ErrorsOnly >/dev/null
APP=src/LeadToCash/bin/Release/net10.0/LeadToCash.dll

run() {  # run NAME SEEDED_DATA_DIR_OR_EMPTY [env assignments...]
  local name=$1; shift
  local seeded=$1; shift
  local data=${seeded:-"$WORK/data-$name"} out="bench/results/customers-$name-$SIZE.jsonl"
  rm -f "$out"
  echo "== $name, size $SIZE"
  if [[ -z $seeded ]]; then
    local t0; t0=$(date +%s.%N)
    env "$@" Storage__DataDirectory="$data" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
      dotnet "$APP" seed-scale --size "$SIZE" | grep -v '^{'
    awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "seed-scale (incl. migrations) %.0f s\n", e - s }'
  fi
  env "$@" Storage__DataDirectory="$data" ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production AllowDemoData=true \
    Logging__LogLevel__Default=Warning Jobs__Enabled=false dotnet "$APP" >"$WORK/app-$name.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  local base=http://127.0.0.1:$PORT
  token() { curl -fs -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"scale-password-2026\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'; }
  local admin manager rep
  admin=$(token admin@scale.test); manager=$(token manager1@scale.test); rep=$(token rep1@scale.test)
  python3 bench/customer-urls.py "$base" "$admin" "$WORK/urls-$name"
  local u="$WORK/urls-$name"
  measure() {  # measure NAME TOKEN FILE [concurrency]
    python3 bench/latency.py "$base" "$2" "$3" --name "$1" --concurrency "${4:-1}" --requests "$REQUESTS" --warmup 30 --json "$out"
  }
  measure "list page 1, admin (all $SIZE)" "$admin" "$u/list.txt"
  measure "list page 1, manager (team)" "$manager" "$u/list.txt"
  measure "list page 1, rep (own + pool)" "$rep" "$u/list.txt"
  measure "list page 50,000 rows deep, admin" "$admin" "$u/deep.txt"
  measure "global search, admin" "$admin" "$u/search.txt"
  measure "global search, rep" "$rep" "$u/search.txt"
  measure "customer 360 (5 calls), admin" "$admin" "$u/customer360.txt"
  measure "customer timeline, admin" "$admin" "$u/timeline.txt"
  measure "get customer by id, admin" "$admin" "$u/get.txt" 25
  measure "list page 1, manager" "$manager" "$u/list.txt" 25
  echo "app memory: peak (VmHWM) $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$APP_PID/status")"
  kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=
}

if [[ $WHICH == sqlite || $WHICH == both ]]; then
  run sqlite "${BENCH_SQLITE_DATA:-}" Database__Provider=Sqlite
fi
if [[ $WHICH == postgres || $WHICH == both ]] && [[ -n ${BENCH_PG_CONNECTION:-} ]]; then
  mkdir -p "$WORK/data-postgres"
  run postgres "$WORK/data-postgres" Database__Provider=Postgres "Database__ConnectionString=$BENCH_PG_CONNECTION"
elif [[ $WHICH == postgres || $WHICH == both ]]; then
  mkdir -p "$WORK/pg"; [[ $EUID -eq 0 ]] && chown postgres: "$WORK/pg"
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$WORK/pg/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -w -s -D "$WORK/pg/data" -l "$WORK/pg/log" \
    -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c shared_buffers=512MB" start || { cat "$WORK/pg/log" >&2; exit 1; }
  PG_STARTED=1
  "${AS_PG[@]}" "$PGBIN/psql" -q -X -h "$WORK/pg" -p "$PG_PORT" -U postgres -c "ALTER ROLE postgres PASSWORD 'postgres'"
  run postgres "" Database__Provider=Postgres "Database__ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=bench_customers"
fi
