#!/usr/bin/env bash
# Installs BackupWorkflows like any other software: publishes the server and the CLI (dotnet publish -c Release)
# into one folder together with the built studio (studio/dist) and the shipped workflows/, and puts `bwf` on PATH.
#   BWF_INSTALL_DIR  install folder (default /opt/backupworkflows)
#   BWF_BIN_DIR      where the `bwf` command goes (default /usr/local/bin)
# Idempotent and quick when nothing changed: the install folder keeps a digest of the sources it was published
# from, and publishing is skipped while it matches. A new version is published next to the old one and swapped in,
# so a server running from the folder keeps its files until it restarts.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/paths.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet=$(readlink -f "$(command -v dotnet)")

# One install at a time (several checkouts on one machine may run setup.sh together).
mkdir -p "$(dirname "$install_dir")" /run/lock
exec 9>/run/lock/backupworkflows-install.lock
flock 9

bash deploy/studio.sh

# Everything that goes into the installation: sources (not bin/obj), build settings, shipped workflows, built studio.
digest=$( { echo "$install_dir $dotnet"; dotnet --version
  find src workflows studio/dist Directory.Build.props Directory.Packages.props global.json \
    \( -name bin -o -name obj \) -prune -o -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1)
if [[ -f "$install_dir/.source-digest" && "$(cat "$install_dir/.source-digest")" == "$digest" ]]; then
  echo "install: $install_dir is up to date"
else
  echo "install: publishing to $install_dir"
  staging="$install_dir.new"
  rm -rf "$staging"
  mkdir -p "$staging"
  for project in src/BackupWorkflows.Server src/BackupWorkflows.Cli; do
    dotnet publish "$project" -c Release -o "$staging" -nologo -v:q
  done
  if [[ -f studio/dist/index.html ]]; then mkdir -p "$staging/studio" && cp -r studio/dist "$staging/studio/dist"; fi
  # The server imports its own (embedded) copy of these at start; this copy is for reading and `bwf workflow import`.
  cp -r workflows "$staging/workflows"
  echo "$digest" > "$staging/.source-digest"
  rm -rf "$install_dir.old"
  if [[ -e "$install_dir" ]]; then mv "$install_dir" "$install_dir.old"; fi
  mv "$staging" "$install_dir"
  rm -rf "$install_dir.old"
fi

# `bwf` on PATH: runs the installed bwf.dll on the dotnet it was installed with (so no DOTNET_ROOT is needed).
wrapper=$(printf '#!/bin/sh\n# Installed by BackupWorkflows deploy/install.sh\nexec %q %q "$@"\n' "$dotnet" "$install_dir/bwf.dll")
if [[ ! -f "$bin_dir/bwf" || "$(cat "$bin_dir/bwf")" != "$wrapper" ]]; then
  mkdir -p "$bin_dir"
  printf '%s\n' "$wrapper" > "$bin_dir/bwf.new" && chmod 755 "$bin_dir/bwf.new" && mv "$bin_dir/bwf.new" "$bin_dir/bwf"
fi
echo "install: bwf -> $bin_dir/bwf, server: $dotnet $install_dir/BackupWorkflows.Server.dll"
