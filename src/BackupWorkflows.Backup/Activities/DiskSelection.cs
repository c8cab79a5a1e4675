using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Backup.Activities;

/// <summary>Which of a VM's disks a backup copies, with clear errors for disks it cannot.</summary>
public static class DiskSelection
{
    private static readonly string[] SupportedFormats = ["qcow2", "raw"];

    /// <summary>The writable disks of <paramref name="domain"/> minus <paramref name="excluded"/>.</summary>
    /// <exception cref="BackupInputException">An excluded disk does not exist, nothing is left, or a
    /// disk is not a file-backed qcow2/raw image (network, block or volume disks).</exception>
    public static IReadOnlyList<DomainDisk> Included(DomainDefinition domain, IReadOnlyCollection<string> excluded, string vm)
    {
        var writable = domain.Disks.Where(d => d.Device == "disk" && !d.ReadOnly && !d.Shareable).ToList();
        foreach (var name in excluded.Where(x => writable.All(d => d.Target != x)))
            throw new BackupInputException($"excluded disk '{name}' is not a disk of VM '{vm}'");
        var included = writable.Where(d => !excluded.Contains(d.Target)).ToList();
        if (included.Count == 0)
            throw new BackupInputException($"VM '{vm}' has no disk left to back up");
        foreach (var d in included)
        {
            if (d.SourceType != "file" || d.Source is null)
                throw new BackupInputException(
                    $"disk {d.Target} of VM '{vm}' is a {d.SourceType} disk; only file-backed images can be backed up (exclude it to continue)");
            if (d.DriverFormat is not null && !SupportedFormats.Contains(d.DriverFormat))
                throw new BackupInputException(
                    $"disk {d.Target} of VM '{vm}' has format {d.DriverFormat}; only qcow2 and raw are supported");
        }
        return included;
    }
}
