using System.Globalization;
using System.Text.Json.Nodes;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.GuestFiles;

/// <summary>One file system found on a backed-up disk, mounted read-only (or why it is not).</summary>
/// <param name="Name">Volume name users give: the disk target (<c>vda</c>) for a file system on the whole
/// disk, the target and partition number (<c>vda2</c>) for a partition.</param>
/// <param name="Type">File system type as <c>blkid</c> reports it; empty when none was recognised.</param>
/// <param name="Size">Size of the device or partition in bytes.</param>
/// <param name="MountDirectory">Host directory where it is mounted; null when it is not.</param>
/// <param name="Problem">Why it is not mounted (unsupported type, mount failed).</param>
public sealed record BrowseFileSystem(string Name, string Type, long Size, string? MountDirectory, string? Problem);

/// <summary>
/// The host side of browsing a backup: a qcow2 chain made readable as file systems, and taken down again.
/// </summary>
/// <remarks>
/// <para>Why this mechanism: the point to browse is a qcow2 image whose backing files are its parents
/// (and possibly compressed clusters), so the kernel cannot mount it directly. The usual <c>qemu-nbd</c>
/// + <c>/dev/nbdN</c> needs the nbd kernel module, which these hosts (and many cloud kernels) lack.
/// <c>qemu-storage-daemon</c>, installed with QEMU, opens the chain read-only and exports it as a raw
/// file through FUSE (<c>writable=off</c>; <c>/dev/fuse</c> is standard); <c>losetup -r -P</c> makes that a
/// read-only block device with its partitions, and each recognised file system is mounted with
/// <c>ro</c> plus the options that keep the kernel from replaying a journal (<c>noload</c>,
/// <c>norecovery</c>, <c>nologreplay</c>) — read-only at three layers, so no byte of any image changes.
/// Data is read on the host that holds the repository; only what a user asks for leaves it.</para>
/// <para>Everything of one session lives in one directory under the node's run directory
/// (<c>disk</c>: the FUSE export, <c>qsd.pid</c>, <c>fs/NAME</c>: mounts), so <see cref="CleanAsync"/> can
/// find and remove all of it — after a failure, an idle timeout, or a crash of the server (at its
/// next start) — from the directory alone.</para>
/// </remarks>
public static class BrowseMount
{
    /// <summary>File system types that are mounted, with their read-only options.</summary>
    public static IReadOnlyDictionary<string, string> MountOptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ext4"] = "ro,noload,nodev,nosuid,noexec",
        ["ext3"] = "ro,noload,nodev,nosuid,noexec",
        ["ext2"] = "ro,nodev,nosuid,noexec",
        // Two points of one VM carry the same UUID: nouuid lets both be mounted at once.
        ["xfs"] = "ro,norecovery,nouuid,nodev,nosuid,noexec",
        ["btrfs"] = "ro,rescue=nologreplay,nodev,nosuid,noexec",
        ["vfat"] = "ro,nodev,nosuid,noexec",
    };

    /// <summary>Exports <paramref name="imagePath"/> (with its backing chain) read-only, attaches it as a
    /// read-only loop device and mounts every supported file system on it under <paramref name="directory"/>.
    /// On any failure everything already set up is removed again before the error is thrown.</summary>
    /// <returns>The loop device and the file systems found.</returns>
    public static async Task<(string Device, IReadOnlyList<BrowseFileSystem> FileSystems)> OpenAsync(
        IHostShell shell, string directory, string imagePath, string diskName, CancellationToken ct)
    {
        try
        {
            await shell.RunAsync(["mkdir", "-p", "--", $"{directory}/fs"], null, ct);
            await shell.RunAsync(["touch", "--", $"{directory}/disk"], null, ct);
            var blockdev = new JsonObject
            {
                ["driver"] = "qcow2", ["node-name"] = "image", ["read-only"] = true, ["force-share"] = true,
                ["file"] = new JsonObject { ["driver"] = "file", ["filename"] = imagePath, ["read-only"] = true, ["locking"] = "off" },
            };
            var export = new JsonObject
            {
                ["type"] = "fuse", ["id"] = "export", ["node-name"] = "image", ["mountpoint"] = $"{directory}/disk", ["writable"] = false,
            };
            await shell.RunAsync(["qemu-storage-daemon", "--blockdev", blockdev.ToJsonString(), "--export", export.ToJsonString(),
                "--daemonize", "--pidfile", $"{directory}/qsd.pid"], new HostCommandOptions { Timeout = TimeSpan.FromSeconds(60) }, ct);
            // Direct I/O: the loop device reads the export without a second page cache in between; buffered, every
            // read became small FUSE requests (about 60 MiB/s here against 200 MiB/s and more with direct I/O).
            var device = (await shell.RunAsync(["losetup", "-r", "-P", "--direct-io=on", "-f", "--show", "--", $"{directory}/disk"], null, ct))
                .StandardOutput.Trim();
            var found = await ProbeAsync(shell, device, diskName, ct);
            var fileSystems = new List<BrowseFileSystem>();
            foreach (var fs in found)
            {
                if (!MountOptions.TryGetValue(fs.Type, out var options))
                {
                    fileSystems.Add(fs with
                    {
                        MountDirectory = null, Problem = fs.Type.Length == 0 ? "no file system recognised" : $"file system type '{fs.Type}' is not supported",
                    });
                    continue;
                }

                var mountDirectory = $"{directory}/fs/{fs.Name}";
                try
                {
                    await shell.RunAsync(["mkdir", "-p", "--", mountDirectory], null, ct);
                    await shell.RunAsync(["mount", "-t", fs.Type, "-o", options, "--", fs.MountDirectory!, mountDirectory],
                        new HostCommandOptions { Timeout = TimeSpan.FromSeconds(60) }, ct);
                    fileSystems.Add(fs with { MountDirectory = mountDirectory });
                }
                catch (HostCommandException e)
                {
                    fileSystems.Add(fs with { MountDirectory = null, Problem = $"mount failed: {e.StandardErrorTail.Trim()}" });
                }
            }
            return (device, fileSystems);
        }
        catch
        {
            await CleanAsync(shell, directory, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The device and its partitions with their file system types; <see cref="BrowseFileSystem.MountDirectory"/>
    /// temporarily holds the device path.</summary>
    private static async Task<List<BrowseFileSystem>> ProbeAsync(IHostShell shell, string device, string diskName, CancellationToken ct)
    {
        const string script = """
            dev=$1; base=${dev##*/}
            # losetup -P does not always get the kernel to add the partitions (seen here): partx reads the table and adds them.
            ls -d /sys/block/"$base"/"$base"p* >/dev/null 2>&1 || partx -a "$dev" >/dev/null 2>&1 || true
            for p in "/sys/block/$base" /sys/block/"$base"/"$base"p*; do
              [ -e "$p" ] || continue
              d=/dev/${p##*/}
              t=$(blkid -p -s TYPE -o value "$d" 2>/dev/null) || t=
              printf '%s %s %s\n' "${p##*/}" "$(blockdev --getsize64 "$d")" "${t:--}"
            done
            """;
        var output = (await shell.RunAsync(["sh", "-c", script, "sh", device], null, ct)).StandardOutput;
        var baseName = device[(device.LastIndexOf('/') + 1)..];
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        // A partitioned disk is shown as its partitions; the whole device is a file system only without a table.
        if (lines.Count > 1) lines.RemoveAll(w => w[0] == baseName);
        return [.. lines.Select(w => new BrowseFileSystem(
            w[0] == baseName ? diskName : diskName + w[0][(baseName.Length + 1)..],
            w[2] == "-" ? "" : w[2], long.Parse(w[1], CultureInfo.InvariantCulture), $"/dev/{w[0]}", null))];
    }

    /// <summary>
    /// Removes everything under <paramref name="directory"/>: file systems mounted there (deepest first),
    /// loop devices backed by its exports, the storage daemons whose pid files are there (only when that
    /// pid still is a qemu-storage-daemon of this directory), exports left mounted by a daemon that died,
    /// and the directory. Safe to run on a half-made session and on one the server never knew (a leftover).
    /// </summary>
    public static Task CleanAsync(IHostShell shell, string directory, CancellationToken ct)
    {
        const string script = """
            d=$1
            [ -d "$d" ] || exit 0
            mounts() { awk -v d="$d/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r; }
            mounts | while read -r m; do case "$m" in */disk) ;; *) umount "$m" 2>/dev/null || umount -l "$m";; esac; done
            losetup -n -l -O NAME,BACK-FILE | while read -r dev back; do
              case "$back" in "$d"/*) losetup -d "$dev" 2>/dev/null;; esac
            done
            find "$d" -name qsd.pid -type f | while read -r f; do
              p=$(cat "$f" 2>/dev/null)
              case "$p" in ''|*[!0-9]*) continue;; esac
              grep -qsaF -- "${f%/qsd.pid}/disk" "/proc/$p/cmdline" || continue
              kill "$p" 2>/dev/null
              n=0; while [ -d "/proc/$p" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n+1)); done
              kill -9 "$p" 2>/dev/null
            done
            mounts | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
            rm -rf -- "$d"
            """;
        return shell.RunAsync(["sh", "-c", script, "sh", directory], new HostCommandOptions { Timeout = TimeSpan.FromSeconds(60) }, ct);
    }
}
