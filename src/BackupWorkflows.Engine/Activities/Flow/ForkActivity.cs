namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>Starts every named branch in parallel; join them again with a Join.</summary>
[Activity("Flow.Fork", Category = "Flow", DisplayName = "Fork", Description = "Runs several branches in parallel.")]
[Outcomes(Dynamic = true)]
public sealed class ForkActivity : Activity
{
    /// <summary>Branch names; each is an outcome.</summary>
    [Input(Description = "Branch names (each is an outcome).", Required = true, UIHint = "list")]
    public List<string> Branches { get; set; } = [];

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        new(ActivityResult.Outcomes([.. Branches]));
}
