namespace BackupWorkflows.Backup.Jobs;

/// <summary>
/// One compression or validation job as users see it. A job is a workflow instance
/// (<c>compress</c> or <c>validate</c>); this is read from the engine, never stored, so it cannot
/// drift from what the engine does (see <see cref="JobQueries"/>).
/// </summary>
/// <param name="Id">The job's workflow instance id.</param>
/// <param name="Type">Compression or validation.</param>
/// <param name="BackupId">Backup the job works on.</param>
/// <param name="Host">Host it runs on (the backup's host).</param>
/// <param name="Levels">Validation levels asked for (comma list); null for all the offering's, or for a compression.</param>
/// <param name="State">Queued, Running, Done, Failed or Cancelled.</param>
/// <param name="Reason">Why a queued job waits (<see cref="JobReasons"/>), or why a failed one failed.</param>
/// <param name="Error">Why the last attempt failed (a failed job, or one waiting to retry).</param>
/// <param name="Attempts">Attempts that ran (failed ones, plus the running or successful one).</param>
/// <param name="RetryAt">When a job waiting to retry runs again.</param>
/// <param name="Progress">Progress of a running job.</param>
/// <param name="CreatedAt">Queued at.</param>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="EndedAt">Done, failed or cancelled at.</param>
public sealed record Job(string Id, JobType Type, Guid? BackupId, string? Host, string? Levels, JobState State, string? Reason,
    string? Error, int Attempts, DateTimeOffset? RetryAt, JobProgress? Progress, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? EndedAt);

/// <summary>How far a running job is.</summary>
/// <param name="Done">Units done.</param>
/// <param name="Total">Units in all.</param>
/// <param name="Message">What it does now.</param>
public sealed record JobProgress(long Done, long Total, string? Message);

/// <summary>What a job does.</summary>
public enum JobType
{
    /// <summary><c>qemu-img convert -c</c> of the backup's images (workflow <c>compress</c>).</summary>
    Compression,
    /// <summary>Image, checksum and boot checks (workflow <c>validate</c>); a periodic checksum re-check is one too.</summary>
    Validation,
}

/// <summary>Where a job is.</summary>
public enum JobState
{
    /// <summary>Waiting: for a slot under the host's limit, for compression to be enabled, or for its retry.</summary>
    Queued,
    /// <summary>Working now.</summary>
    Running,
    /// <summary>Ended well.</summary>
    Done,
    /// <summary>Ended after its last attempt failed.</summary>
    Failed,
    /// <summary>Cancelled by a user.</summary>
    Cancelled,
}

/// <summary>Why a queued job waits.</summary>
public static class JobReasons
{
    /// <summary>The host's limit of jobs of this type at once is reached (for compressions, 0 holds every job).</summary>
    public const string HostLimit = "host limit";
    /// <summary><c>compression.enabled</c> is false.</summary>
    public const string Disabled = "disabled";
    /// <summary>Not started by the engine yet.</summary>
    public const string Starting = "starting";
    /// <summary>The last attempt failed; the next one runs at <see cref="Job.RetryAt"/>.</summary>
    public static string RetryAt(DateTimeOffset at) => $"retry at {at:u}";
}

/// <summary>The workflow of each job type.</summary>
public static class JobWorkflows
{
    /// <summary>Compression's workflow id.</summary>
    public const string Compress = "compress";
    /// <summary>Validation's workflow id.</summary>
    public const string Validate = "validate";

    /// <summary>The workflow that runs a job of <paramref name="type"/>.</summary>
    public static string Of(JobType type) => type == JobType.Compression ? Compress : Validate;

    /// <summary>The name of the engine semaphore that limits jobs of <paramref name="type"/> on a host.</summary>
    public static string HostLock(JobType type, string host) => $"host:{host}:{(type == JobType.Compression ? "compression" : "validation")}";
}
