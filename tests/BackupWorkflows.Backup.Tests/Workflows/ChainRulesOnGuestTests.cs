using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Workflows;

/// <summary>Chain size, excluded disks, stopped VMs and awkward paths, on real guests.</summary>
public sealed class ChainRulesOnGuestTests
{
    [Fact]
    public async Task ChainSizeThree_FourthBackupIsFull()
    {
        await using var guest = await TestGuest.CreateAsync("size3");
        await using var harness = await BackupHarness.StartAsync(chainSize: 3);
        await harness.AssignAsync(guest.Name);
        var types = new List<BackupType>();
        for (var i = 0; i < 4; i++)
        {
            await guest.WriteFileAsync($"/mnt/vda/f{i}", $"{i}");
            types.Add((await harness.BackupOkAsync(guest.Name)).Type);
        }
        Assert.Equal([BackupType.Full, BackupType.Incremental, BackupType.Incremental, BackupType.Full], types);
        var backups = await harness.BackupsAsync(guest.Name);
        Assert.Equal(backups[3].Id, backups[3].ChainId);
        Assert.Null(backups[3].ParentId);
        await ChainAssert.HealthyAsync(guest, backups);
    }

    [Fact]
    public async Task TwoDisks_ExcludedDiskIsNeitherCopiedNorSnapshotted()
    {
        await using var guest = await TestGuest.CreateAsync("twodisk", new TestGuestOptions { DataDiskMiB = 32 });
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name, "vdb");
        await guest.WriteFileAsync("/mnt/vda/root.txt", "root");
        await guest.WriteFileAsync("/mnt/vdb/data.txt", "data");
        var full = await harness.BackupOkAsync(guest.Name);
        var incr = await harness.BackupOkAsync(guest.Name);
        Assert.Equal(["vda"], full.Volumes.Select(v => v.Target));
        Assert.Equal(BackupType.Incremental, incr.Type);
        var vdb = await ChainAssert.ChainOfAsync(guest, "vdb");
        Assert.Equal([guest.DataDiskPath], vdb.Select(i => i.Filename));
        await ChainAssert.HealthyAsync(guest, await harness.BackupsAsync(guest.Name), "vda", "vdb");
    }

    [Fact]
    public async Task StoppedVm_OfflineFullAndIncremental_RestoreBringsBackItsFiles()
    {
        await using var guest = await TestGuest.CreateAsync("stopped");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/one.txt", "one");
        var sha = await guest.Sha256Async("/mnt/vda/one.txt");
        await guest.Virsh.DestroyAsync(guest.Name);
        var full = await harness.BackupOkAsync(guest.Name);
        Assert.False(full.VmWasRunning);

        await guest.StartAsync(TimeSpan.FromSeconds(120));
        await guest.WriteFileAsync("/mnt/vda/two.txt", "two");
        await guest.Virsh.DestroyAsync(guest.Name);
        var incr = await harness.BackupOkAsync(guest.Name);
        Assert.Equal(BackupType.Incremental, incr.Type);
        Assert.Equal(2, (await ChainAssert.ChainOfAsync(guest)).Count);

        var restore = await harness.RestoreAsync(full.Id, new() { ["start"] = "true" });
        Assert.True(restore.Status == Engine.Runtime.WorkflowStatus.Finished, await harness.DescribeAsync(restore));
        await guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(sha, await guest.Sha256Async("/mnt/vda/one.txt"));
        Assert.DoesNotContain("/mnt/vda/two.txt", await guest.ListFilesAsync("/mnt/vda"));
    }

    [Fact]
    public async Task DiskPathWithSpacesAndQuotes_BacksUpAndRestores()
    {
        var dir = Path.Combine("/var/tmp/bwf odd 'dir' \"q\" $x", Guid.NewGuid().ToString("N")[..6]);
        await using var guest = await TestGuest.CreateAsync("odd", new TestGuestOptions { Directory = dir });
        await using var harness = await BackupHarness.StartAsync(directory: Path.Combine(dir, "bwf 'state'"));
        await harness.AssignAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/a.txt", "a");
        var full = await harness.BackupOkAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/b.txt", "b");
        var incr = await harness.BackupOkAsync(guest.Name);
        Assert.Equal(BackupType.Incremental, incr.Type);
        Assert.Contains("'", incr.Volumes[0].ImagePath);

        var restore = await harness.RestoreAsync(full.Id);
        Assert.True(restore.Status == Engine.Runtime.WorkflowStatus.Finished, await harness.DescribeAsync(restore));
        await guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
        var files = await guest.ListFilesAsync("/mnt/vda");
        Assert.Contains("/mnt/vda/a.txt", files);
        Assert.DoesNotContain("/mnt/vda/b.txt", files);
    }
}
