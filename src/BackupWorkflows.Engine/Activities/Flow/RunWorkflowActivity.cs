using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>
/// Runs a published workflow as a child instance with inputs, waits for it and takes its output. The
/// child's fault (or cancellation) takes the <c>Failed</c> outcome; cancelling the parent cancels the child.
/// </summary>
/// <remarks>
/// Durable without a timer: the child is started with an idempotency key made of this execution
/// (<see cref="ActivityContext.ExecutionKey"/>), so an execution interrupted by a restart starts nothing new
/// when it runs again; it finds its child (resumed on its own) and waits for it again. The parent keeps its
/// execution slot while it waits, like any long activity. A later attempt of the same execution (a retry of
/// the faulted parent) retries a faulted child instead of starting another.
/// </remarks>
[Activity(TypeName, Category = "Flow", DisplayName = "Run workflow",
    Description = "Runs a published workflow as a child instance and takes its output.")]
[Outcomes("Done", "Failed")]
public sealed class RunWorkflowActivity : Activity
{
    /// <summary>Stable type name.</summary>
    public const string TypeName = "Flow.RunWorkflow";

    /// <summary>Id of the workflow to run.</summary>
    [Input(Description = "Id of the published workflow to run as a child.", Required = true, UIHint = "workflow")]
    public string WorkflowId { get; set; } = "";

    /// <summary>A fixed version (one that was published); empty runs the version published at the time.</summary>
    [Input(Description = "A fixed version (one that was published); empty runs the version published at the time.")]
    public int? Version { get; set; }

    /// <summary>The child's input.</summary>
    [Input(Description = "The child's input (JSON object; values may bind).", UIHint = "json")]
    public JsonObject? Input { get; set; }

    /// <summary>The child instance.</summary>
    [Output(Description = "Id of the child instance.")]
    public string? InstanceId { get; set; }

    /// <summary>What the child gave to its Finish.</summary>
    [Output(Description = "The child's output (what it gave to Finish).")]
    public JsonNode? Output { get; set; }

    /// <inheritdoc />
    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var runtime = context.Services.GetRequiredService<IWorkflowRuntime>();
        var queries = context.Services.GetRequiredService<IWorkflowInstanceQueries>();
        InstanceId = await runtime.StartAsync(WorkflowId, Input ?? [], new StartOptions
        {
            IdempotencyKey = $"child:{context.ExecutionKey}", CorrelationId = context.CorrelationId,
            ParentInstanceId = context.InstanceId, DefinitionVersion = Version,
        }, context.CancellationToken);
        var existing = await queries.GetAsync(InstanceId, context.CancellationToken);
        if (context.Attempt > 1 && !context.IsResume && existing?.Status == WorkflowStatus.Faulted)
        {
            context.Journal($"retrying the faulted child instance {InstanceId}");
            await runtime.RetryAsync(InstanceId, context.CancellationToken);
        }
        else context.Journal($"child instance {InstanceId} of {WorkflowId}");

        var child = await runtime.WaitAsync(InstanceId, cancellationToken: context.CancellationToken);
        if (child.Status != WorkflowStatus.Finished)
            throw new NonRetryableActivityException(
                $"the child workflow '{WorkflowId}' (instance {InstanceId}) ended {child.Status}{(child.Fault is null ? "" : $": {child.Fault}")}");
        Output = child.Output?.DeepClone();
        context.Journal($"child instance {InstanceId} finished; output {Output?.ToJsonString() ?? "none"}");
        return ActivityResult.Done;
    }
}
