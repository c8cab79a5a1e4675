namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>Where the flow begins (optional: without it, activities with no incoming connection start).</summary>
[Activity(TypeName, Category = "Flow", DisplayName = "Start", Description = "Entry point of the workflow.")]
public sealed class StartActivity : Activity
{
    /// <summary>Stable type name.</summary>
    public const string TypeName = "Flow.Start";

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => new(ActivityResult.Done);
}
