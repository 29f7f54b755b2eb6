#!/usr/bin/env bash
# Starts a Release Vigil.Web on 127.0.0.1 over a fresh database and runs the server-side load scenarios against it:
# native, OTLP/HTTP and OTLP/gRPC ingest on each storage provider (a temp SQLite file; a new database on the local PostgreSQL, default
# settings, synchronous_commit on), then POST-to-hub latency at a fixed rate. Prints one result line per scenario.
# PROVIDERS="sqlite postgres" (default both); PGHOST/PGPORT/PGUSER/PGPASSWORD name a role with CREATEDB (default the
# test suite's: 127.0.0.1:5432, vigil/vigil). PG_WITHOUT_TEXT_INDEX=1 measures PostgreSQL without the span text index.
set -euo pipefail
cd "$(dirname "$0")/.."
SPANS=${SPANS:-100000}
PORT=${PORT:-5099}
GRPC_PORT=${GRPC_PORT:-5098}
FORMATS=${FORMATS:-"native otlp otlp-grpc"}
PROVIDERS=${PROVIDERS:-"sqlite postgres"}
INTERLEAVED=${INTERLEAVED:-1} # 0 skips the OTLP/HTTP vs OTLP/gRPC rounds
LIVE=${LIVE:-1}               # 0 skips the POST-to-hub latency run
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-vigil} PGPASSWORD=${PGPASSWORD:-vigil}
KEY=vgl_bench_key_0123456789abcdef
dotnet build -c Release -nologo -v quiet Vigil.Web >/dev/null
dotnet build -c Release -nologo -v quiet bench/Vigil.Bench >/dev/null
BENCH="dotnet bench/Vigil.Bench/bin/Release/net10.0/Vigil.Bench.dll"

pg_exec() { psql -d postgres -qtAc "$1" >/dev/null; }

start_server() { # $1 = sqlite | postgres
  DATA=$(mktemp -d)
  PGDB=""
  if [ "$1" = postgres ]; then
    PGDB="vigil_bench_$(date +%s%N)"
    pg_exec "CREATE DATABASE $PGDB"
    export Vigil__Database__Provider=Postgres ConnectionStrings__Vigil="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$PGDB"
  else
    export Vigil__Database__Provider=Sqlite ConnectionStrings__Vigil="Data Source=$DATA/vigil.db"
  fi
  ASPNETCORE_URLS=http://127.0.0.1:$PORT Vigil__Otlp__GrpcEndpoint=http://127.0.0.1:$GRPC_PORT Vigil__Init__ProjectId=bench Vigil__Init__ApiKey=$KEY Logging__LogLevel__Default=Warning \
    dotnet Vigil.Web/bin/Release/net10.0/Vigil.Web.dll >"$DATA/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null; do sleep 0.3; done
  # What the span text index costs: PG_WITHOUT_TEXT_INDEX=1 drops it once the schema exists (search then scans).
  if [ -n "$PGDB" ] && [ "${PG_WITHOUT_TEXT_INDEX:-0}" = 1 ]; then psql -d "$PGDB" -qtAc "DROP INDEX ix_spans_search_trgm" >/dev/null; fi
}
stop_server() {
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA"
  # FORCE cannot end a backend the role does not own (autovacuum working on the fresh database): wait and try again.
  if [ -n "$PGDB" ]; then
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_exec "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" 2>/dev/null && break; sleep 3; done
  fi
}
trap 'kill $SERVER 2>/dev/null || true' EXIT

for provider in $PROVIDERS; do
  for format in $FORMATS; do
    for conc in 4 8; do
      start_server "$provider"
      echo "== $provider: ingest $format, $SPANS spans, batch 100, $conc senders"
      $BENCH ingest --url http://127.0.0.1:$PORT --grpc-url http://127.0.0.1:$GRPC_PORT --key $KEY --spans "$SPANS" --batch 100 \
        --concurrency $conc --format $format | tail -1
      stop_server
    done
  done
  # OTLP over HTTP and over gRPC against one server, in 10 interleaved rounds (the load of a shared machine swings
  # more between two consecutive runs than the transports differ).
  [ "$INTERLEAVED" = 1 ] || continue
  for conc in 4 8; do
    start_server "$provider"
    echo "== $provider: OTLP/HTTP vs OTLP/gRPC interleaved, 2 x $SPANS spans in 10 rounds, batch 100, $conc senders"
    $BENCH ingest --url http://127.0.0.1:$PORT --grpc-url http://127.0.0.1:$GRPC_PORT --key $KEY --spans "$SPANS" --batch 100 \
      --concurrency $conc --format otlp,otlp-grpc --rounds 10 | tail -2
    stop_server
  done
done
[ "$LIVE" = 1 ] || exit 0
start_server sqlite
echo "== live: POST-to-hub-client latency at 5,000 spans/s for 20 s"
$BENCH live --url http://127.0.0.1:$PORT --key $KEY --rate 5000 --seconds 20 | tail -1
stop_server
