using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Snapshots;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Snapshots;

/// <summary>
/// Backups and snapshots of one real guest, interleaved as the published plan has them: file 1, b1;
/// file 2, s1; file 3, s2; file 4, b2; file 5, b3; revert s1 -> files 1-2; revert s2 -> files 1-3;
/// delete the snapshots; restore b1 -> file 1; b2 -> files 1-4; b3 -> files 1-5 (checksums in the guest);
/// a snapshot taken before the restores is then Stale and cannot be reverted to.
/// </summary>
public sealed class SnapshotBackupInteractionTests
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task IncrementalsSpanSnapshots_RevertsEndTheChain_RestoresHoldEachPoint()
    {
        await using var guest = await TestGuest.CreateAsync("snapmix");
        await using var harness = await BackupHarness.StartAsync();
        var snaps = new SnapshotSteps(harness);
        await harness.AssignAsync(guest.Name);
        var sums = new Dictionary<int, string>();
        async Task WriteAsync(int i)
        {
            await guest.WriteFileAsync($"/mnt/vda/file{i}.txt", $"file {i} {Guid.NewGuid()}\n" + new string((char)('a' + i), 3000 * i));
            sums[i] = await guest.Sha256Async($"/mnt/vda/file{i}.txt");
        }

        await WriteAsync(1);
        var b1 = await harness.BackupOkAsync(guest.Name);
        await WriteAsync(2);
        var s1 = await snaps.TakeAsync(guest.Name, "s1");
        await WriteAsync(3);
        var s2 = await snaps.TakeAsync(guest.Name, "s2");
        await WriteAsync(4);
        var b2 = await harness.BackupOkAsync(guest.Name);
        Assert.Equal(BackupType.Incremental, b2.Type);
        // The writes since b1 (files 2-4) lay in b1's delta and both snapshot overlays: only those were copied.
        Assert.True(b2.StoredSize < 4 << 20, $"incremental b2: {b2.StoredSize} bytes");
        await WriteAsync(5);
        var b3 = await harness.BackupOkAsync(guest.Name);
        Assert.Equal(BackupType.Incremental, b3.Type);
        // The snapshots kept their images through both merges.
        foreach (var s in new[] { s1, s2 }) Assert.True(File.Exists((await snaps.GetAsync(s.Id)).Disks[0].ImagePath), s.Name);

        await guest.Virsh.DestroyAsync(guest.Name);
        var revert1 = await snaps.RevertAsync(s1.Id);
        Assert.Contains("taken before backup", revert1.Output?["chainEnded"]?.GetValue<string>());
        await guest.StartAsync(Boot);
        await AssertFilesAsync(guest, sums, 1, 2);

        await guest.Virsh.DestroyAsync(guest.Name);
        await snaps.RevertAsync(s2.Id);
        await guest.StartAsync(Boot);
        await AssertFilesAsync(guest, sums, 1, 3);

        Assert.Equal(SnapshotState.Deleted, (await snaps.DeleteAsync(s1.Id)).State);
        Assert.Equal(SnapshotState.Deleted, (await snaps.DeleteAsync(s2.Id)).State);
        Assert.Equal([guest.RootDiskPath], await snaps.ChainAsync(guest));
        await AssertFilesAsync(guest, sums, 1, 3);

        // A snapshot taken now no longer matches the disk once a backup is restored under it.
        var s3 = await snaps.TakeAsync(guest.Name, "s3");
        foreach (var (backup, last) in new[] { (b1, 1), (b2, 4), (b3, 5) })
        {
            var restore = await harness.RestoreAsync(backup.Id);
            Assert.True(restore.Status == WorkflowStatus.Finished, await harness.DescribeAsync(restore));
            await guest.WaitForAgentAsync(Boot);
            await AssertFilesAsync(guest, sums, 1, last);
            Assert.Equal([guest.RootDiskPath], await snaps.ChainAsync(guest));
        }
        var stale = await snaps.GetAsync(s3.Id);
        Assert.Equal(SnapshotState.Stale, stale.State);
        Assert.Contains($"restored from backup {b1.Id}", stale.Error);
        Assert.False(File.Exists(s3.Disks[0].OverlayPath), "the stale snapshot's overlay went with the restore's tidying");
        await guest.Virsh.DestroyAsync(guest.Name);
        var refused = await harness.RunAsync("snapshot-revert", new System.Text.Json.Nodes.JsonObject { ["snapshotId"] = s3.Id.ToString() });
        Assert.Equal(WorkflowStatus.Faulted, refused.Status);
        Assert.Contains("Stale", await harness.DescribeAsync(refused));
        Assert.Equal(guest.RootDiskPath, (await guest.Virsh.GetDefinitionAsync(guest.Name, inactive: true)).Disk("vda").Source);
    }

    private static async Task AssertFilesAsync(TestGuest guest, Dictionary<int, string> sums, int first, int last)
    {
        var present = (await guest.ListFilesAsync("/mnt/vda")).Select(f => Path.GetFileName(f))
            .Where(f => f.StartsWith("file", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(first, last - first + 1).Select(i => $"file{i}.txt"), present);
        for (var i = first; i <= last; i++) Assert.Equal(sums[i], await guest.Sha256Async($"/mnt/vda/file{i}.txt"));
    }
}
