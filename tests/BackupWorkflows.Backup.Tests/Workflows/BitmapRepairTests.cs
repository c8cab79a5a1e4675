using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Workflows;

/// <summary>
/// A bitmap chain that cannot continue becomes a full that says why: checkpoints lost by a redefinition,
/// a bitmap left inconsistent by a killed QEMU, a stopped VM. (Its own class, so its own guest: xUnit runs
/// it beside <see cref="BitmapStrategyTests"/>.)
/// </summary>
public sealed class BitmapRepairTests(BitmapGuestFixture fixture) : IClassFixture<BitmapGuestFixture>
{
    private TestGuest Guest => fixture.Guest;

    [Fact]
    public async Task RedefinedWithoutCheckpoints_NextBackupIsFullAndSaysWhy_ThenTheChainContinues()
    {
        await fixture.EnsureRunningAsync();
        await using var harness = await BackupHarness.StartAsync(strategy: BackupStrategy.Bitmap);
        await harness.AssignAsync(Guest.Name);
        var full = await harness.BackupOkAsync(Guest.Name);
        Assert.Equal(BackupType.Full, full.Type);

        // What a cloud that rebuilds its XML on every start does: the definition comes back, libvirt's
        // checkpoints do not (the bitmap stays in the image, but nothing says which backup it follows).
        var xml = await Guest.Virsh.DumpXmlAsync(Guest.Name, inactive: true);
        await Guest.Virsh.DestroyAsync(Guest.Name);
        await Guest.Virsh.UndefineAsync(Guest.Name);
        await Guest.Virsh.DefineAsync(xml);
        await Guest.StartAsync(TimeSpan.FromSeconds(120));
        Assert.Empty(await Guest.Virsh.ListCheckpointNamesAsync(Guest.Name));

        await Guest.WriteFileAsync("/mnt/vda/after-redefine.txt", "x");
        var run = await harness.BackupAsync(Guest.Name);
        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        var repaired = (await harness.BackupsAsync(Guest.Name)).Single(b => b.Id == BackupHarness.BackupIdOf(run));
        Assert.Equal(BackupType.Full, repaired.Type);
        Assert.Contains($"checkpoint {full.Checkpoint} of the latest backup is missing", repaired.TypeReason);
        Assert.Contains("missing", run.Output?["reason"]?.GetValue<string>());
        Assert.Equal("bitmap", run.Output?["strategy"]?.GetValue<string>());
        Assert.Contains("missing from libvirt", await harness.DescribeAsync(run));

        var next = await harness.BackupOkAsync(Guest.Name);
        Assert.Equal(BackupType.Incremental, next.Type);
        Assert.Equal(repaired.Id, next.ParentId);
    }

    [Fact]
    public async Task QemuKilledWhileTracking_BitmapInconsistent_NextBackupIsFullAndSaysWhy()
    {
        await fixture.EnsureRunningAsync();
        await using var harness = await BackupHarness.StartAsync(strategy: BackupStrategy.Bitmap);
        await harness.AssignAsync(Guest.Name);
        await harness.BackupOkAsync(Guest.Name);
        // A stop stores the bitmap in the image; the next QEMU marks it in use while it runs.
        await Guest.Virsh.DestroyAsync(Guest.Name);
        await Guest.StartAsync(TimeSpan.FromSeconds(120));
        await Guest.WriteFileAsync("/mnt/vda/dirty.txt", "dirty");

        // SIGKILL: QEMU cannot store the bitmap, which stays marked in use in the image.
        var pid = int.Parse(await File.ReadAllTextAsync($"/run/libvirt/qemu/{Guest.Name}.pid"));
        System.Diagnostics.Process.GetProcessById(pid).Kill();
        await Guest.Virsh.WaitForStateAsync(Guest.Name, DomainState.ShutOff, TimeSpan.FromSeconds(30));
        await Guest.StartAsync(TimeSpan.FromSeconds(120));

        var run = await harness.BackupAsync(Guest.Name);
        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        Assert.Equal("Full", run.Output?["type"]?.GetValue<string>());
        Assert.Contains("is inconsistent", run.Output?["reason"]?.GetValue<string>());
        Assert.Equal(BackupType.Incremental, (await harness.BackupOkAsync(Guest.Name)).Type);
    }

    [Fact]
    public async Task StoppedVm_FullWithReason_LeavesNoDeltaAndNoCheckpoint()
    {
        await fixture.EnsureRunningAsync();
        await using var harness = await BackupHarness.StartAsync(strategy: BackupStrategy.Bitmap);
        await harness.AssignAsync(Guest.Name);
        await harness.BackupOkAsync(Guest.Name);
        await Guest.WriteFileAsync("/mnt/vda/stopped.txt", "written before the stop");
        var sha = await Guest.Sha256Async("/mnt/vda/stopped.txt");
        await Guest.Virsh.ShutdownAsync(Guest.Name, "agent", TimeSpan.FromSeconds(60));

        var run = await harness.BackupAsync(Guest.Name);
        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        Assert.Equal("Full", run.Output?["type"]?.GetValue<string>());
        Assert.Contains("the VM is stopped", run.Output?["reason"]?.GetValue<string>());
        Assert.Single(await ChainAssert.ChainOfAsync(Guest)); // the overlay of the offline copy was committed back
        Assert.Empty(await Guest.Virsh.ListCheckpointNamesAsync(Guest.Name));

        await Guest.StartAsync(TimeSpan.FromSeconds(120));
        var afterStart = await harness.BackupOkAsync(Guest.Name);
        Assert.Equal(BackupType.Full, afterStart.Type);
        Assert.Contains("created no checkpoint", afterStart.TypeReason);
        Assert.Equal(sha, await Guest.Sha256Async("/mnt/vda/stopped.txt"));
        await ChainAssert.HealthyAsync(Guest, await harness.BackupsAsync(Guest.Name));
    }
}
