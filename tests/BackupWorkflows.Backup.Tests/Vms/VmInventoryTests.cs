using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Backup.Vms;
using BackupWorkflows.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Vms;

/// <summary>The VM inventory against the machine's real libvirt: a defined (not started) domain with a disk and a cdrom.</summary>
public sealed class VmInventoryTests : IAsyncLifetime
{
    private readonly string _vm = "bwf-inventory-test-" + Guid.NewGuid().ToString("N")[..8];
    private string _disk = "";

    public async Task InitializeAsync()
    {
        _disk = Path.Combine(Path.GetTempPath(), _vm + ".qcow2");
        await ProcessUtil.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", _disk, "16M");
        var xml = Path.Combine(Path.GetTempPath(), _vm + ".xml");
        await File.WriteAllTextAsync(xml, $"""
            <domain type='qemu'>
              <name>{_vm}</name>
              <memory unit='MiB'>64</memory>
              <os><type arch='x86_64'>hvm</type></os>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='{_disk}'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type='file' device='cdrom'>
                  <target dev='sda' bus='sata'/>
                  <readonly/>
                </disk>
              </devices>
            </domain>
            """);
        await ProcessUtil.RunAsync("virsh", "-c", "qemu:///system", "define", xml);
        File.Delete(xml);
    }

    public async Task DisposeAsync()
    {
        try { await ProcessUtil.RunAsync("virsh", "-c", "qemu:///system", "undefine", _vm); } catch (InvalidOperationException) { }
        File.Delete(_disk);
    }

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
