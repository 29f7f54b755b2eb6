#!/usr/bin/env bash
# Starts a Release Vigil.Web on 127.0.0.1 over a fresh temp SQLite file and runs the server-side load scenarios
# against it: native, OTLP/HTTP and OTLP/gRPC ingest, then POST-to-hub latency at a fixed rate. Prints one result line
# per scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
SPANS=${SPANS:-100000}
PORT=${PORT:-5099}
GRPC_PORT=${GRPC_PORT:-5098}
KEY=vgl_bench_key_0123456789abcdef
dotnet build -c Release -nologo -v quiet Vigil.Web >/dev/null
dotnet build -c Release -nologo -v quiet bench/Vigil.Bench >/dev/null
BENCH="dotnet bench/Vigil.Bench/bin/Release/net10.0/Vigil.Bench.dll"

start_server() {
  DATA=$(mktemp -d)
  ASPNETCORE_URLS=http://127.0.0.1:$PORT Vigil__Otlp__GrpcEndpoint=http://127.0.0.1:$GRPC_PORT ConnectionStrings__Vigil="Data Source=$DATA/vigil.db" \
    Vigil__Init__ProjectId=bench Vigil__Init__ApiKey=$KEY Logging__LogLevel__Default=Warning \
    dotnet Vigil.Web/bin/Release/net10.0/Vigil.Web.dll >"$DATA/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null; do sleep 0.3; done
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA"; }
trap 'kill $SERVER 2>/dev/null || true' EXIT

for format in ${FORMATS:-native otlp otlp-grpc}; do
  for conc in 4 8; do
    start_server
    echo "== ingest $format, $SPANS spans, batch 100, $conc senders"
    $BENCH ingest --url http://127.0.0.1:$PORT --grpc-url http://127.0.0.1:$GRPC_PORT --key $KEY --spans "$SPANS" --batch 100 \
      --concurrency $conc --format $format | tail -1
    stop_server
  done
done
start_server
echo "== live: POST-to-hub-client latency at 5,000 spans/s for 20 s"
$BENCH live --url http://127.0.0.1:$PORT --key $KEY --rate 5000 --seconds 20 | tail -1
stop_server
