namespace BackupWorkflows.Backup.Settings;

/// <summary>
/// Every setting of the service, in one table (<c>bwf_settings</c>) and one naming style: dotted
/// lower-case words, a duration's unit as its last word. Each is read by the code its name says
/// (the table in <c>docs/api.md</c>, section Settings). The compression defaults are those CloudStack's KVM backup provider ships.
/// </summary>
public static class SettingCatalog
{
    /// <summary>Run compression jobs (queued jobs wait while false).</summary>
    public const string CompressionEnabled = "compression.enabled";
    /// <summary>Compressions at once per host (-1 = unlimited).</summary>
    public const string CompressionMaxConcurrentPerHost = "compression.max.concurrent.per.host";
    /// <summary>Retries of a failed compression.</summary>
    public const string CompressionMaxRetries = "compression.max.retries";
    /// <summary>Wait before a failed job is retried.</summary>
    public const string CompressionRetryIntervalMinutes = "compression.retry.interval.minutes";
    /// <summary>Time limit of one compression attempt.</summary>
    public const string CompressionTimeoutSeconds = "compression.timeout.seconds";
    /// <summary>Free repository space needed, times the backup's size.</summary>
    public const string CompressionMinFreeStorageFactor = "compression.minimum.free.storage.factor";
    /// <summary><c>qemu-img convert -m</c>.</summary>
    public const string CompressionCoroutines = "compression.coroutines";
    /// <summary><c>qemu-img convert -r</c> in MB/s.</summary>
    public const string CompressionRateLimitMBps = "compression.rate.limit.mbps";
    /// <summary>How often each backup's checksums are re-checked.</summary>
    public const string ValidationRecheckIntervalHours = "validation.recheck.interval.hours";
    /// <summary>How long a boot test waits for the guest agent.</summary>
    public const string ValidationBootTimeoutSeconds = "validation.boot.timeout.seconds";
    /// <summary>How often due checksum re-checks are queued and disabled compressions look again.</summary>
    public const string JobsPollIntervalSeconds = "jobs.poll.interval.seconds";
    /// <summary>How long ended workflow instances are kept.</summary>
    public const string InstancesRetentionDays = "instances.retention.days";
    /// <summary>What a schedule does about firings missed while no server ran.</summary>
    public const string SchedulesMisfirePolicy = "schedules.misfire.policy";
    /// <summary>Backups kept per VM by schedules without <c>keep</c>.</summary>
    public const string SchedulesDefaultKeep = "schedules.default.keep";

    /// <summary>Backed-up disks open for browsing at once per host.</summary>
    public const string FilesBrowseMaxSessionsPerHost = "files.browse.max.sessions.per.host";
    /// <summary>How long an unused browse session stays open.</summary>
    public const string FilesBrowseIdleTimeoutSeconds = "files.browse.idle.timeout.seconds";

    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1), Minute = TimeSpan.FromMinutes(1),
        Hour = TimeSpan.FromHours(1), Day = TimeSpan.FromDays(1);

    /// <summary>Every setting.</summary>
    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new(CompressionEnabled, SettingKind.Boolean, "true", "Run compression jobs; while false they stay queued (reason 'disabled') and start once it is true."),
        new(CompressionMaxConcurrentPerHost, SettingKind.Integer, "5", "Compressions running at once per host; -1 = unlimited.")
            { Minimum = -1, Maximum = 100 },
        new(CompressionMaxRetries, SettingKind.Integer, "2", "Retries of a failed compression after the first attempt.")
            { Minimum = 0, Maximum = 100 },
        new(CompressionRetryIntervalMinutes, SettingKind.Duration, "60", "Wait before retrying a failed compression.")
            { Minimum = 0, Maximum = 10080, Unit = Minute },
        new(CompressionTimeoutSeconds, SettingKind.Duration, "28800", "Time limit of one compression attempt.")
            { Minimum = 1, Maximum = 604800, Unit = Second },
        new(CompressionMinFreeStorageFactor, SettingKind.Number, "1",
            "Free space needed in the repository before compressing, times the backup's stored size.") { Minimum = 0, Maximum = 100 },
        new(CompressionCoroutines, SettingKind.Integer, "1", "Parallel coroutines of qemu-img convert (-m).") { Minimum = 1, Maximum = 16 },
        new(CompressionRateLimitMBps, SettingKind.Number, "0", "qemu-img convert rate limit (-r) in MB/s; 0 = off.")
            { Minimum = 0, Maximum = 100000 },
        new(ValidationRecheckIntervalHours, SettingKind.Duration, "24", "Re-check each backup's checksums this often; 0 = never.")
            { Minimum = 0, Maximum = 8760, Unit = Hour },
        new(ValidationBootTimeoutSeconds, SettingKind.Duration, "180", "How long a boot test waits for the restored guest's agent.")
            { Minimum = 10, Maximum = 3600, Unit = Second },
        new(JobsPollIntervalSeconds, SettingKind.Duration, "5", "How often due checksum re-checks are queued, and a disabled compression job looks again.")
            { Minimum = 0.05, Maximum = 3600, Unit = Second },
        new(InstancesRetentionDays, SettingKind.Duration, "30",
            "Delete finished and cancelled workflow instances (with their journals) this many days after they ended; 0 = keep them. Faulted ones stay for retry.")
            { Minimum = 0, Maximum = 36500, Unit = Day },
        new(SchedulesMisfirePolicy, SettingKind.Choice, "run-once",
            "Firings missed while no server ran, of schedules and of workflows' Cron triggers: 'run-once' runs one catch-up firing at start, 'skip' waits for the next firing.")
            { Choices = ["run-once", "skip"] },
        new(SchedulesDefaultKeep, SettingKind.Integer, "0", "Backups kept per VM by schedules that do not say 'keep' (0 = keep all).")
            { Minimum = 0, Maximum = 10000 },
        new(FilesBrowseMaxSessionsPerHost, SettingKind.Integer, "4",
            "Backed-up disks open for file browsing at once per host (each is a qemu-storage-daemon, a loop device and its mounts); "
            + "a new one closes the least recently used idle one, or is refused while all are in use.")
            { Minimum = 1, Maximum = 64 },
        new(FilesBrowseIdleTimeoutSeconds, SettingKind.Duration, "300", "A browse session unused this long is closed (unmounted, detached, exported no more).")
            { Minimum = 1, Maximum = 86400, Unit = Second },
    ];

    /// <summary>Names earlier versions used, and the setting each is now (stored rows are renamed at start).</summary>
    public static IReadOnlyDictionary<string, string> FormerNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["schedules.misfirePolicy"] = SchedulesMisfirePolicy,
        ["schedules.defaultKeep"] = SchedulesDefaultKeep,
        // Was a server setting nothing read; the boot test always read the name it has now.
        ["validation.bootTimeoutSeconds"] = ValidationBootTimeoutSeconds,
    };

    /// <summary>The definition of <paramref name="name"/>, or null.</summary>
    public static SettingDefinition? Find(string name) => All.FirstOrDefault(d => d.Name == name);
}
