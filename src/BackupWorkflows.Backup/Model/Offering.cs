namespace BackupWorkflows.Backup.Model;

/// <summary>A backup policy assigned to VMs.</summary>
public sealed class Offering
{
    /// <summary>The default chain size (full + incrementals) when none is given.</summary>
    public const int DefaultChainSize = 8;

    public required string Name { get; set; }

    /// <summary>Backups per chain, the full included: 1 = every backup is full; &lt; 1 = unlimited.</summary>
    public int ChainSize { get; set; } = DefaultChainSize;

    public bool Compress { get; set; }

    /// <summary><c>zstd</c> (default) or <c>zlib</c>.</summary>
    public string CompressionLibrary { get; set; } = "zstd";

    public bool Validate { get; set; }

    public bool AllowQuickRestore { get; set; }

    public bool AllowFileExtraction { get; set; }

    /// <summary>Quiesce policy: require, prefer (fall back to crash-consistent) or skip.</summary>
    public QuiescePolicy Quiesce { get; set; } = QuiescePolicy.Prefer;

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>How a backup makes the guest's file systems consistent.</summary>
public enum QuiescePolicy
{
    /// <summary>Freeze through the guest agent; fail the backup if that is impossible.</summary>
    Require,
    /// <summary>Freeze when the agent allows; otherwise continue crash-consistent and record it.</summary>
    Prefer,
    /// <summary>Never freeze: crash-consistent snapshots.</summary>
    Skip,
}
