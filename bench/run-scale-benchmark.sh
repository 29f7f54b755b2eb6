#!/usr/bin/env bash
# History at scale: starts a Release Vigil.Web on 127.0.0.1 over a fresh database (PROVIDER=sqlite|postgres), runs the
# `scale` scenario against it (load SPANS spans through HTTP, then every read path, export and a retention run) and
# stops it. SPANS (default 10000000), RETENTION_DAYS (default 20: a third of the 30 days), PHASES (default all), KEEP=1
# keeps the database (its path is printed) for a later run with PHASES=reads and DATA=<that folder>.
# ONLY=<text> times only the read paths whose label contains it (e.g. ONLY="q = " or ONLY=model).
# SERVER_DLL runs another build of the server (e.g. an older commit's) against the same scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
SPANS=${SPANS:-10000000}
PORT=${PORT:-5098}
PROVIDER=${PROVIDER:-sqlite}
PHASES=${PHASES:-load,reads,export,retention}
RETENTION_DAYS=${RETENTION_DAYS:-20}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-vigil} PGPASSWORD=${PGPASSWORD:-vigil}
KEY=vgl_scale_key_0123456789abcdef
ADMIN_KEY=vgl_scale_admin_0123456789abcdef
if [ -z "${SERVER_DLL:-}" ]; then
  dotnet build -c Release -nologo -v quiet Vigil.Web >/dev/null
  SERVER_DLL=Vigil.Web/bin/Release/net10.0/Vigil.Web.dll
fi
dotnet build -c Release -nologo -v quiet bench/Vigil.Bench >/dev/null
BENCH="dotnet bench/Vigil.Bench/bin/Release/net10.0/Vigil.Bench.dll"

DATA=${DATA:-$(mktemp -d /tmp/vigil-scale-XXXXXX)}
SIZE_ARG=()
ONLY_ARG=()
if [ -n "${ONLY:-}" ]; then ONLY_ARG=(--only "$ONLY"); fi
if [ "$PROVIDER" = postgres ]; then
  PGDB=${PGDB:-vigil_scale_$(date +%s)}
  psql -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$PGDB'" | grep -q 1 || psql -d postgres -qtAc "CREATE DATABASE $PGDB" >/dev/null
  CS="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$PGDB"
  export Vigil__Database__Provider=Postgres ConnectionStrings__Vigil="$CS"
  SIZE_ARG=(--pg "$CS")
else
  export Vigil__Database__Provider=Sqlite ConnectionStrings__Vigil="Data Source=$DATA/vigil.db"
  SIZE_ARG=(--db "$DATA/vigil.db")
fi
echo "database: ${PGDB:-$DATA/vigil.db}; server: $SERVER_DLL; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
ASPNETCORE_URLS=http://127.0.0.1:$PORT Vigil__Init__ProjectId=bench Vigil__Init__ApiKey=$KEY Vigil__Init__AdminApiKey=$ADMIN_KEY \
  Vigil__Otlp__GrpcEndpoint= Vigil__RateLimits__Enabled=false Vigil__Drift__Enabled=false Logging__LogLevel__Default=Warning \
  dotnet "$SERVER_DLL" >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null; do sleep 0.5; done

$BENCH scale --url http://127.0.0.1:$PORT --key $KEY --admin-key $ADMIN_KEY --spans "$SPANS" --phases "$PHASES" \
  --retention-days "$RETENTION_DAYS" "${ONLY_ARG[@]}" --state "$DATA/scale-state.json" "${SIZE_ARG[@]}"

kill $SERVER; wait $SERVER 2>/dev/null || true
if [ "${KEEP:-0}" = 1 ]; then echo "kept: $DATA ${PGDB:-}"; else
  rm -rf "$DATA"
  if [ "$PROVIDER" = postgres ]; then psql -d postgres -qtAc "DROP DATABASE $PGDB WITH (FORCE)" >/dev/null; fi
fi
