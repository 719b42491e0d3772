#!/usr/bin/env bash
# The opportunity board (one team's kanban) and the forecast with 150,000 opportunities (seed-scale large): the app
# serves a seeded database on loopback (Release) and bench/latency.py measures p50/p95/p99 at concurrency 1.
# Usage: bench/opportunities.sh [sqlite|postgres|both] [small|medium|large]   (defaults: both large)
# BENCH_PORT (default 5099), BENCH_PG_PORT (default 55497), BENCH_REQUESTS per scenario (default 300).
# To measure an already seeded database: BENCH_SQLITE_DATA=<data directory> and/or BENCH_PG_CONNECTION=<connection string>.
# Results: printed, and appended as JSON lines to bench/results/opportunities-<provider>-<size>.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
WHICH=${1:-both}
SIZE=${2:-large}
PORT=${BENCH_PORT:-5099}
PG_PORT=${BENCH_PG_PORT:-55497}
REQUESTS=${BENCH_REQUESTS:-300}
WORK=$(mktemp -d /tmp/opportunities-bench.XXXXXX)
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
  local name=$1 seeded=$2; shift 2
  local data=${seeded:-"$WORK/data-$name"} out="bench/results/opportunities-$name-$SIZE.jsonl"
  rm -f "$out"
  echo "== $name, size $SIZE"
  if [[ -z $seeded ]]; then
    env "$@" Storage__DataDirectory="$data" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
      dotnet "$APP" seed-scale --size "$SIZE" | grep -v '^{'
  fi
  env "$@" Storage__DataDirectory="$data" ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production AllowDemoData=true \
    Logging__LogLevel__Default=Warning Jobs__Enabled=false dotnet "$APP" >"$WORK/app-$name.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  local base=http://127.0.0.1:$PORT
  token() { curl -fs -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"scale-password-2026\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'; }
  local admin manager team u="$WORK/urls-$name"
  admin=$(token admin@scale.test); manager=$(token manager1@scale.test)
  team=$(curl -fs -H "Authorization: Bearer $manager" "$base/api/v1/me" | sed -E 's/.*"teamId":"([^"]+)".*/\1/')
  mkdir -p "$u"
  echo "/api/v1/opportunities/board" >"$u/board.txt"
  echo "/api/v1/opportunities/board?teamId=$team" >"$u/board-team.txt"
  echo "/api/v1/opportunities/forecast" >"$u/forecast.txt"
  echo "/api/v1/opportunities?limit=50&sort=-updatedAt" >"$u/list.txt"
  measure() {  # measure NAME TOKEN FILE
    python3 bench/latency.py "$base" "$2" "$3" --name "$1" --concurrency 1 --requests "$REQUESTS" --warmup 30 --json "$out"
  }
  measure "board, manager (own team)" "$manager" "$u/board.txt"
  measure "board of one team, admin" "$admin" "$u/board-team.txt"
  measure "forecast, manager (own team)" "$manager" "$u/forecast.txt"
  measure "forecast, admin (company)" "$admin" "$u/forecast.txt"
  measure "list page 1, manager" "$manager" "$u/list.txt"
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
  run postgres "" Database__Provider=Postgres "Database__ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=bench_opportunities"
fi
