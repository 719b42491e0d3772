#!/usr/bin/env bash
# SQL injection scan: sqlmap (Debian package) in batch mode against the app on loopback, signed in as the demo Admin.
# Targets: the customer list (search, filters, sort, cursor), the global search, the lead list (search, filters, sort,
# cursor) and the public website-form intake (its posted fields and its key in the address).
# The app: Release build, the demo company on SQLite in a temporary data folder, 127.0.0.1 only; the website-form
# rate limit is raised for the run (sqlmap sends thousands of posts; 429s would hide the endpoint from it).
# sqlmap exits 0 whether or not it finds anything, so the script reads its output: for each target, "no injectable
# parameter found", or the injection points it reports. The summary goes to bench/results/sqlmap-summary.md and into
# docs/security.md (between the sqlmap markers). Not part of the test command.
# Usage: bench/sqlmap.sh   (env: BENCH_PORT default 5096; SQLMAP_LEVEL default 2; SQLMAP_RISK default 1;
#                           SQLMAP_TECHNIQUE default BEUST; SQLMAP_KEEP=dir keeps sqlmap's own logs there)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-5096}
LEVEL=${SQLMAP_LEVEL:-2}
RISK=${SQLMAP_RISK:-1}
TECHNIQUE=${SQLMAP_TECHNIQUE:-BEUST}
BASE=http://127.0.0.1:$PORT
command -v sqlmap >/dev/null || { echo "needs sqlmap (apt-get install sqlmap)"; exit 1; }
command -v jq >/dev/null || { echo "needs jq (apt-get install jq)"; exit 1; }
WORK=$(mktemp -d /tmp/sqlmap-scan.XXXXXX)
APP_PID=
cleanup() {
  [[ -n $APP_PID ]] && kill "$APP_PID" 2>/dev/null || true
  if [[ -n ${SQLMAP_KEEP:-} ]]; then mkdir -p "$SQLMAP_KEEP"; cp -r "$WORK"/out "$WORK"/*.log "$SQLMAP_KEEP"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

dotnet build src/LeadToCash -c Release -nologo -clp:ErrorsOnly >/dev/null
Storage__DataDirectory="$WORK/data" ASPNETCORE_URLS="$BASE" ASPNETCORE_ENVIRONMENT=Production AllowDemoData=true \
  Logging__LogLevel__Default=Warning Jobs__Enabled=false WebForms__RateLimit__PermitLimit=1000000 \
  dotnet src/LeadToCash/bin/Release/net10.0/LeadToCash.dll --demo >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 600); do curl -fs "$BASE/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$BASE/health/ready" >/dev/null || { echo "the app did not start:"; tail -n 30 "$WORK/app.log"; exit 1; }

TOKEN=$(curl -fs -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"admin@demo.test","password":"demo-password-2026"}' | jq -r .accessToken)
AUTH="Authorization: Bearer $TOKEN"
api() { curl -fs -H "$AUTH" -H 'Accept-Language: en-US' "$@"; }
enc() { jq -rn --arg v "$1" '$v|@uri'; }

# Real values for every parameter, and filter combinations that return rows: a boolean-based test can only tell a true
# condition from a false one when the unaltered request finds something.
C=$(api "$BASE/api/v1/customers?limit=200" | jq -c '[.items[] | select((.tags|length) > 0 and .region != null and .industry != null and .ownerId != null)][0]')
L=$(api "$BASE/api/v1/leads?limit=200" | jq -c '[.items[] | select(.sourceChannel != null)][0]')
CUSTOMER_CURSOR=$(api "$BASE/api/v1/customers?limit=5&sort=-updatedAt" | jq -r .nextCursor)
SLA=
for v in overdue dueSoon met missed; do
  [[ $(api "$BASE/api/v1/leads?sla=$v&limit=3" | jq '.items | length') -ge 3 ]] && { SLA=$v; break; }
done
LEAD_CURSOR=$(api "$BASE/api/v1/leads?sla=$SLA&limit=2&sort=createdAt" | jq -r .nextCursor)
TEAM_ID=$(api "$BASE/api/v1/teams" | jq -r '[.[] | select(.parentId != null)][0].id')
FORM_KEY=$(api -X POST "$BASE/api/v1/settings/web-forms" -H 'content-type: application/json' \
  -d "{\"name\":\"sqlmap\",\"sourceChannel\":\"website-form\",\"allowedOrigins\":\"https://www.example.com\",\"teamId\":\"$TEAM_ID\"}" | jq -r .key)
for v in C L SLA CUSTOMER_CURSOR LEAD_CURSOR TEAM_ID FORM_KEY; do
  [[ -n ${!v} && ${!v} != null ]] || { echo "could not read $v from the app"; exit 1; }
done
field() { jq -r "$2" <<<"$1"; }
CUSTOMERS="$BASE/api/v1/customers?q=$(enc "$(field "$C" '.name[0:4]')")&industry=$(field "$C" .industry)&grade=$(field "$C" .grade)&stage=$(field "$C" .stage)&tag=$(enc "$(field "$C" '.tags[0]')")&region=$(enc "$(field "$C" .region)")&inPool=false&limit=20&sort=name"
CUSTOMER_PAGES="$BASE/api/v1/customers?sort=-updatedAt&limit=20&cursor=$(enc "$CUSTOMER_CURSOR")"
SEARCH="$BASE/api/v1/search?q=$(enc "$(field "$C" '.name[2:4]')")&limit=10"
LEADS="$BASE/api/v1/leads?q=$(enc "$(field "$L" '.companyName[0:4]')")&status=$(field "$L" .status)&source=$(field "$L" .sourceChannel)&limit=20&sort=-createdAt"
LEAD_PAGES="$BASE/api/v1/leads?sla=$SLA&screening=&limit=20&sort=createdAt&cursor=$(enc "$LEAD_CURSOR")"
FORM="$BASE/api/public/forms/$FORM_KEY/leads"
FORM_FIELDS="company=$(enc 宁波测试有限公司)&name=$(enc 周倩)&title=$(enc 经理)&mobile=13757420001&phone=021-12345678&email=zq%40example.cn&wechat=zq2026&need=$(enc 试用)&budget=300000&timeframe=3"
baseline() {  # the unaltered request must answer 200 with something in it
  local found
  found=$(api "$1" | jq '(.items // .customers // []) | length')
  [[ $found -gt 0 ]] || { echo "the baseline request finds nothing: $1"; exit 1; }
}
for url in "$CUSTOMERS" "$CUSTOMER_PAGES" "$SEARCH" "$LEADS" "$LEAD_PAGES"; do baseline "$url"; done
curl -fs -o /dev/null -X POST "$FORM" --data "$FORM_FIELDS" || { echo "the website form does not accept the baseline post"; exit 1; }

declare -a NAMES=() RESULTS=()
verdict() {  # verdict LOG: what sqlmap concluded
  if grep -q "identified the following injection point" "$1"; then
    echo "INJECTABLE: $(grep -E "^Parameter: " "$1" | sort -u | paste -sd ';' -)"
  elif grep -q "all tested parameters do not appear to be injectable" "$1"; then
    echo "no injectable parameter found"
  else
    echo "INCONCLUSIVE: $(grep -E "\[(CRITICAL|ERROR)\]" "$1" | head -n 2 | sed -E 's/^\[[0-9:]+\] //' | paste -sd ' ' -)"
  fi
}
scan() {  # scan NAME sqlmap-arguments...: once for any DBMS (sqlmap's generic and per-DBMS payloads), once as SQLite
  local name=$1; shift
  local base log t0 t1 any sqlite tested
  base="$WORK/$(echo "$name" | tr -c 'a-z0-9' '-')"
  echo "== $name"
  t0=$(date +%s)
  for pass in any sqlite; do
    local dbms=(); [[ $pass == sqlite ]] && dbms=(--dbms SQLite)
    sqlmap --batch --level "$LEVEL" --risk "$RISK" --technique "$TECHNIQUE" --threads 4 --disable-coloring --flush-session \
      "${dbms[@]}" --output-dir "$WORK/out" -H "Accept-Language: en-US" "$@" >"$base-$pass.log" 2>&1 || true
  done
  t1=$(date +%s)
  any=$(verdict "$base-any.log"); sqlite=$(verdict "$base-sqlite.log")
  tested=$(grep -ohE "testing for SQL injection on [A-Za-z() ]*parameter '[^']+'" "$base-any.log" "$base-sqlite.log" \
    | sed -E "s/testing for SQL injection on //; s/ parameter//" | sort -u | paste -sd ',' - | sed 's/,/, /g')
  local result
  if [[ $any == "$sqlite" ]]; then result=$any; else result="any DBMS: $any; as SQLite: $sqlite"; fi
  echo "   $result ($((t1 - t0)) s; tested: ${tested:-none})"
  NAMES+=("$name"); RESULTS+=("$result ($((t1 - t0)) s; tested: ${tested:-none})")
}

SCAN_T0=$(date +%s)
scan "GET /api/v1/customers: search and filters" -u "$CUSTOMERS" -H "$AUTH" -p "q,industry,grade,stage,tag,region,inPool,limit,sort"
scan "GET /api/v1/customers: sort and cursor" -u "$CUSTOMER_PAGES" -H "$AUTH" -p "sort,limit,cursor"
scan "GET /api/v1/search: global search" -u "$SEARCH" -H "$AUTH" -p "q,limit"
scan "GET /api/v1/leads: search and filters" -u "$LEADS" -H "$AUTH" -p "q,status,source,limit,sort"
scan "GET /api/v1/leads: SLA, screening, sort and cursor" -u "$LEAD_PAGES" -H "$AUTH" -p "sla,screening,sort,limit,cursor"
scan "POST /api/public/forms/{key}/leads: posted fields" -u "$FORM" --method POST --data "$FORM_FIELDS" \
  -p "company,name,title,mobile,phone,email,wechat,need,budget,timeframe"
scan "POST /api/public/forms/{key}/leads: the form key" -u "$BASE/api/public/forms/${FORM_KEY}*/leads" --method POST \
  --data "company=$(enc 宁波测试有限公司)&name=$(enc 周倩)"

SCAN_SECONDS=$(( $(date +%s) - SCAN_T0 ))
STAMP=$(date -u +"%Y-%m-%d %H:%M UTC")
MACHINE="$(nproc) cores ($(lscpu | sed -nE 's/^Model name: +//p' | head -n1)), $(free -g | awk '/^Mem:/ {print $2}') GB RAM, $(. /etc/os-release; echo "$PRETTY_NAME")"
SQLMAP_VERSION=$(sqlmap --version 2>/dev/null | grep -oE "^[0-9]+\.[0-9][^ ]*" | head -n1)
OVERALL="no injectable parameter found in any of the ${#NAMES[@]} targets"
printf '%s\n' "${RESULTS[@]}" | grep -q 'INCONCLUSIVE' && OVERALL="INCONCLUSIVE: see the table"
printf '%s\n' "${RESULTS[@]}" | grep -q 'INJECTABLE:' && OVERALL="INJECTION FOUND: see the table"
{
  echo "**Result: $OVERALL.**"
  echo
  echo "Last run: $STAMP on $MACHINE; sqlmap $SQLMAP_VERSION, \`--batch --level $LEVEL --risk $RISK --technique $TECHNIQUE\`,"
  echo "each target twice (any DBMS, and \`--dbms SQLite\`), $SCAN_SECONDS s of scanning in all;"
  echo "the app: Release, the demo company on SQLite, 127.0.0.1, signed in as the demo Admin (sees every record)."
  echo
  echo "| target | result |"
  echo "| --- | --- |"
  for i in "${!NAMES[@]}"; do echo "| ${NAMES[$i]} | ${RESULTS[$i]} |"; done
} >"$WORK/summary.md"
mkdir -p bench/results
cp "$WORK/summary.md" bench/results/sqlmap-summary.md
if [[ -f docs/security.md ]] && grep -q "<!-- sqlmap:begin -->" docs/security.md; then
  python3 - "$WORK/summary.md" <<'PY'
import re, sys
summary = open(sys.argv[1], encoding="utf-8").read().strip()
path = "docs/security.md"
text = open(path, encoding="utf-8").read()
text = re.sub(r"<!-- sqlmap:begin -->.*?<!-- sqlmap:end -->",
              lambda _: "<!-- sqlmap:begin -->\n" + summary + "\n<!-- sqlmap:end -->", text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
PY
fi
echo
cat "$WORK/summary.md"
