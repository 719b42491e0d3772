#!/usr/bin/env bash
# The benchmark suite in one command: builds Release, seeds a fresh database (seed-scale), starts the app (Release,
# Production, jobs off) on loopback, runs bench/LeadToCash.Bench against it (every scenario at concurrency 1 and 25,
# the raw-SQL equivalents, the lead import, Blazor circuits), stops everything and writes the results.
#
# Usage: bench/run.sh sqlite|postgres small|medium|large|contracts [--smoke] [--requests N]
#   --smoke       a few requests per scenario, a 500-row import, 3 circuits: a check that the harness works (for the test
#                 command), not a measurement. Writes only to $BENCH_OUT (default TestResults/bench-smoke);
#                 exits non-zero if a scenario had errors or produced no figures.
#   --requests N  requests per scenario at concurrency 1 (default 300; --smoke 6)
# Without --smoke: bench/results/PROVIDER-SIZE.json and the table in docs/benchmarks.md between
# <!-- bench:PROVIDER-SIZE:begin --> and <!-- bench:PROVIDER-SIZE:end -->.
#
# Environment:
#   BENCH_SQLITE_DATA    a data directory seed-scale filled: copied and measured instead of seeding (the copy is written to)
#   BENCH_PG_CONNECTION  a connection string to a database seed-scale filled (it is written to: follow-ups, imported leads);
#                        without it a throwaway PostgreSQL cluster is started (initdb as the postgres user) and seeded
#   BENCH_PORT           the app's port (default: the first free one from 5180), BENCH_PG_PORT the cluster's (default 55480 on)
#   BENCH_DURATION       seconds at concurrency 25 per scenario (default 10; --smoke 0.5)
#   BENCH_CIRCUITS       Blazor tabs opened at once (default 50; --smoke 3)
#   BENCH_IMPORT_ROWS    rows of the generated lead file (default: 100,000 for large, 10,000 for small, 500 with --smoke)
#   BENCH_NO_BUILD=1     use the Release build already there (the test command builds the solution first)
#   BENCH_ONLY           scenario ids to run, comma-separated (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
(($# >= 2)) || usage
PROVIDER=$1 SIZE=$2; shift 2
[[ $PROVIDER == sqlite || $PROVIDER == postgres ]] || usage
SMOKE=0 REQUESTS=
while (($#)); do
  case $1 in
    --smoke) SMOKE=1 ;;
    --requests) REQUESTS=${2:?--requests needs a number}; shift ;;
    *) usage ;;
  esac
  shift
done

START=$SECONDS
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/bench-suite.XXXXXX)
chmod 755 "$WORK"
APP_PID= PG_STARTED=0
PGBIN=$(printf "%s\n" /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
AS_PG=(); [[ $EUID -eq 0 ]] && AS_PG=(runuser -u postgres --)
cleanup() {
  if [[ -n $APP_PID ]]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  if ((PG_STARTED)); then "${AS_PG[@]}" "$PGBIN/pg_ctl" stop -s -m fast -D "$WORK/pg/data" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
log() { echo "[bench $(date -u +%H:%M:%S), $((SECONDS - START)) s] $*"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p; for p in $(seq "$1" "$(($1 + 40))"); do port_free "$p" && { echo "$p"; return; }; done; echo "no free port from $1" >&2; exit 1; }

log "$PROVIDER, size $SIZE$( ((SMOKE)) && echo ', smoke'), load average $LOAD_AT_START"

# ---- build: the driver (which builds the app), then the app as it is deployed (published: its static web assets,
# the Blazor script and MudBlazor's files, are served only from a published folder outside Development)
APP_DIR=src/LeadToCash/bin/Release/net10.0/publish
if [[ ${BENCH_NO_BUILD:-} != 1 ]]; then
  log "building Release"
  dotnet build bench/LeadToCash.Bench -c Release -nologo -clp:ErrorsOnly -v:q >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi
# dotnet-gcdump (a local tool) measures the app's live heap in the circuits scenario.
dotnet tool restore >"$WORK/tool-restore.log" 2>&1 || { cat "$WORK/tool-restore.log" >&2; exit 1; }
dotnet publish src/LeadToCash -c Release --no-build -o "$APP_DIR" -nologo -v:q >"$WORK/publish.log" 2>&1 || { cat "$WORK/publish.log" >&2; exit 1; }
# The migrations assemblies are copied next to the app by its build, not by publish.
cp src/LeadToCash/bin/Release/net10.0/LeadToCash.Migrations.*.dll "$APP_DIR"/
APP=$ROOT/$APP_DIR/LeadToCash.dll
BENCH=bench/LeadToCash.Bench/bin/Release/net10.0/LeadToCash.Bench.dll
[[ -f $BENCH ]] || { echo "$BENCH is missing: build without BENCH_NO_BUILD" >&2; exit 1; }

# ---- database
DATA=$WORK/data
mkdir -p "$DATA"
DB_ENV=()
SEED=1
if [[ $PROVIDER == sqlite ]]; then
  if [[ -n ${BENCH_SQLITE_DATA:-} ]]; then
    log "copying the seeded data directory $BENCH_SQLITE_DATA"
    cp -r "$BENCH_SQLITE_DATA"/. "$DATA"/
    SEED=0
  fi
  DB_ENV=(Database__Provider=Sqlite)
  RAW_CONNECTION="Data Source=$DATA/leadtocash.db"
elif [[ -n ${BENCH_PG_CONNECTION:-} ]]; then
  DB_ENV=(Database__Provider=Postgres "Database__ConnectionString=$BENCH_PG_CONNECTION")
  RAW_CONNECTION=$BENCH_PG_CONNECTION
  SEED=0
else
  [[ -x $PGBIN/initdb ]] || { echo "PostgreSQL is not installed (apt-get install postgresql), or set BENCH_PG_CONNECTION" >&2; exit 1; }
  PG_PORT=${BENCH_PG_PORT:-$(free_port 55480)}
  mkdir -p "$WORK/pg"; [[ $EUID -eq 0 ]] && chown postgres: "$WORK/pg"
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$WORK/pg/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -w -s -D "$WORK/pg/data" -l "$WORK/pg/log" \
    -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_connections=200" start \
    || { cat "$WORK/pg/log" >&2; exit 1; }
  PG_STARTED=1
  "${AS_PG[@]}" "$PGBIN/psql" -q -X -h "$WORK/pg" -p "$PG_PORT" -U postgres -c "ALTER ROLE postgres PASSWORD 'postgres'"
  RAW_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=bench_suite"
  DB_ENV=(Database__Provider=Postgres "Database__ConnectionString=$RAW_CONNECTION")
  log "PostgreSQL $("$PGBIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (shared_buffers 512MB)"
fi
# The content root is the published folder: appsettings.json and wwwroot are there.
COMMON_ENV=(ASPNETCORE_CONTENTROOT="$ROOT/$APP_DIR" Storage__DataDirectory="$DATA" ASPNETCORE_ENVIRONMENT=Production AllowDemoData=true Logging__LogLevel__Default=Warning "${DB_ENV[@]}")
if ((SEED)); then
  log "seed-scale --size $SIZE"
  env "${COMMON_ENV[@]}" dotnet "$APP" seed-scale --size "$SIZE" >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; exit 1; }
  grep -v '^{' "$WORK/seed.log" | sed 's/^/  /'
fi

# ---- the lead file to import
case $SIZE in large|contracts) ROWS=100000 ;; medium) ROWS=30000 ;; *) ROWS=10000 ;; esac
((SMOKE)) && ROWS=500
ROWS=${BENCH_IMPORT_ROWS:-$ROWS}
python3 bench/generate-leads-xlsx.py "$WORK/leads.xlsx" "$ROWS" >/dev/null
log "generated $ROWS leads to import; starting the app"

# ---- the app
PORT=${BENCH_PORT:-$(free_port 5180)}
BASE=http://127.0.0.1:$PORT
env "${COMMON_ENV[@]}" ASPNETCORE_URLS="$BASE" Jobs__Enabled=false dotnet "$APP" >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 600); do
  curl -fs "$BASE/health/ready" >/dev/null 2>&1 && break
  kill -0 "$APP_PID" 2>/dev/null || { tail -n 30 "$WORK/app.log" >&2; echo "the app stopped during start-up" >&2; exit 1; }
  sleep 0.2
done
curl -fs "$BASE/health/ready" >/dev/null || { tail -n 30 "$WORK/app.log" >&2; echo "the app did not become ready in 120 s" >&2; exit 1; }
log "app ready on $BASE (pid $APP_PID)"

# ---- the suite
if ((SMOKE)); then
  OUT_DIR=${BENCH_OUT:-TestResults/bench-smoke}
  JSON=$OUT_DIR/$PROVIDER-$SIZE.json
else
  OUT_DIR=bench/results
  JSON=$OUT_DIR/$PROVIDER-$SIZE.json
fi
mkdir -p "$OUT_DIR"
MD=$WORK/table.md
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]] && COMMIT="$COMMIT+changes"
ARGS=(--base-url "$BASE" --app-pid "$APP_PID" --provider "$PROVIDER" --connection "$RAW_CONNECTION" --size "$SIZE"
  --output "$JSON" --markdown "$MD" --import-file "$WORK/leads.xlsx" --import-rows "$ROWS" --commit "$COMMIT")
((SMOKE)) && ARGS+=(--smoke)
[[ -n $REQUESTS ]] && ARGS+=(--requests "$REQUESTS")
[[ -n ${BENCH_DURATION:-} ]] && ARGS+=(--duration "$BENCH_DURATION")
[[ -n ${BENCH_CIRCUITS:-} ]] && ARGS+=(--circuits "$BENCH_CIRCUITS")
[[ -n ${BENCH_ONLY:-} ]] && ARGS+=(--only "$BENCH_ONLY")
log "running the scenarios"
set +e
dotnet "$BENCH" "${ARGS[@]}"
STATUS=$?
set -e
if ! kill -0 "$APP_PID" 2>/dev/null; then echo "the app stopped during the run; its log:" >&2; tail -n 30 "$WORK/app.log" >&2; STATUS=1; fi
kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; APP_PID=

# ---- results
if ((SMOKE)); then
  cp "$MD" "$OUT_DIR/$PROVIDER-$SIZE.md" 2>/dev/null || true
  log "smoke run done: $JSON (exit code $STATUS, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  exit $STATUS
fi
if [[ -s $MD ]]; then
  python3 - "$ROOT/docs/benchmarks.md" "$PROVIDER-$SIZE" "$MD" <<'EOF'
import re, sys
path, key, table = sys.argv[1], sys.argv[2], open(sys.argv[3], encoding="utf-8").read().strip()
doc = open(path, encoding="utf-8").read()
heading = "## Benchmark suite (bench/run.sh)"
begin, end = f"<!-- bench:{key}:begin -->", f"<!-- bench:{key}:end -->"
block = f"{begin}\n{table}\n{end}"
if begin in doc and end in doc:
    doc = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _: block, doc, flags=re.S)
else:
    if heading not in doc:
        doc = doc.rstrip("\n") + f"\n\n{heading}\n"
    # At the end of the section: before the next "## " heading, or at the end of the file.
    start = doc.index(heading) + len(heading)
    following = re.search(r"^## ", doc[start:], flags=re.M)
    at = start + following.start() if following else len(doc)
    doc = doc[:at].rstrip("\n") + f"\n\n{block}\n" + ("\n" + doc[at:] if following else "")
open(path, "w", encoding="utf-8").write(doc if doc.endswith("\n") else doc + "\n")
EOF
  log "wrote $JSON and the $PROVIDER-$SIZE table in docs/benchmarks.md"
fi
log "done (exit code $STATUS, load average $(cut -d' ' -f1-3 /proc/loadavg))"
exit $STATUS
