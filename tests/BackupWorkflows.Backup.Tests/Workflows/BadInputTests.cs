using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Workflows;

/// <summary>Bad input gets a clear error before anything changes.</summary>
public sealed class BadInputTests
{
    private static async Task<string> FaultOfAsync(BackupHarness harness, WorkflowInstanceInfo run)
    {
        Assert.Equal(WorkflowStatus.Faulted, run.Status);
        var incidents = await harness.Services.GetRequiredService<IWorkflowInstanceQueries>().GetIncidentsAsync(run.Id);
        // The cause is the first incident, and the instance's fault names it.
        Assert.Contains(incidents[0].Message, run.Fault);
        return incidents[0].Message;
    }

    [Fact]
    public async Task UnknownVm_UnregisteredHost_UnassignedVm_ClearErrorsAndNoBackupRecord()
    {
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync("no-such-vm-anywhere");

        var unknownVm = await harness.BackupAsync("no-such-vm-anywhere");
        Assert.Equal("VM 'no-such-vm-anywhere' does not exist on host 'h1'", await FaultOfAsync(harness, unknownVm));

        var unknownHost = await harness.RunAsync("backup", new() { ["host"] = "nowhere", ["vm"] = "x" });
        Assert.Equal("host 'nowhere' is not registered", await FaultOfAsync(harness, unknownHost));

        var unassigned = await harness.BackupAsync("some-other-vm");
        Assert.Equal("VM 'some-other-vm' on host 'h1' is not assigned to a backup offering", await FaultOfAsync(harness, unassigned));

        var badType = await harness.BackupAsync("no-such-vm-anywhere", "weekly");
        Assert.Equal("backup type 'weekly' is not auto, full or isolated", await FaultOfAsync(harness, badType));

        await harness.WithDbAsync(async db => Assert.Empty(db.Backups));
        var missingInput = await Assert.ThrowsAnyAsync<Exception>(() =>
            harness.Services.GetRequiredService<IWorkflowRuntime>().StartAsync("backup", new() { ["host"] = "h1" }));
        Assert.Contains("vm", missingInput.Message);
    }

    [Fact]
    public async Task NetworkDisk_IsRefusedBeforeAnySnapshot()
    {
        var virsh = new Virsh(new LocalHostShell());
        var name = $"bwf-test-netdisk-{Guid.NewGuid().ToString("N")[..6]}";
        await virsh.DefineAsync($"""
            <domain type='qemu'><name>{name}</name><metadata>{Testing.Guests.TestGuest.OwnerMetadata()}</metadata><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os>
              <devices><disk type='network' device='disk'><driver name='qemu' type='raw'/>
                <source protocol='nbd' name='export'><host name='127.0.0.1' port='10809'/></source>
                <target dev='vda' bus='virtio'/></disk></devices></domain>
            """);
        try
        {
            await using var harness = await BackupHarness.StartAsync();
            await harness.AssignAsync(name);
            var run = await harness.BackupAsync(name);
            Assert.Equal(
                $"disk vda of VM '{name}' is a network disk; only file-backed images can be backed up (exclude it to continue)",
                await FaultOfAsync(harness, run));
            await harness.WithDbAsync(async db => Assert.Empty(db.Backups.Where(b => b.State != BackupState.Error)));
            Assert.Equal("network", (await virsh.GetDefinitionAsync(name, inactive: true)).Disk("vda").SourceType);
        }
        finally
        {
            await virsh.UndefineAsync(name);
        }
    }
}
