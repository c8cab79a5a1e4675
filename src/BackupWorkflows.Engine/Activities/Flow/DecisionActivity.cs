namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>Follows <c>True</c> or <c>False</c>.</summary>
[Activity("Flow.Decision", Category = "Flow", DisplayName = "Decision", Description = "Takes True or False depending on a condition.")]
[Outcomes("True", "False")]
public sealed class DecisionActivity : Activity
{
    /// <summary>The condition, usually a binding such as <c>{{ steps.check.isFull }}</c>.</summary>
    [Input(Description = "Condition (boolean).", Required = true)]
    public bool Condition { get; set; }

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        new(ActivityResult.Outcome(Condition ? "True" : "False"));
}
