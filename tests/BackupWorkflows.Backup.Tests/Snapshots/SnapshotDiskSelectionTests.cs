using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Snapshots;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Backup.Tests.Snapshots;

/// <summary>Which disks a snapshot covers, and the clear refusals (pure logic on a parsed domain).</summary>
public sealed class SnapshotDiskSelectionTests
{
    private static readonly DomainDefinition Domain = DomainDefinition.Parse("""
        <domain type='kvm'><name>web</name><devices>
          <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/img/web-vda.qcow2'/><target dev='vda' bus='virtio'/></disk>
          <disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='nbd' name='data'><host name='nbd.example' port='10809'/></source><target dev='vdb' bus='virtio'/></disk>
          <disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='sda' bus='sata'/><readonly/></disk>
        </devices></domain>
        """);

    [Fact]
    public void NamedFileDisk_IsChosen_CdromsNever()
    {
        var chosen = SnapshotDiskSelection.Select(Domain, SnapshotDiskSelection.ParseNames(" vda ,vda"), "web");
        Assert.Equal(["vda"], chosen.Select(d => d.Target));
    }

    [Fact]
    public void NetworkDisk_MissingDisk_AreRefusedNamingThem()
    {
        var network = Assert.Throws<BackupInputException>(() => SnapshotDiskSelection.Select(Domain, [], "web"));
        Assert.Contains("disk vdb of VM 'web' is a network disk", network.Message);
        Assert.StartsWith("disks:", network.Message);
        var missing = Assert.Throws<BackupInputException>(() => SnapshotDiskSelection.Select(Domain, ["vdz"], "web"));
        Assert.Contains("no writable disk 'vdz'", missing.Message);
        Assert.Throws<BackupInputException>(() => SnapshotDiskSelection.Select(Domain, ["sda"], "web"));
    }
}
