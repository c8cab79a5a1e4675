using BackupWorkflows.Engine.Activities.Triggers;
using BackupWorkflows.Engine.Triggers;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Validation;
using Quartz;

namespace BackupWorkflows.Server.Apis;

/// <summary>The trigger index (triggers of published workflows) and a cron preview for the studio.</summary>
public static class TriggersApi
{
    /// <summary>Maps <c>/api/triggers</c>.</summary>
    public static IEndpointRouteBuilder MapTriggersApi(this IEndpointRouteBuilder app)
    {
        var triggers = app.MapGroup("/triggers").WithTags("Workflows").RequireAuthorization(Roles.Viewer);
        triggers.MapGet("/", async (string? type, IWorkflowTriggers index, CancellationToken ct) =>
                TypedResults.Ok((await index.ListAsync(type, ct)).Select(TriggerDto.From)))
            .WithName("ListTriggers").WithSummary("The triggers of published workflows (optionally of one type), with hook URLs.");
        triggers.MapGet("/cron-preview", (string? cron, string? timeZone, int? count, TimeProvider time) =>
            {
                var (quartz, zone, problems) = ScheduleCron.Read(cron, string.IsNullOrWhiteSpace(timeZone) ? null : timeZone);
                var rules = new InputRules();
                foreach (var (input, problem) in problems) rules.Add(input, problem);
                rules.ThrowIfAny();
                var expression = new CronExpression(quartz!, zone);
                var next = new List<DateTimeOffset>();
                var after = time.GetUtcNow();
                while (next.Count < Math.Clamp(count ?? 5, 1, 50) && expression.GetNextValidTimeAfter(after) is { } at)
                {
                    next.Add(at);
                    after = at;
                }
                return TypedResults.Ok(new CronPreview(quartz!, zone!.Id, next));
            })
            .WithName("PreviewCron").WithSummary("The Quartz form of a cron expression and its next firings in a time zone.");
        return app;
    }
}

/// <summary>An indexed trigger as the API shows it.</summary>
/// <param name="Type">Trigger type.</param>
/// <param name="Key">Unique key (HTTP: method and path).</param>
/// <param name="WorkflowId">Workflow it starts.</param>
/// <param name="Version">Published version.</param>
/// <param name="ActivityId">The trigger activity.</param>
/// <param name="Settings">Its settings.</param>
/// <param name="HookPath">For HTTP triggers, the path to call (under the server's URL).</param>
public sealed record TriggerDto(string Type, string Key, string WorkflowId, int Version, string ActivityId,
    System.Text.Json.Nodes.JsonObject Settings, string? HookPath)
{
    /// <summary>Maps an index row.</summary>
    public static TriggerDto From(WorkflowTrigger t) => new(t.Type, t.Key, t.DefinitionId, t.DefinitionVersion, t.ActivityId, t.Settings,
        t.Type == HttpTrigger.TypeName ? "/api/hooks/" + t.Key.Split(' ', 2)[1] : null);
}

/// <summary>Next firings of a cron expression.</summary>
/// <param name="Quartz">The expression as Quartz reads it (seconds first).</param>
/// <param name="TimeZone">The time zone.</param>
/// <param name="Next">The next firings.</param>
public sealed record CronPreview(string Quartz, string TimeZone, IReadOnlyList<DateTimeOffset> Next);
