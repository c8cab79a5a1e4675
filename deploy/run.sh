#!/usr/bin/env bash
# Runs the installed BackupWorkflows server on its embedded default: SQLite and the data under ./data at the
# repository root, this machine as host 'local', a repository in ./data/repository, on http://127.0.0.1:5080.
# deploy/setup.sh installs first (deploy/install.sh: the published server, bwf on PATH, the studio; skipped when
# nothing changed). On first start the server prints the admin API key once (also saved in ./data/initial-admin-key).
# Extra arguments go to the server and win over these, e.g. deploy/run.sh --urls http://0.0.0.0:5080
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh
source deploy/paths.sh
exec "$(readlink -f "$(command -v dotnet)")" "$install_dir/BackupWorkflows.Server.dll" \
  --urls http://127.0.0.1:5080 --data "$PWD/data" "$@"
