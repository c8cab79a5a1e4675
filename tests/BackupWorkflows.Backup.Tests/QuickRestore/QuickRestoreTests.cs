using System.Diagnostics;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Snapshots;
using BackupWorkflows.Backup.Tests.Compression;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Kvm.Images;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.QuickRestore;

/// <summary>
/// Quick restore of a real guest: refused while the offering does not allow it; then the VM runs
/// on overlays backed by the backup at once, holds exactly the backup's files, and after the
/// block pull its disk no longer depends on the repository. A snapshot of the disk a quick restore
/// replaces becomes Stale (with the reason) and cannot be reverted to; a restore to another VM leaves it alone.
/// </summary>
public sealed class QuickRestoreTests
{
    [Fact]
    public async Task QuickRestore_RefusedWithoutPermission_ThenRunsAtOnce_AndEndsIndependentOfTheRepository()
    {
        await using var guest = await TestGuest.CreateAsync("quick");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/kept.txt", "in the backup\n");
        var kept = await guest.Sha256Async("/mnt/vda/kept.txt");
        var run = await harness.BackupAsync(guest.Name);
        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        var backupId = BackupHarness.BackupIdOf(run);
        await guest.WriteFileAsync("/mnt/vda/later.txt", "written after the backup\n");

        var refused = await QuickRestoreAsync(harness, backupId);
        Assert.Equal(WorkflowStatus.Faulted, refused.Status);
        Assert.Contains("does not allow", await harness.DescribeAsync(refused));
        Assert.True(await guest.Agent.TryPingAsync(), "a refused quick restore must leave the VM running");

        await harness.ConfigureOfferingAsync(o => o.AllowQuickRestore = true);
        var watch = Stopwatch.StartNew();
        var restore = await QuickRestoreAsync(harness, backupId);
        Assert.True(restore.Status == WorkflowStatus.Finished, await harness.DescribeAsync(restore));
        await guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
        var files = (await guest.ListFilesAsync("/mnt/vda")).Select(Path.GetFileName).ToList();
        Assert.Contains("kept.txt", files);
        Assert.DoesNotContain("later.txt", files);
        Assert.Equal(kept, await guest.Sha256Async("/mnt/vda/kept.txt"));
        // The figure against the 5 s target is the benchmark's; on a loaded 2-core CI machine allow more.
        Assert.True(restore.Output?["millisecondsToStart"]?.GetValue<long>() < 15000, await harness.DescribeAsync(restore));

        var active = (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk("vda").Source!;
        var chain = await new QemuImg(new LocalHostShell()).BackingChainAsync(active, forceShare: true);
        var only = Assert.Single(chain);
        Assert.False(only.Filename.StartsWith(harness.RepositoryPath, StringComparison.Ordinal), only.Filename);

        // The quick restore ended the chain: the next backup is full and says why.
        var next = await harness.BackupAsync(guest.Name);
        Assert.True(next.Status == WorkflowStatus.Finished, await harness.DescribeAsync(next));
        Assert.Equal("Full", next.Output?["type"]?.GetValue<string>());
        Assert.Contains("quick-restored", next.Output?["reason"]?.GetValue<string>());
    }

    [Fact]
    public async Task SecondQuickRestoreFromTheSameBase_DeletesTheFirstOnesImage_AndLeavesItsSnapshotStale()
    {
        await using var guest = await TestGuest.CreateAsync("quick2");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        await harness.ConfigureOfferingAsync(o => o.AllowQuickRestore = true);
        await guest.WriteFileAsync("/mnt/vda/a.txt", "a");
        var first = await harness.BackupOkAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/b.txt", "b");
        var second = await harness.BackupOkAsync(guest.Name);
        Assert.Equal(first.Volumes[0].PrimaryBasePath, second.Volumes[0].PrimaryBasePath);

        var toSecond = await QuickRestoreAsync(harness, second.Id);
        Assert.True(toSecond.Status == WorkflowStatus.Finished, await harness.DescribeAsync(toSecond));
        var firstImage = (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk("vda").Source!;
        Assert.True(File.Exists(firstImage));
        await guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));

        // A snapshot of the disk the next quick restore replaces; a restore to another VM does not touch it.
        var snaps = new SnapshotSteps(harness);
        var s1 = await snaps.TakeAsync(guest.Name, "s1");
        Assert.Equal(firstImage, s1.Disks[0].ImagePath);
        await RestoreToAnotherVmAsync(harness, guest, first.Id);
        Assert.Equal(SnapshotState.Ready, (await snaps.GetAsync(s1.Id)).State);

        var toFirst = await QuickRestoreAsync(harness, first.Id);
        Assert.True(toFirst.Status == WorkflowStatus.Finished, await harness.DescribeAsync(toFirst));
        var now = (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk("vda").Source!;
        Assert.NotEqual(firstImage, now);
        Assert.False(File.Exists(firstImage), $"{firstImage} of the earlier quick restore is left behind");
        Assert.Single(await new QemuImg(new LocalHostShell()).BackingChainAsync(now, forceShare: true));
        await guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
        var files = (await guest.ListFilesAsync("/mnt/vda")).Select(Path.GetFileName).ToList();
        Assert.Contains("a.txt", files);
        Assert.DoesNotContain("b.txt", files);

        var stale = await snaps.GetAsync(s1.Id);
        Assert.Equal(SnapshotState.Stale, stale.State);
        Assert.Contains($"quick-restored from backup {first.Id}", stale.Error);
        Assert.False(File.Exists(s1.Disks[0].OverlayPath), "the stale snapshot's overlay went with the restore's tidying");
        // Reverting to it is refused with the reason, and the stopped VM's disk stays as the restore left it.
        await guest.Virsh.DestroyAsync(guest.Name);
        var refused = await harness.RunAsync("snapshot-revert", new JsonObject { ["snapshotId"] = s1.Id.ToString() });
        Assert.Equal(WorkflowStatus.Faulted, refused.Status);
        var why = await harness.DescribeAsync(refused);
        Assert.Contains("is Stale", why);
        Assert.Contains($"quick-restored from backup {first.Id}", why);
        Assert.Equal(now, (await guest.Virsh.GetDefinitionAsync(guest.Name, inactive: true)).Disk("vda").Source);
        Assert.Equal([now], await snaps.ChainAsync(guest));
        Assert.Empty(Directory.GetFiles(guest.Directory, "*.rev-*"));
    }

    /// <summary>Restores the backup's vda as a new disk of another, never started VM, then removes that VM and the disk.</summary>
    private static async Task RestoreToAnotherVmAsync(BackupHarness harness, TestGuest guest, Guid backup)
    {
        var other = guest.Name + "-other";
        await guest.Virsh.DefineAsync($"""
            <domain type='qemu'><name>{other}</name><metadata>{TestGuest.OwnerMetadata()}</metadata><memory unit='MiB'>64</memory><vcpu>1</vcpu>
              <os><type arch='x86_64'>hvm</type></os><seclabel type='none'/><devices/></domain>
            """);
        try
        {
            var run = await harness.RestoreAsync(backup, new() { ["volume"] = "vda", ["toVm"] = other });
            Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
            var restored = run.Outputs?["restoreVolume"]?["imagePath"]?.GetValue<string>();
            Assert.Contains((await guest.Virsh.GetDefinitionAsync(other, inactive: true)).Disks, d => d.Source == restored);
            File.Delete(restored!);
        }
        finally { await guest.Virsh.UndefineAsync(other); }
    }

    private static Task<WorkflowInstanceInfo> QuickRestoreAsync(BackupHarness h, Guid backup) =>
        h.RunAsync("quick-restore", new JsonObject { ["backupId"] = backup.ToString() });
}
