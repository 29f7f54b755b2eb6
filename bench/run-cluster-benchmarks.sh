#!/usr/bin/env bash
# Several instances on one PostgreSQL and one Redis, against a Release build: native ingest through one instance (no
# Redis), one instance with Redis configured (the relay's cost), and two instances sharing the load; then the live
# latency from a POST on instance A to a hub client on instance B at 5,000 spans/s (and, for comparison, on one
# instance). A throwaway redis-server on a free port and a fresh PostgreSQL database per run; everything is stopped and
# dropped afterwards. Prints one result line per scenario with the 1-minute load average.
# PGHOST/PGPORT/PGUSER/PGPASSWORD name a role with CREATEDB (default the test suite's: 127.0.0.1:5432, vigil/vigil).
set -euo pipefail
cd "$(dirname "$0")/.."
SPANS=${SPANS:-100000}
CONCURRENCY=${CONCURRENCY:-8}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-vigil} PGPASSWORD=${PGPASSWORD:-vigil}
KEY=vgl_bench_key_0123456789abcdef
dotnet build -c Release -nologo -v quiet Vigil.Web >/dev/null
dotnet build -c Release -nologo -v quiet bench/Vigil.Bench >/dev/null
BENCH="dotnet bench/Vigil.Bench/bin/Release/net10.0/Vigil.Bench.dll"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg_exec() { psql -d postgres -qtAc "$1" >/dev/null; }

LOGS=$(mktemp -d)
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
REDIS=$!
PIDS=()
DBS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "$REDIS" 2>/dev/null || true
  rm -rf "$LOGS"
  # Autovacuum may still be busy in a database just written to: retry a few times.
  for db in "${DBS[@]}"; do
    for _ in 1 2 3 4 5; do pg_exec "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null && break; sleep 2; done
  done
}
trap cleanup EXIT
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.1; done

new_database() {
  PGDB="vigil_cluster_bench_$(date +%s%N)"
  pg_exec "CREATE DATABASE $PGDB"
  DBS+=("$PGDB")
}
start_instance() { # $1 = port, $2 = redis connection string or empty; no OTLP/gRPC (two instances cannot share 4317)
  Vigil__Database__Provider=Postgres ConnectionStrings__Vigil="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$PGDB" \
  Vigil__Redis__ConnectionString="$2" ASPNETCORE_URLS=http://127.0.0.1:$1 Vigil__Init__ProjectId=bench Vigil__Init__ApiKey=$KEY \
  Vigil__RateLimits__Enabled=false Vigil__Otlp__GrpcEndpoint= Logging__LogLevel__Default=Warning \
    dotnet Vigil.Web/bin/Release/net10.0/Vigil.Web.dll >"$LOGS/instance-$1.log" 2>&1 &
  local pid=$!
  PIDS+=($pid)
  until curl -sf "http://127.0.0.1:$1/ready" >/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "the instance on port $1 exited:"; tail -20 "$LOGS/instance-$1.log"; exit 1; fi
    sleep 0.3
  done
}
stop_instances() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; PIDS=(); }

A=$(free_port); B=$(free_port)
new_database; start_instance "$A" ""
echo "== ingest native, $SPANS spans, batch 100, $CONCURRENCY senders: one instance, no Redis"
$BENCH ingest --url "http://127.0.0.1:$A" --key $KEY --spans "$SPANS" --batch 100 --concurrency "$CONCURRENCY" | tail -1
stop_instances

new_database; start_instance "$A" "127.0.0.1:$REDIS_PORT"
echo "== the same: one instance with Redis (live feed relayed)"
$BENCH ingest --url "http://127.0.0.1:$A" --key $KEY --spans "$SPANS" --batch 100 --concurrency "$CONCURRENCY" | tail -1
stop_instances

new_database; start_instance "$A" "127.0.0.1:$REDIS_PORT"; start_instance "$B" "127.0.0.1:$REDIS_PORT"
echo "== the same: two instances with Redis, senders split between them"
$BENCH ingest --url "http://127.0.0.1:$A,http://127.0.0.1:$B" --key $KEY --spans "$SPANS" --batch 100 --concurrency "$CONCURRENCY" | tail -1
echo "== live: POST on A, hub client on B, 5,000 spans/s for 20 s"
$BENCH live --url "http://127.0.0.1:$A" --hub-url "http://127.0.0.1:$B" --key $KEY --rate 5000 --seconds 20 | tail -1
echo "== live: POST and hub client on A (same cluster), 5,000 spans/s for 20 s"
$BENCH live --url "http://127.0.0.1:$A" --key $KEY --rate 5000 --seconds 20 | tail -1
stop_instances
