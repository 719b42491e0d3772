#!/usr/bin/env bash
# Global search at scale: N customers (default 100,000), 3 contacts and 2 leads each, written through the import's bulk
# insert into a new database; then p50/p95 of SearchHandler (GET /api/v1/search without HTTP) for an admin, a manager
# and a rep over a dozen kinds of query. Release build.
# Usage: bench/search-scale.sh [sqlite|postgres] [customers] [postgres connection string, database created and dropped]
set -euo pipefail
cd "$(dirname "$0")/.."
PROVIDER=${1:-sqlite}
COUNT=${2:-100000}
dotnet build src/LeadToCash -c Release -nologo -clp:ErrorsOnly >/dev/null
if [[ $PROVIDER == postgres ]]; then
  SERVER=${3:?"a PostgreSQL connection string (Host=...;Username=...;Password=...) is needed"}
  DB=search_scale_$$
  export PGPASSWORD=$(sed -nE 's/.*Password=([^;]*).*/\1/p' <<<"$SERVER")
  HOST=$(sed -nE 's/.*Host=([^;]*).*/\1/p' <<<"$SERVER"); PORT=$(sed -nE 's/.*Port=([^;]*).*/\1/p' <<<"$SERVER")
  USER_=$(sed -nE 's/.*Username=([^;]*).*/\1/p' <<<"$SERVER")
  psql -h "$HOST" -p "${PORT:-5432}" -U "$USER_" -d postgres -qc "CREATE DATABASE $DB"
  trap 'psql -h "$HOST" -p "${PORT:-5432}" -U "$USER_" -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"' EXIT
  dotnet run -c Release bench/search-scale/SearchScale.cs -- postgres "$COUNT" "$SERVER;Database=$DB"
else
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  dotnet run -c Release bench/search-scale/SearchScale.cs -- sqlite "$COUNT" "Data Source=$WORK/search-scale.db"
fi
