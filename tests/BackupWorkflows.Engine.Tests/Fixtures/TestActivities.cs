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
