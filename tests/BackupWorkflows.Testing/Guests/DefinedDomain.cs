namespace BackupWorkflows.Testing.Guests;

/// <summary>A libvirt domain defined (never started) on the machine's <c>qemu:///system</c>, with a real 16 MiB
/// qcow2 disk <c>vda</c> and, when asked, an empty cdrom <c>sda</c>: enough for discovery and assignment tests.</summary>
public sealed class DefinedDomain : IAsyncDisposable
{
    private DefinedDomain(string name, string disk)
    {
        Name = name;
        Disk = disk;
    }

    /// <summary>Domain name (unique per call).</summary>
    public string Name { get; }

    /// <summary>Path of the disk image.</summary>
    public string Disk { get; }

    /// <summary>Creates the image and defines the domain, named <paramref name="prefix"/> plus a random suffix.</summary>
    public static async Task<DefinedDomain> DefineAsync(string prefix, bool withCdrom = false)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..8];
        var disk = Path.Combine(Path.GetTempPath(), name + ".qcow2");
        await ProcessUtil.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", disk, "16M");
        var cdrom = withCdrom ? "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>" : "";
        var xml = Path.Combine(Path.GetTempPath(), name + ".xml");
        await File.WriteAllTextAsync(xml, $"""
            <domain type='qemu'>
              <name>{name}</name>
              <memory unit='MiB'>64</memory>
              <os><type arch='x86_64'>hvm</type></os>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='{disk}'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                {cdrom}
              </devices>
            </domain>
            """);
        await ProcessUtil.RunAsync("virsh", "-c", "qemu:///system", "define", xml);
        File.Delete(xml);
        return new DefinedDomain(name, disk);
    }

    /// <summary>Undefines the domain (if still defined) and deletes its image.</summary>
    public async ValueTask DisposeAsync()
    {
        try { await ProcessUtil.RunAsync("virsh", "-c", "qemu:///system", "undefine", Name); } catch (InvalidOperationException) { }
        File.Delete(Disk);
    }
}
