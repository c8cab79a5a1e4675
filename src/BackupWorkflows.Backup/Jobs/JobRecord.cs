namespace BackupWorkflows.Backup.Jobs;

/// <summary>
/// One asynchronous job on a backup (compression, validation), as a row in <c>bwf_jobs</c>.
/// The row is the queue: <see cref="JobRunner"/> claims due rows and runs each attempt as a
/// workflow instance (<see cref="InstanceId"/>), so an attempt has a journal and progress and
/// survives a restart of the engine.
/// </summary>
public sealed class JobRecord
{
    public Guid Id { get; set; }

    public Guid BackupId { get; set; }

    /// <summary>Host the job runs on (the backup's host).</summary>
    public required string HostName { get; set; }

    public JobType Type { get; set; }

    public JobState State { get; set; } = JobState.Scheduled;

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; set; }

    /// <summary>When a Scheduled job is due.</summary>
    public DateTimeOffset NextRunAt { get; set; }

    /// <summary>Node running the current attempt; null when none runs.</summary>
    public string? ExecutingNode { get; set; }

    /// <summary>Workflow instance of the current (or last) attempt.</summary>
    public string? InstanceId { get; set; }

    /// <summary>When the current attempt started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Validation levels for a validation job (comma list); null for all the offering's.</summary>
    public string? Levels { get; set; }

    /// <summary>Why the last attempt failed.</summary>
    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>What a job does.</summary>
public enum JobType { Compression, Validation }

/// <summary>
/// Where a job is: waiting (Scheduled), running its main work (Starting), replacing files and
/// recording results (Finalizing), or ended (Done, Failed after its last retry).
/// </summary>
public enum JobState { Scheduled, Starting, Finalizing, Done, Failed }
