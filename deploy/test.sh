#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine: installs what it needs, starts the
# daemons the tests use (libvirtd; PostgreSQL and sshd are started by the test fixtures themselves),
# then runs every .NET test project and the studio's unit tests.
#
# deploy/test.sh --fast runs only the pure tests: the .NET tests marked [Trait("Category", "Unit")]
# (pure logic, in memory or on a SQLite file) and the studio's vitest. It installs nothing and starts
# no daemon (no libvirt, PostgreSQL, sshd, server process or browser). Other arguments go to dotnet test.
set -euo pipefail
cd "$(dirname "$0")/.."
fast=0
args=()
for arg in "$@"; do
  if [[ $arg == --fast ]]; then fast=1; else args+=("$arg"); fi
done
[[ $fast == 1 ]] || bash deploy/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
status=0
studio_log=$(mktemp); studio_pid=
if [[ -f studio/package.json ]]; then
  # vitest runs alongside the .NET build and tests, its output printed after theirs.
  if [[ $fast == 1 ]]; then
    # Reinstalls only when the lock file changed since the last install.
    (cd studio && { [[ node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund --loglevel=error; } \
      && npx vitest run) >"$studio_log" 2>&1 &
  else
    # setup.sh (install.sh) has built the studio; this only rebuilds what changed since. The browser
    # tests serve that build, so it finishes before the .NET tests start.
    bash deploy/studio.sh || status=1
    (cd studio && npx vitest run) >"$studio_log" 2>&1 &
  fi
  studio_pid=$!
fi
if [[ $fast == 1 ]]; then args+=(--filter "Category=Unit"); fi
dotnet build BackupWorkflows.sln -c Release -nologo -v:q || status=1
[[ $status != 0 ]] || dotnet test BackupWorkflows.sln -c Release --no-build -nologo --logger "console;verbosity=normal" ${args[@]+"${args[@]}"} || status=1
if [[ -n $studio_pid ]]; then
  wait "$studio_pid" || status=1
  cat "$studio_log"
fi
rm -f "$studio_log"
exit $status
