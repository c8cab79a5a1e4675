using System.Xml.Linq;

namespace BackupWorkflows.Backup.Domains;

/// <summary>Edits of a libvirt domain document that backups and restores need.</summary>
/// <remarks>Works on the XML libvirt produced, changing only the elements named, so anything
/// else the operator configured survives a redefinition.</remarks>
public static class DomainXmlEditor
{
    /// <summary>Points disk <paramref name="target"/> at <paramref name="file"/> with driver <paramref name="format"/>,
    /// dropping any <c>backingStore</c> (libvirt reads the chain from the image).</summary>
    /// <exception cref="KeyNotFoundException">The domain has no such disk.</exception>
    public static void SetDiskSource(XDocument doc, string target, string file, string format)
    {
        var disk = Disk(doc, target);
        disk.SetAttributeValue("type", "file");
        var source = disk.Element("source");
        if (source is null) { source = new XElement("source"); disk.Add(source); }
        source.RemoveAttributes();
        source.SetAttributeValue("file", file);
        disk.Element("driver")?.SetAttributeValue("type", format);
        disk.Elements("backingStore").Remove();
    }

    /// <summary>Gives the document a new name, no UUID (libvirt generates one) and no MAC
    /// addresses (libvirt generates new ones), for a new VM made from a backup.</summary>
    public static void MakeNewIdentity(XDocument doc, string newName)
    {
        var root = doc.Root ?? throw new FormatException("empty domain XML");
        var oldName = (string?)root.Element("name") ?? "";
        root.SetElementValue("name", newName);
        // Files and sockets the original domain owns (console logs, agent sockets) would collide
        // with the running original: logs get the new name, socket paths are left to libvirt.
        foreach (var source in root.Descendants("devices").Elements().Where(e => e.Name.LocalName is "serial" or "console" or "channel")
                     .Elements("source").ToList())
        {
            if (source.Attribute("path") is not { } path) continue;
            if ((string?)source.Parent?.Attribute("type") == "file")
                path.Value = NewFileName(path.Value, oldName, newName);
            else path.Remove();
        }
        root.Element("uuid")?.Remove();
        foreach (var mac in root.Descendants("interface").Elements("mac").ToList()) mac.Remove();
        root.Attribute("id")?.Remove();
        // Runtime-only state (console ttys, alias names) is harmless but the seclabel of a running
        // domain names its old label: drop dynamic labels so libvirt assigns fresh ones.
        foreach (var label in root.Elements("seclabel").Where(l => (string?)l.Attribute("type") == "dynamic").ToList())
            label.Remove();
    }

    private static string NewFileName(string path, string oldName, string newName)
    {
        var dir = Path.GetDirectoryName(path) ?? "";
        var file = Path.GetFileName(path);
        var renamed = oldName.Length > 0 && file.Contains(oldName, StringComparison.Ordinal)
            ? file.Replace(oldName, newName, StringComparison.Ordinal) : $"{newName}-{file}";
        return Path.Combine(dir, renamed);
    }

    /// <summary>The file disk <paramref name="target"/> reads, or null when the domain has no such disk or it is not a file.</summary>
    public static string? DiskSource(XDocument doc, string target) =>
        FindDisk(doc, target)?.Element("source")?.Attribute("file")?.Value;

    /// <summary>Removes a disk from the document.</summary>
    public static void RemoveDisk(XDocument doc, string target) => Disk(doc, target).Remove();

    private static XElement Disk(XDocument doc, string target) =>
        FindDisk(doc, target) ?? throw new KeyNotFoundException($"the domain has no disk {target}");

    private static XElement? FindDisk(XDocument doc, string target) =>
        doc.Descendants("disk").FirstOrDefault(d => (string?)d.Element("target")?.Attribute("dev") == target);
}
