#!/usr/bin/env bash
# Runs every test of Vigil on a fresh Debian/Ubuntu machine: installs what the tests need (Chromium for the
# browser tests, fonts for chart text), restores local tools, builds, runs all test projects and prints
# one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || need_pkgs+=(fonts-dejavu-core fontconfig)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "Installing ${need_pkgs[*]} ..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
dotnet build Vigil.sln -c Release -nologo -v quiet

log=$(mktemp)
set +e
dotnet test Vigil.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one summary per test assembly ("Passed!  - Failed: 0, Passed: 8, Skipped: 0, ..."): sum them.
read -r passed failed skipped < <(grep -E '^[[:space:]]*(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
