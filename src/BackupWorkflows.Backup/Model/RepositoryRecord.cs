namespace BackupWorkflows.Backup.Model;

/// <summary>
/// Where backups live: a directory that every host using it sees at the same path
/// (local disk, NFS, CephFS).
/// </summary>
public sealed class RepositoryRecord
{
    public required string Name { get; set; }

    /// <summary>Absolute directory path, the same on every host that uses the repository.</summary>
    public required string Path { get; set; }

    /// <summary>Bytes the repository may hold; 0 = bounded only by the file system.</summary>
    public long CapacityBytes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
