namespace BackupWorkflows.Kvm.Images;

/// <summary>Options of <c>qemu-img convert</c> beyond source and target.</summary>
public sealed record ConvertOptions
{
    /// <summary>Source format (<c>-f</c>). Null lets qemu-img probe, which is unsafe for raw images of
    /// untrusted guests; pass it when known.</summary>
    public string? SourceFormat { get; init; }

    /// <summary>Target format (<c>-O</c>). Default <c>qcow2</c>.</summary>
    public string TargetFormat { get; init; } = "qcow2";

    /// <summary>Compress the target (<c>-c</c>; qcow2 only).</summary>
    public bool Compress { get; init; }

    /// <summary>qcow2 compression type, <c>zstd</c> or <c>zlib</c> (<c>-o compression_type=</c>). Null keeps qemu's default (zlib).</summary>
    public string? CompressionType { get; init; }

    /// <summary>Parallel coroutines (<c>-m</c>, 1–16). Null keeps qemu's default (8).</summary>
    public int? Coroutines { get; init; }

    /// <summary>Allow out-of-order writes (<c>-W</c>): faster, but a target cut short has holes anywhere.</summary>
    public bool OutOfOrderWrites { get; init; }

    /// <summary>Rate limit in bytes per second (<c>-r</c>). Null or 0 means unlimited.</summary>
    public long? RateLimitBytesPerSecond { get; init; }

    /// <summary>Backing file of the target (<c>-B</c>): only data that differs from it is written,
    /// which is how an incremental is made from a delta plus its parent backup.</summary>
    public string? BackingFile { get; init; }

    /// <summary>Format of <see cref="BackingFile"/> (<c>-F</c>). Required with it (qemu ≥ 6.1 refuses probing).</summary>
    public string? BackingFormat { get; init; }

    /// <summary>Cache mode of the target (<c>-t</c>): <c>none</c> writes with O_DIRECT, past the host's page
    /// cache (nothing left to flush, no cache evicted); null keeps qemu-img's default (<c>unsafe</c>).</summary>
    public string? TargetCacheMode { get; init; }

    /// <summary>Open the source read-only with shared locks (<c>-U</c>), for images a running VM holds.</summary>
    public bool ForceShare { get; init; }

    /// <summary>Called with progress in percent (0–100) parsed from <c>-p</c> as it streams.</summary>
    public Action<double>? OnProgress { get; init; }

    /// <summary>Time limit for the whole conversion. Null means none.</summary>
    public TimeSpan? Timeout { get; init; }
}
