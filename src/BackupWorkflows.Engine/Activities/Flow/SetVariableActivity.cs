using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>Sets a workflow variable.</summary>
[Activity("Flow.SetVariable", Category = "Flow", DisplayName = "Set variable", Description = "Sets a workflow variable to a value.")]
public sealed class SetVariableActivity : Activity
{
    /// <summary>Variable name (declared in the definition).</summary>
    [Input(Description = "Variable name.", Required = true)]
    public string Name { get; set; } = "";

    /// <summary>New value (any JSON, may bind).</summary>
    [Input(Description = "Value (any JSON, may bind).", UIHint = "json")]
    public JsonNode? Value { get; set; }

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.SetVariable(Name, Value);
        return new(ActivityResult.Done);
    }
}
