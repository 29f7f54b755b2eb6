#!/usr/bin/env bash
# Runs every test of Vigil on a fresh Debian/Ubuntu machine: installs what the tests need (Chromium for the browser
# tests, fonts for chart text, PostgreSQL for the second storage provider, redis-server and nginx for the several-instance
# tests, which start their own throwaway Redis and nginx on free ports), starts PostgreSQL when it is installed but
# not running, restores local tools, builds, runs all test projects on SQLite (the cluster tests always run on
# PostgreSQL + Redis), then the Core and Web suites again on PostgreSQL, and prints one closing line
# "N passed, N failed, N skipped" over both runs.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
need_pkgs=()
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || need_pkgs+=(fonts-dejavu-core fontconfig)
command -v pg_ctlcluster >/dev/null 2>&1 || need_pkgs+=(postgresql postgresql-contrib)
[ -x /usr/bin/redis-server ] || command -v redis-server >/dev/null 2>&1 || need_pkgs+=(redis-server)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need_pkgs+=(nginx)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "Installing ${need_pkgs[*]} ..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# PostgreSQL: the first cluster (creating one if the package made none), started if it is down, with a role for the tests.
if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  $SUDO pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main >/dev/null
fi
read -r pg_ver pg_name pg_port _ < <(pg_lsclusters -h | head -1)
if ! pg_lsclusters -h | head -1 | grep -q online; then
  echo "Starting PostgreSQL $pg_ver/$pg_name ..."
  $SUDO pg_ctlcluster "$pg_ver" "$pg_name" start
fi
pg_psql() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -c "psql -p $pg_port -qtAc \"$1\""; else sudo -u postgres psql -p "$pg_port" -qtAc "$1"; fi
}
pg_psql "SELECT 1 FROM pg_roles WHERE rolname = 'vigil'" | grep -q 1 || pg_psql "CREATE ROLE vigil LOGIN PASSWORD 'vigil' CREATEDB"
export VIGIL_TEST_PG="Host=127.0.0.1;Port=$pg_port;Username=vigil;Password=vigil"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
dotnet build Vigil.sln -c Release -nologo -v quiet

log=$(mktemp)
status=0
set +e
echo "== every test project on SQLite"
dotnet test Vigil.sln -c Release --no-build -nologo 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
for project in tests/Vigil.Core.Tests tests/Vigil.Web.Tests; do
  echo "== $project on PostgreSQL"
  VIGIL_TEST_PROVIDER=postgres dotnet test "$project" -c Release --no-build -nologo --filter "Provider!=Sqlite" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
set -e

# dotnet test prints one summary per test assembly and run ("Passed!  - Failed: 0, Passed: 8, Skipped: 0, ..."): sum them.
read -r passed failed skipped < <(grep -E '^[[:space:]]*(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
