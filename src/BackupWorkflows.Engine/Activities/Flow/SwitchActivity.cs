namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>Follows the outcome named like the value when it is one of the cases, else <c>Default</c>.</summary>
[Activity("Flow.Switch", Category = "Flow", DisplayName = "Switch", Description = "Takes the outcome named after the matching case, or Default.")]
[Outcomes("Default", Dynamic = true)]
public sealed class SwitchActivity : Activity
{
    /// <summary>The value to match.</summary>
    [Input(Description = "Value to match against the cases.", Required = true)]
    public string? Value { get; set; }

    /// <summary>The case names; each is also an outcome.</summary>
    [Input(Description = "Case names (each is an outcome).", UIHint = "list")]
    public List<string> Cases { get; set; } = [];

    /// <summary>The outcome taken.</summary>
    [Output(Description = "Outcome taken.")]
    public string? Matched { get; private set; }

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        Matched = Value is not null && Cases.Contains(Value) ? Value : "Default";
        return new(ActivityResult.Outcome(Matched));
    }
}
