using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>Ends the workflow at once (other running branches are stopped) with an optional output.</summary>
[Activity("Flow.Finish", Category = "Flow", DisplayName = "Finish", Description = "Ends the workflow, optionally with an output.")]
[Outcomes]
public sealed class FinishActivity : Activity
{
    /// <summary>The workflow's output.</summary>
    [Input(Description = "Output of the workflow (any JSON, may bind).", UIHint = "json")]
    public JsonNode? Output { get; set; }

    /// <summary>Echo of the output, readable as <c>steps.id.output</c>.</summary>
    [Output(Description = "The workflow's output.")]
    public JsonNode? Result { get; private set; }

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        Result = Output;
        return new(ActivityResult.Finish());
    }
}
