using System.Text;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackupWorkflows.Server.Apis;

/// <summary>Workflow definitions and activity descriptors: read by viewers, edited by admins, run by operators.</summary>
public static class WorkflowsApi
{
    /// <summary>Maps <c>/api/workflows</c> and <c>/api/activity-descriptors</c>.</summary>
    public static IEndpointRouteBuilder MapWorkflowsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/activity-descriptors", (IActivityRegistry registry) => TypedResults.Ok(registry.Descriptors.Select(ActivityDescriptorDto.From)))
            .WithTags("Workflows").WithName("ListActivityDescriptors").WithSummary("Every activity type with its inputs, outputs and outcomes.")
            .RequireAuthorization(Roles.Viewer);

        var workflows = app.MapGroup("/workflows").WithTags("Workflows").RequireAuthorization(Roles.Viewer);
        workflows.MapGet("/", async (IWorkflowDefinitionStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)))
            .WithName("ListWorkflows").WithSummary("Every definition with its latest and published version.");
        workflows.MapGet("/{id}", GetAsync).WithName("GetWorkflow").WithSummary("A version of a definition (latest when omitted).")
            .Produces<WorkflowDefinition>();
        workflows.MapGet("/{id}/versions", async (string id, IWorkflowDefinitionStore store, CancellationToken ct) =>
                TypedResults.Ok((await store.ListVersionsAsync(id, ct)).Select(v => new WorkflowVersionDto(v.Version, v.IsPublished, v.CreatedAt, v.PublishedAt))))
            .WithName("ListWorkflowVersions").WithSummary("Every version of a definition, oldest first.");
        workflows.MapGet("/{id}/export", ExportAsync).WithName("ExportWorkflow").WithSummary("A version as a JSON file.")
            .Produces<WorkflowDefinition>(StatusCodes.Status200OK, "application/json");

        workflows.MapPut("/{id}", SaveAsync).WithName("SaveWorkflow").WithSummary("Saves a draft version (400 with problems when invalid).")
            .Accepts<JsonObject>("application/json").Produces<WorkflowDefinition>().RequireAuthorization(Roles.Admin);
        workflows.MapPost("/{id}/publish", async (string id, PublishRequest? request, IWorkflowDefinitionStore store, CancellationToken ct) =>
                Json(await store.PublishAsync(id, request?.Version, ct)))
            .WithName("PublishWorkflow").WithSummary("Publishes a version (latest when omitted).").Produces<WorkflowDefinition>()
            .RequireAuthorization(Roles.Admin);
        workflows.MapPost("/{id}/revert", async (string id, RevertRequest request, IWorkflowDefinitionStore store, CancellationToken ct) =>
                Json(await store.RevertAsync(id, request.Version ?? throw new InputException("version", "is required."), ct)))
            .WithName("RevertWorkflow").WithSummary("Makes a new draft from an old version.").Produces<WorkflowDefinition>()
            .RequireAuthorization(Roles.Admin);
        workflows.MapDelete("/{id}", async (string id, IWorkflowDefinitionStore store, CancellationToken ct) =>
                await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : throw new NotFoundException($"No workflow '{id}'."))
            .WithName("DeleteWorkflow").WithSummary("Deletes every version (refused while instances run).").RequireAuthorization(Roles.Admin);
        workflows.MapPost("/import", ImportAsync).WithName("ImportWorkflow").WithSummary("Imports a definition JSON, optionally publishing it (201 when new).")
            .Accepts<JsonObject>("application/json").Produces<WorkflowDefinition>().Produces<WorkflowDefinition>(StatusCodes.Status201Created)
            .RequireAuthorization(Roles.Admin);
        workflows.MapPost("/{id}/run", RunAsync).WithName("RunWorkflow").WithSummary("Starts an instance of the published version.")
            .RequireAuthorization(Roles.Operator);
        return app;
    }

    private static async Task<JsonHttpResult<WorkflowDefinition>> GetAsync(string id, int? version, IWorkflowDefinitionStore store, CancellationToken ct) =>
        Json(await store.GetAsync(id, version, ct)
             ?? throw new NotFoundException(version is null ? $"No workflow '{id}'." : $"Workflow '{id}' has no version {version}."));

    private static async Task<IResult> ExportAsync(string id, int? version, IWorkflowDefinitionStore store, CancellationToken ct)
    {
        if (await store.GetAsync(id, version, ct) is null) throw new NotFoundException($"No workflow '{id}'{(version is null ? "" : $" version {version}")}.");
        var json = await store.ExportAsync(id, version, ct);
        return TypedResults.File(Encoding.UTF8.GetBytes(json), "application/json", $"{id}.json");
    }

    private static async Task<JsonHttpResult<WorkflowDefinition>> SaveAsync(string id, HttpRequest request, IWorkflowDefinitionStore store, CancellationToken ct)
    {
        var definition = DefinitionJson.Parse(await ReadBodyAsync(request, ct));
        if (string.IsNullOrEmpty(definition.Id)) definition.Id = id;
        if (definition.Id != id) throw new InputException("id", $"the body's id '{definition.Id}' differs from the URL's '{id}'.");
        return Json(await store.SaveDraftAsync(definition, ct));
    }

    private static async Task<JsonHttpResult<WorkflowDefinition>> ImportAsync(bool? publish, HttpRequest request, IWorkflowDefinitionStore store, CancellationToken ct)
    {
        var result = await store.ImportAsync(await ReadBodyAsync(request, ct), publish ?? false, ct);
        return Json(result.Definition, result.Created ? 201 : 200);
    }

    private static async Task<Accepted<InstanceStarted>> RunAsync(string id, RunRequest? request, IWorkflowRuntime runtime, HttpContext http, CancellationToken ct)
    {
        var key = BackupsApi.IdempotencyKey(http);
        var instanceId = await runtime.StartAsync(id, request?.Input ?? [], new StartOptions { IdempotencyKey = key, CorrelationId = key }, ct);
        return TypedResults.Accepted($"/api/instances/{instanceId}", new InstanceStarted(instanceId));
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct);
        return string.IsNullOrWhiteSpace(body) ? throw new InputException("body", "a workflow definition (JSON) is required.") : body;
    }

    /// <summary>A definition in the engine's JSON conventions (camelCase, enums as strings).</summary>
    private static JsonHttpResult<WorkflowDefinition> Json(WorkflowDefinition definition, int status = 200) =>
        TypedResults.Json(definition, DefinitionJson.Options, statusCode: status);
}

/// <summary>A version of a definition.</summary>
public sealed record WorkflowVersionDto(int Version, bool IsPublished, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt);

/// <summary>Body of POST /api/workflows/{id}/publish.</summary>
public sealed record PublishRequest(int? Version);

/// <summary>Body of POST /api/workflows/{id}/revert.</summary>
public sealed record RevertRequest(int? Version);

/// <summary>Body of POST /api/workflows/{id}/run.</summary>
public sealed record RunRequest(JsonObject? Input);
