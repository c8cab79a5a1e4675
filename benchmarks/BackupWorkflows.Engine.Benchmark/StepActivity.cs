using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Engine.Benchmark;

/// <summary>
/// A no-op activity that stamps when the engine entered and left it, so the time the engine
/// spends between activities (its overhead) can be separated from time inside activities.
/// </summary>
[Activity("Bench.Step")]
public sealed class StepActivity : Activity
{
    /// <summary>Timestamps per instance: entry and exit of each step, in execution order.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<(long Enter, long Exit)>> Stamps = new();

    [Input] public int Index { get; set; }
    [Output] public int Next { get; private set; }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var enter = System.Diagnostics.Stopwatch.GetTimestamp();
        Next = Index + 1;
        var list = Stamps.GetOrAdd(context.InstanceId, _ => new List<(long, long)>(10));
        lock (list) list.Add((enter, System.Diagnostics.Stopwatch.GetTimestamp()));
        return new(ActivityResult.Done);
    }
}
