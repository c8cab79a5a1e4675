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

    /// <summary>How changes between backups are tracked: deltas on primary (default) or dirty bitmaps.</summary>
    public BackupStrategy Strategy { get; set; } = BackupStrategy.Delta;

    /// <summary>The workflow a backup of this offering's VMs starts (API, CLI, studio, and schedules that name none).</summary>
    public string BackupWorkflow { get; set; } = ShippedWorkflows.Backup;

    /// <summary>The workflow a restore of this offering's backups starts.</summary>
    public string RestoreWorkflow { get; set; } = ShippedWorkflows.Restore;

    /// <summary>The workflow a quick restore of this offering's backups starts.</summary>
    public string QuickRestoreWorkflow { get; set; } = ShippedWorkflows.QuickRestore;

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The names of an offering's enum values as the API, CLI and studio write them: lower case.</summary>
/// <typeparam name="TEnum"><see cref="QuiescePolicy"/> or <see cref="BackupStrategy"/>.</typeparam>
public abstract class OfferingNames<TEnum> where TEnum : struct, Enum
{
    /// <summary>Only the named subclasses below.</summary>
    private protected OfferingNames() { }

    /// <summary>Every name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<TEnum>().Select(NameOf)];

    /// <summary>The name of a value (lower case).</summary>
    public static string NameOf(TEnum value) => value.ToString().ToLowerInvariant();

    /// <summary>The value with that exact name.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Names"/>.</exception>
    public static TEnum Parse(string name)
    {
        foreach (var value in Enum.GetValues<TEnum>())
            if (NameOf(value) == name) return value;
        throw new ArgumentException($"'{name}' is not one of {string.Join(", ", Names)}", nameof(name));
    }
}

/// <summary>The names of <see cref="QuiescePolicy"/> values: <c>require</c>, <c>prefer</c>, <c>skip</c>.</summary>
public sealed class QuiescePolicies : OfferingNames<QuiescePolicy>
{
    private QuiescePolicies() { }
}

/// <summary>The names of <see cref="BackupStrategy"/> values: <c>delta</c>, <c>bitmap</c>.</summary>
public sealed class BackupStrategies : OfferingNames<BackupStrategy>
{
    private BackupStrategies() { }
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

/// <summary>How a VM's backups find what changed since the previous one.</summary>
public enum BackupStrategy
{
    /// <summary>Each backup puts a qcow2 overlay on primary; the next incremental copies it and merges it.</summary>
    Delta,
    /// <summary>libvirt checkpoints: QEMU records changed blocks in a dirty bitmap per disk, and
    /// <c>backup-begin</c> copies them; nothing extra on primary, no merge.</summary>
    Bitmap,
}
