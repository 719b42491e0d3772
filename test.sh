#!/usr/bin/env bash
# The repository's single test command (CI runs it through .ci/run).
#   1. installs missing Debian packages (PostgreSQL, Chromium, fonts),
#   2. starts a throwaway PostgreSQL cluster on 127.0.0.1,
#   3. builds once, then runs two test passes:
#        pass 1: whole solution (unit, bUnit, SQLite integration, Chromium E2E)
#        pass 2: the Database=true tests again, against PostgreSQL
#   4. prints "N passed, N failed, N skipped" summed over both passes.
# Exits 0 only when both passes succeed and at least one test ran.
set -uo pipefail   # no -e: pass 2 must run even when pass 1 fails
cd "$(dirname "$0")" || exit 1
export DEBIAN_FRONTEND=noninteractive DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
START=$SECONDS

die() { echo "test.sh: $*" >&2; exit 1; }
command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH"

# ---- 1. system packages (apt only when something is missing) ----------------
PKGS=(postgresql chromium fonts-noto-cjk fonts-liberation nodejs fonts-wqy-zenhei poppler-utils)  # node (+ npm below): the calendar feed is also checked with ical.js; wqy-zenhei: the TrueType CJK font of quote PDFs; poppler-utils: pdftoppm renders them in the tests
missing=()
for p in "${PKGS[@]}"; do
  # dpkg -s alone also succeeds for removed packages that left config files
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  [[ $EUID -eq 0 ]] || die "missing packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
  echo "Installing ${missing[*]} ..."
  apt_log=$(mktemp)
  { apt-get update -qq && apt-get install -y -qq "${PKGS[@]}"; } >"$apt_log" 2>&1 \
    || { cat "$apt_log" >&2; die "apt-get failed"; }
  rm -f "$apt_log"
fi
# Debian's nodejs comes without npm (NodeSource's includes it and conflicts with Debian's npm package).
if ! command -v npm >/dev/null; then
  [[ $EUID -eq 0 ]] || die "npm is missing; run as root or: sudo apt-get install -y npm"
  apt-get install -y -qq npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq npm; } >/dev/null 2>&1 || die "apt-get install npm failed"
fi

# ---- 2. throwaway PostgreSQL cluster -----------------------------------------
PGBIN=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n1)
[[ -x $PGBIN/initdb && -x $PGBIN/pg_ctl ]] || die "initdb/pg_ctl not found under /usr/lib/postgresql/*/bin"
# Under /tmp, not $TMPDIR: the postgres user must reach it, and the socket
# path (DIR/.s.PGSQL.PORT) must stay under the ~107-character limit.
PGDIR=$(mktemp -d /tmp/leadtocash-pg.XXXXXX)
PG_STARTED=0
if [[ $EUID -eq 0 ]]; then
  chown postgres: "$PGDIR"; AS_PG=(runuser -u postgres --)   # initdb refuses to run as root
else
  AS_PG=()
fi
cleanup() {
  ((PG_STARTED)) && "${AS_PG[@]}" "$PGBIN/pg_ctl" stop -s -m fast -D "$PGDIR/data" >/dev/null 2>&1
  rm -rf "$PGDIR"
  # Build servers (MSBuild nodes, compiler server) would otherwise outlive the run.
  dotnet build-server shutdown >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# UTF8 explicitly: CI has no LANG, and initdb would then pick SQL_ASCII.
"${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$PGDIR/initdb.log" 2>&1 || { cat "$PGDIR/initdb.log" >&2; die "initdb failed"; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PGPORT=
for port in $(seq 55432 55441); do
  port_busy "$port" && continue
  # The port may still be taken between the check and the start: then try the next.
  if "${AS_PG[@]}" "$PGBIN/pg_ctl" -w -s -D "$PGDIR/data" -l "$PGDIR/log" -o "-p $port -k $PGDIR \
      -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
      -c full_page_writes=off -c max_connections=200" start >/dev/null 2>&1; then
    PGPORT=$port; PG_STARTED=1; break
  fi
done
[[ -n $PGPORT ]] || { tail -n 20 "$PGDIR/log" >&2 2>/dev/null; die "could not start PostgreSQL on 127.0.0.1:55432-55441"; }
"${AS_PG[@]}" "$PGBIN/psql" -q -X -h "$PGDIR" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "ALTER ROLE postgres PASSWORD 'postgres'" >/dev/null || die "could not set the postgres password"
export LEADTOCASH_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Password=postgres;Database=postgres"
echo "PostgreSQL $("$PGBIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$PGPORT (data in $PGDIR)"

# ---- 3. build once -----------------------------------------------------------
LOGDIR=TestResults/test-sh
rm -rf "$LOGDIR"; mkdir -p "$LOGDIR"
dotnet tool restore >"$LOGDIR/tool-restore.log" 2>&1 || { cat "$LOGDIR/tool-restore.log" >&2; die "dotnet tool restore failed"; }
BUILD_START=$SECONDS
dotnet build LeadToCash.slnx -c Release -nologo -clp:ErrorsOnly 2>&1 | tee "$LOGDIR/build.log"
((PIPESTATUS[0] == 0)) || die "dotnet build failed (log: $LOGDIR/build.log)"
# The app builds its migrations assemblies after itself; every project that hosts the app needs them next to it.
for dir in src/LeadToCash tests/LeadToCash.Tests tests/LeadToCash.E2E; do
  for provider in Sqlite Postgres; do
    [[ -f $dir/bin/Release/net10.0/LeadToCash.Migrations.$provider.dll ]] \
      || die "the build left no LeadToCash.Migrations.$provider.dll in $dir/bin/Release/net10.0"
  done
done
echo "build: $((SECONDS - BUILD_START))s"

# ---- 4. test passes ----------------------------------------------------------
TOTAL_PASSED=0 TOTAL_FAILED=0 TOTAL_SKIPPED=0 FAILED_PASSES=()
# run_pass NAME CMD... : runs CMD, logs it, adds its counts to the totals.
run_pass() {
  local name=$1; shift
  local log="$LOGDIR/$name.log" t0=$SECONDS rc
  echo; echo "==== $name: $*"
  "$@" </dev/null 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  # Counts come from the overall "Test run summary:" block that closes the
  # output (it sums all test projects); the last such block wins.
  local p f s
  read -r p f s < <(sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g' "$log" | awk '
    /^Test run summary:/ { p = f = s = 0 }
    /^  succeeded: [0-9]+$/ { p = $2 } /^  failed: [0-9]+$/ { f = $2 } /^  skipped: [0-9]+$/ { s = $2 }
    END { print p + 0, f + 0, s + 0 }')
  ((TOTAL_PASSED += p, TOTAL_FAILED += f, TOTAL_SKIPPED += s))
  # MTP exit code 8 = zero tests ran; that counts as a failure here too.
  if ((rc != 0 || p + f == 0)); then FAILED_PASSES+=("$name (exit code $rc)"); fi
  echo "==== $name: exit code $rc, $p passed, $f failed, $s skipped, $((SECONDS - t0))s"
}

run_pass pass1-sqlite env LEADTOCASH_TEST_DB=sqlite \
  dotnet test --solution LeadToCash.slnx -c Release --no-build --no-ansi --no-progress
# The benchmark harness's smoke run (bench/run.sh: a few requests per scenario on a small data set, so that the
# harness cannot rot; not a measurement) runs beside pass 2, which mostly waits on its database.
echo; echo "==== bench smoke: bench/run.sh sqlite small --smoke (log: $LOGDIR/bench-smoke.log)"
BENCH_START=$SECONDS
BENCH_NO_BUILD=1 BENCH_OUT="$LOGDIR/bench-smoke" BENCH_DURATION=0.3 BENCH_CIRCUITS=2 BENCH_IMPORT_ROWS=200 \
  bench/run.sh sqlite small --smoke --requests 3 </dev/null >"$LOGDIR/bench-smoke.log" 2>&1 &
BENCH_PID=$!
run_pass pass2-postgres env LEADTOCASH_TEST_DB=postgres \
  dotnet test --project tests/LeadToCash.Tests/LeadToCash.Tests.csproj -c Release --no-build --no-ansi --no-progress \
  -- --filter-trait "Database=true"

if wait "$BENCH_PID"; then
  echo "==== bench smoke: ok, $((SECONDS - BENCH_START))s (it ended $(tail -n1 "$LOGDIR/bench-smoke.log" | cut -c1-80))"
else
  tail -n 30 "$LOGDIR/bench-smoke.log"
  FAILED_PASSES+=("bench smoke (log: $LOGDIR/bench-smoke.log)")
fi

echo
times >"$LOGDIR/times.txt"   # the builtin, in this shell: its second line is the CPU time of everything it waited for
echo "total wall time: $((SECONDS - START))s (logs in $LOGDIR/); CPU time of everything it ran (user, system): $(tail -n1 "$LOGDIR/times.txt")"
((TOTAL_PASSED + TOTAL_FAILED > 0)) || FAILED_PASSES+=("no test ran at all")
for f in "${FAILED_PASSES[@]}"; do echo "FAILED: $f"; done
# Name the failed tests again here, so the end of the output says which ones.
for log in "$LOGDIR"/pass*.log; do
  # The test name, then the first lines of its message (enough to say why).
  sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r/\n/g' "$log" \
    | awk '/failed (\(canceled\) )?[A-Za-z][A-Za-z0-9_.]*.* \([0-9][^)]*\)$/ && !/ failed with [0-9]+ error/ { sub(/^.*failed /, "failed "); n = 7 }
           n > 0 { print; n-- }' \
    | sed "s|^|  $(basename "$log" .log): |" || true
done
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
((${#FAILED_PASSES[@]} == 0))
