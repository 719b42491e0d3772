#!/usr/bin/env bash
# Imports a generated 100,000-row .xlsx of leads through the app's own import (upload, start, background run) on
# SQLite and on PostgreSQL, and reports rows/s and the app's peak memory (VmHWM).
# Usage: bench/import-leads.sh [rows] [sqlite|postgres|both]   (defaults 100000 and both; builds Release, demo data)
# PostgreSQL: a throwaway cluster (initdb as the postgres user, as test.sh does) unless BENCH_POSTGRES is set
# to a connection string of a server where a database may be created (then BENCH_POSTGRES_DATA, its data directory,
# lets the script count the server's CPU time).
# BENCH_PORT, BENCH_PG_PORT: the app's port (default 5097) and the throwaway cluster's (default 55499).
# BENCH_PROFILE=dir: per-batch timings (read, derive, duplicate lookup, save; logged at Debug) kept in dir/app-NAME.log.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
WHICH=${2:-both}
PORT=${BENCH_PORT:-5097}
PG_PORT=${BENCH_PG_PORT:-55499}
IMPORT_LOG=Information; [[ -n ${BENCH_PROFILE:-} ]] && IMPORT_LOG=Debug
WORK=$(mktemp -d /tmp/import-bench.XXXXXX)
chmod 755 "$WORK"
APP_PID= PG_STARTED=0
PGBIN=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n1)
AS_PG=(); [[ $EUID -eq 0 ]] && AS_PG=(runuser -u postgres --)
cleanup() {
  [[ -n $APP_PID ]] && kill "$APP_PID" 2>/dev/null || true
  ((PG_STARTED)) && "${AS_PG[@]}" "$PGBIN/pg_ctl" stop -s -m fast -D "$WORK/pg/data" >/dev/null 2>&1 || true
  if [[ -n ${BENCH_PROFILE:-} ]]; then mkdir -p "$BENCH_PROFILE"; cp "$WORK"/app-*.log "$BENCH_PROFILE"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

dotnet build src/LeadToCash -c Release -nologo -clp:ErrorsOnly >/dev/null
python3 bench/generate-leads-xlsx.py "$WORK/leads.xlsx" "$ROWS"

# utime + stime (+ reaped children) of a process, in clock ticks; the machine is shared, so CPU time is the
# figure that does not depend on what else runs.
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The same for the benchmark's own PostgreSQL cluster: the postmaster (with exited backends) and its live children.
PG_DATA=
pg_ticks() {
  [[ -n $PG_DATA && -f $PG_DATA/postmaster.pid ]] || { echo 0; return; }
  local pm total; pm=$(head -n1 "$PG_DATA/postmaster.pid"); total=$(cpu_ticks "$pm")
  for child in $(pgrep -P "$pm"); do total=$((total + $(cpu_ticks "$child"))); done
  echo "$total"
}

run() {  # run NAME [env assignments...]
  local name=$1; shift
  local data="$WORK/data-$name"
  env "$@" Storage__DataDirectory="$data" ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production AllowDemoData=true \
    Logging__LogLevel__Default=Warning Logging__LogLevel__LeadToCash.Platform.Import=$IMPORT_LOG \
    Logging__LogLevel__LeadToCash.Modules.Leads.ImportLeads=$IMPORT_LOG \
    dotnet src/LeadToCash/bin/Release/net10.0/LeadToCash.dll --demo >"$WORK/app-$name.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
  local base=http://127.0.0.1:$PORT/api/v1
  local token
  token=$(curl -fs -X POST "$base/auth/token" -H 'content-type: application/json' \
    -d '{"email":"manager@demo.test","password":"demo-password-2026"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  local idle_rss
  idle_rss=$(awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status")
  local t0 t1 t2 job status cpu0 cpu1 pgcpu0 pgcpu1
  cpu0=$(cpu_ticks "$APP_PID"); pgcpu0=$(pg_ticks)
  t0=$(date +%s.%N)
  job=$(curl -fs -H "Authorization: Bearer $token" -F "file=@$WORK/leads.xlsx" "$base/leads/imports" | sed -E 's/^\{"id":"([^"]+)".*/\1/')
  t1=$(date +%s.%N)
  curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'content-type: application/json' -d '{}' "$base/leads/imports/$job/start"
  while true; do
    status=$(curl -fs -H "Authorization: Bearer $token" "$base/leads/imports/$job")
    [[ $status == *'"status":"Completed"'* || $status == *'"status":"Failed"'* ]] && break
    sleep 0.2
  done
  t2=$(date +%s.%N)
  cpu1=$(cpu_ticks "$APP_PID"); pgcpu1=$(pg_ticks)
  local hwm
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$APP_PID/status")
  echo "== $name"
  echo "$status" | sed -E 's/.*"status":"([A-Za-z]+)","totalRows":([0-9]+),"processedRows":([0-9]+),"createdRows":([0-9]+),"duplicateRows":([0-9]+),"rejectedRows":([0-9]+).*/status \1, rows \2, processed \3, created \4, duplicates \5, rejected \6/'
  grep -o '"Message":"Import [^"]*' "$WORK/app-$name.log" | sed 's/"Message":"/app log: /' || true
  awk -v u="$t0" -v s="$t1" -v e="$t2" -v n="$ROWS" -v idle="$idle_rss" -v hwm="$hwm" 'BEGIN {
    printf "upload + preview %.1f s; run %.1f s; %.0f rows/s (run only)\n", s - u, e - s, n / (e - s);
    printf "app memory: %.0f MiB resident before the upload, peak (VmHWM) %.0f MiB\n", idle / 1024, hwm / 1024 }'
  local tck; tck=$(getconf CLK_TCK)
  awk -v a="$cpu0" -v b="$cpu1" -v p="$pgcpu0" -v q="$pgcpu1" -v t="$tck" -v n="$ROWS" 'BEGIN {
    app = (b - a) / t; pg = (q - p) / t;
    printf "CPU time (upload + run): app %.1f s, database server %.1f s -> %.0f rows per CPU-second\n", app, pg, n / (app + pg) }'
  kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=
}

if [[ $WHICH == sqlite || $WHICH == both ]]; then
  run sqlite Database__Provider=Sqlite
fi
if [[ $WHICH == postgres || $WHICH == both ]]; then
  PG=${BENCH_POSTGRES:-}; PG_DATA=${BENCH_POSTGRES_DATA:-}
  if [[ -z $PG ]]; then
    mkdir -p "$WORK/pg"; [[ $EUID -eq 0 ]] && chown postgres: "$WORK/pg"
    "${AS_PG[@]}" "$PGBIN/initdb" -D "$WORK/pg/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    "${AS_PG[@]}" "$PGBIN/pg_ctl" -w -s -D "$WORK/pg/data" -l "$WORK/pg/log" -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1" start \
      || { cat "$WORK/pg/log" >&2; exit 1; }
    PG_STARTED=1; PG_DATA="$WORK/pg/data"
    "${AS_PG[@]}" "$PGBIN/psql" -q -X -h "$WORK/pg" -p "$PG_PORT" -U postgres -c "ALTER ROLE postgres PASSWORD 'postgres'"
    PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres"
  fi
  run postgres Database__Provider=Postgres "Database__ConnectionString=$PG;Database=bench_import_$$"
fi
