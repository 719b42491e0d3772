#!/usr/bin/env bash
# Start-up time of the app: from process start until GET /health/ready answers 200.
#   cold: empty data folder with --demo (migrations + demo company)
#   warm: the same data folder again (migrations already applied)
# Usage: bench/startup.sh [runs]   (default 5; builds Release first)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PORT=5099
dotnet build src/LeadToCash -c Release -nologo -clp:ErrorsOnly >/dev/null
APP=src/LeadToCash/bin/Release/net10.0/LeadToCash.dll
WORK=$(mktemp -d)
trap 'pkill -f "LeadToCash.dll.*$PORT" 2>/dev/null || true; rm -rf "$WORK"' EXIT

measure() { # $1 = data dir, rest = extra args; prints milliseconds
  local data=$1; shift
  local start end
  start=$(date +%s%N)
  Storage__DataDirectory="$data" ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production AllowDemoData=true \
    dotnet "$APP" "$@" >"$WORK/app.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    if curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then break; fi
    sleep 0.05
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

cold=(); warm=()
for i in $(seq 1 "$RUNS"); do
  dir="$WORK/data-$i"
  cold+=("$(measure "$dir" --demo)")
  warm+=("$(measure "$dir")")
done
echo "cold start with --demo (ms): ${cold[*]}  median $(printf '%s\n' "${cold[@]}" | median)"
echo "warm start (ms):             ${warm[*]}  median $(printf '%s\n' "${warm[@]}" | median)"
