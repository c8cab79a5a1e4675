using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Workflows;

/// <summary>Chain-safe deletes and unassigning, on a real guest.</summary>
public sealed class DeleteTests
{
    [Fact]
    public async Task DeleteMiddle_IsRemovedWithFiles_DeleteNewest_MergesDeltaAndExpungesChainTail()
    {
        await using var guest = await TestGuest.CreateAsync("delete");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        var chain = new List<BackupRecord>();
        for (var i = 0; i < 3; i++)
        {
            await guest.WriteFileAsync($"/mnt/vda/f{i}", $"{i}");
            chain.Add(await harness.BackupOkAsync(guest.Name));
        }

        var middle = await harness.DeleteAsync(chain[1].Id);
        Assert.True(middle.Status == WorkflowStatus.Finished, await harness.DescribeAsync(middle));
        var afterMiddle = await harness.BackupsAsync(guest.Name);
        Assert.Equal(BackupState.Removed, afterMiddle[1].State);
        Assert.True(File.Exists(afterMiddle[1].Volumes[0].ImagePath), "a Removed backup keeps its files for its child");
        Assert.Equal(2, (await ChainAssert.ChainOfAsync(guest)).Count);

        var newest = await harness.DeleteAsync(chain[2].Id);
        Assert.True(newest.Status == WorkflowStatus.Finished, await harness.DescribeAsync(newest));
        var afterNewest = await harness.BackupsAsync(guest.Name);
        Assert.Equal([BackupState.BackedUp, BackupState.Expunged, BackupState.Expunged], afterNewest.Select(b => b.State));
        Assert.False(Directory.Exists(Path.GetDirectoryName(afterNewest[2].Volumes[0].ImagePath)));
        Assert.False(Directory.Exists(Path.GetDirectoryName(afterNewest[1].Volumes[0].ImagePath)));
        var vda = await ChainAssert.ChainOfAsync(guest);
        Assert.Single(vda);
        Assert.Equal(chain[0].Volumes[0].PrimaryBasePath, vda[0].Filename);
        await ChainAssert.HealthyAsync(guest, afterNewest);

        // The writes since the deleted backups are in the base: the VM still has every file,
        // and the next backup is a full.
        Assert.Equal("2", await guest.ReadFileAsync("/mnt/vda/f2"));
        var next = await harness.BackupOkAsync(guest.Name);
        Assert.Equal(BackupType.Full, next.Type);
        Assert.Contains("deleted", next.TypeReason);
    }

    [Fact]
    public async Task Unassign_MergesAllDeltas_VmRunsOnPlainVolumes()
    {
        await using var guest = await TestGuest.CreateAsync("unassign");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        await harness.BackupOkAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/late.txt", "late");
        Assert.Equal(2, (await ChainAssert.ChainOfAsync(guest)).Count);

        var run = await harness.RunAsync("unassign-vm", new() { ["host"] = harness.HostName, ["vm"] = guest.Name });
        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        var vda = await ChainAssert.ChainOfAsync(guest);
        Assert.Equal([guest.RootDiskPath], vda.Select(i => i.Filename));
        Assert.Equal("late", await guest.ReadFileAsync("/mnt/vda/late.txt"));
        await harness.WithDbAsync(async db => Assert.Empty(db.Assignments.Where(a => a.VmName == guest.Name)));
    }
}
