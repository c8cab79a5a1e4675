#!/usr/bin/env bash
# Builds the studio (web UI) into studio/dist when it is missing or older than its sources; installs its npm
# packages first when node_modules is missing or older than package-lock.json. Quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/../studio"
if ! command -v npm >/dev/null; then
  echo "studio: npm not on PATH; the studio is not built (the server then serves a page saying so)" >&2; exit 0
fi
if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
if [[ ! -f dist/index.html || -n "$(find src index.html package.json package-lock.json tsconfig.json vite.config.ts -newer dist/index.html -print -quit)" ]]; then
  npm run build --silent
fi
