#!/usr/bin/env bash
# The soak (issue 16): starts a Release Vigil.Web on 127.0.0.1 over a fresh SQLite file (the default provider and
# default settings), then runs `soak` against it: RATE spans/s (default 5000) for MINUTES
# (default 10) with headless Chromium holding the Live page, the trace list and a growing trace, and HUB_CLIENTS (default
# 20) SignalR clients on /hubs/live. Prints failed requests, circuit errors, POST-to-hub latency and the server's memory
# per minute; the samples (CSV), a memory plot (SVG) and screenshots go to OUT (default a temp folder). Exit 1 when a
# request failed, a circuit error showed or a hub client was dropped. Server warnings and errors: $OUT/server.log.
# COUNTERS=1 also records the server's runtime counters (GC heap, working set, …) every 10 s into $OUT/counters.csv
# with dotnet-counters (`dotnet tool install -g dotnet-counters`), to tell managed growth from native.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-5000}
MINUTES=${MINUTES:-10}
HUB_CLIENTS=${HUB_CLIENTS:-20}
PORT=${PORT:-5097}
OUT=${OUT:-$(mktemp -d /tmp/vigil-soak-XXXXXX)}
KEY=vgl_soak_key_0123456789abcdef
EMAIL=admin@soak.test
PASSWORD=soak-admin-password
dotnet build -c Release -nologo -v quiet Vigil.Web >/dev/null
dotnet build -c Release -nologo -v quiet bench/Vigil.Bench >/dev/null
DATA=$(mktemp -d /tmp/vigil-soak-data-XXXXXX)
mkdir -p "$OUT"
ASPNETCORE_URLS=http://127.0.0.1:$PORT Vigil__Database__Provider=Sqlite ConnectionStrings__Vigil="Data Source=$DATA/vigil.db" \
  Vigil__Init__ProjectId=bench Vigil__Init__ApiKey=$KEY Vigil__Init__AdminEmail=$EMAIL Vigil__Init__AdminPassword=$PASSWORD \
  Vigil__Otlp__GrpcEndpoint= Logging__LogLevel__Default=Warning \
  dotnet Vigil.Web/bin/Release/net10.0/Vigil.Web.dll >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
until curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null; do sleep 0.5; done
if [ "${COUNTERS:-0}" = 1 ]; then
  PATH="$PATH:$HOME/.dotnet/tools" dotnet-counters collect -p $SERVER --counters System.Runtime --format csv -o "$OUT/counters.csv" --refresh-interval 10 >/dev/null 2>&1 &
fi
echo "server pid $SERVER, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), output in $OUT"
set +e
dotnet bench/Vigil.Bench/bin/Release/net10.0/Vigil.Bench.dll soak --url http://127.0.0.1:$PORT --key $KEY --pid $SERVER \
  --rate "$RATE" --minutes "$MINUTES" --hub-clients "$HUB_CLIENTS" --browser "${BROWSER:-on}" --pages "${PAGES:-live,list,trace}" --email $EMAIL --password $PASSWORD --out "$OUT"
status=$?
set -e
echo "server log: $(grep -c -E '^(warn|fail|crit)' "$OUT/server.log" || true) warnings/errors ($OUT/server.log); file $(du -sh "$DATA" | cut -f1)"
exit $status
