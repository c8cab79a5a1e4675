using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Backup.Vms;
using BackupWorkflows.Testing.Guests;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Vms;

/// <summary>The VM inventory against the machine's real libvirt: a defined (not started) domain with a disk and a cdrom.</summary>
public sealed class VmInventoryTests : IAsyncLifetime
{
    private DefinedDomain _domain = null!;
    private string _vm => _domain.Name;
    private string _disk => _domain.Disk;

    public async Task InitializeAsync() => _domain = await DefinedDomain.DefineAsync("bwf-inventory-test-", withCdrom: true);

    public async Task DisposeAsync() => await _domain.DisposeAsync();

    [Fact]
    public async Task List_JoinsAssignments_SkipsUnreachableHost_ListsMissingAssigned()
    {
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(_vm);
        await harness.AssignAsync("gone-" + _vm);
        await harness.WithDbAsync(async db =>
        {
            // Nothing listens on port 1: the host is logged and skipped, the others are still listed.
            db.Hosts.Add(new HostRecord { Name = "h0-dead", Uri = "ssh://nobody@127.0.0.1:1", StagingDir = "/var/tmp/x" });
            await db.SaveChangesAsync();
        });
        await using var scope = harness.Services.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<VmInventory>();

        var vms = await inventory.ListAsync(null, default);
        var vm = Assert.Single(vms, v => v.Name == _vm);
        Assert.Equal(("h1", "shut off", "standard", "r1"), (vm.Host, vm.State, vm.Offering, vm.Repository));
        Assert.NotNull(vm.Uuid);
        Assert.Equal([new VmDisk("vda", _disk, "qcow2")], vm.Disks);
        var missing = Assert.Single(vms, v => v.Name == "gone-" + _vm);
        Assert.Equal(("missing", "standard"), (missing.State, missing.Offering));
        Assert.DoesNotContain(vms, v => v.Host == "h0-dead");

        Assert.Empty(await inventory.ListAsync("h0-dead", default));
    }
}
