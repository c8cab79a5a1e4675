namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>A durable timer: the instance is suspended (surviving restarts) and continues when it is due.</summary>
[Activity("Flow.Delay", Category = "Flow", DisplayName = "Delay", Description = "Waits durably for a time span or until a moment.")]
public sealed class DelayActivity : Activity
{
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
        var until = context.SuspendedUntil ?? Until ?? now.AddSeconds(Seconds);
        return new(until <= now ? ActivityResult.Done : ActivityResult.SuspendUntil(until));
    }
}
