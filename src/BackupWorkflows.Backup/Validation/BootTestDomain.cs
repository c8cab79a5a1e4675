using System.Xml.Linq;

namespace BackupWorkflows.Backup.Validation;

/// <summary>
/// Turns a backup's domain XML into a throw-away VM: new name, no UUID, disks on the given
/// overlays (others removed), no network, no host devices, its serial console in a scratch file,
/// a VGA display (for the screenshot), and for direct kernel boot the kernel log on tty0 too.
/// </summary>
public static class BootTestDomain
{
    /// <summary>The throw-away domain's XML.</summary>
    /// <param name="backupXml">The domain XML recorded with the backup.</param>
    /// <param name="name">Name of the throw-away domain.</param>
    /// <param name="overlays">Overlay file per disk target.</param>
    /// <param name="consoleLog">File for the serial console.</param>
    public static string Build(string backupXml, string name, IReadOnlyDictionary<string, string> overlays, string consoleLog)
    {
        var doc = XDocument.Parse(backupXml);
        var domain = doc.Root ?? throw new FormatException("empty domain XML");
        domain.Element("name")!.Value = name;
        domain.Element("uuid")?.Remove();
        domain.Element("metadata")?.Remove();
        var devices = domain.Element("devices") ?? throw new FormatException("domain XML without devices");
        foreach (var disk in devices.Elements("disk").ToList())
        {
            var target = disk.Element("target")?.Attribute("dev")?.Value;
            if (disk.Attribute("device")?.Value is "cdrom" or "floppy" || target is null || !overlays.TryGetValue(target, out var overlay))
            {
                disk.Remove();
                continue;
            }
            disk.SetAttributeValue("type", "file");
            disk.Element("source")?.Remove();
            disk.Element("backingStore")?.Remove();
            var driver = disk.Element("driver") ?? new XElement("driver", new XAttribute("name", "qemu"));
            if (driver.Parent is null) disk.AddFirst(driver);
            driver.SetAttributeValue("type", "qcow2");
            driver.AddAfterSelf(new XElement("source", new XAttribute("file", overlay)));
        }
        // No network, no passthrough: the copy must not talk to anything the original talks to.
        foreach (var e in devices.Elements().Where(e => e.Name.LocalName is "interface" or "hostdev" or "redirdev" or "filesystem" or "graphics" or "video").ToList())
            e.Remove();
        foreach (var serial in devices.Elements().Where(e => e.Name.LocalName is "serial" or "console").ToList()) serial.Remove();
        devices.Add(new XElement("serial", new XAttribute("type", "file"),
            new XElement("source", new XAttribute("path", consoleLog)), new XElement("target", new XAttribute("port", "0"))));
        foreach (var channel in devices.Elements("channel"))
            channel.Element("source")?.Remove(); // libvirt makes a fresh socket path
        // A VGA adapter without a graphics server is enough for virsh screenshot.
        devices.Add(new XElement("video", new XElement("model", new XAttribute("type", "vga"))));
        var cmdline = domain.Element("os")?.Element("cmdline");
        if (cmdline is not null)
        {
            var args = cmdline.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => a != "quiet").ToList();
            // The last console= is /dev/console; tty0 first keeps the serial one where it was.
            cmdline.Value = string.Join(' ', new[] { "console=tty0" }.Concat(args.Where(a => a != "console=tty0")));
        }
        domain.Element("on_reboot")?.SetValue("destroy");
        domain.Element("on_crash")?.SetValue("destroy");
        return doc.ToString();
    }
}
