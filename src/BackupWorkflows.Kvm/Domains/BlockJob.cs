using System.Text.Json;
using BackupWorkflows.Kvm.Images;

namespace BackupWorkflows.Kvm.Domains;

/// <summary>A running block job as QEMU reports it (<c>query-block-jobs</c>).</summary>
/// <param name="Device">QEMU's job or device id; in libvirt's view (<see cref="Virsh.GetBlockJobAsync"/>) the disk target.</param>
/// <param name="Type">Job type: <c>commit</c>, <c>stream</c> (pull), <c>mirror</c>, <c>backup</c>.</param>
/// <param name="Offset">Bytes done so far (progress numerator).</param>
/// <param name="Length">Bytes to do (progress denominator; may grow while the guest writes).</param>
/// <param name="Status">Job status: <c>running</c>, <c>ready</c>, <c>paused</c>, …</param>
/// <param name="Ready">True when an active commit or mirror can pivot.</param>
/// <param name="Speed">Rate limit in bytes per second (0 = none).</param>
public sealed record BlockJob(string Device, string Type, long Offset, long Length, string Status, bool Ready, long Speed)
{
    /// <summary>Progress in percent (0–100).</summary>
    public double Percent => Length <= 0 ? 0 : Math.Min(100.0, 100.0 * Offset / Length);

    internal static BlockJob FromJson(JsonElement e) => new(
        e.GetProperty("device").GetString()!,
        e.GetProperty("type").GetString()!,
        e.GetProperty("offset").GetInt64(),
        e.GetProperty("len").GetInt64(),
        Json.String(e, "status") ?? "running",
        Json.Bool(e, "ready") ?? false,
        Json.Int64(e, "speed") ?? 0);
}

/// <summary>Options of a block commit.</summary>
public sealed record BlockCommitOptions
{
    /// <summary>Image to commit from (<c>--top</c>); null means the active image (an active commit).</summary>
    public string? Top { get; init; }

    /// <summary>Image to commit into (<c>--base</c>); null means the bottom of the chain.</summary>
    public string? Base { get; init; }

    /// <summary>Bandwidth limit in bytes per second; null or 0 means none.</summary>
    public long? BandwidthBytesPerSecond { get; init; }

    /// <summary>Called with the job as it runs (polled through QMP).</summary>
    public Action<BlockJob>? OnProgress { get; init; }

    /// <summary>How often progress is polled. Default 500 ms.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time limit; the job is aborted by virsh when it runs over. Null means none.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>Options of attaching a disk.</summary>
public sealed record AttachDiskOptions
{
    /// <summary>Image format (<c>--subdriver</c>). Default <c>qcow2</c>.</summary>
    public string Format { get; init; } = "qcow2";

    /// <summary>Target bus (<c>--targetbus</c>), or null for libvirt's choice from the target name.</summary>
    public string? Bus { get; init; }

    /// <summary>Attach to the running domain (<c>--live</c>). Default true.</summary>
    public bool Live { get; init; } = true;

    /// <summary>Also keep it in the persistent definition (<c>--config</c>). Default false.</summary>
    public bool Persistent { get; init; }

    /// <summary>Attach read-only (<c>--mode readonly</c>).</summary>
    public bool ReadOnly { get; init; }
}
