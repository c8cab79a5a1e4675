namespace BackupWorkflows.Testing.Guests;

/// <summary>The test guest's /init: a busybox shell script that is PID 1.</summary>
internal static class GuestInit
{
    /// <summary>The script for the given modules (names without .ko, in load order).</summary>
    /// <remarks>
    /// It mounts proc/sys/dev, loads the modules, mounts /dev/vda at /mnt/vda and /dev/vdb at
    /// /mnt/vdb when present (ext4), then finds the virtio-serial port named
    /// <c>org.qemu.guest_agent.0</c> and keeps qemu-ga running on it. Lines starting with
    /// <c>bwf:</c> go to the serial console (a file on the host) for diagnosis.
    /// </remarks>
    public static string Script(IEnumerable<string> modules) => $$"""
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        export PATH=/bin:/sbin
        mount -t proc proc /proc
        mount -t sysfs sys /sys
        mount -t devtmpfs dev /dev
        mount -t tmpfs run /run
        mount -t tmpfs tmp /tmp
        for m in {{string.Join(' ', modules)}}; do insmod /lib/modules/$m.ko || echo "bwf: insmod $m failed"; done
        i=0; while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
        for d in vda vdb; do
          if [ -b /dev/$d ]; then mount -t ext4 /dev/$d /mnt/$d && echo "bwf: mounted /dev/$d"; fi
        done
        port=
        i=0
        while [ -z "$port" ] && [ $i -lt 200 ]; do
          for p in /sys/class/virtio-ports/*; do
            [ "$(cat $p/name 2>/dev/null)" = org.qemu.guest_agent.0 ] && port=/dev/$(basename $p)
          done
          [ -n "$port" ] && [ -e "$port" ] || { port=; sleep 0.1; i=$((i+1)); }
        done
        echo "bwf: agent port ${port:-none}"
        while true; do qemu-ga -m virtio-serial -p "$port"; echo "bwf: qemu-ga exited $?"; sleep 1; done

        """;

    /// <summary>/sbin/shutdown, which qemu-ga runs for <c>guest-shutdown</c> (<c>virsh shutdown --mode agent</c>):
    /// there is no init system to signal, so it syncs, unmounts the data disks and powers off at once.</summary>
    public const string Shutdown = """
        #!/bin/sh
        sync
        umount /mnt/vdb 2>/dev/null
        umount /mnt/vda 2>/dev/null
        poweroff -f

        """;
}
