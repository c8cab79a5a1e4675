namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>Faults the instance with a message (never retried).</summary>
[Activity("Flow.Fault", Category = "Flow", DisplayName = "Fault", Description = "Faults the workflow with a message.")]
[Outcomes]
public sealed class FaultActivity : Activity
{
    /// <summary>Why the workflow faults.</summary>
    [Input(Description = "Fault message.", Required = true)]
    public string Message { get; set; } = "";

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        throw new NonRetryableActivityException(Message);
}
