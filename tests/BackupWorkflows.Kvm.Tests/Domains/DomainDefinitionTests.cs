using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Kvm.Tests.Domains;

[Trait("Category", "Unit")]
public sealed class DomainDefinitionTests
{
    private const string Xml = """
        <domain type='kvm' id='3'>
          <name>web-01</name>
          <uuid>0b8a7c4e-3f5e-4d8c-9b7e-3c2f6f0d1a11</uuid>
          <memory unit='KiB'>2097152</memory>
          <devices>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source file='/var/lib/libvirt/images/web-01.snap1' index='2'/>
              <backingStore type='file' index='1'>
                <format type='qcow2'/>
                <source file='/var/lib/libvirt/images/web 01 &apos;base&apos;.qcow2'/>
                <backingStore/>
              </backingStore>
              <target dev='vda' bus='virtio'/>
            </disk>
            <disk type='block' device='disk'>
              <driver name='qemu' type='raw'/>
              <source dev='/dev/vg0/web-01-data'/>
              <target dev='sda' bus='scsi'/>
              <shareable/>
            </disk>
            <disk type='file' device='cdrom'>
              <driver name='qemu' type='raw'/>
              <target dev='hdc' bus='ide'/>
              <readonly/>
            </disk>
            <interface type='bridge'>
              <mac address='52:54:00:aa:bb:cc'/>
              <source bridge='br0'/>
              <model type='virtio'/>
            </interface>
            <interface type='network'>
              <source network='default'/>
            </interface>
          </devices>
        </domain>
        """;

    [Fact]
    public void Parse_ReadsNameUuidTypeAndMemory()
    {
        var d = DomainDefinition.Parse(Xml);

        Assert.Equal(("web-01", "0b8a7c4e-3f5e-4d8c-9b7e-3c2f6f0d1a11", "kvm", 2097152L), (d.Name, d.Uuid, d.Type, d.MemoryKiB));
    }

    [Fact]
    public void Parse_ReadsDisksWithSourcesFormatsBusesAndChain()
    {
        var d = DomainDefinition.Parse(Xml);

        var vda = d.Disk("vda");
        Assert.Equal(("virtio", "disk", "file", "/var/lib/libvirt/images/web-01.snap1", "qcow2"), (vda.Bus, vda.Device, vda.SourceType, vda.Source, vda.DriverFormat));
        Assert.Equal(["/var/lib/libvirt/images/web 01 'base'.qcow2"], vda.BackingChain);
        Assert.True(vda.IsWritableDisk);

        var sda = d.Disk("sda");
        Assert.Equal(("block", "/dev/vg0/web-01-data", "raw", true), (sda.SourceType, sda.Source, sda.DriverFormat, sda.Shareable));

        var cdrom = d.Disk("hdc");
        Assert.Equal(("cdrom", (string?)null, true, false), (cdrom.Device, cdrom.Source, cdrom.ReadOnly, cdrom.IsWritableDisk));
    }

    [Fact]
    public void Parse_ReadsInterfaces()
    {
        var d = DomainDefinition.Parse(Xml);

        Assert.Equal(
            [new DomainInterface("bridge", "52:54:00:aa:bb:cc", "br0", "virtio"), new DomainInterface("network", null, "default", null)],
            d.Interfaces);
    }

    [Theory]
    [InlineData("MiB", 256, 262144)]
    [InlineData("GiB", 1, 1048576)]
    [InlineData("KiB", 1024, 1024)]
    [InlineData("b", 1048576, 1024)]
    public void Parse_ConvertsMemoryUnits(string unit, long value, long kib)
    {
        var d = DomainDefinition.Parse($"<domain><name>m</name><memory unit='{unit}'>{value}</memory></domain>");

        Assert.Equal(kib, d.MemoryKiB);
    }

    [Theory]
    [InlineData("<domain><uuid>x</uuid></domain>", "no <name>")]
    [InlineData("<network><name>n</name></network>", "expected <domain>")]
    [InlineData("<domain><name>", "not well-formed")]
    public void Parse_NotADomain_ThrowsFormatException(string xml, string reason) =>
        Assert.Contains(reason, Assert.Throws<FormatException>(() => DomainDefinition.Parse(xml)).Message);

    [Fact]
    public void Disk_Unknown_SaysWhichDisksExist() =>
        Assert.Contains("vda, sda, hdc", Assert.Throws<KeyNotFoundException>(() => DomainDefinition.Parse(Xml).Disk("vdz")).Message);

    [Fact]
    public void DiskSpec_DoublesCommasAndMarksExcludedDisks()
    {
        Assert.Equal("vda,snapshot=external,driver=qcow2,file=/a,,b/c d.qcow2", DiskSnapshotSpec.External("vda", "/a,b/c d.qcow2").ToDiskSpec());
        Assert.Equal("vdb,snapshot=no", DiskSnapshotSpec.Excluded("vdb").ToDiskSpec());
    }
}
