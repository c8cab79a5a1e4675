using System.Security.Claims;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities.Triggers;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Triggers;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Triggers;

namespace BackupWorkflows.Server.Apis;

/// <summary>
/// <c>/api/hooks/{path}</c>: the HTTP triggers (<c>Trigger.Http</c>) of published workflows. A request with an API
/// key of at least the hook's role starts the workflow with the body (or query) as input and answers
/// <c>202 { instanceId }</c>, or, when the hook waits, the output of a workflow that ends in time.
/// </summary>
public static class HooksApi
{
    /// <summary>Maps <c>/api/hooks/{**path}</c> for every method a hook may answer.</summary>
    public static IEndpointRouteBuilder MapHooksApi(this IEndpointRouteBuilder app)
    {
        // One operation per method, each with its own name: an OpenAPI document needs unique operation ids.
        foreach (var method in HttpTrigger.Methods)
            app.MapMethods("/hooks/{**path}", [method], HandleAsync).WithTags("Hooks")
                .WithName($"CallHook{method[0]}{method[1..].ToLowerInvariant()}")
                .WithSummary($"Starts the published workflow whose HTTP trigger answers {method} at this path; a JSON object body (or the query) is its input.")
                .Produces<InstanceStarted>(StatusCodes.Status202Accepted).Produces<JsonObject>(StatusCodes.Status200OK)
                .RequireAuthorization(Roles.Viewer); // no Accepts(): a request without a body (query input) must reach it too
        return app;
    }

    private static async Task<IResult> HandleAsync(string path, HttpContext http, IWorkflowTriggers triggers, IWorkflowDefinitionStore store,
        IWorkflowRuntime runtime, CancellationToken ct)
    {
        var normalized = HttpTrigger.NormalizePath(path);
        var method = http.Request.Method.ToUpperInvariant();
        var trigger = await triggers.FindAsync(HttpTrigger.TypeName, $"{method} {normalized}", ct);
        if (trigger is null)
        {
            var allowed = (await triggers.ListAsync(HttpTrigger.TypeName, ct)).Select(t => t.Key.Split(' ', 2))
                .Where(k => k[1] == normalized).Select(k => k[0]).ToList();
            if (allowed.Count > 0)
            {
                http.Response.Headers.Allow = string.Join(", ", allowed);
                throw new ApiException(StatusCodes.Status405MethodNotAllowed, "Method not allowed",
                    $"The hook /api/hooks/{normalized} answers {string.Join(", ", allowed)}, not {method}.");
            }
            throw new NotFoundException($"No published workflow has a hook at /api/hooks/{normalized}.");
        }
        var role = trigger.Settings["role"]?.GetValue<string>()?.ToLowerInvariant() ?? Roles.Operator;
        if (!Roles.Has(http.User, role))
            throw new ApiException(StatusCodes.Status403Forbidden, "Forbidden",
                $"The hook /api/hooks/{normalized} requires the role {role}; this API key is {http.User.FindFirstValue(ClaimTypes.Role)}.");

        var definition = await store.GetAsync(trigger.DefinitionId, trigger.DefinitionVersion, ct)
            ?? throw new NotFoundException($"No published workflow has a hook at /api/hooks/{normalized}.");
        var input = await HookInput.ReadAsync(http.Request, definition, ct);
        var key = BackupsApi.IdempotencyKey(http);
        var payload = new JsonObject
        {
            ["method"] = method, ["path"] = normalized,
            ["query"] = new JsonObject(http.Request.Query.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)JsonValue.Create(q.Value.ToString())))),
            ["idempotencyKey"] = key,
        };
        var instanceId = await runtime.StartAsync(trigger.DefinitionId, input, new StartOptions
        {
            IdempotencyKey = key is null ? null : $"hook:{key}", CorrelationId = key,
            Trigger = new TriggerStart(trigger.ActivityId, trigger.Type, payload),
        }, ct);

        var waitSeconds = trigger.Settings["waitSeconds"]?.GetValue<int>() ?? 0;
        if (waitSeconds > 0)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(waitSeconds));
            try
            {
                var info = await runtime.WaitAsync(instanceId, cancellationToken: timeout.Token);
                return TypedResults.Ok(new HookResult(instanceId, info.Status, info.Output, info.Fault));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { /* not done in time: 202 */ }
        }
        return TypedResults.Accepted($"/api/instances/{instanceId}", new InstanceStarted(instanceId));
    }
}

/// <summary>Answer of a hook that waited for its workflow to end.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="Status">Finished, Faulted or Cancelled.</param>
/// <param name="Output">What the workflow gave to Finish.</param>
/// <param name="Fault">Why it faulted.</param>
public sealed record HookResult(string InstanceId, WorkflowStatus Status, JsonNode? Output, string? Fault);
