namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>How a Join waits.</summary>
public enum JoinMode
{
    /// <summary>Run once every incoming connection has delivered (after a Fork).</summary>
    WaitAll,
    /// <summary>Run on the first arrival; later arrivals of the same round are dropped.</summary>
    WaitAny,
}

/// <summary>
/// Merges parallel branches. The engine counts arrivals per incoming connection (durably, in the
/// instance state) and schedules the Join only when <see cref="Mode"/> is satisfied.
/// </summary>
[Activity(TypeName, Category = "Flow", DisplayName = "Join", Description = "Waits for parallel branches.")]
public sealed class JoinActivity : Activity
{
    /// <summary>Stable type name.</summary>
    public const string TypeName = "Flow.Join";

    /// <summary>WaitAll (default) or WaitAny; must be a literal.</summary>
    [Input(Description = "WaitAll or WaitAny (literal).", UIHint = "dropdown", Default = "waitAll")]
    public JoinMode Mode { get; set; } = JoinMode.WaitAll;

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => new(ActivityResult.Done);
}
