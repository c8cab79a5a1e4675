using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Snapshots;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Snapshots;

/// <summary>
/// The published snapshot test plan on a real guest that is also backed up: take s1, s2; stop,
/// revert to s2, start; stop, revert to s1, start; take s3; delete s1 (Removed, kept), s3 (merged
/// into the current volume), s2 (gone, and s1's image merged): the chain is base + current, and the
/// next backup is still an incremental holding exactly the writes since the backup before them;
/// unassigning the VM merges the backup delta under a snapshot's overlay. Then the same of the stopped
/// VM: take s5 while it is off, start, write, stop, revert to s5 and delete it (both offline): its files
/// are there, the later one is gone, and the chain is as before s5.
/// </summary>
public sealed class SnapshotTableTests
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task TakeRevertDelete_KeepsFilesChainsAndTheBackupChain()
    {
        await using var guest = await TestGuest.CreateAsync("snaps");
        await using var harness = await BackupHarness.StartAsync();
        var snaps = new SnapshotSteps(harness);
        await harness.AssignAsync(guest.Name);
        var b0 = await harness.BackupOkAsync(guest.Name);
        var delta = b0.Volumes.Single().PrimaryDeltaPath!;
        Assert.Equal([delta, guest.RootDiskPath], await snaps.ChainAsync(guest));

        await guest.WriteFileAsync("/mnt/vda/a.txt", "before s1");
        var s1 = await snaps.TakeAsync(guest.Name, "s1", quiesce: true);
        Assert.True(s1.Quiesced, "the agent answers and the offering prefers quiesced snapshots");
        Assert.Equal(delta, s1.Disks.Single().ImagePath);
        await guest.WriteFileAsync("/mnt/vda/b.txt", "before s2");
        var s2 = await snaps.TakeAsync(guest.Name, "s2");
        await guest.WriteFileAsync("/mnt/vda/c.txt", "after s2");
        Assert.Equal([s2.Disks[0].OverlayPath, s1.Disks[0].OverlayPath, delta, guest.RootDiskPath], await snaps.ChainAsync(guest));

        // Revert to s2: its files, a new overlay on s2's image, the overlay the VM left is gone.
        await guest.Virsh.DestroyAsync(guest.Name);
        await snaps.RevertAsync(s2.Id);
        await guest.StartAsync(Boot);
        Assert.Equal(["a.txt", "b.txt"], await FilesAsync(guest));
        var chain = await snaps.ChainAsync(guest);
        Assert.Equal([s2.Disks[0].ImagePath, delta, guest.RootDiskPath], chain.Skip(1));
        Assert.Contains(".rev-", chain[0]);
        Assert.False(File.Exists(s2.Disks[0].OverlayPath), "the overlay the VM ran on before the revert belongs to no snapshot");

        await guest.Virsh.DestroyAsync(guest.Name);
        await snaps.RevertAsync(s1.Id);
        await guest.StartAsync(Boot);
        Assert.Equal(["a.txt"], await FilesAsync(guest));
        Assert.Equal([delta, guest.RootDiskPath], (await snaps.ChainAsync(guest)).Skip(1));
        Assert.True(File.Exists(s2.Disks[0].ImagePath), "s2's image stays while s2 exists");

        await guest.WriteFileAsync("/mnt/vda/d.txt", "before s3");
        var s3 = await snaps.TakeAsync(guest.Name, "s3");

        // s1: s2's image and the running disk both branch off its image: Removed, data kept.
        var s1After = await snaps.DeleteAsync(s1.Id);
        Assert.Equal(SnapshotState.Removed, s1After.State);
        Assert.True(File.Exists(s1After.Disks[0].ImagePath));
        // s3 is the newest: merged into the current volume (the overlay below the running one).
        var s3After = await snaps.DeleteAsync(s3.Id);
        Assert.Equal(SnapshotState.Deleted, s3After.State);
        Assert.False(File.Exists(s3.Disks[0].OverlayPath));
        Assert.Equal(s3.Disks[0].ImagePath, (await snaps.ChainAsync(guest))[0]);
        // s2: its image goes, then s1's image has one child left and is merged with it.
        Assert.Equal(SnapshotState.Deleted, (await snaps.DeleteAsync(s2.Id)).State);
        Assert.Equal(SnapshotState.Deleted, (await snaps.GetAsync(s1.Id)).State);
        Assert.False(File.Exists(s2.Disks[0].ImagePath));
        Assert.Equal([delta, guest.RootDiskPath], await snaps.ChainAsync(guest));
        Assert.Empty(Directory.GetFiles(guest.Directory, "*.snap-*").Concat(Directory.GetFiles(guest.Directory, "*.rev-*")));

        var aSum = await guest.Sha256Async("/mnt/vda/a.txt");
        var dSum = await guest.Sha256Async("/mnt/vda/d.txt");
        Assert.Equal(["a.txt", "d.txt"], await FilesAsync(guest));

        // The backup chain went on through all of it: the next backup is incremental and holds a.txt and d.txt.
        var b1 = await harness.BackupOkAsync(guest.Name);
        Assert.Equal(BackupType.Incremental, b1.Type);
        await guest.WriteFileAsync("/mnt/vda/e.txt", "after b1");
        var restore = await harness.RestoreAsync(b1.Id);
        Assert.True(restore.Status == Engine.Runtime.WorkflowStatus.Finished, await harness.DescribeAsync(restore));
        await guest.WaitForAgentAsync(Boot);
        Assert.Equal(["a.txt", "d.txt"], await FilesAsync(guest));
        Assert.Equal(aSum, await guest.Sha256Async("/mnt/vda/a.txt"));
        Assert.Equal(dSum, await guest.Sha256Async("/mnt/vda/d.txt"));

        // Unassigning merges the backup delta that lies under a snapshot's overlay; the snapshot keeps its data.
        var b2 = await harness.BackupOkAsync(guest.Name);
        var s4 = await snaps.TakeAsync(guest.Name, "s4");
        Assert.Equal(b2.Volumes[0].PrimaryDeltaPath, s4.Disks[0].ImagePath);
        var unassign = await harness.RunAsync("unassign-vm", new System.Text.Json.Nodes.JsonObject { ["host"] = harness.HostName, ["vm"] = guest.Name });
        Assert.True(unassign.Status == Engine.Runtime.WorkflowStatus.Finished, await harness.DescribeAsync(unassign));
        Assert.Equal([s4.Disks[0].OverlayPath, guest.RootDiskPath], await snaps.ChainAsync(guest));
        var s4After = await snaps.GetAsync(s4.Id);
        Assert.Equal((SnapshotState.Ready, guest.RootDiskPath), (s4After.State, s4After.Disks[0].ImagePath));
        Assert.Equal(["a.txt", "d.txt"], await FilesAsync(guest));

        // A snapshot of the stopped VM: a qemu-img overlay and a redefined domain.
        await guest.WriteFileAsync("/mnt/vda/f.txt", "before s5, written while running");
        var fSum = await guest.Sha256Async("/mnt/vda/f.txt");
        await guest.Virsh.DestroyAsync(guest.Name);
        var s5 = await snaps.TakeAsync(guest.Name, "s5");
        Assert.Equal((false, false), (s5.VmWasRunning, s5.Quiesced));
        Assert.Equal(s4.Disks[0].OverlayPath, s5.Disks[0].ImagePath);
        Assert.Equal(s5.Disks[0].OverlayPath, (await guest.Virsh.GetDefinitionAsync(guest.Name, inactive: true)).Disk("vda").Source);
        Assert.Equal([s5.Disks[0].OverlayPath, s4.Disks[0].OverlayPath, guest.RootDiskPath], await snaps.ChainAsync(guest));
        await guest.StartAsync(Boot);
        await guest.WriteFileAsync("/mnt/vda/g.txt", "after s5");
        Assert.Equal(["a.txt", "d.txt", "f.txt", "g.txt"], await FilesAsync(guest));

        await guest.Virsh.DestroyAsync(guest.Name);
        await snaps.RevertAsync(s5.Id);
        var reverted = await snaps.ChainAsync(guest);
        Assert.Contains(".rev-", reverted[0]);
        Assert.Equal([s4.Disks[0].OverlayPath, guest.RootDiskPath], reverted.Skip(1));
        Assert.False(File.Exists(s5.Disks[0].OverlayPath), "the overlay holding g.txt belongs to no snapshot");
        // Still stopped: s5 is the newest, so the revert's overlay is committed into s5's image offline.
        Assert.Equal(SnapshotState.Deleted, (await snaps.DeleteAsync(s5.Id)).State);
        Assert.False(File.Exists(reverted[0]));
        Assert.Equal([s4.Disks[0].OverlayPath, guest.RootDiskPath], await snaps.ChainAsync(guest));
        Assert.Equal(SnapshotState.Ready, (await snaps.GetAsync(s4.Id)).State);
        await guest.StartAsync(Boot);
        Assert.Equal(["a.txt", "d.txt", "f.txt"], await FilesAsync(guest));
        Assert.Equal(fSum, await guest.Sha256Async("/mnt/vda/f.txt"));
    }

    private static async Task<List<string>> FilesAsync(TestGuest guest) =>
        [.. (await guest.ListFilesAsync("/mnt/vda")).Select(f => Path.GetFileName(f)).Where(f => f.EndsWith(".txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
