using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Validation;

namespace BackupWorkflows.Server.Apis;

/// <summary>Background jobs: the compression and validation workflows' instances.</summary>
public static class JobsApi
{
    /// <summary>Definition ids counted as jobs of each type.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> JobDefinitions = new Dictionary<string, string[]>
    {
        ["compression"] = ["compress"],
        ["validation"] = ["validate"],
    };

    /// <summary>Maps <c>GET /api/jobs</c>.</summary>
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs", ListAsync).WithTags("Jobs").WithName("ListJobs")
            .WithSummary("Compression and validation jobs, newest first.").RequireAuthorization(Roles.Viewer);
        return app;
    }

    private static async Task<IResult> ListAsync(string? type, IWorkflowInstanceQueries queries, CancellationToken ct)
    {
        new InputRules().OneOf("type", type, [.. JobDefinitions.Keys], required: false).ThrowIfAny();
        var jobs = new List<JobDto>();
        foreach (var (jobType, definitions) in JobDefinitions.Where(j => type is null || j.Key == type))
        {
            foreach (var definition in definitions)
            {
                var page = await queries.ListAsync(new InstanceFilter { DefinitionId = definition, Take = 500 }, ct);
                jobs.AddRange(page.Items.Select(i => new JobDto(i.Id, jobType, i.DefinitionId, i.Status,
                    i.Input?["backupId"]?.GetValue<string>(), i.CreatedAt, i.EndedAt, i.Fault)));
            }
        }
        return TypedResults.Ok(jobs.OrderByDescending(j => j.CreatedAt));
    }
}

/// <summary>A job: one instance of a compression or validation workflow.</summary>
public sealed record JobDto(string Id, string Type, string DefinitionId, WorkflowStatus Status, string? BackupId,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, string? Error);
