using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Bindings;

namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>A durable timer: the instance is suspended (surviving restarts) and continues when it is due.</summary>
[Activity("Flow.Delay", Category = "Flow", DisplayName = "Delay", Description = "Waits durably for a time span or until a moment.")]
public sealed class DelayActivity : Activity, IDesignChecked
{
    /// <summary>Longest wait in seconds (100 years): beyond it the moment cannot be represented.</summary>
    public const double MaxSeconds = 3_155_760_000;

    /// <summary>How long to wait.</summary>
    [Input(Description = "Seconds to wait.")]
    public double Seconds { get; set; }

    /// <summary>When to continue (wins over Seconds).</summary>
    [Input(Description = "Moment to continue at (ISO 8601); wins over Seconds.")]
    public DateTimeOffset? Until { get; set; }

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var now = context.TimeProvider.GetUtcNow();
        if (context.SuspendedUntil is { } due && now >= due) return new(ActivityResult.Done);
        if (context.SuspendedUntil is null && Until is null && !(Seconds is >= 0 and <= MaxSeconds))
            throw new NonRetryableActivityException($"seconds must be a number from 0 to {MaxSeconds} (100 years); got {Seconds}");
        var until = context.SuspendedUntil ?? Until ?? now.AddSeconds(Seconds);
        return new(until <= now ? ActivityResult.Done : ActivityResult.SuspendUntil(until));
    }

    /// <inheritdoc />
    public IEnumerable<(string Input, string Problem)> CheckDesign(IReadOnlyDictionary<string, JsonNode?> inputs)
    {
        var seconds = inputs.GetValueOrDefault("seconds");
        var until = inputs.GetValueOrDefault("until");
        if (seconds is null && until is null)
            yield return ("seconds", "a Delay needs seconds or until: give one of them");
        if (seconds is not null && BindingTemplate.IsLiteral(seconds) && seconds is JsonValue v && v.TryGetValue<double>(out var s)
            && !(s is >= 0 and <= MaxSeconds))
            yield return ("seconds", $"seconds must be a number from 0 to {MaxSeconds} (100 years); got {s}");
    }
}
