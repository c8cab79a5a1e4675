#!/usr/bin/env bash
# Runs BackupWorkflows on its embedded default: SQLite and the data under ./data, this machine as
# host 'local', a repository in ./data/repository, listening on http://127.0.0.1:5080.
# On first start the server prints the admin API key once (also saved in ./data/initial-admin-key).
# Extra arguments go to the server, e.g. deploy/run.sh --urls http://0.0.0.0:5080
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The studio (web UI) is served from studio/dist: build it when missing or older than its sources.
if [[ ! -f studio/dist/index.html || -n "$(find studio/src studio/package.json -newer studio/dist/index.html -print -quit)" ]]; then
  (cd studio && npm ci --no-audit --no-fund --loglevel=error && npm run build)
fi
exec dotnet run -c Release --project src/BackupWorkflows.Server -- --urls http://127.0.0.1:5080 --data ./data "$@"
