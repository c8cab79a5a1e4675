using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.GuestFiles;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Servers;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Tests.Files;

/// <summary>
/// A server process SIGKILLed while a browse session is open leaves its export, loop device and mounts on the host;
/// the next start of that node removes them (and nothing of another node). The image is a compressed qcow2 of a disk
/// with an MBR partition table and two file systems (ext4, ext2), made here without a guest; the backup's rows are
/// written to the server's database as a backup would leave them.
/// </summary>
public sealed class BrowseCrashTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine("/var/tmp", "bwf-browse-crash-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _node = "crash-" + Guid.NewGuid().ToString("N")[..6];

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Run("sh", "-c", $"rm -rf -- '{_root}'");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task KilledMidBrowse_NextStartRemovesExportLoopAndMounts_PartitionsOfACompressedImageAreBrowsable()
    {
        var watch = Stopwatch.StartNew();
        var image = MakeCompressedMbrDisk();
        var imageSum = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(image)));
        var data = Path.Combine(_root, "data");
        var options = new ServerProcessOptions { DataDirectory = data, WaitForAdminKey = true, Arguments = ["--node", _node] };
        var runDirectory = $"{BrowseSessions.RunRoot}/{_node}";

        // Another node's session on the same host must survive this node's clean-up.
        var otherNode = $"{BrowseSessions.RunRoot}/other-{_node}/s1";
        var kvm = new BackupWorkflows.Kvm.Hosts.LocalHostShell();
        await BrowseMount.OpenAsync(kvm, otherNode, image, "vda", CancellationToken.None);
        try
        {
            string backupId;
            await using (var first = await ServerProcess.StartAsync(options))
            {
                var admin = first.Admin();
                await (await admin.PostAsJsonAsync("/api/offerings", new { name = "files", allowFileExtraction = true })).OkJsonAsync();
                backupId = await SeedBackupAsync(data, image);
                await (await admin.GetAsync($"/api/backups/{Guid.NewGuid()}/files?path=/")).AssertProblemAsync(HttpStatusCode.NotFound);

                var ambiguous = await (await admin.GetAsync($"/api/backups/{backupId}/files?volume=vda&path=/")).AssertProblemAsync(HttpStatusCode.BadRequest);
                Assert.True(ambiguous["errors"]?["volume"]?[0]?.GetValue<string>().Contains("vda1 (ext4), vda2 (ext2)") == true, ambiguous.ToJsonString());
                var listing = await (await admin.GetAsync($"/api/backups/{backupId}/files?volume=vda1&path=/")).OkJsonAsync();
                Assert.Equal(["dir", "hello.txt", "lost+found"], listing["entries"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
                Assert.Equal("second fs\n", await admin.GetStringAsync($"/api/backups/{backupId}/files/content?volume=vda2&path=/c.txt"));
                Assert.Equal("nested\n", await admin.GetStringAsync($"/api/backups/{backupId}/files/content?volume=vda1&path=/dir/b.txt"));
                Assert.Contains($"{runDirectory}/", File.ReadAllText("/proc/self/mounts"));

                first.Kill(entireTree: false); // as kill -9 PID: the daemonized qemu-storage-daemon lives on
            }
            Assert.NotEqual("", Leftovers(runDirectory));

            await using (var second = await ServerProcess.StartAsync(options))
            {
                await Eventually.UntilAsync(() => Leftovers(runDirectory) == "", "no mount, loop device or session directory left", TimeSpan.FromSeconds(60));
                Assert.Contains($"{BrowseSessions.RunRoot}/other-{_node}/", File.ReadAllText("/proc/self/mounts"));
                // Browsing works again after the clean-up.
                var again = await (await second.Admin().GetAsync($"/api/backups/{backupId}/files?volume=vda2&path=/")).OkJsonAsync();
                Assert.Contains(again["entries"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "c.txt");
            }
        }
        finally
        {
            await BrowseMount.CleanAsync(kvm, $"{BrowseSessions.RunRoot}/other-{_node}", CancellationToken.None);
            await BrowseMount.CleanAsync(kvm, runDirectory, CancellationToken.None);
        }
        Assert.Equal("", Leftovers(runDirectory));
        Assert.Equal(imageSum, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(image))));
        Console.WriteLine($"BrowseCrashTests took {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Rows as a finished backup of VM 'ghost' on host 'local' leaves them (its offering allows file extraction).</summary>
    private static async Task<string> SeedBackupAsync(string data, string image)
    {
        var options = new DbContextOptionsBuilder<BackupDbContext>().UseSqlite($"Data Source={Path.Combine(data, "bwf.db")}").Options;
        await using var db = new BackupDbContext(options);
        db.Assignments.Add(new VmAssignment { VmName = "ghost", HostName = "local", OfferingName = "files", RepositoryName = "default", AssignedAt = DateTimeOffset.UtcNow });
        var backup = new BackupRecord
        {
            Id = Guid.NewGuid(), VmName = "ghost", HostName = "local", RepositoryName = "default", Type = BackupType.Full,
            State = BackupState.BackedUp, Compressed = true, CreatedAt = DateTimeOffset.UtcNow, CompletedAt = DateTimeOffset.UtcNow,
            Volumes = [new BackupVolume { Id = Guid.NewGuid(), Target = "vda", PrimaryBasePath = "/nowhere/ghost-vda.qcow2", ImagePath = image }],
        };
        backup.ChainId = backup.Id;
        backup.ChainPosition = 1;
        db.Backups.Add(backup);
        await db.SaveChangesAsync();
        return backup.Id.ToString();
    }

    /// <summary>A 42 MiB disk: MBR with partition 1 (ext4, 1-21 MiB) and 2 (ext2, 21-41 MiB), as a zstd-compressed qcow2.</summary>
    private string MakeCompressedMbrDisk()
    {
        var one = Path.Combine(_root, "one");
        var two = Path.Combine(_root, "two");
        Directory.CreateDirectory(Path.Combine(one, "dir"));
        Directory.CreateDirectory(two);
        File.WriteAllText(Path.Combine(one, "hello.txt"), "hello\n");
        File.WriteAllText(Path.Combine(one, "dir", "b.txt"), "nested\n");
        File.WriteAllText(Path.Combine(two, "c.txt"), "second fs\n");
        var p1 = Path.Combine(_root, "p1.raw");
        var p2 = Path.Combine(_root, "p2.raw");
        Run("mkfs.ext4", "-q", "-d", one, p1, "20M");
        Run("mkfs.ext2", "-q", "-d", two, p2, "20M");
        var raw = Path.Combine(_root, "disk.raw");
        using (var disk = new FileStream(raw, FileMode.Create))
        {
            disk.SetLength(42L << 20);
            var mbr = new byte[512];
            Entry(mbr, 0, 1L << 20, 20L << 20);
            Entry(mbr, 1, 21L << 20, 20L << 20);
            mbr[510] = 0x55;
            mbr[511] = 0xAA;
            disk.Write(mbr);
            foreach (var (file, offset) in new[] { (p1, 1L << 20), (p2, 21L << 20) })
            {
                disk.Position = offset;
                using var part = File.OpenRead(file);
                part.CopyTo(disk);
            }
        }
        var qcow2 = Path.Combine(_root, "repository-vda.qcow2");
        Run("qemu-img", "convert", "-c", "-O", "qcow2", "-o", "compression_type=zstd", raw, qcow2);
        return qcow2;

        static void Entry(byte[] mbr, int index, long offset, long size)
        {
            var e = mbr.AsSpan(446 + 16 * index, 16);
            e[4] = 0x83; // Linux
            BinaryPrimitives.WriteUInt32LittleEndian(e[8..], (uint)(offset / 512));
            BinaryPrimitives.WriteUInt32LittleEndian(e[12..], (uint)(size / 512));
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
    }

    /// <summary>Mounts, loop devices and session directories of the run directory ("" when none).</summary>
    internal static string Leftovers(string runDirectory)
    {
        var mounts = File.ReadAllLines("/proc/self/mounts").Where(l => l.Contains(runDirectory + "/", StringComparison.Ordinal));
        var start = new ProcessStartInfo("losetup", "-n -l -O BACK-FILE") { RedirectStandardOutput = true };
        using var loops = Process.Start(start)!;
        var backing = loops.StandardOutput.ReadToEnd().Split('\n').Where(l => l.Contains(runDirectory + "/", StringComparison.Ordinal));
        loops.WaitForExit();
        var dirs = Directory.Exists(runDirectory) ? Directory.GetDirectories(runDirectory) : [];
        return string.Join("\n", mounts.Concat(backing).Concat(dirs));
    }
}
