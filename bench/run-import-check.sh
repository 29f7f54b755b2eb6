#!/usr/bin/env bash
# Moving a SQLite history into PostgreSQL at scale: loads SPANS spans into a fresh SQLite file through the server (the
# `scale` load, unless DATA=<folder> names a kept one), runs `import-sqlite` into a new PostgreSQL database, then
# compares the row count of every table on both sides and the dashboard's first trace page (GET /v1/traces, newest
# first and by cost) served by each provider. Prints each comparison and exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."
SPANS=${SPANS:-1000000}
PORT=${PORT:-5097}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-vigil} PGPASSWORD=${PGPASSWORD:-vigil}
KEY=vgl_scale_key_0123456789abcdef
dotnet build -c Release -nologo -v quiet Vigil.Web >/dev/null
SERVER_DLL=Vigil.Web/bin/Release/net10.0/Vigil.Web.dll

if [ -z "${DATA:-}" ]; then
  out=$(SPANS=$SPANS PHASES=load KEEP=1 bash bench/run-scale-benchmark.sh | tee /dev/stderr | grep '^kept: ')
  DATA=$(echo "$out" | cut -d' ' -f2)
fi
DB="$DATA/vigil.db"
PGDB="vigil_import_$(date +%s)"
CS="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$PGDB"
psql -d postgres -qtAc "CREATE DATABASE $PGDB" >/dev/null
echo "source: $DB ($(du -h "$DB" | cut -f1)); target: $PGDB; load average $(cut -d' ' -f1-3 /proc/loadavg)"

start=$(date +%s.%N)
/usr/bin/time -f "import: %e s wall, max RSS %M KB" env Vigil__Database__Provider=Postgres ConnectionStrings__Vigil="$CS" \
  Logging__LogLevel__Default=Warning dotnet "$SERVER_DLL" import-sqlite "$DB"
echo "import took $(echo "$(date +%s.%N) - $start" | bc) s"

failed=0
# Every table of the model on both sides (the FTS tables and EF's history are provider-specific).
for table in $(sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' AND substr(name, 1, 4) <> '__EF' ORDER BY name"); do
  s=$(sqlite3 "$DB" "SELECT COUNT(*) FROM \"$table\"")
  # SQLite keeps the Data Protection key ring in files beside the database; the import moves them into this table.
  if [ "$table" = data_protection_keys ]; then s=$(find "$DATA/keys" -name '*.xml' 2>/dev/null | wc -l); fi
  p=$(psql -d "$PGDB" -qtAc "SELECT COUNT(*) FROM \"$table\"")
  mark=ok; [ "$s" = "$p" ] || { mark=DIFFERENT; failed=1; }
  printf '%-28s sqlite %10s  postgres %10s  %s\n' "$table" "$s" "$p" "$mark"
done

page() { # $1 = sqlite | postgres, $2 = query
  local provider=Sqlite cs="Data Source=$DB"
  if [ "$1" = postgres ]; then provider=Postgres; cs="$CS"; fi
  Vigil__Database__Provider=$provider ConnectionStrings__Vigil="$cs" ASPNETCORE_URLS=http://127.0.0.1:$PORT Vigil__Otlp__GrpcEndpoint= \
    Vigil__Drift__Enabled=false Vigil__RateLimits__Enabled=false Logging__LogLevel__Default=Warning dotnet "$SERVER_DLL" >/dev/null 2>&1 &
  local server=$!
  until curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null; do sleep 0.5; done
  curl -sf -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/traces?$2" | jq -c '{total, ids: [.traces[] | [.trace_id, .span_count, .input_tokens, .cost_usd]]}'
  kill $server; wait $server 2>/dev/null || true
}
for query in "limit=50" "limit=50&sort=-cost" "limit=50&has_errors=true"; do
  a=$(page sqlite "$query")
  b=$(page postgres "$query")
  if [ "$a" = "$b" ]; then echo "GET /v1/traces?$query: same page on both ($(echo "$a" | jq -r '.total') traces, $(echo "$a" | jq '.ids | length') rows)"
  else echo "GET /v1/traces?$query: DIFFERENT"; echo " sqlite:   ${a:0:300}"; echo " postgres: ${b:0:300}"; failed=1; fi
done

if [ "${KEEP:-0}" = 1 ]; then echo "kept: $DATA $PGDB"; else
  rm -rf "$DATA"
  # FORCE cannot end a backend the role does not own (autovacuum on the fresh tables): wait and try again.
  for _ in 1 2 3 4 5 6 7 8 9 10; do psql -d postgres -qtAc "DROP DATABASE $PGDB WITH (FORCE)" >/dev/null 2>&1 && break; sleep 3; done
fi
exit $failed
