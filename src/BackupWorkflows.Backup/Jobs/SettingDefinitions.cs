namespace BackupWorkflows.Backup.Jobs;

/// <summary>A setting's name, default, kind and meaning.</summary>
/// <param name="Name">Dotted name.</param>
/// <param name="Default">Default value as invariant text.</param>
/// <param name="Kind"><c>bool</c>, <c>int</c> or <c>double</c>.</param>
/// <param name="Description">What it changes.</param>
/// <param name="Minimum">Smallest allowed number (numbers only).</param>
public sealed record SettingDefinition(string Name, string Default, string Kind, string Description, double Minimum = 0);

/// <summary>The settings of jobs (with the defaults CloudStack's KVM backup provider ships) and of instance retention.</summary>
public static class SettingDefinitions
{
    public const string CompressionEnabled = "compression.enabled";
    public const string CompressionMaxConcurrentPerHost = "compression.max.concurrent.per.host";
    public const string CompressionMaxRetries = "compression.max.retries";
    public const string CompressionRetryIntervalMinutes = "compression.retry.interval.minutes";
    public const string CompressionTimeoutSeconds = "compression.timeout.seconds";
    public const string CompressionMinFreeStorageFactor = "compression.minimum.free.storage.factor";
    public const string CompressionCoroutines = "compression.coroutines";
    public const string CompressionRateLimitMBps = "compression.rate.limit.mbps";
    public const string ValidationRecheckIntervalHours = "validation.recheck.interval.hours";
    public const string ValidationBootTimeoutSeconds = "validation.boot.timeout.seconds";
    public const string JobsPollSeconds = "jobs.poll.interval.seconds";
    public const string InstancesRetentionDays = "instances.retention.days";

    /// <summary>Every known setting.</summary>
    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new(CompressionEnabled, "true", "bool", "Queue and run compression jobs."),
        new(CompressionMaxConcurrentPerHost, "5", "int", "Compressions running at once per host; -1 = unlimited.", -1),
        new(CompressionMaxRetries, "2", "int", "Retries of a failed compression after the first attempt."),
        new(CompressionRetryIntervalMinutes, "60", "double", "Wait before retrying a failed job."),
        new(CompressionTimeoutSeconds, "28800", "int", "Time limit of one compression attempt.", 1),
        new(CompressionMinFreeStorageFactor, "1.0", "double", "Free space needed in the repository before compressing, times the backup's stored size."),
        new(CompressionCoroutines, "1", "int", "qemu-img convert -m (1-16).", 1),
        new(CompressionRateLimitMBps, "0", "double", "qemu-img convert -r in MB/s; 0 = off."),
        new(ValidationRecheckIntervalHours, "24", "double", "Re-check each backup's checksums this often; 0 = never."),
        new(ValidationBootTimeoutSeconds, "180", "int", "How long a boot test waits for the guest agent.", 1),
        new(JobsPollSeconds, "5", "double", "How often the job runner looks for due jobs.", 0.05),
        new(InstancesRetentionDays, "30", "double",
            "Delete finished and cancelled workflow instances (with their journals) this many days after they ended; 0 = keep them. Faulted ones stay for retry."),
    ];

    /// <summary>The definition of <paramref name="name"/>, or null.</summary>
    public static SettingDefinition? Find(string name) => All.FirstOrDefault(d => d.Name == name);
}
