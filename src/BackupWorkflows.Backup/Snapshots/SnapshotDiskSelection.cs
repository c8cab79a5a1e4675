using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Backup.Snapshots;

/// <summary>Which of a VM's disks a snapshot covers, with clear errors for disks it cannot.</summary>
public static class SnapshotDiskSelection
{
    private static readonly string[] SupportedFormats = ["qcow2", "raw"];

    /// <summary>Splits "vda,vdb" into names; empty means every disk.</summary>
    public static List<string> ParseNames(string? disks) =>
        [.. (disks ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>The writable disks of <paramref name="domain"/> named in <paramref name="names"/> (every one when empty).</summary>
    /// <exception cref="BackupInputException">A named disk does not exist, or a disk is not a file-backed
    /// qcow2/raw image (network, block or volume disks; named or, when none is named, any).</exception>
    public static IReadOnlyList<DomainDisk> Select(DomainDefinition domain, IReadOnlyCollection<string> names, string vm)
    {
        var writable = domain.Disks.Where(d => d.Device == "disk" && !d.ReadOnly && !d.Shareable).ToList();
        foreach (var name in names.Where(n => writable.All(d => d.Target != n)))
            throw new BackupInputException($"disks: VM '{vm}' has no writable disk '{name}' (it has {string.Join(", ", writable.Select(d => d.Target))})");
        var chosen = names.Count == 0 ? writable : [.. writable.Where(d => names.Contains(d.Target))];
        if (chosen.Count == 0) throw new BackupInputException($"VM '{vm}' has no writable disk to snapshot");
        foreach (var d in chosen)
        {
            if (d.SourceType != "file" || d.Source is null)
                throw new BackupInputException(
                    $"disks: disk {d.Target} of VM '{vm}' is a {d.SourceType} disk; only file-backed images can be snapshotted (name the other disks with --disks)");
            if (d.DriverFormat is not null && !SupportedFormats.Contains(d.DriverFormat))
                throw new BackupInputException($"disks: disk {d.Target} of VM '{vm}' has format {d.DriverFormat}; only qcow2 and raw are supported");
        }
        return chosen;
    }
}
