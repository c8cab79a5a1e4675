using System.Diagnostics;
using System.Globalization;
using BackupWorkflows.Backup.GuestFiles;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Benchmarks;

/// <summary>
/// File-level restore (issue 14): a 4 GiB ext4 disk holding a 1 GiB file and 1 GiB in 1,024 small files,
/// stored as qcow2. Measures the time from nothing open to the first listing of <c>/</c> (export, loop
/// device, mount, resolve, list: what the first request of a browse session does) and the throughput of
/// reading the 1 GiB file through the session (<c>GuestFileSystem.ReadAsync</c>, as the content API
/// streams it), against <c>cat</c> of the same file from the raw disk image loop-mounted directly.
/// Both sides start each round on a fresh mount (a new loop device, so nothing of the file system is cached)
/// over an image file the host has cached (read once before the timed rounds); median of the rounds.
/// </summary>
internal static class FileBrowseBenchmark
{
    public static async Task RunAsync(int rounds)
    {
        var dir = Path.Combine("/var/tmp/bwf-bench", "files-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var shell = new LocalHostShell();
        var raw = Path.Combine(dir, "disk.raw");
        var qcow2 = Path.Combine(dir, "disk.qcow2");
        var direct = Path.Combine(dir, "direct");
        try
        {
            Console.WriteLine("file-browse: making a 4 GiB ext4 disk with 2 GiB of data …");
            await shell.RunAsync(["truncate", "-s", "4G", raw]);
            await shell.RunAsync(["mkfs.ext4", "-q", "-F", raw]);
            Directory.CreateDirectory(direct);
            await shell.RunAsync(["mount", "-o", "loop", raw, direct]);
            await shell.RunAsync(["sh", "-c", """
                head -c 1G /dev/urandom > "$1/big" && mkdir -p "$1/small" &&
                head -c 1G /dev/urandom | split -b 1M -a 4 - "$1/small/f" && sync
                """, "sh", direct], new HostCommandOptions { Timeout = TimeSpan.FromMinutes(10) });
            await shell.RunAsync(["umount", direct]);
            await shell.RunAsync(["qemu-img", "convert", "-O", "qcow2", raw, qcow2], new HostCommandOptions { Timeout = TimeSpan.FromMinutes(10) });

            var firstListing = new List<double>();
            var ours = new List<double>();
            var cat = new List<double>();
            var bare = new List<double>();
            var baseListing = new List<double>();
            for (var round = 0; round <= rounds; round++)
            {
                var session = Path.Combine(dir, "run", round.ToString(CultureInfo.InvariantCulture));
                var watch = Stopwatch.StartNew();
                var (_, fileSystems) = await BrowseMount.OpenAsync(shell, session, qcow2, "vda", CancellationToken.None);
                var fs = new GuestFileSystem(shell, fileSystems.Single().MountDirectory!);
                var root = await fs.ResolveAsync([], followFinal: true, CancellationToken.None);
                var entries = await fs.ListAsync(root, CancellationToken.None);
                var listed = watch.Elapsed.TotalSeconds;
                if (entries.Count < 2) throw new InvalidOperationException("the listing of / is missing entries");

                var big = await fs.ResolveAsync(GuestPath.Parse("/big"), followFinal: true, CancellationToken.None);
                watch.Restart();
                await fs.ReadAsync(big, Stream.Null, 0, null, CancellationToken.None);
                var read = watch.Elapsed.TotalSeconds;
                await BrowseMount.CleanAsync(shell, session, CancellationToken.None);

                // The mechanism alone: cat on a fresh session's mount, to /dev/null on the host (no pipe to .NET).
                var (_, again) = await BrowseMount.OpenAsync(shell, session, qcow2, "vda", CancellationToken.None);
                watch.Restart();
                await shell.RunAsync(["sh", "-c", "cat \"$1\" > /dev/null", "sh", again.Single().MountDirectory + "/big"]);
                var mechanism = watch.Elapsed.TotalSeconds;
                await BrowseMount.CleanAsync(shell, session, CancellationToken.None);

                watch.Restart();
                await shell.RunAsync(["mount", "-o", "loop,ro,noload", raw, direct]);
                await shell.RunAsync(["ls", "-la", direct]);
                var baseList = watch.Elapsed.TotalSeconds;
                watch.Restart();
                await shell.RunAsync(["sh", "-c", "cat \"$1\" > /dev/null", "sh", Path.Combine(direct, "big")]);
                var catRead = watch.Elapsed.TotalSeconds;
                await shell.RunAsync(["umount", direct]);
                if (round == 0) continue; // warms both caches
                firstListing.Add(listed);
                ours.Add(read);
                bare.Add(mechanism);
                cat.Add(catRead);
                baseListing.Add(baseList);
                Console.WriteLine(FormattableString.Invariant(
                    $"  round {round}: first listing {listed:F3} s; read 1 GiB {read:F2} s ({1024 / read:F0} MiB/s), cat on the session's mount {mechanism:F2} s, vs cat {catRead:F2} s ({1024 / catRead:F0} MiB/s)"));
            }

            double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
            Console.WriteLine(FormattableString.Invariant($"""

                | measure (median of {rounds}) | ours | direct mount | ratio |
                | --- | --- | --- | --- |
                | first listing of / (4 GiB qcow2, 2 GiB data): open + list | {Median(firstListing):F3} s | mount + ls -la {Median(baseListing):F3} s | {Median(baseListing) / Median(firstListing):F2} |
                | read 1 GiB file (GuestFileSystem.ReadAsync) | {1024 / Median(ours):F0} MiB/s | cat {1024 / Median(cat):F0} MiB/s | {Median(cat) / Median(ours):F2} |
                | read 1 GiB file (cat on the session's mount) | {1024 / Median(bare):F0} MiB/s | cat {1024 / Median(cat):F0} MiB/s | {Median(cat) / Median(bare):F2} |
                """));
        }
        finally
        {
            await shell.RunAsync(["sh", "-c", "umount \"$1\" 2>/dev/null; rm -rf -- \"$2\"", "sh", direct, dir], new HostCommandOptions { SuccessExitCodes = [0, 1] });
        }
    }
}
