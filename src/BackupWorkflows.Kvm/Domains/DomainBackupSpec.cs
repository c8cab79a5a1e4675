using System.Xml.Linq;

namespace BackupWorkflows.Kvm.Domains;

/// <summary>A push-mode <c>backup-begin</c>: which disks QEMU copies into which new qcow2 files, from which
/// checkpoint on (incremental) or all of it (full), and the checkpoint it creates.</summary>
/// <param name="Targets">Disk target (vda) → the file QEMU writes (libvirt creates it; it must not exist).
/// Disks not named are left out (<c>backup='no'</c>).</param>
/// <param name="Incremental">The checkpoint the backup copies the changes since; null for a full.</param>
/// <param name="NewCheckpoint">The checkpoint created at the backup's point in time (a dirty bitmap in
/// every disk of <paramref name="Targets"/>); null creates none.</param>
public sealed record DomainBackupSpec(IReadOnlyDictionary<string, string> Targets, string? Incremental, string? NewCheckpoint)
{
    /// <summary>The <c>&lt;domainbackup mode='push'&gt;</c> document.</summary>
    public string BackupXml(IEnumerable<string> allDiskTargets)
    {
        var disks = new XElement("disks");
        foreach (var target in allDiskTargets)
        {
            disks.Add(Targets.TryGetValue(target, out var file)
                ? new XElement("disk", new XAttribute("name", target), new XAttribute("backup", "yes"), new XAttribute("type", "file"),
                    new XElement("target", new XAttribute("file", file)), new XElement("driver", new XAttribute("type", "qcow2")))
                : new XElement("disk", new XAttribute("name", target), new XAttribute("backup", "no")));
        }

        var root = new XElement("domainbackup", new XAttribute("mode", "push"));
        if (Incremental is not null) root.Add(new XElement("incremental", Incremental));
        root.Add(disks);
        return root.ToString();
    }

    /// <summary>The <c>&lt;domaincheckpoint&gt;</c> document, or null without <see cref="NewCheckpoint"/>.</summary>
    public string? CheckpointXml(IEnumerable<string> allDiskTargets) => NewCheckpoint is null ? null
        : new XElement("domaincheckpoint", new XElement("name", NewCheckpoint),
            new XElement("disks", allDiskTargets.Select(t => new XElement("disk", new XAttribute("name", t),
                new XAttribute("checkpoint", Targets.ContainsKey(t) ? "bitmap" : "no"))))).ToString();
}

/// <summary>libvirt's view of a domain's job (<c>domjobinfo --rawstats</c>).</summary>
/// <param name="Type">none, unbounded (running), completed, failed or cancelled.</param>
/// <param name="Operation">libvirt's operation number (9 = backup).</param>
/// <param name="Processed">Bytes done.</param>
/// <param name="Total">Bytes in all.</param>
/// <param name="Error">libvirt's error message of a failed job.</param>
public sealed record DomainJob(string Type, int Operation, long Processed, long Total, string? Error)
{
    /// <summary>libvirt's <c>virDomainJobOperation</c> number of a backup.</summary>
    public const int BackupOperation = 9;

    /// <summary>True while the job runs.</summary>
    public bool Running => Type == "unbounded" || Type == "bounded";
}

/// <summary>One dirty bitmap of one image node as QEMU reports it (<c>query-named-block-nodes</c>).</summary>
/// <param name="File">The image file of the node.</param>
/// <param name="Name">Bitmap name (libvirt names it after its checkpoint).</param>
/// <param name="Recording">Whether writes are being recorded.</param>
/// <param name="Inconsistent">QEMU found the persistent bitmap in use when it opened the image (the process
/// that wrote it died): its content cannot be trusted.</param>
/// <param name="Persistent">Stored in the qcow2 file.</param>
public sealed record DirtyBitmap(string File, string Name, bool Recording, bool Inconsistent, bool Persistent);
