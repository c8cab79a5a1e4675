using System.Diagnostics.Metrics;
using BackupWorkflows.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Engine.Runtime;

/// <summary>
/// The engine's meter (<see cref="MeterName"/>): workflow instances by status (counted in the database when
/// metrics are collected) and the duration of every activity attempt by activity type and outcome.
/// </summary>
/// <remarks>Instances are counted in the shared database, so every node of a cluster reports the same numbers:
/// aggregate them with max, not sum.</remarks>
public sealed class EngineMetrics
{
    /// <summary>Name of the meter a metrics exporter subscribes to.</summary>
    public const string MeterName = "BackupWorkflows.Engine";

    private readonly Histogram<double> _activityDuration;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    internal EngineMetrics(IMeterFactory meters, IDbContextFactory<EngineDbContext> database)
    {
        var meter = meters.Create(MeterName);
        _activityDuration = meter.CreateHistogram<double>("bwf.activity.duration", "s",
            "Duration of activity attempts, by activity type and outcome (done, faulted, cancelled).", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200, 14400] });
        meter.CreateObservableGauge("bwf.workflow.instances", () => CountInstances(database), "{instance}",
            "Workflow instances in the database, by status.");
    }

    /// <summary>Records one activity attempt.</summary>
    internal void ActivityAttemptEnded(string activityType, string outcome, TimeSpan duration) =>
        _activityDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("activity_type", activityType), new("outcome", outcome));

    private static IEnumerable<Measurement<long>> CountInstances(IDbContextFactory<EngineDbContext> database)
    {
        using var db = database.CreateDbContext();
        var counts = db.Instances.GroupBy(i => i.Status).Select(g => new { Status = g.Key, Count = g.LongCount() })
            .ToDictionary(c => c.Status, c => c.Count);
        // Every status, zeros included, so a series does not vanish when its last instance ends.
        return Enum.GetValues<WorkflowStatus>().Select(s =>
            new Measurement<long>(counts.GetValueOrDefault((int)s), new KeyValuePair<string, object?>("status", s.ToString())));
    }
}
