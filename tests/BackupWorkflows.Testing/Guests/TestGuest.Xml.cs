using System.Globalization;
using System.Xml.Linq;

namespace BackupWorkflows.Testing.Guests;

public sealed partial class TestGuest
{
    /// <summary>Namespace of the ownership metadata in test domains.</summary>
    internal static readonly XNamespace OwnerNamespace = "https://backupworkflows.example/test-guest";

    /// <summary>The domain XML, built as an element tree so any path (spaces, quotes, ampersands) is escaped correctly.</summary>
    private string DomainXml(TestGuestOptions options)
    {
        var devices = new XElement("devices",
            Disk("vda", RootDiskPath),
            DataDiskPath is null ? null : Disk("vdb", DataDiskPath),
            new XElement("serial", new XAttribute("type", "file"),
                new XElement("source", new XAttribute("path", ConsoleLogPath)),
                new XElement("target", new XAttribute("port", "0"))),
            new XElement("channel", new XAttribute("type", "unix"),
                new XElement("target", new XAttribute("type", "virtio"), new XAttribute("name", "org.qemu.guest_agent.0"))),
            // A display device without a graphics server: enough for virsh screenshot.
            new XElement("video", new XElement("model", new XAttribute("type", "vga"))),
            new XElement("memballoon", new XAttribute("model", "none")));

        var domain = new XElement("domain", new XAttribute("type", "qemu"),
            new XElement("name", Name),
            new XElement("metadata", OwnerMetadata(_ownsDirectory ? Directory : null)),
            new XElement("memory", new XAttribute("unit", "MiB"), options.MemoryMiB),
            new XElement("vcpu", 1),
            new XElement("os",
                new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm"),
                new XElement("kernel", Image.KernelPath),
                new XElement("initrd", Image.InitrdPath),
                new XElement("cmdline", "console=ttyS0 quiet panic=-1")),
            // ACPI: PCI hot-plug (attach-disk --live) needs it on the i440fx machine.
            new XElement("features", new XElement("acpi")),
            new XElement("on_poweroff", "destroy"),
            new XElement("on_reboot", "destroy"),
            new XElement("on_crash", "destroy"),
            devices);
        return domain.ToString();
    }

    /// <summary>
    /// The metadata element marking a domain as made by this test process; put it in the
    /// <c>&lt;metadata&gt;</c> of any <c>bwf-test-*</c> domain a test defines by hand, or
    /// <see cref="StaleGuests"/> of a parallel test process will treat it as stale.
    /// </summary>
    /// <param name="ownedDirectory">A directory under /var/tmp/bwf-guests to delete with a stale domain, or null.</param>
    public static XElement OwnerMetadata(string? ownedDirectory = null) =>
        new(OwnerNamespace + "owner",
            new XAttribute("pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("start", ProcessStartTicks(Environment.ProcessId) ?? ""),
            new XAttribute("directory", ownedDirectory ?? ""));

    private static XElement Disk(string target, string path) =>
        new("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "qcow2")),
            new XElement("source", new XAttribute("file", path)),
            new XElement("target", new XAttribute("dev", target), new XAttribute("bus", "virtio")));

    /// <summary>Field 22 of /proc/PID/stat (start time in clock ticks): with the pid, it identifies a process uniquely.</summary>
    internal static string? ProcessStartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
