using System.Diagnostics.Metrics;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Metrics;

/// <summary>
/// The backup domain's meter (<see cref="MeterName"/>): backups and restores as they end (count, duration,
/// bytes), and, counted in the database when metrics are collected, backups by state and type and the
/// queue of compression and validation jobs.
/// </summary>
/// <remarks>
/// The gauges read the shared database, so every node of a cluster reports the same numbers (aggregate with
/// max); the counters and histograms are this node's since it started (aggregate with sum).
/// </remarks>
public sealed class BackupMetrics
{
    /// <summary>Name of the meter a metrics exporter subscribes to.</summary>
    public const string MeterName = "BackupWorkflows.Backup";

    private static readonly double[] LongDurations = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 86400];

    private readonly Operations _backups;
    private readonly Operations _restores;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>; the gauges query through <paramref name="scopes"/>.</summary>
    public BackupMetrics(IMeterFactory meters, IServiceScopeFactory scopes)
    {
        var meter = meters.Create(MeterName);
        _backups = Operations.Create(meter, "backup",
            "Backups that ended, by type (full, incremental, isolated) and state (BackedUp, Error).",
            "Time from a backup's creation to its end, by type and state.",
            "Bytes stored in repositories by completed backups, by type.");
        _restores = Operations.Create(meter, "restore",
            "Restores that completed, by kind (vm, new_vm, volume).",
            "Duration of completed restore attempts, by kind.",
            "Bytes restored (virtual size of the restored volumes), by kind.");
        meter.CreateObservableGauge("bwf.backups", () => CountBackups(scopes), "{backup}",
            "Backups in the catalog, by state and type.");
        meter.CreateObservableGauge("bwf.jobs.queued", () => CountQueuedJobs(scopes), "{job}",
            "Compression and validation jobs not ended yet, by type and state (Scheduled, Starting, Finalizing).");
    }

    /// <summary>Records a backup that has just become BackedUp or Error.</summary>
    public void BackupEnded(BackupRecord backup)
    {
        var type = new KeyValuePair<string, object?>("type", TypeName(backup.Type));
        var state = new KeyValuePair<string, object?>("state", backup.State.ToString());
        _backups.Ended.Add(1, type, state);
        if (backup.CompletedAt is { } end) _backups.Duration.Record(Math.Max(0, (end - backup.CreatedAt).TotalSeconds), type, state);
        if (backup.State == BackupState.BackedUp) _backups.Bytes.Add(backup.StoredSize, type);
    }

    /// <summary>Records a restore attempt that completed: <paramref name="kind"/> is vm, new_vm or volume.</summary>
    public void RestoreEnded(string kind, long bytes, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        _restores.Ended.Add(1, tag);
        _restores.Duration.Record(duration.TotalSeconds, tag);
        _restores.Bytes.Add(bytes, tag);
    }

    /// <summary>What is recorded of backups and of restores alike: <c>bwf.{noun}s.ended</c>, <c>bwf.{noun}.duration</c>, <c>bwf.{noun}.size</c>.</summary>
    private sealed record Operations(Counter<long> Ended, Histogram<double> Duration, Counter<long> Bytes)
    {
        public static Operations Create(Meter meter, string noun, string ended, string duration, string bytes) => new(
            meter.CreateCounter<long>($"bwf.{noun}s.ended", $"{{{noun}}}", ended),
            meter.CreateHistogram<double>($"bwf.{noun}.duration", "s", duration, tags: null,
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LongDurations }),
            meter.CreateCounter<long>($"bwf.{noun}.size", "By", bytes));
    }

    private static string TypeName(BackupType type) => type.ToString().ToLowerInvariant();

    private static IEnumerable<Measurement<long>> CountBackups(IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BackupDbContext>();
        var counts = db.Backups.GroupBy(b => new { b.State, b.Type }).Select(g => new { g.Key.State, g.Key.Type, Count = g.LongCount() }).ToList();
        return counts.Select(c => new Measurement<long>(c.Count,
            new KeyValuePair<string, object?>("state", c.State.ToString()), new("type", TypeName(c.Type))));
    }

    private static IEnumerable<Measurement<long>> CountQueuedJobs(IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        var instances = scope.ServiceProvider.GetRequiredService<IWorkflowInstanceQueries>();
        // A scrape counts the job workflows' open instances by status (one count query each): a job waiting for a
        // slot (Waiting) or on a timer (disabled, retry due later: Suspended) is queued, a Running one runs. The
        // reasons JobQueries reads from each journal are for the job list, not for every scrape.
        long Count(JobType type, WorkflowStatus status) => instances.ListAsync(new InstanceFilter
            { DefinitionId = JobWorkflows.Of(type), Status = status, Take = 1 }).GetAwaiter().GetResult().Total;
        // Every type and state, zeros included: an empty queue is a depth of 0, not a missing series.
        return Enum.GetValues<JobType>().SelectMany(type => new[]
        {
            Depth(type, JobState.Queued, Count(type, WorkflowStatus.Waiting) + Count(type, WorkflowStatus.Suspended)),
            Depth(type, JobState.Running, Count(type, WorkflowStatus.Running)),
        }).ToList();
    }

    private static Measurement<long> Depth(JobType type, JobState state, long count) =>
        new(count, new KeyValuePair<string, object?>("type", type.ToString().ToLowerInvariant()), new("state", state.ToString()));
}
