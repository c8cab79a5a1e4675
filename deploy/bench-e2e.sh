#!/usr/bin/env bash
# End-to-end backup benchmark (issue 15): what a user gets from `bwf backup create VM --wait` against a
# running server, for both strategies (delta, bitmap), and the same work by virtnbdbackup (Debian's
# package, installed when missing) on an identical VM in the same run.
#
#   deploy/bench-e2e.sh [WORKDIR] [DISK_GIB]        (default: a directory under /var/tmp, 4 GiB disks)
#
# Each VM (no OS; KVM runs it idle) has a DISK_GIB qcow2 disk holding 2 GiB of mixed data (random and
# repeated 64 MiB blocks spread over the disk). Measured per VM: a full, then an incremental after 200 MiB
# of writes (qemu-io inside the running QEMU). Every timed step starts right after 3 GiB of tmpfs was
# written and freed: this machine returns freed memory to its hypervisor, and a copy into memory not
# touched for a while runs several times slower (see the Backup project's README), which would otherwise
# decide the ratio. Prints the table and, for our backups, each step's time from the instance's journal.
# Needs the solution built in Release (dotnet build BackupWorkflows.sln -c Release).
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root=$PWD
work=${1:-/var/tmp/bwf-bench-e2e/$(date +%s)}
size_gib=${2:-4}
mkdir -p "$work"
work=$(readlink -f "$work")
server_dll=$repo_root/src/BackupWorkflows.Server/bin/Release/net10.0/BackupWorkflows.Server.dll
cli_dll=$repo_root/src/BackupWorkflows.Cli/bin/Release/net10.0/bwf.dll
[[ -f $server_dll && -f $cli_dll ]] || { echo "build first: dotnet build BackupWorkflows.sln -c Release" >&2; exit 2; }
suffix=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
vms=()
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
  for vm in "${vms[@]}"; do
    virsh -q destroy "$vm" >/dev/null 2>&1 || true
    virsh -q undefine "$vm" --checkpoints-metadata --snapshots-metadata >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

warm() { dd if=/dev/zero of=/dev/shm/bwf-bench-warm-$$ bs=1M count=3072 status=none; rm -f /dev/shm/bwf-bench-warm-$$; }
now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

make_vm() { # NAME: a running VM whose vda holds 2 GiB of mixed data
  local name=$1 dir=$work/$1
  mkdir -p "$dir"
  qemu-img create -q -f raw "$dir/vda.raw" "${size_gib}G"
  for i in $(seq 0 15); do
    dd if=/dev/urandom of="$dir/vda.raw" bs=1M count=64 seek=$((i * size_gib * 64)) conv=notrunc status=none
    { yes backup || true; } | head -c 67108864 | dd of="$dir/vda.raw" bs=1M seek=$((i * size_gib * 64 + 64)) conv=notrunc status=none iflag=fullblock
  done
  qemu-img convert -f raw -O qcow2 "$dir/vda.raw" "$dir/vda.qcow2"
  rm -f "$dir/vda.raw"
  cat > "$dir/domain.xml" <<EOF
<domain type='kvm'><name>$name</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os><seclabel type='none'/>
  <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$dir/vda.qcow2'/>
    <target dev='vda' bus='virtio'/></disk></devices></domain>
EOF
  virsh -q define "$dir/domain.xml" >/dev/null
  vms+=("$name")
  virsh -q start "$name" >/dev/null
}

write_200m() { # NAME BYTE: 200 MiB of new data at 1 GiB into the running disk
  virsh -q qemu-monitor-command "$1" --hmp "qemu-io -d /machine/peripheral/virtio-disk0/virtio-backend \"write -P $2 1G 200M\"" >/dev/null
}

delta_vm=bwf-e2e-delta-$suffix bitmap_vm=bwf-e2e-bitmap-$suffix nbd_vm=bwf-e2e-nbd-$suffix
echo "making three VMs with ${size_gib} GiB disks holding 2 GiB…"
make_vm "$delta_vm"; make_vm "$bitmap_vm"
have_nbd=0
if command -v virtnbdbackup >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtnbdbackup >/dev/null 2>&1; then
  have_nbd=1; make_vm "$nbd_vm"
else
  echo "virtnbdbackup is not installable here: its column stays empty"
fi
sync

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dotnet "$server_dll" --urls "http://127.0.0.1:$port" --data "$work/data" > "$work/server.log" 2>&1 &
server_pid=$!
export BWF_SERVER=http://127.0.0.1:$port
for _ in $(seq 1 120); do [[ -s $work/data/initial-admin-key ]] && curl -fs "$BWF_SERVER/api/health" >/dev/null 2>&1 && break; sleep 0.5; done
export BWF_API_KEY=$(cat "$work/data/initial-admin-key")
bwf() { dotnet "$cli_dll" "$@"; }
# The server registers this machine as host 'local' on first start.
mkdir -p "$work/repository"
bwf repo add bench --path "$work/repository" >/dev/null
bwf offering create delta --strategy delta >/dev/null
bwf offering create bitmap --strategy bitmap >/dev/null
bwf vm assign "$delta_vm" --offering delta --repo bench >/dev/null
bwf vm assign "$bitmap_vm" --offering bitmap --repo bench >/dev/null

declare -A took
steps_file=$work/steps.txt
: > "$steps_file"
backup() { # VM LABEL: times `bwf backup create VM --wait` and keeps the journal's step times
  local vm=$1 label=$2 start end out id
  warm
  start=$(now)
  out=$(bwf backup create "$vm" --wait --output json)
  end=$(now)
  took[$label]=$(secs "$start" "$end")
  id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$out")
  curl -fs -H "X-Api-Key: $BWF_API_KEY" "$BWF_SERVER/api/instances/$id/journal" > "$work/journal.json"
  python3 - "$label" "$out" "$work/journal.json" >> "$steps_file" <<'PY'
import json, sys
from datetime import datetime
label, out, journal = sys.argv[1], json.loads(sys.argv[2]), json.load(open(sys.argv[3]))
def at(s): return datetime.fromisoformat(s.replace("Z", "+00:00"))
steps = [f"{e['activityId']} {(at(e['endedAt']) - at(e['startedAt'])).total_seconds():.2f}"
         for e in journal if e.get("endedAt") and e["activityId"] not in ("start", "kind", "finish")]
o = out.get("output") or {}
print(f"{label}: {o.get('type')} ({o.get('strategy')}): " + ", ".join(steps) + f"  [{o.get('reason')}]")
PY
}

nbd() { # LEVEL LABEL
  warm
  local start end
  start=$(now)
  virtnbdbackup -d "$nbd_vm" -l "$1" -o "$work/nbd" >"$work/nbd-$1.log" 2>&1
  end=$(now)
  took[$2]=$(secs "$start" "$end")
}

echo "delta: full, then an incremental after 200 MiB of writes"
backup "$delta_vm" delta-full; write_200m "$delta_vm" 0x5a; backup "$delta_vm" delta-inc
echo "bitmap: full, then an incremental after 200 MiB of writes"
backup "$bitmap_vm" bitmap-full; write_200m "$bitmap_vm" 0x5a; backup "$bitmap_vm" bitmap-inc
if [[ $have_nbd == 1 ]]; then
  echo "virtnbdbackup: full, then an incremental after 200 MiB of writes"
  nbd full nbd-full; write_200m "$nbd_vm" 0x5a; nbd inc nbd-inc
fi

ratio() { [[ $have_nbd == 1 ]] && python3 -c "import sys; print(f'{float(sys.argv[2]) / float(sys.argv[1]):.2f}x')" "$1" "$2" || echo "-"; }
echo
echo "| ${size_gib} GiB disk, 2 GiB data | delta | bitmap | virtnbdbackup | delta vs virtnbdbackup | bitmap vs virtnbdbackup |"
echo "| --- | --- | --- | --- | --- | --- |"
for kind in full inc; do
  n=${took[nbd-$kind]:-}
  echo "| $kind | ${took[delta-$kind]} s | ${took[bitmap-$kind]} s | ${n:+$n s} | $(ratio "${took[delta-$kind]}" "${n:-0}") | $(ratio "${took[bitmap-$kind]}" "${n:-0}") |"
done
echo
echo "step times from the journal (s):"
cat "$steps_file"
