using System.Collections.Concurrent;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Engine.Tests.Fixtures;

/// <summary>Returns its input doubled; used to check bindings and outputs.</summary>
[Activity("Test.Double", Category = "Test")]
public sealed class DoubleActivity : Activity
{
    [Input(Required = true)] public int Value { get; set; }
    [Output] public int Result { get; private set; }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        Result = Value * 2;
        return new(ActivityResult.Done);
    }
}

/// <summary>Records its calls in a shared log (keyed by a test-chosen name) and echoes a text.</summary>
[Activity("Test.Record", Category = "Test")]
public sealed class RecordActivity : Activity
{
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Calls = new();

    [Input(Required = true)] public string Log { get; set; } = "";
    [Input] public string? Text { get; set; }
    [Input(Sensitive = true)] public string? Secret { get; set; }
    [Output] public string? Echo { get; private set; }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        Calls.GetOrAdd(Log, _ => new()).Enqueue($"{context.ActivityId}:{Text}");
        Echo = Text;
        context.Journal($"recorded {Text}");
        return new(ActivityResult.Done);
    }
}

/// <summary>
/// Named rendezvous points between a test and running activities: an activity signals
/// <see cref="Entered"/> and waits until the test opens the gate (or its token is cancelled).
/// </summary>
public static class Gates
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Open = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> EnteredSignals = new();
    private static readonly ConcurrentDictionary<string, int> Counts = new();

    public static TaskCompletionSource Gate(string name) => Open.GetOrAdd(name, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
    public static TaskCompletionSource Entered(string name) => EnteredSignals.GetOrAdd(name, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
    public static int Count(string name) => Counts.GetValueOrDefault(name);
    public static void Release(string name) => Gate(name).TrySetResult();
    internal static int Enter(string name)
    {
        Entered(name).TrySetResult();
        return Counts.AddOrUpdate(name, 1, (_, n) => n + 1);
    }

    /// <summary>Awaits a task with a deadline so a broken engine fails the test instead of hanging it.</summary>
    public static async Task WithDeadline(this Task task, int seconds = 20) => await task.WaitAsync(TimeSpan.FromSeconds(seconds));
}

/// <summary>Waits at a gate; reports progress first; observes cancellation.</summary>
[Activity("Test.Gate", Category = "Test")]
public sealed class GateActivity : Activity
{
    public static readonly ConcurrentDictionary<string, bool> SawCancellation = new();

    /// <summary>Limits a test changes while instances wait (like a setting), by <see cref="LimitKey"/>.</summary>
    public static readonly ConcurrentDictionary<string, int> Limits = new();

    [Input(Required = true)] public string Name { get; set; } = "";
    [Input] public string? Lock { get; set; }
    [Input] public int LockLimit { get; set; } = 1;
    [Input] public string? LimitKey { get; set; }
    [Output] public int Entries { get; private set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        if (Lock is not null && LimitKey is not null) await context.AcquireLockAsync(Lock, _ => ValueTask.FromResult(Limits[LimitKey]));
        else if (Lock is not null) await context.AcquireLockAsync(Lock, LockLimit);
        context.ReportProgress(1, 4, "waiting at gate");
        Entries = Gates.Enter(Name);
        try { await Gates.Gate(Name).Task.WaitAsync(context.CancellationToken); }
        catch (OperationCanceledException)
        {
            SawCancellation[Name] = true;
            throw;
        }
        context.ReportProgress(4, 4, "through");
        return ActivityResult.Done;
    }
}

/// <summary>Fails the first <c>Failures</c> attempts (per key), then succeeds.</summary>
[Activity("Test.Flaky", Category = "Test")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 0.01, MaxDelaySeconds = 0.05, NonRetryable = [typeof(ArgumentException)])]
public sealed class FlakyActivity : Activity
{
    private static readonly ConcurrentDictionary<string, int> Attempts = new();

    [Input(Required = true)] public string Key { get; set; } = "";
    [Input] public int Failures { get; set; }
    [Input] public bool ThrowArgument { get; set; }
    [Input] public int DurableAttempts { get; set; }
    [Input] public double DurableIntervalSeconds { get; set; }
    [Output] public int SeenAttempt { get; private set; }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        if (DurableAttempts > 0) context.RetryDurably(DurableAttempts, TimeSpan.FromSeconds(DurableIntervalSeconds));
        var n = Attempts.AddOrUpdate(Key, 1, (_, v) => v + 1);
        SeenAttempt = context.Attempt;
        if (ThrowArgument) throw new ArgumentException("bad argument");
        if (n <= Failures) throw new IOException($"transient failure {n}");
        return new(ActivityResult.Done);
    }
}

/// <summary>Takes longer than its timeout unless told otherwise.</summary>
[Activity("Test.Slow", Category = "Test")]
[Timeout(0.2)]
public sealed class SlowActivity : Activity
{
    [Input] public double Seconds { get; set; } = 30;

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        await Task.Delay(TimeSpan.FromSeconds(Seconds), context.TimeProvider, context.CancellationToken);
        return ActivityResult.Done;
    }
}

/// <summary>Reports progress 100 times, waits at gate <c>{name}-a</c>, reports once more, waits at <c>{name}-b</c>.</summary>
[Activity("Test.Chatty", Category = "Test")]
public sealed class ChattyActivity : Activity
{
    [Input(Required = true)] public string Name { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        for (var i = 1; i <= 100; i++) context.ReportProgress(i, 200, $"step {i}");
        Gates.Enter($"{Name}-a");
        await Gates.Gate($"{Name}-a").Task.WaitAsync(context.CancellationToken);
        context.ReportProgress(101, 200, "step 101");
        Gates.Enter($"{Name}-b");
        await Gates.Gate($"{Name}-b").Task.WaitAsync(context.CancellationToken);
        return ActivityResult.Done;
    }
}

/// <summary>Holds an exclusive lock for a moment and records the highest number of holders seen at once.</summary>
[Activity("Test.Exclusive", Category = "Test")]
public sealed class ExclusiveActivity : Activity
{
    public static readonly ConcurrentDictionary<string, int> Inside = new();
    public static readonly ConcurrentDictionary<string, int> MaxInside = new();

    [Input(Required = true)] public string Lock { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        await using (await context.AcquireLockAsync(Lock))
        {
            var now = Inside.AddOrUpdate(Lock, 1, (_, n) => n + 1);
            MaxInside.AddOrUpdate(Lock, now, (_, m) => Math.Max(m, now));
            await Task.Delay(TimeSpan.FromMilliseconds(30), context.CancellationToken); // a short critical section
            Inside.AddOrUpdate(Lock, 0, (_, n) => n - 1);
        }
        return ActivityResult.Done;
    }
}
