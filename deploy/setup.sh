#!/usr/bin/env bash
# Installs everything BackupWorkflows needs on a fresh Debian 12 machine (run as root).
# Idempotent: packages already present are skipped by apt; daemons already running are left alone; then
# deploy/install.sh publishes the server, bwf and the studio into /opt/backupworkflows (skipped when unchanged).
# Usage: deploy/setup.sh [--no-hypervisor] [--no-browser] [--no-install]
set -euo pipefail

want_hypervisor=1; want_browser=1; want_install=1
for arg in "$@"; do
  case "$arg" in
    --no-hypervisor) want_hypervisor=0 ;;
    --no-browser) want_browser=0 ;;
    --no-install) want_install=0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

export DEBIAN_FRONTEND=noninteractive
# python3-aiosmtpd: the SMTP server of the Notify.Email tests (a library the test starts on a loopback port; it
# installs no daemon and conflicts with no MTA, unlike postfix for its smtp-sink).
packages=(ca-certificates openssl openssh-client openssh-server sqlite3 postgresql python3-aiosmtpd)
if [[ $want_hypervisor == 1 ]]; then
  packages+=(qemu-utils qemu-system-x86 libvirt-daemon-system libvirt-clients qemu-guest-agent
             busybox-static e2fsprogs cpio gzip kmod zstd b3sum)
fi
if [[ $want_browser == 1 ]]; then packages+=(chromium); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1
fi

if [[ $want_hypervisor == 1 ]]; then
  # libvirt's qemu user must open /dev/kvm; guests themselves run under TCG (see ENVIRONMENT.md).
  [[ -e /dev/kvm ]] && chmod 666 /dev/kvm || true
  mkdir -p /run/libvirt
  pgrep -x virtlogd >/dev/null || virtlogd -d
  pgrep -x libvirtd >/dev/null || libvirtd -d
  for _ in $(seq 1 50); do virsh -c qemu:///system version >/dev/null 2>&1 && break; sleep 0.2; done
  virsh -c qemu:///system version >/dev/null
fi
if [[ $want_install == 1 ]]; then bash "$(dirname "$0")/install.sh"; fi
echo "setup: ready"
