namespace BackupWorkflows.Backup.Model;

/// <summary>One point in time of one VM: its volumes' images in a repository.</summary>
public sealed class BackupRecord
{
    public Guid Id { get; set; }

    public required string VmName { get; set; }

    public required string HostName { get; set; }

    public required string RepositoryName { get; set; }

    public BackupType Type { get; set; }

    /// <summary>The backup this incremental's images have as backing files.</summary>
    public Guid? ParentId { get; set; }

    /// <summary>The chain (the id of its full); null for isolated backups.</summary>
    public Guid? ChainId { get; set; }

    /// <summary>1 for the full, 2 for its first incremental, …; 0 for isolated.</summary>
    public int ChainPosition { get; set; }

    public BackupState State { get; set; } = BackupState.Creating;

    /// <summary>True when the guest's file systems were frozen for the snapshot.</summary>
    public bool Quiesced { get; set; }

    public bool Compressed { get; set; }

    /// <summary>The VM's domain XML at backup time (inactive definition).</summary>
    public string? DomainXml { get; set; }

    /// <summary>Whether the VM was running when the backup started.</summary>
    public bool VmWasRunning { get; set; }

    public long VirtualSize { get; set; }

    public long StoredSize { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Workflow instance that made this backup.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Why the chain rules chose this type ("chain is full (3 of 3)").</summary>
    public string? TypeReason { get; set; }

    public string? Error { get; set; }

    /// <summary>The offering's strategy when this backup was taken.</summary>
    public BackupStrategy Strategy { get; set; } = BackupStrategy.Delta;

    /// <summary>The libvirt checkpoint this backup created (<c>bwf-&lt;id&gt;</c>), which the next bitmap
    /// incremental copies the changes since; null when it created none (delta, stopped VM, raw disk, isolated).</summary>
    public string? Checkpoint { get; set; }

    /// <summary>True when a libvirt backup job copies this backup (bitmap strategy, VM running): no overlay
    /// on primary, no staging, no merge. A stopped VM's bitmap backup is taken like a delta full.</summary>
    public bool UsesBackupJob => Strategy == BackupStrategy.Bitmap && VmWasRunning;

    /// <summary>Valid, Invalid or UnableToValidate of the latest validation.</summary>
    public string? ValidationResult { get; set; }

    public DateTimeOffset? ValidatedAt { get; set; }

    public List<BackupVolume> Volumes { get; set; } = [];
}

public enum BackupType { Full, Incremental, Isolated }

public enum BackupState { Creating, BackedUp, Error, Removed, Expunged }
