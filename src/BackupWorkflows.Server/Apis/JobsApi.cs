using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackupWorkflows.Server.Apis;

/// <summary>Background jobs: compression and validation (checksum re-checks included), read from the engine.</summary>
public static class JobsApi
{
    private static readonly Dictionary<string, JobType> Types = new() { ["compression"] = JobType.Compression, ["validation"] = JobType.Validation };
    private static readonly Dictionary<string, JobState> States = Enum.GetValues<JobState>().ToDictionary(s => s.ToString().ToLowerInvariant());

    /// <summary>Maps <c>GET /api/jobs</c>.</summary>
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs", ListAsync).WithTags("Jobs").WithName("ListJobs")
            .WithSummary("Compression and validation jobs, newest first, each with its state and why it waits or failed.")
            .RequireAuthorization(Roles.Viewer);
        return app;
    }

    private static async Task<Ok<IEnumerable<JobDto>>> ListAsync(string? type, string? state, string? backupId, string? host, JobQueries jobs, CancellationToken ct)
    {
        var rules = new InputRules().OneOf("type", type, [.. Types.Keys], required: false).OneOf("state", state, [.. States.Keys], required: false);
        Guid? backup = null;
        if (backupId is not null)
        {
            if (Guid.TryParse(backupId, out var b)) backup = b;
            else rules.Add("backupId", "must be a backup id (a GUID).");
        }
        rules.ThrowIfAny();
        var list = await jobs.ListAsync(new JobFilter
        {
            Type = type is null ? null : Types[type], State = state is null ? null : States[state], BackupId = backup, Host = host,
        }, ct);
        return TypedResults.Ok(list.Select(JobDto.From));
    }
}

/// <summary>A job as the API shows it.</summary>
/// <param name="Id">The job's workflow instance id (its journal is under <c>/api/instances/{id}</c>).</param>
/// <param name="Type"><c>compression</c> or <c>validation</c>.</param>
/// <param name="DefinitionId">The workflow: <c>compress</c> or <c>validate</c>.</param>
/// <param name="State"><c>queued</c>, <c>running</c>, <c>done</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="Reason">Why a queued job waits (<c>host limit</c>, <c>disabled</c>, <c>retry at T (...)</c>, <c>starting</c>), or <c>failed after N attempt(s): cause</c>.</param>
/// <param name="Attempts">Attempts that ran.</param>
/// <param name="RetryAt">When a job waiting to retry runs again.</param>
/// <param name="Progress">Progress of a running job.</param>
/// <param name="BackupId">Backup the job works on.</param>
/// <param name="Host">Host it runs on.</param>
/// <param name="Levels">Validation levels asked for; null for all of the offering's.</param>
/// <param name="CreatedAt">Queued at.</param>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="FinishedAt">Ended at.</param>
/// <param name="Error">Cause of a failed job (the reason without "failed after N attempt(s): ").</param>
public sealed record JobDto(string Id, string Type, string DefinitionId, string State, string? Reason, int Attempts, DateTimeOffset? RetryAt,
    JobProgress? Progress, Guid? BackupId, string? Host, string? Levels, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt, string? Error)
{
    /// <summary>The API view of a job.</summary>
    public static JobDto From(Job j) => new(j.Id, j.Type.ToString().ToLowerInvariant(), JobWorkflows.Of(j.Type), j.State.ToString().ToLowerInvariant(),
        j.Reason, j.Attempts, j.RetryAt, j.Progress, j.BackupId, j.Host, j.Levels, j.CreatedAt, j.UpdatedAt, j.EndedAt,
        j.State == JobState.Failed ? j.Error : null);
}
