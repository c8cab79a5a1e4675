#!/usr/bin/env bash
# Regenerates the API contract and both clients from the server's own OpenAPI document:
#   docs/openapi.json                       the document the server serves at /openapi/v1.json
#   studio/src/api/schema.ts                 the studio's TypeScript types (openapi-typescript)
#   src/BackupWorkflows.Cli/Client/ApiModels.g.cs   the CLI's models (NSwag's C# generator, tools/BackupWorkflows.ApiModels)
# It builds the server, starts it for a moment on a temporary SQLite data directory and a free 127.0.0.1 port,
# fetches the document and stops it. Run it after changing an endpoint or a body record; the test
# OpenApiContractTests (Server.Tests) and the studio's schema test fail while these files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/BackupWorkflows.Server/BackupWorkflows.Server.csproj -c Release -nologo -v:q >/dev/null
data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dotnet src/BackupWorkflows.Server/bin/Release/net10.0/BackupWorkflows.Server.dll \
  --urls "http://127.0.0.1:$port" --data "$data" --studio "$data/no-studio" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 120); do
  if curl -sf "http://127.0.0.1:$port/openapi/v1.json" -o "$data/openapi.json"; then break; fi
  if ! kill -0 $server 2>/dev/null; then cat "$data/server.log" >&2; echo "openapi: the server stopped" >&2; exit 1; fi
  sleep 0.5
done
[[ -s $data/openapi.json ]] || { cat "$data/server.log" >&2; echo "openapi: no document from the server" >&2; exit 1; }
cp "$data/openapi.json" docs/openapi.json
echo "wrote docs/openapi.json"

dotnet run --project tools/BackupWorkflows.ApiModels -c Release -- docs/openapi.json src/BackupWorkflows.Cli/Client/ApiModels.g.cs

cd studio
[[ -d node_modules && node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund --loglevel=error
node scripts/api-types.mjs
