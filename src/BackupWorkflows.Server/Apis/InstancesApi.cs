using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackupWorkflows.Server.Apis;

/// <summary>Workflow instances: filtered, inspected (journal, progress, incidents), cancelled and retried.</summary>
public static class InstancesApi
{
    /// <summary>Maps <c>/api/instances</c>.</summary>
    public static IEndpointRouteBuilder MapInstancesApi(this IEndpointRouteBuilder app)
    {
        var instances = app.MapGroup("/instances").WithTags("Instances").RequireAuthorization(Roles.Viewer);
        instances.MapGet("/", ListAsync).WithName("ListInstances").WithSummary("Instances, newest first, filtered by status and definition.");
        instances.MapGet("/{id}", GetAsync).WithName("GetInstance").WithSummary("An instance with each activity's state, progress and incidents.");
        instances.MapGet("/{id}/journal", JournalAsync).WithName("GetInstanceJournal").WithSummary("Every execution attempt, in order.");
        instances.MapPost("/{id}/cancel", async (string id, IWorkflowRuntime runtime, IWorkflowInstanceQueries queries, CancellationToken ct) =>
            {
                await Require(queries, id, ct);
                return await runtime.CancelAsync(id, ct) ? TypedResults.Accepted($"/api/instances/{id}")
                    : throw new ConflictException($"Instance {id} has already ended.");
            })
            .WithName("CancelInstance").WithSummary("Cancels a running instance.").RequireAuthorization(Roles.Operator);
        instances.MapPost("/{id}/retry", async (string id, IWorkflowRuntime runtime, IWorkflowInstanceQueries queries, CancellationToken ct) =>
            {
                await Require(queries, id, ct);
                await runtime.RetryAsync(id, ct);
                return TypedResults.Accepted($"/api/instances/{id}");
            })
            .WithName("RetryInstance").WithSummary("Resumes a faulted instance from the failed activity.").RequireAuthorization(Roles.Operator);
        return app;
    }

    private static async Task<Ok<IEnumerable<InstanceSummaryDto>>> ListAsync(string? status, string? definitionId, string? correlationId, int? skip, int? take,
        IWorkflowInstanceQueries queries, CancellationToken ct)
    {
        WorkflowStatus? parsed = null;
        var rules = new InputRules().Range("skip", skip, 0, int.MaxValue).Range("take", take, 1, 500);
        if (status is not null)
        {
            if (Enum.TryParse<WorkflowStatus>(status, ignoreCase: true, out var s) && !int.TryParse(status, out _)) parsed = s;
            else rules.Add("status", $"must be one of: {string.Join(", ", Enum.GetNames<WorkflowStatus>())}.");
        }
        rules.ThrowIfAny();
        var page = await queries.ListAsync(new InstanceFilter
        {
            Status = parsed, DefinitionId = definitionId, CorrelationId = correlationId, Skip = skip ?? 0, Take = take ?? 50,
        }, ct);
        return TypedResults.Ok(page.Items.Select(i => new InstanceSummaryDto(i.Id, i.DefinitionId, i.DefinitionVersion, i.Status,
            i.CreatedAt, i.UpdatedAt, i.EndedAt, i.CorrelationId)));
    }

    private static async Task<Ok<InstanceDto>> GetAsync(string id, IWorkflowInstanceQueries queries, IWorkflowDefinitionStore store, CancellationToken ct)
    {
        var instance = await Require(queries, id, ct);
        var journal = await queries.GetJournalAsync(id, ct);
        var incidents = await queries.GetIncidentsAsync(id, ct);
        var progress = (await queries.GetProgressAsync(id, ct)).ToDictionary(p => p.ActivityId);
        var definition = await store.GetAsync(instance.DefinitionId, instance.DefinitionVersion, ct);

        var activities = new Dictionary<string, ActivityStateDto>();
        foreach (var node in definition?.Activities ?? []) activities[node.Id] = new ActivityStateDto("pending", 0, null, null);
        var ended = instance.Status.IsEnded();
        foreach (var entry in journal)
        {
            var failed = incidents.Any(x => x.ActivityId == entry.ActivityId && !x.Handled) && entry.Status == ExecutionStatus.Faulted;
            var state = entry.Status switch
            {
                ExecutionStatus.Completed => "done",
                // An attempt the instance's end stopped (cancelled, or another branch faulted) no longer runs.
                ExecutionStatus.Running or ExecutionStatus.Suspended or ExecutionStatus.Interrupted when ended => "cancelled",
                // The instance was read before the journal: a timer it does not show suspended yet still ran at that read.
                ExecutionStatus.Suspended when instance.ActivityResumeAt.ContainsKey(entry.ActivityId) => "suspended",
                ExecutionStatus.Running or ExecutionStatus.Interrupted or ExecutionStatus.Suspended => "running",
                ExecutionStatus.Faulted when failed || ended => "failed",
                ExecutionStatus.Cancelled => "cancelled",
                _ => "retrying",
            };
            // A durable timer's attempt waits until its own work item is due (parallel branches wait for different moments).
            var resumeAt = state == "suspended" ? instance.ActivityResumeAt[entry.ActivityId] : (DateTimeOffset?)null;
            activities[entry.ActivityId] = new ActivityStateDto(state, entry.Attempt, null, entry.Outcome, resumeAt);
        }
        // A finished or cancelled run never comes back for the branches it did not take.
        if (instance.Status is WorkflowStatus.Finished or WorkflowStatus.Cancelled)
            foreach (var (activityId, a) in activities.Where(a => a.Value.Status == "pending").ToList())
                activities[activityId] = a with { Status = "skipped" };
        foreach (var (activityId, p) in progress)
        {
            var current = activities.GetValueOrDefault(activityId) ?? new ActivityStateDto("running", 1, null, null);
            activities[activityId] = current with { Progress = new ProgressDto(p.Done, p.Total, p.Message, p.UpdatedAt) };
        }

        return TypedResults.Ok(new InstanceDto(instance.Id, instance.DefinitionId, instance.DefinitionVersion, instance.Status,
            instance.CorrelationId, instance.Input, instance.Variables, instance.Output, instance.Fault, instance.WaitingFor,
            instance.OwnerNode, instance.CreatedAt, instance.UpdatedAt, instance.EndedAt, activities,
            [.. incidents.Select(x => new IncidentDto(x.ActivityId, x.Message, x.CreatedAt, x.Attempts, x.Handled))],
            instance.Trigger, instance.ParentInstanceId));
    }

    private static async Task<Ok<IEnumerable<JournalEntryDto>>> JournalAsync(string id, IWorkflowInstanceQueries queries, CancellationToken ct)
    {
        await Require(queries, id, ct);
        return TypedResults.Ok((await queries.GetJournalAsync(id, ct)).Select(e => new JournalEntryDto(e.Id, e.ActivityId, e.ActivityType,
            e.Attempt, e.IsResume, e.Status.ToString(), e.StartedAt, e.EndedAt, e.Inputs, e.Outputs, e.Outcome, e.Error, e.Lines, e.Node)));
    }

    private static async Task<WorkflowInstanceInfo> Require(IWorkflowInstanceQueries queries, string id, CancellationToken ct) =>
        await queries.GetAsync(id, ct) ?? throw new NotFoundException($"No instance {id}.");
}

/// <summary>An instance in a listing.</summary>
public sealed record InstanceSummaryDto(string Id, string DefinitionId, int DefinitionVersion, WorkflowStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, string? CorrelationId);

/// <summary>Progress of an activity.</summary>
public sealed record ProgressDto(long Done, long Total, string? Message, DateTimeOffset UpdatedAt);

/// <summary>State of one activity in an instance: pending, running, suspended (a durable timer, until
/// <paramref name="ResumeAt"/>), retrying, done, failed, cancelled (stopped by the instance's end) or skipped (never reached by a
/// finished or cancelled run).</summary>
public sealed record ActivityStateDto(string Status, int Attempt, ProgressDto? Progress, string? Outcome, DateTimeOffset? ResumeAt = null);

/// <summary>An incident.</summary>
public sealed record IncidentDto(string ActivityId, string Message, DateTimeOffset At, int Attempts, bool Handled);

/// <summary>An instance in detail; <c>Trigger</c> is the trigger that started it and with what, <c>ParentInstanceId</c> the
/// instance that runs it as a child (Flow.RunWorkflow).</summary>
public sealed record InstanceDto(string Id, string DefinitionId, int DefinitionVersion, WorkflowStatus Status, string? CorrelationId,
    JsonObject? Input, JsonObject? Variables, JsonNode? Output, string? Fault, string? WaitingFor, string? OwnerNode,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, ActivityStateDto> Activities, IReadOnlyList<IncidentDto> Incidents,
    BackupWorkflows.Engine.Triggers.TriggerStart? Trigger = null, string? ParentInstanceId = null);

/// <summary>One execution attempt.</summary>
public sealed record JournalEntryDto(long Sequence, string ActivityId, string ActivityType, int Attempt, bool IsResume, string Status,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, JsonObject? Inputs, JsonObject? Outputs, string? Outcome, string? Error,
    IReadOnlyList<string> Messages, string? Node);
