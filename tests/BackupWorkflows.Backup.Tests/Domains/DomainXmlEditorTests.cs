using System.Xml.Linq;
using BackupWorkflows.Backup.Domains;

namespace BackupWorkflows.Backup.Tests.Domains;

[Trait("Category", "Unit")]
public sealed class DomainXmlEditorTests
{
    private static XDocument Domain() => XDocument.Parse("""
        <domain type='kvm'><name>vm</name><devices>
          <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/vms/a.qcow2'/><target dev='vda'/></disk>
          <disk type='block' device='disk'><source dev='/dev/sdb'/><target dev='vdb'/></disk>
        </devices></domain>
        """);

    [Fact]
    public void DiskSource_NamesTheFileOfTheTarget_NullForBlockOrMissingDisks()
    {
        var xml = Domain();

        Assert.Equal("/vms/a.qcow2", DomainXmlEditor.DiskSource(xml, "vda"));
        Assert.Null(DomainXmlEditor.DiskSource(xml, "vdb"));
        Assert.Null(DomainXmlEditor.DiskSource(xml, "vdz"));
    }

    [Fact]
    public void SetDiskSource_ThenDiskSource_ReadsTheNewFile()
    {
        var xml = Domain();

        DomainXmlEditor.SetDiskSource(xml, "vdb", "/vms/b.qcow2", "qcow2");

        Assert.Equal("/vms/b.qcow2", DomainXmlEditor.DiskSource(xml, "vdb"));
        Assert.Throws<KeyNotFoundException>(() => DomainXmlEditor.SetDiskSource(xml, "vdz", "/x", "qcow2"));
    }
}
