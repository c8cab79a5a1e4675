#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine: installs what it needs, starts the
# daemons the tests use (libvirtd; PostgreSQL and sshd are started by the test fixtures themselves),
# then runs every .NET test project and the studio's unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
status=0
if [[ -f studio/package.json ]]; then
  # setup.sh (install.sh) has built the studio; this only rebuilds what changed since.
  (bash deploy/studio.sh && cd studio && npx vitest run) || status=1
fi
dotnet build BackupWorkflows.sln -c Release -nologo -v:q
dotnet test BackupWorkflows.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@" || status=1
exit $status
