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

/// <summary>The names of <see cref="QuiescePolicy"/> values as the API, CLI and studio write them.</summary>
public static class QuiescePolicies
{
    /// <summary>Every name: <c>require</c>, <c>prefer</c>, <c>skip</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<QuiescePolicy>().Select(NameOf)];

    /// <summary>The name of a policy (lower case).</summary>
    public static string NameOf(QuiescePolicy policy) => policy.ToString().ToLowerInvariant();

    /// <summary>The policy with that exact name.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Names"/>.</exception>
    public static QuiescePolicy Parse(string name)
    {
        foreach (var policy in Enum.GetValues<QuiescePolicy>())
            if (NameOf(policy) == name) return policy;
        throw new ArgumentException($"'{name}' is not a quiesce policy ({string.Join(", ", Names)})", nameof(name));
    }
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
