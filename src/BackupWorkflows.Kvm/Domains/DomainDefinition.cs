using System.Globalization;
using System.Xml.Linq;

namespace BackupWorkflows.Kvm.Domains;

/// <summary>One disk of a domain, from its <c>&lt;disk&gt;</c> element.</summary>
/// <param name="Target">Guest device name (<c>target/@dev</c>), e.g. <c>vda</c>.</param>
/// <param name="Bus">Target bus (<c>virtio</c>, <c>scsi</c>, <c>sata</c>, …), or null.</param>
/// <param name="Device">Device kind: <c>disk</c>, <c>cdrom</c>, <c>floppy</c> or <c>lun</c>.</param>
/// <param name="SourceType">Source kind (<c>disk/@type</c>): <c>file</c>, <c>block</c>, <c>network</c>, <c>volume</c>.</param>
/// <param name="Source">Source path (<c>source/@file</c> or <c>source/@dev</c>), or null (e.g. an empty cdrom).</param>
/// <param name="DriverFormat">Image format (<c>driver/@type</c>), e.g. <c>qcow2</c>, or null.</param>
/// <param name="ReadOnly">Has <c>&lt;readonly/&gt;</c>.</param>
/// <param name="Shareable">Has <c>&lt;shareable/&gt;</c>.</param>
/// <param name="BackingChain">Backing files below <see cref="Source"/> as libvirt reports them
/// (<c>backingStore</c>, live XML only), top first.</param>
public sealed record DomainDisk(
    string Target,
    string? Bus,
    string Device,
    string SourceType,
    string? Source,
    string? DriverFormat,
    bool ReadOnly,
    bool Shareable,
    IReadOnlyList<string> BackingChain)
{
    /// <summary>A writable disk with an image (not a cdrom, floppy or read-only disk): what backups copy.</summary>
    public bool IsWritableDisk => Device == "disk" && !ReadOnly && Source is not null;
}

/// <summary>One network interface, from its <c>&lt;interface&gt;</c> element.</summary>
/// <param name="Type">Interface type (<c>network</c>, <c>bridge</c>, …).</param>
/// <param name="Mac">MAC address, or null when libvirt will generate one.</param>
/// <param name="Source">Network or bridge name, or null.</param>
/// <param name="Model">Device model (<c>virtio</c>, …), or null.</param>
public sealed record DomainInterface(string Type, string? Mac, string? Source, string? Model);

/// <summary>
/// A libvirt domain definition, parsed from <c>virsh dumpxml</c>. The document is kept, so a
/// caller can change it (new name, new MACs) and define it again without losing anything libvirt wrote.
/// </summary>
public sealed class DomainDefinition
{
    private DomainDefinition(XDocument document)
    {
        Document = document;
        var root = document.Root ?? throw new FormatException("Domain XML has no root element.");
        if (root.Name.LocalName != "domain")
        {
            throw new FormatException($"Domain XML has root <{root.Name.LocalName}>, expected <domain>.");
        }

        Name = root.Element("name")?.Value ?? throw new FormatException("Domain XML has no <name>.");
        Uuid = root.Element("uuid")?.Value;
        Type = root.Attribute("type")?.Value ?? "kvm";
        var memory = root.Element("memory");
        MemoryKiB = memory is null ? null : ToKiB(long.Parse(memory.Value, CultureInfo.InvariantCulture), memory.Attribute("unit")?.Value);
        var devices = root.Element("devices");
        Disks = devices?.Elements("disk").Select(ParseDisk).ToList() ?? [];
        Interfaces = devices?.Elements("interface").Select(ParseInterface).ToList() ?? [];
    }

    /// <summary>The XML document (live: changes here are not reflected in the parsed properties).</summary>
    public XDocument Document { get; }

    /// <summary>Domain name.</summary>
    public string Name { get; }

    /// <summary>Domain UUID, or null in a definition that has none yet.</summary>
    public string? Uuid { get; }

    /// <summary>Hypervisor type (<c>kvm</c>, <c>qemu</c>).</summary>
    public string Type { get; }

    /// <summary>Memory in KiB, when given.</summary>
    public long? MemoryKiB { get; }

    /// <summary>All disks, cdroms included, in document order.</summary>
    public IReadOnlyList<DomainDisk> Disks { get; }

    /// <summary>All network interfaces.</summary>
    public IReadOnlyList<DomainInterface> Interfaces { get; }

    /// <summary>Parses domain XML.</summary>
    /// <exception cref="FormatException">Not a domain document.</exception>
    public static DomainDefinition Parse(string xml)
    {
        try
        {
            return new DomainDefinition(XDocument.Parse(xml));
        }
        catch (System.Xml.XmlException e)
        {
            throw new FormatException($"Domain XML is not well-formed: {e.Message}", e);
        }
    }

    /// <summary>The disk with guest device <paramref name="target"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such disk.</exception>
    public DomainDisk Disk(string target) =>
        Disks.FirstOrDefault(d => d.Target == target)
        ?? throw new KeyNotFoundException($"Domain '{Name}' has no disk '{target}' (it has {string.Join(", ", Disks.Select(d => d.Target))}).");

    private static DomainDisk ParseDisk(XElement disk)
    {
        var source = disk.Element("source");
        var driver = disk.Element("driver");
        var chain = new List<string>();
        for (var store = disk.Element("backingStore"); store?.Element("source") is { } s; store = store.Element("backingStore"))
        {
            if ((s.Attribute("file") ?? s.Attribute("dev"))?.Value is { } path)
            {
                chain.Add(path);
            }
        }

        return new DomainDisk(
            Target: disk.Element("target")?.Attribute("dev")?.Value ?? throw new FormatException("A <disk> has no target dev."),
            Bus: disk.Element("target")?.Attribute("bus")?.Value,
            Device: disk.Attribute("device")?.Value ?? "disk",
            SourceType: disk.Attribute("type")?.Value ?? "file",
            Source: (source?.Attribute("file") ?? source?.Attribute("dev") ?? source?.Attribute("name"))?.Value,
            DriverFormat: driver?.Attribute("type")?.Value,
            ReadOnly: disk.Element("readonly") is not null,
            Shareable: disk.Element("shareable") is not null,
            BackingChain: chain);
    }

    private static DomainInterface ParseInterface(XElement e)
    {
        var source = e.Element("source");
        return new DomainInterface(
            e.Attribute("type")?.Value ?? "network",
            e.Element("mac")?.Attribute("address")?.Value,
            (source?.Attribute("network") ?? source?.Attribute("bridge") ?? source?.Attribute("dev"))?.Value,
            e.Element("model")?.Attribute("type")?.Value);
    }

    private static long ToKiB(long value, string? unit) => (unit ?? "KiB") switch
    {
        "b" or "bytes" => value / 1024,
        "KB" => value * 1000 / 1024,
        "k" or "KiB" => value,
        "MB" => value * 1000 * 1000 / 1024,
        "M" or "MiB" => value * 1024,
        "GB" => value * 1000 * 1000 * 1000 / 1024,
        "G" or "GiB" => value * 1024 * 1024,
        _ => throw new FormatException($"Unknown memory unit '{unit}'."),
    };
}
