namespace BackupWorkflows.Backup.Model;

/// <summary>A VM put under an offering, with the repository its backups go to.</summary>
public sealed class VmAssignment
{
    /// <summary>libvirt domain name.</summary>
    public required string VmName { get; set; }

    /// <summary>Host the VM runs on (by name).</summary>
    public required string HostName { get; set; }

    public required string OfferingName { get; set; }

    public required string RepositoryName { get; set; }

    /// <summary>Set when something ended the current chain (restore, failed validation,
    /// deleted newest backup); the next backup is then full. Cleared by the next full.</summary>
    public string? ChainEndedReason { get; set; }

    /// <summary>Disks (target names) excluded from backups, comma-free list.</summary>
    public List<string> ExcludedDisks { get; set; } = [];

    public DateTimeOffset AssignedAt { get; set; }
}
