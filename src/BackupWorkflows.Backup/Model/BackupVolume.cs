namespace BackupWorkflows.Backup.Model;

/// <summary>One disk of a backup: its image in the repository and what it was on primary.</summary>
public sealed class BackupVolume
{
    public Guid Id { get; set; }

    public Guid BackupId { get; set; }

    /// <summary>Disk target in the domain (vda, vdb, …).</summary>
    public required string Target { get; set; }

    /// <summary>The disk's base image path on primary storage when the backup was taken.</summary>
    public required string PrimaryBasePath { get; set; }

    /// <summary>The image the VM wrote to until this backup's snapshot: read-only since, it is
    /// what this backup copies (the whole chain under it for a full, the file alone for an incremental).</summary>
    public string? SnapshotSourcePath { get; set; }

    /// <summary>Format of <see cref="SnapshotSourcePath"/> (qcow2 or raw).</summary>
    public string SourceFormat { get; set; } = "qcow2";

    /// <summary>The overlay this backup's snapshot created on primary: it collects the writes
    /// after this backup, and is what the next incremental copies.</summary>
    public string? PrimaryDeltaPath { get; set; }

    /// <summary>Image path in the repository (qcow2; an incremental's backing file is its parent's image).</summary>
    public required string ImagePath { get; set; }

    public long VirtualSize { get; set; }

    public long StoredSize { get; set; }

    /// <summary>Checksum of the image file as stored, <c>algorithm:hex</c> (see <see cref="Kvm.Hosts.FileChecksum"/>).</summary>
    public string? Checksum { get; set; }
}
